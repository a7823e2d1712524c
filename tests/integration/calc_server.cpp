// A Calculator server for the fault tests: serves the object "calc" on
// 127.0.0.1:PORT, writes its IOR to IOR_FILE and runs until it is killed.
// Its upcalls announce themselves on stdout, so a test can wait for a call
// to be under way instead of sleeping, and divide() fails on request:
// b == 0 raises DivideByZero, -3 throws std::bad_alloc and -4 throws an int.
#include "calculator.hpp"

#include <orb/orb.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <new>
#include <string>
#include <thread>

namespace {

class CalculatorImpl final : public Calc::CalculatorServant {
 public:
  int32_t add(int32_t a, int32_t b) override { return a + b; }
  int32_t divide(int32_t a, int32_t b) override {
    switch (b) {
      case 0:
        throw Calc::DivideByZero("division by zero", a);
      case -3:
        throw std::bad_alloc();
      case -4:
        throw 42;  // not derived from std::exception at all
      default:
        return a / b;
    }
  }
  std::vector<uint8_t> echo(const std::vector<uint8_t>& data) override { return data; }
  void sleep(uint32_t milliseconds) override {
    std::printf("upcall sleep %u started\n", milliseconds);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
  }
  void remember(int32_t value) override { memory_ = value; }
  int32_t recall() override { return memory_; }

 private:
  std::atomic<int32_t> memory_{0};
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
  if (argc != 3) {
    std::cerr << "usage: calc_server IOR_FILE PORT\n";
    return 2;
  }
  orb::OrbOptions options;
  options.listen = {std::string("tcp://127.0.0.1:") + argv[2]};
  options.log_level = "info";
  orb::Orb orb(options);
  orb::ObjectRef calculator = orb.adapter().activate(std::make_shared<CalculatorImpl>(), "calc");
  if (!publish(argv[1], orb.object_to_string(calculator))) {
    std::cerr << "calc_server: cannot write " << argv[1] << "\n";
    return 1;
  }
  orb.run();
  return 0;
}
