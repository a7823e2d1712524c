// orb::Servant: the base of every skeleton, and orb::ServerRequest, the
// view of one incoming call that generated dispatch code reads arguments
// from and writes results to. The ORB core (orb/server) implements
// ServerRequest and calls _orb_dispatch() on a worker thread.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>
#include <orb/exception.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>
#include <utility>

namespace orb {

/// One incoming request as the servant sees it.
class ServerRequest {
 public:
  virtual ~ServerRequest() = default;
  virtual std::string_view operation() const noexcept = 0;
  /// The request body, positioned at the first argument.
  virtual cdr::Decoder& arguments() noexcept = 0;
  /// Starts a NO_EXCEPTION reply and returns the encoder for the result,
  /// then the out and inout values in order.
  virtual cdr::Encoder& results() = 0;
  /// Registers `action` to run when the reply cannot be handed to the
  /// client because its connection closed before or while the reply was
  /// written. It runs at most once, after the upcall, on the thread that
  /// tried to write the reply; never for a oneway request or a reply that
  /// was written. A reply that reached the kernel's socket buffer or the
  /// shared-memory ring counts as delivered even if the client dies before
  /// reading it. A later call replaces the earlier action.
  virtual void on_reply_lost(std::function<void()> action) = 0;
};

/// The request whose upcall runs on the calling thread, or nullptr outside
/// an upcall. Lets a servant reach its ServerRequest from an operation.
ServerRequest* current_request() noexcept;

class Servant {
 public:
  Servant() = default;
  virtual ~Servant() = default;
  Servant(const Servant&) = delete;
  Servant& operator=(const Servant&) = delete;

  /// Repository id of the most derived interface this servant implements.
  virtual std::string_view _interface_id() const noexcept = 0;
  /// True for that interface, its bases and CORBA::Object.
  virtual bool _is_a(std::string_view repository_id) const noexcept = 0;
  /// Decodes the arguments, runs the operation and encodes its results.
  /// Returns false when the interface has no such operation; the ORB then
  /// answers BAD_OPERATION. Exceptions propagate to the ORB, which turns
  /// them into the reply.
  virtual bool _orb_dispatch(ServerRequest& request) = 0;
};

/// An operation-name table entry of a generated skeleton.
template <class S>
struct OperationEntry {
  std::string_view name;
  void (*invoke)(S& servant, ServerRequest& request);
};

/// Looks `operation` up in a table sorted by name and runs it. Generated
/// skeletons keep one such table per interface.
template <class S, size_t N>
bool dispatch_sorted(const std::array<OperationEntry<S>, N>& table, S& servant,
                     ServerRequest& request) {
  std::string_view operation = request.operation();
  auto found = std::lower_bound(
      table.begin(), table.end(), operation,
      [](const OperationEntry<S>& entry, std::string_view name) { return entry.name < name; });
  if (found == table.end() || found->name != operation) {
    return false;
  }
  found->invoke(servant, request);
  return true;
}

}  // namespace orb
