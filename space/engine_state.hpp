// Engine::State: the engine's data and the steps its operations share,
// split between engine.cpp (operations, waiting, leases) and
// engine_journal.cpp (records, recovery, compaction). Internal.
//
// Locking: `gate` is held shared by every step that journals a change,
// from the append until the change is applied in memory, and exclusively
// by compaction, so a snapshot never misses a change that the journal it
// replaces held. `mutex` guards the in-memory state. A thread takes
// `gate` before `mutex`, never the other way round, and never waits for a
// match while it holds `gate`.
#pragma once

#include "index.hpp"

#include "space_store.hpp"

#include <orb/space/engine.hpp>

#include <atomic>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <queue>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace orb::space {

using detail::Entry;
using Record = ::OrbSpaceStore::Record;
using StoredTuple = ::OrbSpaceStore::StoredTuple;
inline constexpr uint64_t kNever = ::OrbSpaceStore::kNever;

/// A read or take waiting for a match, and what it got.
struct Waiter {
  enum class Kind { read, take, reserve };

  const Template* tmpl = nullptr;
  Kind kind = Kind::read;
  TransactionId txn = 0;  // 0 outside a transaction
  Millis reservation{0};  // for Kind::reserve

  std::condition_variable ready;
  bool done = false;       // a tuple was handed over
  bool cancelled = false;  // its transaction ended or waiting was stopped
  Tuple tuple;             // the copy for read, txn take and reserve
  LeaseId id = 0;          // the entry handed to a plain take
  ReservationId reservation_id = 0;

  // A plain take that a write served before journaling (State::give_early):
  // the write's own record also removes the tuple, so one sync serves both
  // replies. The taker waits until `journaling` is false. Then `tuple`, `id`
  // and `expiry_ms` contain what it took, or State::requeue() has put it
  // back in the queue because the write failed.
  bool taken_by_write = false;
  bool journaling = false;
  uint64_t expiry_ms = 0;

  std::list<Waiter*>::iterator position;  // in State::waiters while queued
};

struct Registration {
  Template tmpl;
  NotifyCallback callback;
  uint64_t expiry_ms = kNever;
};

struct Transaction {
  uint64_t expiry_ms = kNever;
  std::vector<StoredTuple> writes;  // invisible to others until commit
  std::vector<LeaseId> taken;       // entries in State::txn_taken
};

struct Reservation {
  LeaseId entry = 0;
  uint64_t expiry_ms = kNever;
};

/// Tuples to pass to notify callbacks once the lock is released.
using Notices = std::vector<std::pair<std::shared_ptr<const Registration>, Tuple>>;

struct Engine::State {
  explicit State(EngineOptions engine_options);

  // Time and ids (engine.cpp).
  static uint64_t now_ms();
  /// The absolute end of a lease starting now; InvalidArgument for 0 ms.
  static uint64_t expiry_after(Millis lease, const char* what);
  LeaseId allocate_id();  // under mutex
  void push_deadline(uint64_t expiry_ms, LeaseId id);

  // Matching and handing over (engine.cpp), all under mutex.
  Entry* find_visible(const Template& tmpl);
  void claim(Entry& entry, Waiter& request);
  bool hand_over(Entry& entry);
  Waiter* give_early(const Tuple& tuple);
  void settle_early(Waiter& taker, StoredTuple& item);
  void requeue(Waiter& taker);
  void make_visible(Entry& entry);
  bool serve_from_pending(Transaction& txn, Waiter& request);
  bool wait(std::unique_lock<std::mutex>& lock, Waiter& request, Millis timeout);
  void cancel_waiters(TransactionId txn);
  Transaction& transaction(TransactionId txn);
  void return_taken(const std::vector<LeaseId>& ids);
  void expire(LeaseId id);
  void collect_notices(const Tuple& tuple, Notices& notices);
  void sweep();

  // Journal (engine_journal.cpp). append() and remove_durably() need `gate`.
  void append(const Record& record);
  void remove_durably(const std::vector<LeaseId>& ids);
  void recover();
  void maybe_compact();

  EngineOptions options;
  std::unique_ptr<store::Journal> journal;  // null without a data directory
  store::RecoveryReport recovery;
  std::atomic<bool> compact_due{false};
  uint64_t snapshot_bytes = 0;  // guarded by gate held exclusively

  std::shared_mutex gate;
  mutable std::mutex mutex;  // guards everything below
  uint64_t next_id = 1;
  std::unordered_map<LeaseId, Entry> entries;  // every tuple not durably taken
  detail::TupleIndex index;
  std::list<Waiter*> waiters;  // in arrival order
  std::unordered_map<LeaseId, std::shared_ptr<Registration>> registrations;
  std::unordered_map<TransactionId, Transaction> transactions;
  std::unordered_map<ReservationId, Reservation> reservations;
  using Deadline = std::pair<uint64_t, LeaseId>;  // (expiry_ms, id)
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines;
  std::condition_variable deadlines_changed;
  bool waits_stopped = false;  // set by stop_waiting()
  bool stopping = false;       // ends the sweeper
  std::thread sweeper;         // started last, joined first
};

/// Runs each notice's callback; exceptions are logged and dropped.
void deliver(Notices& notices) noexcept;

}  // namespace orb::space
