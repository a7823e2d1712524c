// Journal: the durable store under the naming service and the tuple space.
// State changes are appended as records (CDR bytes that the service
// encodes) to a log file; each record carries its length and a CRC-32C of
// its bytes. append() returns only after the record is on disk (fsync), and
// concurrent appends share one fsync (group commit). compact() writes the
// whole state as a snapshot and starts an empty log, so the files stay
// proportional to the state, not to its history.
//
// Files in the directory, for generation G:
//   snapshot.G   the state at the start of generation G (absent for G = 0)
//   journal.G    the changes since then
// A crash at any point leaves either generation G or G + 1 complete.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace orb::store {

struct JournalOptions {
  std::filesystem::path directory;
  /// fsync each append before returning. Off only for tests and caches.
  bool sync = true;
};

/// What recover() found.
struct RecoveryReport {
  uint64_t generation = 0;
  size_t snapshot_records = 0;
  size_t journal_records = 0;
  /// Bytes after the last complete record of the journal, cut off by a
  /// crash in the middle of an append; they are discarded.
  size_t torn_tail_bytes = 0;
};

using RecordSink = std::function<void(std::span<const uint8_t> record)>;

class Journal {
 public:
  /// Creates the directory if needed. Raises PERSIST_STORE when it cannot.
  explicit Journal(JournalOptions options);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Passes every record of the newest complete snapshot and then of its
  /// journal to `apply`, in order, and opens the journal for appending. A
  /// torn tail is cut off and reported; a record whose checksum fails
  /// before the tail raises PERSIST_STORE, since later records would be
  /// applied on top of a lost change. Call once, before append().
  RecoveryReport recover(const RecordSink& apply);

  /// Appends one record and returns once it is durable.
  void append(std::span<const uint8_t> record);

  /// Writes a snapshot through `write_state`, which must emit the whole
  /// current state as records, then switches to a new, empty journal.
  /// Appends wait while it runs.
  void compact(const std::function<void(const RecordSink& emit)>& write_state);

  /// Bytes in the current journal file, for deciding when to compact.
  uint64_t journal_bytes() const;
  uint64_t generation() const;

 private:
  std::filesystem::path journal_path(uint64_t generation) const;
  std::filesystem::path snapshot_path(uint64_t generation) const;
  void open_for_append(uint64_t generation, uint64_t valid_bytes);
  void write_batch(std::vector<uint8_t>& batch);

  JournalOptions options_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable committed_;
  int fd_ = -1;
  uint64_t generation_ = 0;
  uint64_t journal_bytes_ = 0;
  std::vector<uint8_t> pending_;   // framed records waiting for the next write
  uint64_t pending_sequence_ = 0;  // sequence number of the last record in pending_
  uint64_t durable_sequence_ = 0;  // every record up to this one is on disk
  bool writing_ = false;           // a thread is writing and syncing a batch
  bool failed_ = false;
  std::string failure_;
};

/// CRC-32C (Castagnoli) of `bytes`, as iSCSI and ext4 use it.
uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace orb::store
