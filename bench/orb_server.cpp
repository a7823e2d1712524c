// Benchmark server for this ORB: serves one Bench object, writes its IOR to
// the file named on the command line, and runs until SIGTERM or SIGINT.
// -ORB options set the endpoints, for example
//   orb_bench_server IOR_FILE -ORBListen tcp://127.0.0.1:PORT -ORBShmDirectory DIR
#include "bench_servant.hpp"

#include <orb/orb.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <pthread.h>

namespace {

class BenchImpl final : public BenchServant {
 public:
  void null_call() override {}
  int32_t add(int32_t a, int32_t b) override { return a + b; }
  Octets echo(const Octets& data) override { return data; }
};

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
  // Blocked before the ORB starts its threads, so they inherit the mask and
  // only sigwait() below receives the stop signal.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    orb::Orb orb(argc, argv);
    if (argc != 2) {
      std::cerr << "usage: orb_bench_server IOR_FILE -ORBListen tcp://127.0.0.1:PORT [-ORB...]\n";
      return 2;
    }
    orb::ObjectRef bench = orb.adapter().activate(std::make_shared<BenchImpl>(), "bench");
    if (!publish(argv[1], orb.object_to_string(bench))) {
      std::cerr << "orb_bench_server: cannot write " << argv[1] << "\n";
      return 1;
    }
    int received = 0;
    sigwait(&stop_signals, &received);
    orb.shutdown(true);
  } catch (const std::exception& error) {
    std::cerr << "orb_bench_server: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
