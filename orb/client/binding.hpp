// Binding: what a proxy needs to make calls: its IOR, the address and
// object key of its IIOP profile, its ORB, and its call timeout. A
// LOCATION_FORWARD reply re-points the binding at the forwarded reference.
#pragma once

#include <orb/cdr/char_code_set.hpp>
#include <orb/giop/iop.hpp>
#include <orb/ior/shm_component.hpp>
#include <orb/transport/client_connection.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace orb::detail {

class OrbCore;

class Binding {
 public:
  Binding(std::weak_ptr<OrbCore> core, giop::IorData ior);

  const giop::IorData& ior() const noexcept { return original_; }
  /// The ORB, or BAD_INV_ORDER when it is gone or the reference was
  /// decoded without one.
  std::shared_ptr<OrbCore> core() const;

  struct Target {
    std::string host;
    uint16_t port = 0;
    std::vector<uint8_t> object_key;
    /// The char transmission code set negotiated from the profile's code
    /// sets: UTF-8 when the server takes it, else ISO-8859-1.
    cdr::CharCodeSet char_code_set = cdr::CharCodeSet::iso8859_1;
    /// The server's shared-memory endpoint, when its profile offers one.
    std::optional<ior::ShmEndpoint> shm;
    /// False when the profile names no code sets, as a corbaloc: URL's
    /// does; char_code_set is then only the default.
    bool code_sets_known = false;
  };
  /// Where calls go now: the first IIOP profile of the current IOR. Raises
  /// INV_OBJREF when it has none.
  /// The decoded profile is kept until a forward replaces it, so a call
  /// does not decode the IOR again.
  std::shared_ptr<const Target> target() const;
  /// Sends later calls to `forward` (LOCATION_FORWARD).
  void forward(giop::IorData forward);
  /// Returns true to one caller at a time, which may then query the server for
  /// the code sets that the target's profile does not name, and must then
  /// call end_code_set_query(). While that query runs, other callers wait
  /// for it. Once a query got a reply, every caller gets false.
  bool claim_code_set_query();
  /// Ends the claimed query. When it failed (`replied` false), the next
  /// caller queries again.
  void end_code_set_query(bool replied);
  /// Uses `code_set` for the current target from now on, unless a forward
  /// replaced that target meanwhile.
  void learn_char_code_set(const std::shared_ptr<const Target>& target, cdr::CharCodeSet code_set);

  std::chrono::milliseconds call_timeout() const;
  void set_call_timeout(std::chrono::milliseconds timeout);

 private:
  std::weak_ptr<OrbCore> core_;
  giop::IorData original_;

  mutable std::mutex mutex_;  // guards the members below
  giop::IorData current_;
  mutable std::shared_ptr<const Target> target_;  // decoded from current_ on first use
  std::chrono::milliseconds timeout_{0};
  enum class CodeSetQuery { not_sent, running, replied };
  CodeSetQuery code_set_query_ = CodeSetQuery::not_sent;
  std::condition_variable code_set_query_ended_;
};

}  // namespace orb::detail
