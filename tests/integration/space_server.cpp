// A tuple-space server for the process-level tests: serves the space as
// "TupleSpace" on 127.0.0.1:PORT, with its journal in DATA_DIR when one is
// given, writes its IOR to IOR_FILE and runs until it is killed.
//
//   space_server IOR_FILE PORT [DATA_DIR] [-ORB options]
#include <orb/orb.hpp>
#include <orb/space/servant.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

/// Writes the IOR beside its final name and renames it, so a reader never
/// sees half a file.
bool publish(const std::string& path, const std::string& ior) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << ior;
    if (!out) {
      return false;
    }
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  orb::OrbOptions options = orb::parse_options(arguments, orb::process_environment());
  if (arguments.size() != 2 && arguments.size() != 3) {
    std::cerr << "usage: space_server IOR_FILE PORT [DATA_DIR] [-ORB options]\n";
    return 2;
  }
  options.listen = {"tcp://127.0.0.1:" + arguments[1]};

  // The engine outlives the ORB, whose upcalls use it.
  orb::space::EngineOptions engine_options;
  if (arguments.size() == 3) {
    engine_options.data_directory = arguments[2];
  }
  orb::space::Engine engine(engine_options);
  orb::Orb orb(options);
  auto space = orb::space::serve_space(orb, engine);
  if (!publish(arguments[0], orb.object_to_string(space))) {
    std::cerr << "space_server: cannot write " << arguments[0] << "\n";
    return 1;
  }
  orb.run();
  return 0;
}
