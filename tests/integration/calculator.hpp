// A proxy and skeleton for a small test interface, written by hand in the
// shape idlgen emits, so the ORB core can be tested on its own:
//
//   module Calc {
//     exception DivideByZero { string what; long dividend; };
//     interface Calculator {
//       long add(in long a, in long b);
//       long divide(in long a, in long b) raises (DivideByZero);
//       sequence<octet> echo(in sequence<octet> data);
//       void sleep(in unsigned long milliseconds);
//       oneway void remember(in long value);
//       long recall();
//     };
//   };
#pragma once

#include <orb/object.hpp>
#include <orb/servant.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace Calc {

class DivideByZero : public ::orb::UserException {
 public:
  DivideByZero() = default;
  DivideByZero(std::string what_text, int32_t dividend)
      : what_(std::move(what_text)), dividend(dividend) {}
  std::string what_;
  int32_t dividend = 0;

  std::string_view repository_id() const noexcept override { return "IDL:Calc/DivideByZero:1.0"; }
  const char* what() const noexcept override { return "Test::DivideByZero"; }
  void _orb_encode_members(::orb::cdr::Encoder& out) const override {
    out.write_string(what_);
    out.write_long(dividend);
  }
  [[noreturn]] static void _orb_raise(::orb::cdr::Decoder& in) {
    DivideByZero error;
    error.what_ = in.read_string();
    error.dividend = in.read_long();
    throw error;
  }
};

class Calculator : public virtual ::orb::Object {
 public:
  static constexpr std::string_view _repository_id = "IDL:Calc/Calculator:1.0";
  explicit Calculator(std::shared_ptr<::orb::detail::Binding> binding)
      : ::orb::Object(std::move(binding)) {}

  static std::shared_ptr<Calculator> _unchecked_narrow(const ::orb::ObjectRef& object) {
    if (!object) {
      return nullptr;
    }
    if (auto typed = std::dynamic_pointer_cast<Calculator>(object)) {
      return typed;
    }
    return std::make_shared<Calculator>(object->_orb_binding());
  }
  static std::shared_ptr<Calculator> narrow(const ::orb::ObjectRef& object) {
    if (!object || !object->_is_a(_repository_id)) {
      return nullptr;
    }
    return _unchecked_narrow(object);
  }

