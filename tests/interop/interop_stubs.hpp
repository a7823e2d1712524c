// This ORB's proxy, skeleton and types for tests/interop/interop.idl,
// written by hand in the shape idlgen emits, so the interop tests exercise
// the ORB core alone. omniORB's side comes from omniidl at build time.
#pragma once

#include <orb/cdr/codec.hpp>
#include <orb/minor.hpp>
#include <orb/object.hpp>
#include <orb/servant.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace Interop {

enum class Color : uint32_t { red, green, blue };

using Octets = std::vector<uint8_t>;
using Strings = std::vector<std::string>;

struct Record {
  int32_t id = 0;
  std::string name;
  Color shade = Color::red;
  Octets data;
  std::wstring label;
  bool operator==(const Record&) const = default;
};

}  // namespace Interop

namespace orb::cdr {

template <>
struct Codec<Interop::Color> {
  static constexpr size_t min_wire_size = 4;
  static void encode(Encoder& e, Interop::Color v) { e.write_ulong(static_cast<uint32_t>(v)); }
  static void decode(Decoder& d, Interop::Color& v) {
    uint32_t value = d.read_ulong("Interop::Color");
    if (value > 2) {
      d.fail(minor::kInvalidValue, "Interop::Color",
             "value " + std::to_string(value) + " is not an enumerator");
    }
    v = static_cast<Interop::Color>(value);
  }
};

template <>
struct Codec<Interop::Record> {
  static constexpr size_t min_wire_size = 4 + 5 + 4 + 4 + 4;
  static void encode(Encoder& e, const Interop::Record& v) {
    e.write_long(v.id);
    e.write_string(v.name);
    cdr::encode(e, v.shade);
    cdr::encode(e, v.data);
    e.write_wstring(v.label);
  }
  static void decode(Decoder& d, Interop::Record& v) {
    v.id = d.read_long();
    v.name = d.read_string();
    Codec<Interop::Color>::decode(d, v.shade);
    Codec<Interop::Octets>::decode(d, v.data);
    v.label = d.read_wstring();
  }
};

}  // namespace orb::cdr

namespace Interop {

class Failure : public ::orb::UserException {
 public:
  static constexpr std::string_view _repository_id = "IDL:Interop/Failure:1.0";
  Failure() = default;
  Failure(std::string reason, int32_t code, Strings details)
      : reason(std::move(reason)), code(code), details(std::move(details)) {}
  std::string reason;
  int32_t code = 0;
  Strings details;

  std::string_view repository_id() const noexcept override { return _repository_id; }
  const char* what() const noexcept override { return "Interop::Failure"; }
  void _orb_encode_members(::orb::cdr::Encoder& out) const override {
    out.write_string(reason);
    out.write_long(code);
    ::orb::cdr::encode(out, details);
  }
  [[noreturn]] static void _orb_raise(::orb::cdr::Decoder& in) {
    Failure error;
    error.reason = in.read_string();
    error.code = in.read_long();
    ::orb::cdr::Codec<Strings>::decode(in, error.details);
    throw error;
  }
};

/// out and inout results of Tester::exchange.
struct ExchangeResult {
  int32_t sum = 0;
  int32_t doubled = 0;
};

class Tester : public virtual ::orb::Object {
 public:
  static constexpr std::string_view _repository_id = "IDL:Interop/Tester:1.0";
  explicit Tester(std::shared_ptr<::orb::detail::Binding> binding)
      : ::orb::Object(std::move(binding)) {}

  static std::shared_ptr<Tester> _unchecked_narrow(const ::orb::ObjectRef& object) {
    if (!object) {
      return nullptr;
    }
    if (auto typed = std::dynamic_pointer_cast<Tester>(object)) {
      return typed;
    }
    return std::make_shared<Tester>(object->_orb_binding());
  }
  static std::shared_ptr<Tester> narrow(const ::orb::ObjectRef& object) {
    if (!object || !object->_is_a(_repository_id)) {
      return nullptr;
    }
    return _unchecked_narrow(object);
  }

  /// One `in` argument of type T and a result of type R.
  template <class R, class T>
  R _echo(std::string_view operation, const T& v) const {
    R result{};
    _orb_invoke(
        operation, [&](::orb::cdr::Encoder& out) { ::orb::cdr::encode(out, v); },
        [&](::orb::cdr::Decoder& in) { ::orb::cdr::Codec<R>::decode(in, result); }, {});
    return result;
  }

