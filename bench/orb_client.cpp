// Benchmark client for this ORB: reads the server's IOR from a file and runs
// the measurements of harness.hpp through Bench proxies. -ORB options pick
// the transport: "-ORBShm off" forces TCP; by default a server on this
// host is reached through shared memory.
//
// The ORB keeps one connection per endpoint, shared by every proxy of that
// ORB, so the threads of a multi-threaded run each get an ORB of their own
// to have a connection of their own. A last run, rate.2t_shared, lets two
// threads share one ORB and so one connection.
#include "bench.hpp"
#include "harness.hpp"

#include <orb/exception.hpp>
#include <orb/orb.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

class OrbCaller final : public orb::bench::Caller {
 public:
  explicit OrbCaller(std::shared_ptr<Bench> bench) : bench_(std::move(bench)) {}

  void null_call() override { bench_->null_call(); }
  int32_t add(int32_t a, int32_t b) override { return bench_->add(a, b); }
  size_t echo(const std::vector<uint8_t>& data, bool verify) override {
    Octets result = bench_->echo(data);
    if (verify) {
      orb::bench::verify_echo(result.data(), result.size(), data);
    }
    return result.size();
  }

 private:
  std::shared_ptr<Bench> bench_;
};

/// Calls made through the ORBs of OwnOrbCallers, per transport.
struct CallCounts {
  std::atomic<uint64_t> tcp{0};
  std::atomic<uint64_t> shm{0};
};

/// A Caller with an ORB of its own, so it also has a connection of its own.
class OwnOrbCaller final : public orb::bench::Caller {
 public:
  OwnOrbCaller(const orb::OrbOptions& options, const std::string& ior, CallCounts& counts)
      : orb_(options), caller_(Bench::narrow(orb_.string_to_object(ior))), counts_(counts) {}
  ~OwnOrbCaller() override {
    orb::TransportStatistics statistics = orb_.statistics();
    counts_.tcp += statistics.tcp_calls;
    counts_.shm += statistics.shm_calls;
  }

  void null_call() override { caller_.null_call(); }
  int32_t add(int32_t a, int32_t b) override { return caller_.add(a, b); }
  size_t echo(const std::vector<uint8_t>& data, bool verify) override {
    return caller_.echo(data, verify);
  }

 private:
  orb::Orb orb_;
  OrbCaller caller_;
  CallCounts& counts_;
};

std::string read_ior(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  try {
    orb::Orb orb(argc, argv);
    if (argc != 2) {
      std::cerr << "usage: orb_bench_client IOR_FILE [-ORBShm on|off|only] [-ORB...]\n";
      return 2;
    }
    std::string ior = read_ior(argv[1]);
    std::shared_ptr<Bench> bench = Bench::narrow(orb.string_to_object(ior));
    if (!bench) {
      std::cerr << "orb_bench_client: the object in " << argv[1] << " is not a Bench\n";
      return 1;
    }
    OrbCaller caller(bench);
    orb::OrbOptions options = orb.options();
    CallCounts own_orbs;
    orb::bench::run_all(caller,
                        [&] { return std::make_unique<OwnOrbCaller>(options, ior, own_orbs); });
    const char* only = std::getenv("ORB_BENCH_ONLY");
    if (only == nullptr || std::string_view(only) == "rate") {
      orb::bench::report("rate.2t_shared", orb::bench::calls_per_second(2, 1500ms, [&] {
                           return std::make_unique<OrbCaller>(bench);
                         }));
    }

    orb::TransportStatistics statistics = orb.statistics();
    // The driver checks these: a run meant for one transport must not use the other.
    orb::bench::report("calls.tcp", static_cast<double>(statistics.tcp_calls + own_orbs.tcp));
    orb::bench::report("calls.shm", static_cast<double>(statistics.shm_calls + own_orbs.shm));
  } catch (const std::exception& error) {
    std::cerr << "orb_bench_client: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
