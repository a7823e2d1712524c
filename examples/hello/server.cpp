// hello server: serves a Greeter under the object key "greeter", so clients
// reach it as corbaloc::HOST:PORT/greeter. Run it with
//   hello_server -ORBListen tcp://127.0.0.1:2810
#include "hello_servant.hpp"

#include <orb/orb.hpp>

#include <iostream>

namespace {

// Implementing an interface means deriving from its generated skeleton.
class GreeterImpl final : public Demo::GreeterServant {
 public:
  std::string greet(const std::string& name) override { return "Hello, " + name + "!"; }
};

}  // namespace

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);
    orb::ObjectRef greeter = orb.adapter().activate(std::make_shared<GreeterImpl>(), "greeter");
    std::cout << orb.object_to_string(greeter) << std::endl;
    orb.run();  // until the process is stopped
  } catch (const orb::SystemException& error) {
    std::cerr << "hello_server: " << error.what() << "\n";
    return 1;
  }
}
