// A Calculator client for the shared-memory fault tests: reads an IOR from
// IOR_FILE and makes one call, add(2, 3) or sleep(2000), with any -ORB
// options that follow. It prints the transport it used and the result.
// Exit status: 0 on success, 3 for TRANSIENT, 4 for another CORBA
// exception, 2 for bad usage.
#include "calculator.hpp"

#include <orb/orb.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: calc_client IOR_FILE add|sleep [-ORB... options]\n";
    return 2;
  }
  std::string mode = argv[2];
  std::ifstream file(argv[1]);
  std::stringstream ior;
  ior << file.rdbuf();
  try {
    int orb_argc = argc - 2;
    char** orb_argv = argv + 2;  // the mode stands in for the program name
    orb::Orb orb(orb_argc, orb_argv);
    auto calculator = Calc::Calculator::_unchecked_narrow(orb.string_to_object(ior.str()));
    if (mode == "sleep") {
      std::cout << "calling sleep" << std::endl;
      calculator->sleep(2000);
    } else {
      int32_t sum = calculator->add(2, 3);
      orb::TransportStatistics statistics = orb.statistics();
      std::cout << "transport " << (statistics.shm_calls > 0 ? "shm" : "tcp") << " result " << sum
                << std::endl;
    }
    return 0;
  } catch (const orb::TRANSIENT& error) {
    std::cout << error.what() << std::endl;
    return 3;
  } catch (const orb::SystemException& error) {
    std::cout << error.what() << std::endl;
    return 4;
  }
}
