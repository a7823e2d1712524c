// orb::Object: the base of every proxy, and the calls that generated
// proxies make into the ORB. A proxy is a std::shared_ptr<I>; nullptr is
// the nil reference. The ORB core (orb/client) implements these members.
#pragma once

#include <orb/cdr/codec.hpp>
#include <orb/detail/function_ref.hpp>
#include <orb/giop/iop.hpp>
#include <orb/minor.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace orb {

namespace detail {
class Binding;  // where a reference's calls go: its IOR, ORB and connection
}

/// A user exception that an operation's `raises` clause declares: its
/// repository id and a function that decodes its members and throws it.
struct UserExceptionType {
  std::string_view repository_id;
  [[noreturn]] void (*raise)(cdr::Decoder& members);
};

using ArgumentWriter = detail::FunctionRef<void(cdr::Encoder&)>;
using ResultReader = detail::FunctionRef<void(cdr::Decoder&)>;

class Object {
 public:
  static constexpr std::string_view _repository_id = "IDL:omg.org/CORBA/Object:1.0";

  explicit Object(std::shared_ptr<detail::Binding> binding) noexcept;
  virtual ~Object();
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  /// Asks the object whether it supports the interface `repository_id`.
  /// Answers locally when the IOR's type id or this proxy's type matches.
  bool _is_a(std::string_view repository_id) const;
  /// Asks the object's server whether the object no longer exists.
  bool _non_existent() const;
  /// The reference as the ORB encodes it.
  const giop::IorData& _ior() const noexcept;
  /// Deadline for each synchronous call made through this proxy; zero
  /// means the ORB's -ORBCallTimeout.
  void _set_call_timeout(std::chrono::milliseconds timeout);

  const std::shared_ptr<detail::Binding>& _orb_binding() const noexcept { return binding_; }

 protected:
  /// Sends `operation` with the arguments `write` encodes, waits for the
  /// reply and passes its body to `read`. Raises the system exception of a
  /// failed call, or the user exception from `exceptions` that the reply
  /// names (UNKNOWN for one not listed).
  /// `write` must encode values that outlive the call, not temporaries of
  /// its own: the request may refer to byte blocks of 64 KiB or more
  /// where they lie until it is written.
  void _orb_invoke(std::string_view operation, ArgumentWriter write, ResultReader read,
                   std::span<const UserExceptionType> exceptions) const;
  /// Sends a oneway request and returns once it is written.
  void _orb_send_oneway(std::string_view operation, ArgumentWriter write) const;
  /// Sends `operation` now and completes the future when the reply comes:
  /// with `read`'s result, or with the exception the reply carries.
  template <class R>
  std::future<R> _orb_invoke_async(std::string_view operation, ArgumentWriter write,
                                   std::function<R(cdr::Decoder&)> read,
                                   std::span<const UserExceptionType> exceptions) const;

 private:
  using Completion = std::function<void(cdr::Decoder* results, std::exception_ptr error)>;
  void _orb_invoke_async_raw(std::string_view operation, ArgumentWriter write,
                             std::span<const UserExceptionType> exceptions,
                             Completion completion) const;

  std::shared_ptr<detail::Binding> binding_;
};

using ObjectRef = std::shared_ptr<Object>;

template <class R>
std::future<R> Object::_orb_invoke_async(std::string_view operation, ArgumentWriter write,
                                         std::function<R(cdr::Decoder&)> read,
                                         std::span<const UserExceptionType> exceptions) const {
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> future = promise->get_future();
  _orb_invoke_async_raw(
      operation, write, exceptions,
      [promise, read = std::move(read)](cdr::Decoder* results, std::exception_ptr error) {
        if (error) {
          promise->set_exception(error);
          return;
        }
        try {
          if constexpr (std::is_void_v<R>) {
            read(*results);
            promise->set_value();
          } else {
            promise->set_value(read(*results));
          }
        } catch (...) {
          promise->set_exception(std::current_exception());
        }
      });
  return future;
}

namespace detail {

/// Writes a reference: its IOR, or the empty IOR for nil.
void encode_object(cdr::Encoder& encoder, const Object* object);
/// Reads a reference and binds it to the ORB that set the decoder's
/// context; nil for the empty IOR.
ObjectRef decode_object(cdr::Decoder& decoder);

}  // namespace detail

namespace cdr {

/// True for the proxy class of an abstract interface, which idlgen marks
/// with `using _orb_abstract_interface = ItsClass;`. An interface derived
/// from it inherits the alias, which then names another class.
template <class T>
inline constexpr bool is_abstract_interface = requires {
  requires std::is_same_v<typename T::_orb_abstract_interface, T>;
};

/// Object references of any interface type travel as IORs. Those of an
/// abstract interface type travel as a union: TRUE and the IOR, or FALSE
/// and a value type. This ORB has no value types, so it writes a nil
/// reference as FALSE and the null value (tag 0), as omniORB does, and
/// rejects any other value with MARSHAL.
template <class T>
requires std::is_base_of_v<Object, T>
struct Codec<std::shared_ptr<T>> {
  // An empty type id and no profiles, or FALSE and a value tag.
  static constexpr size_t min_wire_size = is_abstract_interface<T> ? 5 : 9;
  static void encode(Encoder& e, const std::shared_ptr<T>& v) {
    if constexpr (is_abstract_interface<T>) {
      e.write_boolean(v != nullptr);
      if (v == nullptr) {
        e.write_ulong(0);  // the null value tag
        return;
      }
    }
    ::orb::detail::encode_object(e, v.get());
  }
  static void decode(Decoder& d, std::shared_ptr<T>& v) {
    if constexpr (is_abstract_interface<T>) {
      if (!d.read_boolean("abstract interface discriminator")) {
        size_t start = d.absolute_position();
        uint32_t tag = d.read_ulong("value tag");
        if (tag != 0) {
          Decoder::fail_at(start, minor::kValueTypeUnsupported, "abstract interface",
                           "a value type (tag " + std::to_string(tag) +
                               ") where this ORB reads only object references");
        }
        v = nullptr;
        return;
      }
    }
    ObjectRef object = ::orb::detail::decode_object(d);
    if constexpr (std::is_same_v<T, Object>) {
      v = std::move(object);
    } else {
      v = T::_unchecked_narrow(object);
    }
  }
};

}  // namespace cdr
}  // namespace orb
