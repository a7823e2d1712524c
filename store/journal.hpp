// Journal: the durable store under the naming service and the tuple space.
// State changes are appended as records (CDR bytes that the service
// encodes) to a log file; each record carries its length and a CRC-32C of
// its bytes. append() returns only after the record is on disk (fsync), and
// concurrent appends share one fsync (group commit). With a sync interval,
// append() returns once the record is written instead, and a background
// thread syncs the file at most once per interval. compact() writes the
// whole state as a snapshot and starts an empty log, so the files stay
// proportional to the state, not to its history.
//
// The journal file is grown ahead of its records in zero-filled steps, so
// that an append overwrites blocks that already exist and its fdatasync
// writes data only, without a change of the file size to commit. Recovery
// therefore reads a header of eight zero bytes followed by zeros only as
// the end of the log. Records are never empty, so no real frame header is
// all zeros. A clean close trims the zeros again.
//
// Files in the directory, for generation G:
//   snapshot.G   the state at the start of generation G (absent for G = 0)
//   journal.G    the changes since then
// A crash at any point leaves either generation G or G + 1 complete.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace orb::store {

struct JournalOptions {
  std::filesystem::path directory;
  /// fsync each append before returning. Off only for tests and caches.
  bool sync = true;
  /// With `sync`, zero syncs before each append returns. A positive value
  /// lets append() return once the record is written to the file, and a
  /// background thread calls fdatasync at most once per interval when
  /// records were added since the last sync. A crash of the process then
  /// loses nothing, and a crash of the machine loses at most the records
  /// appended during the last interval plus the duration of one sync.
  std::chrono::milliseconds sync_interval{0};
  /// Zero-filled bytes by which the journal file grows ahead of its
  /// records; 0 appends to the end of the file instead. Measured with a
  /// loop of 124-byte writes, each followed by fdatasync, on ext4 without a
  /// journal over a virtio disk (2 CPUs, other writers quiet), the median
  /// sync took 100 to 130 us when every write grew the file and 75 to 90
  /// us into zero-filled space, over runs of 400 writes.
  uint64_t preallocate_bytes = 256 * 1024;
  /// With `sync`, no sync interval and a preallocation in whole blocks,
  /// writes each batch with O_DIRECT and RWF_DSYNC (the batch's blocks
  /// and a flush of the disk's cache, in one system call) in place of a
  /// buffered write and fdatasync. In the loop described above it took a
  /// median 70 us in place of 78 to 81. Where the file system refuses
  /// O_DIRECT, the journal writes through the page cache.
  bool direct_io = true;
  /// With `sync` and no sync interval, the thread about to sync a batch of
  /// one record first waits up to this long for a second record. It waits
  /// only while the traffic suggests that one is coming: when the last
  /// batch carried several records, or a record arrived during its sync. Two
  /// clients whose requests alternate (a producer and a consumer of a
  /// tuple space) otherwise settle half a sync apart, each record arriving
  /// just after the other's sync began, and every batch carries one
  /// record. With this wait, measured at 50 us on the disk described
  /// above, they shared a sync in over 90% of cases. A lone client waits
  /// at most once, after other traffic. Zero turns the wait off.
  std::chrono::microseconds commit_delay{50};
};

/// What recover() found.
struct RecoveryReport {
  uint64_t generation = 0;
  size_t snapshot_records = 0;
  size_t journal_records = 0;
  /// Bytes after the last complete record of the journal, up to its last
  /// non-zero byte. A crash in the middle of an append leaves them, and
  /// recovery discards them.
  size_t torn_tail_bytes = 0;
};

using RecordSink = std::function<void(std::span<const uint8_t> record)>;

class Journal {
 public:
  /// Creates the directory if needed and locks it (flock on its file
  /// "lock") for as long as this object lives. Raises PERSIST_STORE when it
  /// cannot, or when another journal, in this process or another, has it.
  explicit Journal(JournalOptions options);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Passes every record of the newest complete snapshot and then of its
  /// journal to `apply`, in order, and opens the journal for appending. A
  /// torn tail is cut off and reported. A record whose checksum or length
  /// is wrong before the tail raises PERSIST_STORE, since later records
  /// would be applied on top of a lost change. A journal of a generation
  /// without a snapshot raises it too. Call once, before append().
  RecoveryReport recover(const RecordSink& apply);

