// orb::space::Engine: the tuple space itself, as a plain C++ object that
// needs no ORB. The servant (orb/space/servant.hpp) puts it on the wire.
//
// Guarantees:
// - A tuple goes to at most one taker. Takers blocked on matching
//   templates are served in the order they arrived.
// - With a data directory, every write, take, renewal and commit is in
//   the journal before the call returns, so a crash loses no returned
//   write and brings back no returned take. Lease ends are stored as
//   absolute times and keep counting while the process is down.
// - Matching looks tuples up by length, field types and the hash of the
//   first field, so a template whose first field is a value costs about
//   the same with a thousand or a million tuples stored. A template with
//   a wildcard first field scans the tuples of its shape in write order.
//
// Blocking calls hold their thread; stop_waiting() and the destructor wake
// them (they return nothing), but callers must have left before the
// destructor returns.
#pragma once

#include <orb/space/tuple.hpp>
#include <store/journal.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
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

struct EngineOptions {
  /// Where the journal lives; empty keeps the space in memory only.
  std::filesystem::path data_directory;
  /// fsync each durable step before returning; off only for tests.
  bool sync = true;
  /// The journal is compacted into a snapshot once it grows past this many
  /// bytes and past twice the size of the last snapshot.
  uint64_t compact_bytes = 64ull << 20;
};

/// A taken tuple with what is needed to put it back (see Engine::restore).
struct TakenTuple {
  LeaseId id = 0;
  uint64_t expiry_ms = 0;  // absolute, in milliseconds since the Unix epoch
  Tuple tuple;
};

/// Called with each tuple that matches a notify registration, after the
/// write that made it visible and outside the engine's lock. It must not
/// block: the servant queues the call for another thread.
using NotifyCallback = std::function<void(const Tuple&)>;

class Engine {
 public:
  /// Opens the space; with a data directory, recovers it from the journal
  /// there (raising PERSIST_STORE when the journal cannot be read).
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Every call below raises OrbSpace::InvalidArgument for a lease of 0 ms
  // and OrbSpace::UnknownLease for an id that names nothing live.

  /// Stores `tuple` for `lease`; returns its lease id.
  LeaseId write(Tuple tuple, Millis lease);
  /// write() for each tuple, as one durable step.
  std::vector<LeaseId> write_all(std::vector<Tuple> tuples, Millis lease);

  /// A copy of a matching tuple, waiting up to `timeout` for one.
  std::optional<Tuple> read(const Template& tmpl, Millis timeout);
  /// Removes a matching tuple, waiting up to `timeout` for one.
  std::optional<TakenTuple> take(const Template& tmpl, Millis timeout);
  /// Removes up to `max_tuples` matching tuples, waiting up to `timeout`
  /// for the first; empty on timeout.
  std::vector<TakenTuple> take_up_to(const Template& tmpl, size_t max_tuples, Millis timeout);
  /// Returns taken tuples to the space because their taker never got them
  /// (its reply could not be delivered). Durable like a write.
  void restore(std::vector<TakenTuple> taken);

  /// Tuples visible to everyone that match.
  uint64_t count(const Template& tmpl);
  /// Up to `max_tuples` visible tuples, oldest first.
  std::vector<Tuple> contents(size_t max_tuples);

  /// Sets any lease (tuple, registration, transaction, reservation) to end
  /// `lease` from now.
  void renew(LeaseId id, Millis lease);
  /// Ends any lease: removes its tuple, drops its registration, aborts its
  /// transaction or returns its reserved tuple.
  void cancel(LeaseId id);

  /// Calls `callback` with each tuple matching `tmpl` that later becomes
  /// visible by a write or a commit, until the lease ends.
  LeaseId notify(Template tmpl, NotifyCallback callback, Millis lease);

  /// Starts a transaction that aborts unless committed within `lease`.
  TransactionId begin(Millis lease);
  LeaseId txn_write(TransactionId txn, Tuple tuple, Millis lease);
  std::optional<Tuple> txn_read(TransactionId txn, const Template& tmpl, Millis timeout);
  std::optional<Tuple> txn_take(TransactionId txn, const Template& tmpl, Millis timeout);
  void commit(TransactionId txn);
  void abort(TransactionId txn);

  /// take() whose tuple is held for `reservation` and returns to the space
  /// unless acknowledged in time.
  std::optional<std::pair<Tuple, ReservationId>> take_leased(const Template& tmpl, Millis timeout,
                                                             Millis reservation);
  void acknowledge(ReservationId reservation);

  /// Wakes every blocked read and take, which return nothing, and makes
  /// later ones return at once. For a host that is shutting down: its ORB
  /// waits for the upcalls to end.
  void stop_waiting();

  /// Visible tuples, not counting expired ones that are not yet swept.
  size_t size() const;
  /// Reads and takes blocked waiting for a match.
  size_t waiting() const;
  /// What the journal held when the engine started (zeros without one).
  store::RecoveryReport recovery() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace orb::space
