// hello client: calls the Greeter named by a corbaloc: URL or an IOR.
//   hello_client corbaloc::127.0.0.1:2810/greeter [NAME]
#include "hello.hpp"

#include <orb/orb.hpp>

#include <iostream>

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);  // removes -ORB options from argv
    if (argc < 2) {
      std::cerr << "usage: hello_client REFERENCE [NAME]\n";
      return 2;
    }
    // narrow() asks the object whether it is a Greeter; nullptr when not.
    auto greeter = Demo::Greeter::narrow(orb.string_to_object(argv[1]));
    if (!greeter) {
      std::cerr << "hello_client: " << argv[1] << " is not a Demo::Greeter\n";
      return 1;
    }
    std::cout << greeter->greet(argc > 2 ? argv[2] : "world") << std::endl;
  } catch (const orb::SystemException& error) {
    std::cerr << "hello_client: " << error.what() << "\n";
    return 1;
  }
}
