// orb::space::Engine: the embedded tuple space, a Backend that needs no
// ORB; the servant (orb/space/servant.hpp) puts it on the wire.
//
// - With a data directory, every write, take, renewal and commit is in the
//   journal before the call returns, so a crash loses no returned write
//   and brings back no returned take (with a sync interval, a crash of the
//   machine may lose the changes of the last interval). Lease ends are
//   stored as absolute times and keep counting while the process is down.
// - Matching looks tuples up by length, field types and the hash of each
//   field, so a template with a value field that few tuples share costs
//   about the same with a thousand or a million tuples stored. A template
//   of wildcards takes the oldest tuple of its shape, also at a cost
//   independent of the count. A template whose every value is common to
//   many tuples that fail its other fields scans those tuples.
//
// Blocking calls hold their thread; stop_waiting() and the destructor wake
// them (they return nothing), but callers must have left before the
// destructor returns.
#pragma once

#include <orb/space/backend.hpp>
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

struct EngineOptions {
  /// Where the journal lives; empty keeps the space in memory only.
  std::filesystem::path data_directory;
  /// fsync each durable step before returning; off only for tests.
  bool sync = true;
  /// With `sync`, zero syncs before each reply. A positive interval makes
  /// a call return once its change is written to the journal file, which
  /// a background thread syncs at most once per interval. A crash of the
  /// process then loses nothing. A crash of the machine loses at most the
  /// changes of the last interval plus the duration of one sync; at 1000 ms
  /// this is the bound of Redis 7's `appendfsync everysec`.
  Millis sync_interval{0};
  /// How long a sync of one change may wait for a second (see
  /// store::JournalOptions::commit_delay).
  std::chrono::microseconds commit_delay = store::JournalOptions{}.commit_delay;
  /// The journal is compacted into a snapshot once it grows past this many
  /// bytes and past twice the size of the last snapshot.
  uint64_t compact_bytes = 64ull << 20;
};

class Engine final : public Backend {
 public:
  /// Opens the space; with a data directory, recovers it from the journal
  /// there (raising PERSIST_STORE when the journal cannot be read).
  explicit Engine(EngineOptions options = {});
  ~Engine() override;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  LeaseId write(Tuple tuple, Millis lease) override;
  std::vector<LeaseId> write_all(std::vector<Tuple> tuples, Millis lease) override;
  std::optional<Tuple> read(const Template& tmpl, Millis timeout) override;
  std::optional<TakenTuple> take(const Template& tmpl, Millis timeout) override;
  std::vector<TakenTuple> take_up_to(const Template& tmpl, size_t max_tuples,
                                     Millis timeout) override;
  void restore(std::vector<TakenTuple> taken) override;
  uint64_t count(const Template& tmpl) override;
  std::vector<Tuple> contents(size_t max_tuples) override;
  void renew(LeaseId id, Millis lease) override;
  void cancel(LeaseId id) override;
  LeaseId notify(Template tmpl, NotifyCallback callback, Millis lease) override;
  TransactionId begin(Millis lease) override;
  LeaseId txn_write(TransactionId txn, Tuple tuple, Millis lease) override;
  std::optional<Tuple> txn_read(TransactionId txn, const Template& tmpl, Millis timeout) override;
  std::optional<Tuple> txn_take(TransactionId txn, const Template& tmpl, Millis timeout) override;
  void commit(TransactionId txn) override;
  void abort(TransactionId txn) override;
  std::optional<std::pair<Tuple, ReservationId>> take_leased(const Template& tmpl, Millis timeout,
                                                             Millis reservation) override;
  void acknowledge(ReservationId reservation) override;
  void stop_waiting() override;

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
