// Proxy and skeleton of bench.idl for this ORB, written by hand in the
// shape idlgen emits, so the benchmarks build before the generator covers
// them. omniORB's stubs for the same file come from omniidl at build time.
//
//   typedef sequence<octet> Octets;
//   interface Bench {
//     void null_call();
//     long add(in long a, in long b);
//     Octets echo(in Octets data);
//   };
#pragma once

#include <orb/object.hpp>
#include <orb/servant.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

using Octets = std::vector<uint8_t>;  // bench.idl:6

class Bench : public virtual ::orb::Object {  // bench.idl:8
 public:
  static constexpr std::string_view _repository_id = "IDL:Bench:1.0";
  explicit Bench(std::shared_ptr<::orb::detail::Binding> binding)
      : ::orb::Object(std::move(binding)) {}

  static std::shared_ptr<Bench> _unchecked_narrow(const ::orb::ObjectRef& object) {
    if (!object) {
      return nullptr;
    }
    if (auto typed = std::dynamic_pointer_cast<Bench>(object)) {
      return typed;
    }
    return std::make_shared<Bench>(object->_orb_binding());
  }
  static std::shared_ptr<Bench> narrow(const ::orb::ObjectRef& object) {
    if (!object || !object->_is_a(_repository_id)) {
      return nullptr;
    }
    return _unchecked_narrow(object);
  }

  void null_call() const {  // bench.idl:9
    _orb_invoke(
        "null_call", [](::orb::cdr::Encoder&) {}, [](::orb::cdr::Decoder&) {}, {});
  }

  int32_t add(int32_t a, int32_t b) const {  // bench.idl:10
    int32_t result = 0;
    _orb_invoke(
        "add",
        [&](::orb::cdr::Encoder& out) {
          out.write_long(a);
          out.write_long(b);
        },
        [&](::orb::cdr::Decoder& in) { result = in.read_long(); }, {});
    return result;
  }

  Octets echo(const Octets& data) const {  // bench.idl:11
    Octets result;
    _orb_invoke(
        "echo", [&](::orb::cdr::Encoder& out) { ::orb::cdr::encode(out, data); },
        [&](::orb::cdr::Decoder& in) { ::orb::cdr::Codec<Octets>::decode(in, result); }, {});
    return result;
  }
};

class BenchServant : public virtual ::orb::Servant {
 public:
  using _orb_proxy_type = Bench;

  virtual void null_call() = 0;
  virtual int32_t add(int32_t a, int32_t b) = 0;
  virtual Octets echo(const Octets& data) = 0;

  std::string_view _interface_id() const noexcept override { return Bench::_repository_id; }
  bool _is_a(std::string_view id) const noexcept override {
    return id == Bench::_repository_id || id == ::orb::Object::_repository_id;
  }
  bool _orb_dispatch(::orb::ServerRequest& request) override {
    return ::orb::dispatch_sorted(kOperations, *this, request);
  }

 private:
  static void _orb_do_add(BenchServant& self, ::orb::ServerRequest& request) {
    int32_t a = request.arguments().read_long();
    int32_t b = request.arguments().read_long();
    request.results().write_long(self.add(a, b));
  }
  static void _orb_do_echo(BenchServant& self, ::orb::ServerRequest& request) {
    auto data = ::orb::cdr::decode<Octets>(request.arguments());
    ::orb::cdr::encode(request.results(), self.echo(data));
  }
  static void _orb_do_null_call(BenchServant& self, ::orb::ServerRequest& request) {
    self.null_call();
    request.results();
  }

  static constexpr std::array<::orb::OperationEntry<BenchServant>, 3> kOperations{{
      {"add", &_orb_do_add},
      {"echo", &_orb_do_echo},
      {"null_call", &_orb_do_null_call},
  }};
};
