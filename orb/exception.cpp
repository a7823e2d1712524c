// Shared parts of the system exceptions and the lookup from repository id
// to exception type.
#include <orb/exception.hpp>

#include <array>
#include <cstdio>
#include <functional>
#include <utility>

namespace orb {

std::string_view to_string(CompletionStatus status) noexcept {
  switch (status) {
    case CompletionStatus::yes:
      return "COMPLETED_YES";
    case CompletionStatus::no:
      return "COMPLETED_NO";
    case CompletionStatus::maybe:
      return "COMPLETED_MAYBE";
  }
  return "COMPLETED_INVALID";
}

SystemException::SystemException(uint32_t minor, CompletionStatus completed, std::string message)
    : minor_(minor), completed_(completed), message_(std::move(message)) {}

namespace {

/// Formats a minor code with a vendor id (the upper 20 bits) in
/// hexadecimal, as ORBs print them (0x4f4d0002 is the OMG's 2), and a bare
/// one in decimal.
std::string describe_minor(uint32_t minor) {
  if ((minor & 0xfffff000U) == 0) {
    return std::to_string(minor);
  }
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", minor);
  return text;
}

}  // namespace

const char* SystemException::what() const noexcept {
  try {
    if (what_.empty()) {
      what_ = std::string(name()) + " (minor " + describe_minor(minor_) + ", " +
              std::string(to_string(completed_)) + ")";
      if (!message_.empty()) {
        what_ += ": " + message_;
      }
    }
    return what_.c_str();
  } catch (...) {
    return "orb::SystemException (out of memory while formatting the message)";
  }
}

namespace {

using Factory = std::unique_ptr<SystemException> (*)(uint32_t, CompletionStatus, std::string);

struct FactoryEntry {
  std::string_view id;
  Factory make;
};

#define ORB_FACTORY_ENTRY(NAME)                                                       \
  FactoryEntry{"IDL:omg.org/CORBA/" #NAME ":1.0",                                     \
               [](uint32_t minor, CompletionStatus completed,                         \
                  std::string message) -> std::unique_ptr<SystemException> {          \
                 return std::make_unique<NAME>(minor, completed, std::move(message)); \
               }},

constexpr std::array kFactories{ORB_SYSTEM_EXCEPTIONS(ORB_FACTORY_ENTRY)};
#undef ORB_FACTORY_ENTRY

}  // namespace

std::unique_ptr<SystemException> make_system_exception(std::string_view repository_id,
                                                       uint32_t minor, CompletionStatus completed,
                                                       std::string message) {
  for (const FactoryEntry& entry : kFactories) {
    if (entry.id == repository_id) {
      return entry.make(minor, completed, std::move(message));
    }
  }
  return std::make_unique<UNKNOWN>(minor, completed, std::move(message));
}

}  // namespace orb
