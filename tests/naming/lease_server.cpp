// A server for the lease tests: binds NAME in the naming service at URL
// with a lease of SECONDS through LeaseKeeper, writes READY_FILE, and then
// serves until it is killed. The bound object is this process's own
// (unserved) reference; only the binding matters.
//
// usage: naming_lease_server URL NAME SECONDS READY_FILE
#include <orb/naming/client.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: naming_lease_server URL NAME SECONDS READY_FILE\n";
    return 2;
  }
  orb::OrbOptions options;
  options.listen = {"tcp://127.0.0.1:0"};
  orb::Orb orb(options);
  auto context = CosNaming::NamingContext::_unchecked_narrow(orb.string_to_object(argv[1]));
  orb::ObjectRef self = orb.string_to_object("corbaloc::127.0.0.1:1/lease-server");
  orb::naming::LeaseKeeper keeper(context, argv[2], self, std::chrono::seconds(std::stoi(argv[3])));
  // Renamed into place, so the test never reads a half-written file.
  std::string temporary = std::string(argv[4]) + ".tmp";
  std::ofstream(temporary) << keeper.lease() << '\n';
  std::filesystem::rename(temporary, argv[4]);
  orb.run();
  return 0;
}
