// bank server: opens two accounts and registers them in the naming
// service as bank/alice and bank/bob.
//   bank_server -ORBListen tcp://127.0.0.1:2812
//               -ORBInitRef NameService=corbaloc::127.0.0.1:2809/NameService
#include "bank_servant.hpp"

#include <orb/naming/client.hpp>
#include <orb/orb.hpp>

#include <iostream>
#include <mutex>

namespace {

class AccountImpl final : public Bank::AccountServant {
 public:
  AccountImpl(std::string owner, Bank::Cents opening) : owner_(std::move(owner)) {
    record("opening deposit", opening);
  }

  std::string owner() override { return owner_; }

  Bank::Cents balance() override {
    std::lock_guard lock(mutex_);
    return balance_;
  }

  Bank::Cents overdraft_limit() override {
    std::lock_guard lock(mutex_);
    return overdraft_limit_;
  }

  void overdraft_limit(Bank::Cents value) override {
    if (value < 0) {
      throw Bank::InvalidAmount(value);
    }
    std::lock_guard lock(mutex_);
    overdraft_limit_ = value;
  }

  void deposit(Bank::Cents amount, const std::string& description) override {
    if (amount <= 0) {
      throw Bank::InvalidAmount(amount);
    }
    record(description, amount);
  }

  void withdraw(Bank::Cents amount, const std::string& description) override {
    if (amount <= 0) {
      throw Bank::InvalidAmount(amount);
    }
    std::lock_guard lock(mutex_);
    if (balance_ - amount < -overdraft_limit_) {
      throw Bank::Overdrawn(balance_, amount);  // arrives in the client as Bank::Overdrawn
    }
    append(description, -amount);
  }

  void transfer(const std::shared_ptr<Bank::Account>& destination, Bank::Cents amount) override {
    // The destination may live in another server: this is a remote call.
    withdraw(amount, "transfer to " + destination->owner());
    destination->deposit(amount, "transfer from " + owner_);
  }

  Bank::History statement(uint32_t max_entries) override {
    std::lock_guard lock(mutex_);
    size_t first = history_.size() > max_entries ? history_.size() - max_entries : 0;
    return Bank::History(history_.begin() + static_cast<long>(first), history_.end());
  }

 private:
  void record(const std::string& description, Bank::Cents amount) {
    std::lock_guard lock(mutex_);
    append(description, amount);
  }

  void append(const std::string& description, Bank::Cents amount) {
    balance_ += amount;
    history_.push_back(Bank::Transaction{description, amount, balance_});
  }

  const std::string owner_;
  std::mutex mutex_;  // guards everything below
  Bank::Cents balance_ = 0;
  Bank::Cents overdraft_limit_ = 0;
  Bank::History history_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);
    auto names = orb::naming::root_context(orb);
    for (auto [owner, opening] : {std::pair{"alice", 100000}, std::pair{"bob", 25000}}) {
      orb::ObjectRef account =
          orb.adapter().activate(std::make_shared<AccountImpl>(owner, opening), owner);
      orb::naming::rebind(names, std::string("bank/") + owner, account);
      std::cout << "bank_server: registered bank/" << owner << std::endl;
    }
    orb.run();
  } catch (const orb::SystemException& error) {
    std::cerr << "bank_server: " << error.what() << "\n";
    return 1;
  }
}
