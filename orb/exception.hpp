// CORBA exceptions: the UserException base for IDL-declared exceptions and
// the standard system exceptions with their minor code and completion
// status. Their CDR form in replies is encode_system_exception() and
// decode_system_exception() in orb/giop/messages.hpp.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace orb {

namespace cdr {
class Encoder;
}

/// Whether the operation had run when a system exception was raised.
enum class CompletionStatus : uint32_t { yes = 0, no = 1, maybe = 2 };

std::string_view to_string(CompletionStatus status) noexcept;

/// Root of every exception that can travel in a GIOP reply.
class Exception : public std::exception {
 public:
  /// Repository id such as "IDL:omg.org/CORBA/MARSHAL:1.0".
  virtual std::string_view repository_id() const noexcept = 0;
};

/// Base of the exceptions that IDL files declare; generated code derives
/// from it and encodes the members, which follow the repository id in a
/// USER_EXCEPTION reply.
class UserException : public Exception {
 public:
  virtual void _orb_encode_members(cdr::Encoder& encoder) const = 0;
};

/// A standard CORBA system exception. Each standard name below is a subclass,
/// so callers catch the condition they can act on (`orb::TRANSIENT`, ...).
class SystemException : public Exception {
 public:
  SystemException(uint32_t minor, CompletionStatus completed, std::string message);

  uint32_t minor() const noexcept { return minor_; }
  CompletionStatus completed() const noexcept { return completed_; }
  /// The human-readable reason. The wire form carries no text, so for an
  /// exception from a reply this ORB names the server and the operation.
  const std::string& message() const noexcept { return message_; }
  /// The short name, such as "MARSHAL".
  virtual std::string_view name() const noexcept = 0;
  /// A copy of the same dynamic type, for carrying across threads and futures.
  virtual std::unique_ptr<SystemException> clone() const = 0;
  [[noreturn]] virtual void raise() const = 0;

  const char* what() const noexcept override;

 private:
  uint32_t minor_;
  CompletionStatus completed_;
  std::string message_;
  mutable std::string what_;
};

// Every standard system exception of CORBA 3.0, in the order of the
// specification's list.
#define ORB_SYSTEM_EXCEPTIONS(X) \
  X(UNKNOWN)                     \
  X(BAD_PARAM)                   \
  X(NO_MEMORY)                   \
  X(IMP_LIMIT)                   \
  X(COMM_FAILURE)                \
  X(INV_OBJREF)                  \
  X(NO_PERMISSION)               \
  X(INTERNAL)                    \
  X(MARSHAL)                     \
  X(INITIALIZE)                  \
  X(NO_IMPLEMENT)                \
  X(BAD_TYPECODE)                \
  X(BAD_OPERATION)               \
  X(NO_RESOURCES)                \
  X(NO_RESPONSE)                 \
  X(PERSIST_STORE)               \
  X(BAD_INV_ORDER)               \
  X(TRANSIENT)                   \
  X(FREE_MEM)                    \
  X(INV_IDENT)                   \
  X(INV_FLAG)                    \
  X(INTF_REPOS)                  \
  X(BAD_CONTEXT)                 \
  X(OBJ_ADAPTER)                 \
  X(DATA_CONVERSION)             \
  X(OBJECT_NOT_EXIST)            \
  X(TRANSACTION_REQUIRED)        \
  X(TRANSACTION_ROLLEDBACK)      \
  X(INVALID_TRANSACTION)         \
  X(INV_POLICY)                  \
  X(CODESET_INCOMPATIBLE)        \
  X(REBIND)                      \
  X(TIMEOUT)                     \
  X(TRANSACTION_UNAVAILABLE)     \
  X(TRANSACTION_MODE)            \
  X(BAD_QOS)                     \
  X(INVALID_ACTIVITY)            \
  X(ACTIVITY_COMPLETED)          \
  X(ACTIVITY_REQUIRED)           \
  X(THREAD_CANCELLED)

#define ORB_DECLARE_SYSTEM_EXCEPTION(NAME)                                               \
  class NAME : public SystemException {                                                  \
   public:                                                                               \
    explicit NAME(uint32_t minor = 0, CompletionStatus completed = CompletionStatus::no, \
                  std::string message = {})                                              \
        : SystemException(minor, completed, std::move(message)) {}                       \
    std::string_view name() const noexcept override { return #NAME; }                    \
    std::string_view repository_id() const noexcept override {                           \
      return "IDL:omg.org/CORBA/" #NAME ":1.0";                                          \
    }                                                                                    \
    std::unique_ptr<SystemException> clone() const override {                            \
      return std::make_unique<NAME>(*this);                                              \
    }                                                                                    \
    [[noreturn]] void raise() const override { throw *this; }                            \
  };

ORB_SYSTEM_EXCEPTIONS(ORB_DECLARE_SYSTEM_EXCEPTION)
#undef ORB_DECLARE_SYSTEM_EXCEPTION

/// Builds the system exception named by a repository id. An id that is not a
/// standard system exception yields UNKNOWN with the same minor code and
/// status, as CORBA prescribes for unrecognised system exceptions.
std::unique_ptr<SystemException> make_system_exception(std::string_view repository_id,
                                                       uint32_t minor, CompletionStatus completed,
                                                       std::string message = {});

}  // namespace orb
