// omniORB benchmark client: reads a Bench IOR from a file and runs the
// measurements of harness.hpp through omniORB proxies. Each Caller narrows
// a proxy of its own. omniORB allows one call at a time per connection by
// default and opens another connection when the existing ones are busy, so
// the threads of a multi-threaded run do not share a connection.
#include "bench.hh"
#include "harness.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

class OmniCaller final : public orb::bench::Caller {
 public:
  OmniCaller(CORBA::ORB_ptr orb, const std::string& ior) {
    CORBA::Object_var object = orb->string_to_object(ior.c_str());
    bench_ = Bench::_narrow(object);
    if (CORBA::is_nil(bench_)) {
      throw std::runtime_error("the object in the IOR file is not a Bench");
    }
  }

  void null_call() override { bench_->null_call(); }
  int32_t add(int32_t a, int32_t b) override { return bench_->add(a, b); }
  size_t echo(const std::vector<uint8_t>& data, bool verify) override {
    // Lends the caller's buffer to the sequence without copying it.
    auto length = static_cast<CORBA::ULong>(data.size());
    Octets argument(length, length, const_cast<CORBA::Octet*>(data.data()), false);
    Octets_var result = bench_->echo(argument);
    if (verify) {
      orb::bench::verify_echo(result->get_buffer(), result->length(), data);
    }
    return result->length();
  }

 private:
  Bench_var bench_;
};

std::string read_ior(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
    if (argc != 2) {
      std::cerr << "usage: omni_bench_client IOR_FILE [-ORB...]\n";
      return 2;
    }
    std::string ior = read_ior(argv[1]);
    OmniCaller caller(orb, ior);
    orb::bench::run_all(caller, [&] { return std::make_unique<OmniCaller>(orb, ior); });
    orb->destroy();
  } catch (const CORBA::Exception& error) {
    std::cerr << "omni_bench_client: CORBA exception " << error._name() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "omni_bench_client: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