  int16_t echo_short(int16_t v) const { return _echo<int16_t>("echo_short", v); }
  uint16_t echo_ushort(uint16_t v) const { return _echo<uint16_t>("echo_ushort", v); }
  int32_t echo_long(int32_t v) const { return _echo<int32_t>("echo_long", v); }
  uint32_t echo_ulong(uint32_t v) const { return _echo<uint32_t>("echo_ulong", v); }
  int64_t echo_longlong(int64_t v) const { return _echo<int64_t>("echo_longlong", v); }
  uint64_t echo_ulonglong(uint64_t v) const { return _echo<uint64_t>("echo_ulonglong", v); }
  float echo_float(float v) const { return _echo<float>("echo_float", v); }
  double echo_double(double v) const { return _echo<double>("echo_double", v); }
  long double echo_longdouble(long double v) const {
    return _echo<long double>("echo_longdouble", v);
  }
  bool echo_boolean(bool v) const { return _echo<bool>("echo_boolean", v); }
  char echo_char(char v) const { return _echo<char>("echo_char", v); }
  wchar_t echo_wchar(wchar_t v) const { return _echo<wchar_t>("echo_wchar", v); }
  uint8_t echo_octet(uint8_t v) const { return _echo<uint8_t>("echo_octet", v); }
  std::string echo_string(const std::string& v) const {
    return _echo<std::string>("echo_string", v);
  }
  std::wstring echo_wstring(const std::wstring& v) const {
    return _echo<std::wstring>("echo_wstring", v);
  }
  Record echo_record(const Record& v) const { return _echo<Record>("echo_record", v); }
  Color next_color(Color v) const { return _echo<Color>("next_color", v); }
  Octets echo_octets(const Octets& v) const { return _echo<Octets>("echo_octets", v); }
  Strings reverse_strings(const Strings& v) const { return _echo<Strings>("reverse_strings", v); }

  int32_t counter() const { return _get<int32_t>("_get_counter"); }
  void counter(int32_t v) const {
    _orb_invoke(
        "_set_counter", [&](::orb::cdr::Encoder& out) { out.write_long(v); },
        [](::orb::cdr::Decoder&) {}, {});
  }

  std::string known_text() const { return _get<std::string>("known_text"); }
  std::wstring known_wide_text() const { return _get<std::wstring>("known_wide_text"); }
  bool is_known_text(const std::string& v) const { return _echo<bool>("is_known_text", v); }
  bool is_known_wide_text(const std::wstring& v) const {
    return _echo<bool>("is_known_wide_text", v);
  }

  void fail(const std::string& reason, int32_t code) const {
    static constexpr std::array<::orb::UserExceptionType, 1> kRaises{
        {{Failure::_repository_id, &Failure::_orb_raise}}};
    _orb_invoke(
        "fail",
        [&](::orb::cdr::Encoder& out) {
          out.write_string(reason);
          out.write_long(code);
        },
        [](::orb::cdr::Decoder&) {}, kRaises);
  }

  void raise_bad_param(uint32_t minor, bool completed) const {
    _orb_invoke(
        "raise_bad_param",
        [&](::orb::cdr::Encoder& out) {
          out.write_ulong(minor);
          out.write_boolean(completed);
        },
        [](::orb::cdr::Decoder&) {}, {});
  }

  void post(int32_t value) const {
    _orb_send_oneway("post", [&](::orb::cdr::Encoder& out) { out.write_long(value); });
  }
  int32_t last_posted() const { return _get<int32_t>("last_posted"); }

  int32_t exchange(int32_t a, int32_t b, int32_t& doubled, std::string& text,
                   int16_t& count) const {
    int32_t result = 0;
    _orb_invoke(
        "exchange",
        [&](::orb::cdr::Encoder& out) {
          out.write_long(a);
          out.write_long(b);
          out.write_string(text);
          out.write_short(count);
        },
        [&](::orb::cdr::Decoder& in) {
          result = in.read_long();
          doubled = in.read_long();
          text = in.read_string();
          count = in.read_short();
        },
        {});
    return result;
  }

 private:
  template <class R>
  R _get(std::string_view operation) const {
    R result{};
    _orb_invoke(
        operation, [](::orb::cdr::Encoder&) {},
        [&](::orb::cdr::Decoder& in) { ::orb::cdr::Codec<R>::decode(in, result); }, {});
    return result;
  }
};

class TesterServant : public virtual ::orb::Servant {
 public:
  using _orb_proxy_type = Tester;

  virtual int16_t echo_short(int16_t v) = 0;
  virtual uint16_t echo_ushort(uint16_t v) = 0;
  virtual int32_t echo_long(int32_t v) = 0;
  virtual uint32_t echo_ulong(uint32_t v) = 0;
  virtual int64_t echo_longlong(int64_t v) = 0;
  virtual uint64_t echo_ulonglong(uint64_t v) = 0;
  virtual float echo_float(float v) = 0;
  virtual double echo_double(double v) = 0;
  virtual long double echo_longdouble(long double v) = 0;
  virtual bool echo_boolean(bool v) = 0;
  virtual char echo_char(char v) = 0;
  virtual wchar_t echo_wchar(wchar_t v) = 0;
  virtual uint8_t echo_octet(uint8_t v) = 0;
  virtual std::string echo_string(const std::string& v) = 0;
  virtual std::wstring echo_wstring(const std::wstring& v) = 0;
  virtual Record echo_record(const Record& v) = 0;
  virtual Color next_color(Color v) = 0;
  virtual Octets echo_octets(const Octets& v) = 0;
  virtual Strings reverse_strings(const Strings& v) = 0;
  virtual int32_t counter() = 0;
  virtual void counter(int32_t v) = 0;
  virtual std::string known_text() = 0;
  virtual std::wstring known_wide_text() = 0;
  virtual bool is_known_text(const std::string& v) = 0;
  virtual bool is_known_wide_text(const std::wstring& v) = 0;
  virtual void fail(const std::string& reason, int32_t code) = 0;
  virtual void raise_bad_param(uint32_t minor, bool completed) = 0;
  virtual void post(int32_t value) = 0;
  virtual int32_t last_posted() = 0;
  virtual int32_t exchange(int32_t a, int32_t b, int32_t& doubled, std::string& text,
                           int16_t& count) = 0;

