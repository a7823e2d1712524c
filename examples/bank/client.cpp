// bank client: finds accounts by name, moves money, shows what a user
// exception carries, and makes two calls at once with _async.
//   bank_client -ORBInitRef NameService=corbaloc::127.0.0.1:2809/NameService
#include "bank.hpp"

#include <orb/naming/client.hpp>
#include <orb/orb.hpp>

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace {

std::string money(Bank::Cents cents) {
  std::ostringstream text;
  text << (cents < 0 ? "-" : "") << std::llabs(cents) / 100 << "." << std::setw(2)
       << std::setfill('0') << std::llabs(cents) % 100;
  return text.str();
}

std::shared_ptr<Bank::Account> find(orb::Orb& orb, const std::string& owner) {
  auto account = Bank::Account::narrow(orb::naming::resolve_str(orb, "bank/" + owner));
  if (!account) {
    throw orb::BAD_PARAM(0, orb::CompletionStatus::no, "bank/" + owner + " is not an account");
  }
  return account;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);
    auto alice = find(orb, "alice");
    auto bob = find(orb, "bob");

    alice->deposit(2550, "salary");
    std::cout << "alice is paid 25.50: alice has " << money(alice->balance()) << std::endl;
    alice->transfer(bob, 10000);
    std::cout << "alice pays bob 100.00: alice has " << money(alice->balance()) << ", bob has "
              << money(bob->balance()) << std::endl;

    try {
      bob->withdraw(1000000, "a boat");
    } catch (const Bank::Overdrawn& error) {
      std::cout << "bob cannot buy a boat: balance " << money(error.balance) << ", requested "
                << money(error.requested) << std::endl;
    }

    // Both requests are on the wire before either reply is read.
    std::future<void> refund = alice->deposit_async(1999, "refund");
    std::future<Bank::History> statement = bob->statement_async(10);
    refund.get();
    std::cout << "alice gets a refund of 19.99" << std::endl;
    std::cout << "bob's statement:" << std::endl;
    for (const Bank::Transaction& entry : statement.get()) {
      std::cout << "  " << std::setw(24) << std::left << entry.description << std::right
                << std::setw(10) << money(entry.amount) << std::setw(10)
                << money(entry.balance_after) << std::endl;
    }
    orb::TransportStatistics statistics = orb.statistics();
    std::cout << "calls made: " << statistics.tcp_calls << " over TCP, " << statistics.shm_calls
              << " over shared memory" << std::endl;
  } catch (const orb::UserException& error) {
    std::cerr << "bank_client: unexpected " << error.repository_id() << "\n";
    return 1;
  } catch (const orb::SystemException& error) {
    std::cerr << "bank_client: " << error.what() << "\n";
    return 1;
  }
}