  /// Appends one record and returns once it is durable, or once it is
  /// written when the journal syncs periodically. Raises BAD_PARAM for an
  /// empty record, whose frame would read as zero padding.
  void append(std::span<const uint8_t> record);

  /// Writes a snapshot through `write_state`, which must emit the whole
  /// current state as records, then switches to a new, empty journal.
  /// Appends wait while it runs.
  void compact(const std::function<void(const RecordSink& emit)>& write_state);

  /// Bytes of header and records in the current journal file, without
  /// its zero padding, for deciding when to compact.
  uint64_t journal_bytes() const;
  uint64_t generation() const;
  /// fdatasync calls on journal files since this object was created.
  uint64_t sync_count() const noexcept { return sync_count_.load(std::memory_order_relaxed); }

 private:
  void lock_directory();
  std::filesystem::path journal_path(uint64_t generation) const;
  std::filesystem::path snapshot_path(uint64_t generation) const;
  void open_for_append(uint64_t generation, uint64_t valid_bytes);
  void write_batch(std::span<const uint8_t> batch, uint64_t offset);
  bool write_batch_directly(std::span<const uint8_t> batch, uint64_t offset);
  void open_direct(const std::filesystem::path& path, int fd, uint64_t valid_bytes);
  void close_direct() noexcept;
  int grow_file(int fd, uint64_t& file_bytes, uint64_t needed_bytes) const;
  void trim_padding() noexcept;
  bool syncs_periodically() const noexcept;
  void run_periodic_sync();
  void sync_written(std::unique_lock<std::mutex>& lock);
  /// Called by the writing thread before it takes the batch (commit_delay).
  void wait_for_company(std::unique_lock<std::mutex>& lock);

  JournalOptions options_;
  int lock_fd_ = -1;  // holds the flock on the directory

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable committed_;
  int fd_ = -1;
  uint64_t generation_ = 0;
  // Changed under the lock, read without it by journal_bytes().
  std::atomic<uint64_t> journal_bytes_{0};
  // Size of the journal file: journal_bytes_ and the zero padding after it.
  // The thread that holds writing_ may change it without the lock.
  uint64_t file_bytes_ = 0;
  std::vector<uint8_t> pending_;   // framed records waiting for the next write
  uint64_t pending_sequence_ = 0;  // sequence number of the last record in pending_
  uint64_t durable_sequence_ = 0;  // every record up to this one is written (and synced
                                   // unless syncing periodically)
  bool writing_ = false;           // a thread is writing and syncing a batch
  bool expect_company_ = false;    // the last batch suggests that records come in twos
  bool delaying_ = false;          // the writing thread waits for company (commit_delay)
  std::condition_variable company_arrived_;
  bool failed_ = false;
  std::string failure_;
  bool unsynced_ = false;  // records were written since the last periodic sync
  bool stopping_ = false;  // ends the periodic sync thread
  std::condition_variable stop_requested_;

  // Direct writes, used by the thread that holds writing_: a descriptor
  // opened with O_DIRECT (-1 when not used), the block that contains the end
  // of the records, and a block-aligned buffer that each batch is put into.
  int direct_fd_ = -1;
  std::unique_ptr<uint8_t, void (*)(void*)> last_block_{nullptr, std::free};
  std::unique_ptr<uint8_t, void (*)(void*)> direct_buffer_{nullptr, std::free};
  size_t direct_buffer_bytes_ = 0;

  std::atomic<uint64_t> sync_count_{0};
  std::thread syncer_;  // runs run_periodic_sync() when sync_interval is positive
};

/// CRC-32C (Castagnoli) of `bytes`, as iSCSI and ext4 use it.
uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace orb::store
