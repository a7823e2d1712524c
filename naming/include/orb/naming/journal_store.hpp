// JournalStore: the embedded NameStore. The whole state is kept in memory.
// Every change is appended to an orb::store::Journal as a CDR record before
// the call that made it returns, and the journal is replayed at start.
//
// Changes are queued in the order they were applied to memory, under one
// mutex, and written by whichever caller finds no write in flight: it
// takes every queued change into one journal record and syncs once (group
// commit), so concurrent callers share an fsync without ever reordering
// changes that depend on each other. When the journal file grows past a
// threshold, the state is written as a snapshot and the journal restarts.
//
// Lease expiry times are not journaled, only lease lengths: after a
// restart each lease runs for its full length again, so a live owner has
// time to renew it, and a dead owner's binding is gone one lease later.
#pragma once

#include <orb/naming/store.hpp>
#include <orb/orb.hpp>

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>
#include <store/journal.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <span>
#include <string>

namespace orb::naming {

struct JournalStoreOptions {
  std::filesystem::path directory;
  /// fsync each record before the change is acknowledged; off only in tests.
  bool sync = true;
  /// Compact once the journal file exceeds this many bytes.
  uint64_t compact_bytes = 4 * 1024 * 1024;
  /// How long a sync of one record may wait for a second (see
  /// store::JournalOptions::commit_delay).
  std::chrono::microseconds commit_delay = store::JournalOptions{}.commit_delay;
};

/// Counts of the state that recover() rebuilt.
struct StoreRecovery {
  store::RecoveryReport journal;
  size_t contexts = 0;  // including the root
  size_t bindings = 0;
  size_t leases = 0;
};

class JournalStore final : public NameStore {
 public:
  /// `orb` binds the references read back from the journal; it must
  /// outlive the store. Creates the directory if needed.
  JournalStore(JournalStoreOptions options, Orb& orb);
  ~JournalStore() override;

  /// Replays the snapshot and journal in the directory. Call once, before
  /// anything else. Raises PERSIST_STORE for damage before the last record.
  StoreRecovery recover();

  // NOTE: readers see a change as soon as it is applied, which is before
  // it is durable, so a crash can take back a binding that a concurrent
  // resolve() already returned. The caller that made it was never told
  // it succeeded.
  std::vector<ContextId> contexts() const override;
  bool has_context(ContextId context) const override;
  std::optional<Entry> find(ContextId context, const CosNaming::NameComponent& name) const override;
  std::vector<NamedEntry> list(ContextId context) const override;
  ContextId create_context() override;
  DestroyOutcome destroy_context(ContextId context) override;
  PutResult put(ContextId context, const CosNaming::NameComponent& name, Entry entry,
                PutMode mode) override;
  std::optional<Entry> remove(ContextId context, const CosNaming::NameComponent& name) override;
  bool renew(LeaseId lease, uint32_t seconds) override;
  std::optional<RemovedBinding> cancel(LeaseId lease) override;
  std::vector<RemovedBinding> expire_leases() override;

  /// Generation of the journal files, which each compaction increments.
  uint64_t generation() const;
  /// Bytes of header and records in the current journal file, without the
  /// zero padding that the open file grows by.
  uint64_t journal_bytes() const;

 private:
  struct ComponentLess {
    bool operator()(const CosNaming::NameComponent& a,
                    const CosNaming::NameComponent& b) const noexcept;
  };
  using Bindings = std::map<CosNaming::NameComponent, Entry, ComponentLess>;
  struct LeaseState {
    ContextId context = kRootContext;
    CosNaming::NameComponent name;
    uint32_t seconds = 0;
    std::chrono::steady_clock::time_point expiry;
  };

  // State changes, applied the same way live and during replay.
  void apply_context(ContextId context);
  void apply_destroy(ContextId context);
  void apply_bind(ContextId context, const CosNaming::NameComponent& name, const Entry& entry);
  void apply_remove(ContextId context, const CosNaming::NameComponent& name);
  void apply_record(std::span<const uint8_t> record);
  void apply_change(cdr::Decoder& decoder);

  // Queuing and committing changes; `lock` holds mutex_.
  cdr::Encoder& begin_change(uint8_t tag);
  uint64_t end_change();
  void commit(std::unique_lock<std::mutex>& lock, uint64_t sequence);
  void compact_if_due();
  void write_snapshot(const store::RecordSink& emit) const;
  std::optional<RemovedBinding> end_lease(LeaseId lease);

  JournalStoreOptions options_;
  Orb& orb_;
  store::Journal journal_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable committed_;
  std::map<ContextId, Bindings> contexts_;
  std::map<LeaseId, LeaseState> leases_;
  ContextId next_context_ = kRootContext + 1;
  LeaseId next_lease_ = 1;
  cdr::Encoder pending_;           // queued changes, after a byte-order octet
  uint64_t pending_sequence_ = 0;  // number of the last change queued
  uint64_t durable_sequence_ = 0;  // every change up to this one is on disk
  bool writing_ = false;           // a caller is appending a batch
  std::string failure_;            // set once an append failed; no change is accepted after
};

}  // namespace orb::naming