  int32_t add(int32_t a, int32_t b) const {
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

  int32_t divide(int32_t a, int32_t b) const {
    static constexpr std::array<::orb::UserExceptionType, 1> kRaises{
        {{"IDL:Calc/DivideByZero:1.0", &DivideByZero::_orb_raise}}};
    int32_t result = 0;
    _orb_invoke(
        "divide",
        [&](::orb::cdr::Encoder& out) {
          out.write_long(a);
          out.write_long(b);
        },
        [&](::orb::cdr::Decoder& in) { result = in.read_long(); }, kRaises);
    return result;
  }

  std::vector<uint8_t> echo(const std::vector<uint8_t>& data) const {
    std::vector<uint8_t> result;
    _orb_invoke(
        "echo", [&](::orb::cdr::Encoder& out) { ::orb::cdr::encode(out, data); },
        [&](::orb::cdr::Decoder& in) {
          ::orb::cdr::Codec<std::vector<uint8_t>>::decode(in, result);
        },
        {});
    return result;
  }

  void sleep(uint32_t milliseconds) const {
    _orb_invoke(
        "sleep", [&](::orb::cdr::Encoder& out) { out.write_ulong(milliseconds); },
        [](::orb::cdr::Decoder&) {}, {});
  }

  void remember(int32_t value) const {
    _orb_send_oneway("remember", [&](::orb::cdr::Encoder& out) { out.write_long(value); });
  }

  int32_t recall() const {
    int32_t result = 0;
    _orb_invoke(
        "recall", [](::orb::cdr::Encoder&) {},
        [&](::orb::cdr::Decoder& in) { result = in.read_long(); }, {});
    return result;
  }

  std::future<int32_t> add_async(int32_t a, int32_t b) const {
    return _orb_invoke_async<int32_t>(
        "add",
        [&](::orb::cdr::Encoder& out) {
          out.write_long(a);
          out.write_long(b);
        },
        [](::orb::cdr::Decoder& in) { return in.read_long(); }, {});
  }

  std::future<void> sleep_async(uint32_t milliseconds) const {
    return _orb_invoke_async<void>(
        "sleep", [&](::orb::cdr::Encoder& out) { out.write_ulong(milliseconds); },
        [](::orb::cdr::Decoder&) {}, {});
  }

  std::future<std::vector<uint8_t>> echo_async(const std::vector<uint8_t>& data) const {
    return _orb_invoke_async<std::vector<uint8_t>>(
        "echo", [&](::orb::cdr::Encoder& out) { ::orb::cdr::encode(out, data); },
        [](::orb::cdr::Decoder& in) {
          std::vector<uint8_t> result;
          ::orb::cdr::Codec<std::vector<uint8_t>>::decode(in, result);
          return result;
        },
        {});
  }

  std::future<int32_t> divide_async(int32_t a, int32_t b) const {
    static constexpr std::array<::orb::UserExceptionType, 1> kRaises{
        {{"IDL:Calc/DivideByZero:1.0", &DivideByZero::_orb_raise}}};
    return _orb_invoke_async<int32_t>(
        "divide",
        [&](::orb::cdr::Encoder& out) {
          out.write_long(a);
          out.write_long(b);
        },
        [](::orb::cdr::Decoder& in) { return in.read_long(); }, kRaises);
  }
};

class CalculatorServant : public virtual ::orb::Servant {
 public:
  using _orb_proxy_type = Calculator;

  virtual int32_t add(int32_t a, int32_t b) = 0;
  virtual int32_t divide(int32_t a, int32_t b) = 0;
  virtual std::vector<uint8_t> echo(const std::vector<uint8_t>& data) = 0;
  virtual void sleep(uint32_t milliseconds) = 0;
  virtual void remember(int32_t value) = 0;
  virtual int32_t recall() = 0;

  std::string_view _interface_id() const noexcept override { return Calculator::_repository_id; }
  bool _is_a(std::string_view id) const noexcept override {
    return id == Calculator::_repository_id || id == ::orb::Object::_repository_id;
  }
  bool _orb_dispatch(::orb::ServerRequest& request) override {
    return ::orb::dispatch_sorted(kOperations, *this, request);
  }

 private:
  static void do_add(CalculatorServant& self, ::orb::ServerRequest& request) {
    int32_t a = request.arguments().read_long();
    int32_t b = request.arguments().read_long();
    request.results().write_long(self.add(a, b));
  }
  static void do_divide(CalculatorServant& self, ::orb::ServerRequest& request) {
    int32_t a = request.arguments().read_long();
    int32_t b = request.arguments().read_long();
    request.results().write_long(self.divide(a, b));
  }
  static void do_echo(CalculatorServant& self, ::orb::ServerRequest& request) {
    auto data = ::orb::cdr::decode<std::vector<uint8_t>>(request.arguments());
    ::orb::cdr::encode(request.results(), self.echo(data));
  }
  static void do_recall(CalculatorServant& self, ::orb::ServerRequest& request) {
    request.results().write_long(self.recall());
  }
  static void do_remember(CalculatorServant& self, ::orb::ServerRequest& request) {
    self.remember(request.arguments().read_long());
  }
  static void do_sleep(CalculatorServant& self, ::orb::ServerRequest& request) {
    self.sleep(request.arguments().read_ulong());
    request.results();
  }

  static constexpr std::array<::orb::OperationEntry<CalculatorServant>, 6> kOperations{{
      {"add", &do_add},
      {"divide", &do_divide},
      {"echo", &do_echo},
      {"recall", &do_recall},
      {"remember", &do_remember},
      {"sleep", &do_sleep},
  }};
};

}  // namespace Calc
