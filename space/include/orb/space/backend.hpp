// orb::space::Backend: what the servant needs from a tuple space, so the
// state can live elsewhere without changing the servant. Engine (engine.hpp)
// is the embedded implementation with its journal in a local directory; a
// backend shared by several hosts would implement the same calls on a
// database. Contracts that every implementation keeps:
// - A tuple goes to at most one taker; blocked takers are served in the
//   order they arrived.
// - When a call that changes the space returns, the change is durable if
//   the backend persists at all.
// - Every call raises OrbSpace::InvalidArgument for a lease of 0 ms and
//   OrbSpace::UnknownLease for an id that names nothing live.
#pragma once

#include <orb/space/tuple.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace orb::space {

/// Lease lengths and timeouts; kForever means no end.
using Millis = std::chrono::milliseconds;
inline constexpr Millis kForever = Millis::max();

/// An IDL duration (milliseconds, OrbSpace::kForever for no end) as Millis.
Millis from_wire(uint64_t milliseconds) noexcept;
/// The inverse of from_wire().
uint64_t to_wire(Millis duration) noexcept;

/// A taken tuple with what is needed to put it back (see Backend::restore).
struct TakenTuple {
  LeaseId id = 0;
  uint64_t expiry_ms = 0;  // absolute, in milliseconds since the Unix epoch
  Tuple tuple;
};

/// Called with each tuple that matches a notify registration, after the
/// write that made it visible and outside the backend's locks. It must not
/// block: the servant queues the call for another thread.
using NotifyCallback = std::function<void(const Tuple&)>;

class Backend {
 public:
  virtual ~Backend() = default;

  /// Stores `tuple` for `lease`; returns its lease id.
  virtual LeaseId write(Tuple tuple, Millis lease) = 0;
  /// write() for each tuple, as one durable step.
  virtual std::vector<LeaseId> write_all(std::vector<Tuple> tuples, Millis lease) = 0;

  /// A copy of a matching tuple, waiting up to `timeout` for one.
  virtual std::optional<Tuple> read(const Template& tmpl, Millis timeout) = 0;
  /// Removes a matching tuple, waiting up to `timeout` for one.
  virtual std::optional<TakenTuple> take(const Template& tmpl, Millis timeout) = 0;
  /// Removes up to `max_tuples` matching tuples, waiting up to `timeout`
  /// for the first; empty on timeout.
  virtual std::vector<TakenTuple> take_up_to(const Template& tmpl, size_t max_tuples,
                                             Millis timeout) = 0;
  /// Returns taken tuples to the space because their taker never got them
  /// (its reply could not be delivered). Durable like a write.
  virtual void restore(std::vector<TakenTuple> taken) = 0;

  /// Tuples visible to everyone that match.
  virtual uint64_t count(const Template& tmpl) = 0;
  /// Up to `max_tuples` visible tuples, oldest first.
  virtual std::vector<Tuple> contents(size_t max_tuples) = 0;

  /// Sets any lease (tuple, registration, transaction, reservation) to end
  /// `lease` from now.
  virtual void renew(LeaseId id, Millis lease) = 0;
  /// Ends any lease: removes its tuple, drops its registration, aborts its
  /// transaction or returns its reserved tuple.
  virtual void cancel(LeaseId id) = 0;

  /// Calls `callback` with each tuple matching `tmpl` that later becomes
  /// visible by a write or a commit, until the lease ends.
  virtual LeaseId notify(Template tmpl, NotifyCallback callback, Millis lease) = 0;

  /// Starts a transaction that aborts unless committed within `lease`.
  virtual TransactionId begin(Millis lease) = 0;
  virtual LeaseId txn_write(TransactionId txn, Tuple tuple, Millis lease) = 0;
  virtual std::optional<Tuple> txn_read(TransactionId txn, const Template& tmpl,
                                        Millis timeout) = 0;
  virtual std::optional<Tuple> txn_take(TransactionId txn, const Template& tmpl,
                                        Millis timeout) = 0;
  virtual void commit(TransactionId txn) = 0;
  virtual void abort(TransactionId txn) = 0;

  /// take() whose tuple is held for `reservation` and returns to the space
  /// unless acknowledged in time.
  virtual std::optional<std::pair<Tuple, ReservationId>> take_leased(const Template& tmpl,
                                                                     Millis timeout,
                                                                     Millis reservation) = 0;
  virtual void acknowledge(ReservationId reservation) = 0;

  /// Wakes every blocked read and take, which return nothing, and makes
  /// later ones return at once. For a host that is shutting down: its ORB
  /// waits for the upcalls to end.
  virtual void stop_waiting() = 0;
};

}  // namespace orb::space