  std::string_view _interface_id() const noexcept override { return Tester::_repository_id; }
  bool _is_a(std::string_view id) const noexcept override {
    return id == Tester::_repository_id || id == ::orb::Object::_repository_id;
  }
  bool _orb_dispatch(::orb::ServerRequest& request) override {
    return ::orb::dispatch_sorted(kOperations, *this, request);
  }

 private:
  using Self = TesterServant;
  using Request = ::orb::ServerRequest;

  /// Decodes one argument of type T, calls `member` and encodes its result.
  template <auto Member, class T>
  static void echo(Self& self, Request& request) {
    auto v = ::orb::cdr::decode<T>(request.arguments());
    ::orb::cdr::encode(request.results(), (self.*Member)(v));
  }
  /// Calls a member without arguments and encodes its result.
  template <auto Member>
  static void get(Self& self, Request& request) {
    ::orb::cdr::encode(request.results(), (self.*Member)());
  }

  static void do_set_counter(Self& self, Request& request) {
    self.counter(request.arguments().read_long());
    request.results();
  }
  static void do_fail(Self& self, Request& request) {
    std::string reason = request.arguments().read_string();
    int32_t code = request.arguments().read_long();
    self.fail(reason, code);
    request.results();
  }
  static void do_raise_bad_param(Self& self, Request& request) {
    uint32_t minor = request.arguments().read_ulong();
    bool completed = request.arguments().read_boolean();
    self.raise_bad_param(minor, completed);
    request.results();
  }
  static void do_post(Self& self, Request& request) { self.post(request.arguments().read_long()); }
  static void do_exchange(Self& self, Request& request) {
    ::orb::cdr::Decoder& in = request.arguments();
    int32_t a = in.read_long();
    int32_t b = in.read_long();
    std::string text = in.read_string();
    int16_t count = in.read_short();
    int32_t doubled = 0;
    int32_t sum = self.exchange(a, b, doubled, text, count);
    ::orb::cdr::Encoder& out = request.results();
    out.write_long(sum);
    out.write_long(doubled);
    out.write_string(text);
    out.write_short(count);
  }

  // Member pointers to the overloaded counter() need the getter's type.
  static constexpr int32_t (Self::*kGetCounter)() = &Self::counter;

  static constexpr std::array<::orb::OperationEntry<Self>, 30> kOperations{{
      {"_get_counter", &get<kGetCounter>},
      {"_set_counter", &do_set_counter},
      {"echo_boolean", &echo<&Self::echo_boolean, bool>},
      {"echo_char", &echo<&Self::echo_char, char>},
      {"echo_double", &echo<&Self::echo_double, double>},
      {"echo_float", &echo<&Self::echo_float, float>},
      {"echo_long", &echo<&Self::echo_long, int32_t>},
      {"echo_longdouble", &echo<&Self::echo_longdouble, long double>},
      {"echo_longlong", &echo<&Self::echo_longlong, int64_t>},
      {"echo_octet", &echo<&Self::echo_octet, uint8_t>},
      {"echo_octets", &echo<&Self::echo_octets, Octets>},
      {"echo_record", &echo<&Self::echo_record, Record>},
      {"echo_short", &echo<&Self::echo_short, int16_t>},
      {"echo_string", &echo<&Self::echo_string, std::string>},
      {"echo_ulong", &echo<&Self::echo_ulong, uint32_t>},
      {"echo_ulonglong", &echo<&Self::echo_ulonglong, uint64_t>},
      {"echo_ushort", &echo<&Self::echo_ushort, uint16_t>},
      {"echo_wchar", &echo<&Self::echo_wchar, wchar_t>},
      {"echo_wstring", &echo<&Self::echo_wstring, std::wstring>},
      {"exchange", &do_exchange},
      {"fail", &do_fail},
      {"is_known_text", &echo<&Self::is_known_text, std::string>},
      {"is_known_wide_text", &echo<&Self::is_known_wide_text, std::wstring>},
      {"known_text", &get<&Self::known_text>},
      {"known_wide_text", &get<&Self::known_wide_text>},
      {"last_posted", &get<&Self::last_posted>},
      {"next_color", &echo<&Self::next_color, Color>},
      {"post", &do_post},
      {"raise_bad_param", &do_raise_bad_param},
      {"reverse_strings", &echo<&Self::reverse_strings, Strings>},
  }};
  static_assert(std::is_sorted(kOperations.begin(), kOperations.end(),
                               [](const auto& a, const auto& b) { return a.name < b.name; }));
};

}  // namespace Interop
