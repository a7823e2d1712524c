// Journal files: an 8-byte header, then records framed as a little-endian
// 32-bit length, a little-endian CRC-32C of the payload, and the payload.
// Version 2 journals may end in zero padding; version 1 journals, which
// never do, are still read and become version 2 when appended to.
#include <store/journal.hpp>

#include <orb/detail/adaptive_mutex.hpp>
#include <orb/detail/log.hpp>
#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace orb::store {
namespace {

constexpr size_t kMagicBytes = 8;
using Magic = std::array<uint8_t, kMagicBytes>;
constexpr Magic kJournalMagic{'O', 'R', 'B', 'J', 'R', 'N', 'L', 2};
constexpr std::array<Magic, 2> kJournalMagics{kJournalMagic,
                                              Magic{'O', 'R', 'B', 'J', 'R', 'N', 'L', 1}};
constexpr std::array<Magic, 1> kSnapshotMagics{Magic{'O', 'R', 'B', 'S', 'N', 'A', 'P', 1}};
/// Zeros written per call when the journal file grows.
constexpr std::array<uint8_t, 64 * 1024> kZeros{};
constexpr size_t kFrameHeader = 8;  // length and checksum
/// Unit of O_DIRECT writes: a file system block, a multiple of the logical
/// block size of common disks (512 or 4096 bytes).
constexpr uint64_t kDirectBlock = 4096;
/// Records larger than this are refused on append and treated as damage on
/// recovery, so a corrupt length cannot make recovery allocate gigabytes.
constexpr uint32_t kMaxRecord = 256 * 1024 * 1024;

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("store");
  return instance;
}

[[noreturn]] void raise_io(const std::string& what, int error) {
  throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no, what + ": " + std::strerror(error));
}

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78U : crc >> 1;
    }
    table[i] = crc;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

void put_u32(std::vector<uint8_t>& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }
}

uint32_t get_u32(const uint8_t* bytes) {
  return static_cast<uint32_t>(bytes[0]) | static_cast<uint32_t>(bytes[1]) << 8 |
         static_cast<uint32_t>(bytes[2]) << 16 | static_cast<uint32_t>(bytes[3]) << 24;
}

void frame(std::vector<uint8_t>& out, std::span<const uint8_t> record) {
  if (record.empty()) {
    throw BAD_PARAM(minor::kInvalidValue, CompletionStatus::no,
                    "journal record is empty; its frame would read as the zero padding that "
                    "ends the journal");
  }
  if (record.size() > kMaxRecord) {
    throw IMP_LIMIT(minor::kJournalIo, CompletionStatus::no,
                    "journal record of " + std::to_string(record.size()) +
                        " bytes exceeds the maximum of " + std::to_string(kMaxRecord));
  }
  put_u32(out, static_cast<uint32_t>(record.size()));
  put_u32(out, crc32c(record));
  out.insert(out.end(), record.begin(), record.end());
}

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    raise_io("open " + path.string(), errno);
  }
  std::vector<uint8_t> bytes;
  std::array<uint8_t, 64 * 1024> buffer;
  while (true) {
    ssize_t count = ::read(fd, buffer.data(), buffer.size());
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      int error = errno;
      ::close(fd);
      raise_io("read " + path.string(), error);
    }
    if (count == 0) {
      break;
    }
    bytes.insert(bytes.end(), buffer.data(), buffer.data() + count);
  }
  ::close(fd);
  return bytes;
}

void write_all(int fd, std::span<const uint8_t> bytes, const std::string& what) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t count = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      raise_io(what, errno);
    }
    written += static_cast<size_t>(count);
  }
}

/// Writes all of `bytes` at `offset`; returns 0 or the errno of the failure.
int write_all_at(int fd, std::span<const uint8_t> bytes, uint64_t offset) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t count = ::pwrite(fd, bytes.data() + written, bytes.size() - written,
                             static_cast<off_t>(offset + written));
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      return errno;
    }
    written += static_cast<size_t>(count);
  }
  return 0;
}

void sync_directory(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    raise_io("open directory " + directory.string(), errno);
  }
  int status = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (status != 0) {
    raise_io("sync directory " + directory.string(), error);
  }
}

struct ParsedFile {
  size_t records = 0;
  size_t valid_bytes = 0;  // header and complete records
  size_t torn_bytes = 0;
};

/// True when no byte of `bytes` from `from` on is set.
bool zeros_from(const std::vector<uint8_t>& bytes, size_t from) {
  return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(std::min(from, bytes.size())),
                     bytes.end(), [](uint8_t byte) { return byte == 0; });
}

/// Length of `bytes` without its trailing zeros.
size_t length_without_padding(const std::vector<uint8_t>& bytes) {
  auto last = std::find_if(bytes.rbegin(), bytes.rend(), [](uint8_t byte) { return byte != 0; });
  return static_cast<size_t>(bytes.rend() - last);
}

/// Checks the header of a file against the accepted versions of its magic.
/// Returns false for a file that ends inside the header, which a crash
/// while it was being written leaves; raises PERSIST_STORE for any other
/// mismatch.
bool check_magic(const std::vector<uint8_t>& bytes, std::span<const Magic> magics,
                 const std::filesystem::path& path) {
  for (const Magic& magic : magics) {
    if (bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin())) {
      return true;
    }
    if (bytes.size() < magic.size() && std::equal(bytes.begin(), bytes.end(), magic.begin())) {
      return false;
    }
  }
  throw PERSIST_STORE(minor::kJournalDamaged, CompletionStatus::no,
                      path.string() + " is not a journal file of a version this program reads");
}

/// Walks the records of one file. A header of zeros followed by zeros only
/// is the padding after the last record. A bad record that only zeros
/// follow is a torn tail; one followed by more data is damage. A record
/// whose length runs past the end of the file counts as torn.
/// True when a frame with a valid length and a matching checksum starts at
/// some offset from `from` on. Runs only on a damaged file, so it may be slow.
bool record_follows(const std::vector<uint8_t>& bytes, size_t from) {
  for (size_t offset = from; offset + kFrameHeader < bytes.size(); ++offset) {
    uint32_t length = get_u32(&bytes[offset]);
    size_t left = bytes.size() - offset - kFrameHeader;
    if (length == 0 || length > kMaxRecord || length > left) {
      continue;
    }
    auto payload = std::span<const uint8_t>(bytes).subspan(offset + kFrameHeader, length);
    if (crc32c(payload) == get_u32(&bytes[offset + 4])) {
      return true;
    }
  }
  return false;
}

ParsedFile parse_records(const std::vector<uint8_t>& bytes, std::span<const Magic> magics,
                         const std::filesystem::path& path, const RecordSink& apply) {
  if (!check_magic(bytes, magics, path)) {
    return ParsedFile{0, 0, bytes.size()};  // the header itself was being written
  }
  ParsedFile parsed{0, kMagicBytes, 0};
  size_t offset = kMagicBytes;
  while (offset < bytes.size() && !zeros_from(bytes, offset)) {
    size_t left = bytes.size() - offset;
    uint32_t length = left >= kFrameHeader ? get_u32(&bytes[offset]) : 0;
    bool complete = left >= kFrameHeader && length != 0 && length <= kMaxRecord &&
                    length <= left - kFrameHeader;
    std::span<const uint8_t> payload;
    if (complete) {
      payload = std::span<const uint8_t>(bytes).subspan(offset + kFrameHeader, length);
    }
    if (!complete || crc32c(payload) != get_u32(&bytes[offset + 4])) {
      if (complete && !zeros_from(bytes, offset + kFrameHeader + length)) {
        throw PERSIST_STORE(minor::kJournalDamaged, CompletionStatus::no,
                            path.string() + ": record at offset " + std::to_string(offset) +
                                " fails its checksum and is followed by more records");
      }
      // Where a frame of a wrong length ends is unknown, so any valid
      // record after its start shows it is damage rather than a torn tail.
      if (!complete && record_follows(bytes, offset + 1)) {
        throw PERSIST_STORE(minor::kJournalDamaged, CompletionStatus::no,
                            path.string() + ": record at offset " + std::to_string(offset) +
                                " has an invalid length (" + std::to_string(length) +
                                ") and is followed by more records");
      }
      parsed.torn_bytes = length_without_padding(bytes) - offset;
      return parsed;
    }
    apply(payload);
    ++parsed.records;
    offset += kFrameHeader + length;
    parsed.valid_bytes = offset;
  }
  return parsed;
}

/// The numeric suffix of "prefix.N", if the name has that form.
std::optional<uint64_t> generation_of(const std::string& name, std::string_view prefix) {
  if (!name.starts_with(prefix) || name.size() == prefix.size()) {
    return std::nullopt;
  }
  std::string digits = name.substr(prefix.size());
  if (digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(digits);
}

}  // namespace

uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc) {
  crc = ~crc;
  for (uint8_t byte : bytes) {
    crc = kCrcTable[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  }
  return ~crc;
}

Journal::Journal(JournalOptions options) : options_(std::move(options)) {
  orb::detail::make_adaptive(mutex_);
  std::error_code error;
  std::filesystem::create_directories(options_.directory, error);
  if (error) {
    throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no,
                        "create directory " + options_.directory.string() + ": " + error.message());
  }
  lock_directory();
  if (syncs_periodically()) {
    syncer_ = std::thread([this] { run_periodic_sync(); });
  }
}

/// Takes the directory's lock, so that a second process (a second orbd on
/// the same data directory, say) cannot append between this one's records
/// or compact its files away.
void Journal::lock_directory() {
  std::filesystem::path path = options_.directory / "lock";
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    raise_io("open " + path.string(), errno);
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    int failure = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (failure == EWOULDBLOCK) {
      throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no,
                          options_.directory.string() +
                              " is in use by another journal (another process, such as a second "
                              "orbd, or this one); stop it or choose another directory");
    }
    raise_io("lock " + path.string(), failure);
  }
}

Journal::~Journal() {
  if (syncer_.joinable()) {
    {
      std::unique_lock lock(mutex_);
      stopping_ = true;
      stop_requested_.notify_all();
      // A clean close leaves nothing unsynced.
      sync_written(lock);
    }
    syncer_.join();
  }
  trim_padding();
  close_direct();
  if (fd_ >= 0) {
    ::close(fd_);
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

bool Journal::syncs_periodically() const noexcept {
  return options_.sync && options_.sync_interval.count() > 0;
}

void Journal::run_periodic_sync() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stop_requested_.wait_for(lock, options_.sync_interval, [this] { return stopping_; });
    sync_written(lock);
  }
}

/// Syncs the records written since the last periodic sync. The sync runs on
/// a duplicate of the descriptor without the lock, so appends go on meanwhile
/// and a compaction may close the original; the duplicate still names the
/// same file, whose records the snapshot holds anyway.
void Journal::sync_written(std::unique_lock<std::mutex>& lock) {
  if (!unsynced_ || fd_ < 0 || failed_) {
    return;
  }
  unsynced_ = false;
  std::string path = journal_path(generation_).string();
  int fd = ::dup(fd_);
  lock.unlock();
  int status = fd < 0 ? -1 : ::fdatasync(fd);
  int error = errno;
  if (fd >= 0) {
    ::close(fd);
  }
  lock.lock();
  sync_count_.fetch_add(status == 0 ? 1 : 0, std::memory_order_relaxed);
  if (status != 0) {
    // Acknowledged records may be lost; refuse further changes, as after a failed write.
    failed_ = true;
    failure_ = "periodic sync of " + path + ": " + std::strerror(error);
    logger()->error("journal failed, refusing further changes: {}", failure_);
  }
}

std::filesystem::path Journal::journal_path(uint64_t generation) const {
  return options_.directory / ("journal." + std::to_string(generation));
}

std::filesystem::path Journal::snapshot_path(uint64_t generation) const {
  return options_.directory / ("snapshot." + std::to_string(generation));
}

RecoveryReport Journal::recover(const RecordSink& apply) {
  std::lock_guard lock(mutex_);
  uint64_t generation = 0;
  bool have_snapshot = false;
  for (const auto& entry : std::filesystem::directory_iterator(options_.directory)) {
    std::string name = entry.path().filename().string();
    if (std::optional<uint64_t> found = generation_of(name, "snapshot.")) {
      generation = have_snapshot ? std::max(generation, *found) : *found;
      have_snapshot = true;
    }
  }
  // A compaction writes snapshot.N before it creates journal.N, so a
  // journal of a later generation than the newest snapshot (or a journal.N
  // with N > 0 and no snapshot at all) did not come from this journal.
  // Adopting it would delete the older generation, which has the data.
  for (const auto& entry : std::filesystem::directory_iterator(options_.directory)) {
    std::optional<uint64_t> found = generation_of(entry.path().filename().string(), "journal.");
    if (found && *found > generation) {
      throw PERSIST_STORE(minor::kJournalDamaged, CompletionStatus::no,
                          entry.path().string() + " has no snapshot of its generation (newest: " +
                              (have_snapshot ? snapshot_path(generation).filename().string()
                                             : std::string("none")) +
                              "); move it out of " + options_.directory.string() +
                              " if it does not belong there");
    }
  }

  RecoveryReport report;
  report.generation = generation;
  if (have_snapshot) {
    ParsedFile snapshot = parse_records(read_file(snapshot_path(generation)), kSnapshotMagics,
                                        snapshot_path(generation), apply);
    if (snapshot.torn_bytes != 0) {
      throw PERSIST_STORE(minor::kJournalDamaged, CompletionStatus::no,
                          snapshot_path(generation).string() + " is incomplete");
    }
    report.snapshot_records = snapshot.records;
  }
  uint64_t valid_bytes = 0;
  if (std::filesystem::exists(journal_path(generation))) {
    ParsedFile journal = parse_records(read_file(journal_path(generation)), kJournalMagics,
                                       journal_path(generation), apply);
    report.journal_records = journal.records;
    report.torn_tail_bytes = journal.torn_bytes;
    valid_bytes = journal.valid_bytes;
    if (journal.torn_bytes != 0) {
      logger()->warn("{}: discarding a torn tail of {} bytes after {} complete records",
                     journal_path(generation).string(), journal.torn_bytes, journal.records);
    }
  }
  open_for_append(generation, valid_bytes);

  // Files of older generations and unfinished snapshots are left over from
  // a compaction that a crash interrupted after the new generation was safe.
  for (const auto& entry : std::filesystem::directory_iterator(options_.directory)) {
    std::string name = entry.path().filename().string();
    std::optional<uint64_t> old = generation_of(name, "snapshot.");
    if (!old) {
      old = generation_of(name, "journal.");
    }
    if ((old && *old < generation) || name.ends_with(".tmp")) {
      std::filesystem::remove(entry.path());
    }
  }
  return report;
}

void Journal::open_for_append(uint64_t generation, uint64_t valid_bytes) {
  std::filesystem::path path = journal_path(generation);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    raise_io("open " + path.string(), errno);
  }
  // Cutting the file at the last good record removes a torn tail and any
  // old padding, so only zeros follow the records appended from here.
  // Zero valid bytes means a new file, or one whose header was torn. The
  // header is rewritten even over a good one, since a version 1 header
  // promises that no padding follows.
  valid_bytes = std::max<uint64_t>(valid_bytes, kMagicBytes);
  uint64_t file_bytes = valid_bytes;
  auto fail = [&](const std::string& step, int error) {
    ::close(fd);
    raise_io(step + " " + path.string(), error);
  };
  if (::ftruncate(fd, static_cast<off_t>(valid_bytes)) != 0) {
    fail("truncate", errno);
  }
  if (int error = write_all_at(fd, kJournalMagic, 0); error != 0) {
    fail("write", error);
  }
  if (int error = grow_file(fd, file_bytes, valid_bytes + 1); error != 0) {
    fail("extend", error);
  }
  if (::fsync(fd) != 0) {
    fail("sync", errno);
  }
  sync_directory(options_.directory);
  close_direct();
  if (fd_ >= 0) {
    ::close(fd_);
  }
  open_direct(path, fd, valid_bytes);
  fd_ = fd;
  generation_ = generation;
  journal_bytes_ = valid_bytes;
  file_bytes_ = file_bytes;
}

/// Extends the file of `file_bytes` bytes with zeros, in steps of
/// preallocate_bytes, until it holds at least `needed_bytes`. The caller's
/// next sync makes the zeros and the new size durable together with the
/// records written into them. Returns 0 or the errno of a failed write.
int Journal::grow_file(int fd, uint64_t& file_bytes, uint64_t needed_bytes) const {
  uint64_t step = options_.preallocate_bytes;
  if (step == 0 || file_bytes >= needed_bytes) {
    return 0;
  }
  uint64_t target = (needed_bytes + step - 1) / step * step;
  while (file_bytes < target) {
    size_t count = static_cast<size_t>(std::min<uint64_t>(kZeros.size(), target - file_bytes));
    if (int error = write_all_at(fd, std::span(kZeros).first(count), file_bytes); error != 0) {
      return error;
    }
    file_bytes += count;
  }
  return 0;
}

/// Opens the second, O_DIRECT descriptor of the journal at `path` when the
/// options allow it, and reads the block that contains the end of its
/// `valid_bytes` from `fd`. Leaves direct writes off when either fails.
void Journal::open_direct(const std::filesystem::path& path, int fd, uint64_t valid_bytes) {
  bool enabled = options_.direct_io && options_.sync && !syncs_periodically() &&
                 options_.preallocate_bytes > 0 && options_.preallocate_bytes % kDirectBlock == 0;
  if (!enabled) {
    return;
  }
  int direct = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  if (direct < 0) {
    logger()->debug("{} does not take O_DIRECT ({}); writing through the page cache", path.string(),
                    std::strerror(errno));
    return;
  }
  if (!last_block_) {
    last_block_.reset(static_cast<uint8_t*>(std::aligned_alloc(kDirectBlock, kDirectBlock)));
  }
  uint64_t block_start = valid_bytes / kDirectBlock * kDirectBlock;
  ssize_t count = ::pread(fd, last_block_.get(), kDirectBlock, static_cast<off_t>(block_start));
  if (count != static_cast<ssize_t>(kDirectBlock)) {
    logger()->debug("could not read the last block of {}; writing through the page cache",
                    path.string());
    ::close(direct);
    return;
  }
  direct_fd_ = direct;
}

void Journal::close_direct() noexcept {
  if (direct_fd_ >= 0) {
    ::close(direct_fd_);
    direct_fd_ = -1;
  }
}

/// Writes `batch` at `offset` as whole blocks through the O_DIRECT
/// descriptor, with RWF_DSYNC, after the part of the last block before
/// `offset` and followed by zeros to the end of its last block. The file
/// already holds those zeros (it grows in whole blocks), so the write
/// changes only the batch's bytes. Returns false, with direct writes then
/// off, when the kernel refuses the flags before writing anything.
bool Journal::write_batch_directly(std::span<const uint8_t> batch, uint64_t offset) {
  uint64_t start = offset / kDirectBlock * kDirectBlock;
  uint64_t end = offset + batch.size();
  uint64_t stop = (end + kDirectBlock - 1) / kDirectBlock * kDirectBlock;
  auto length = static_cast<size_t>(stop - start);
  if (direct_buffer_bytes_ < length) {
    direct_buffer_.reset(static_cast<uint8_t*>(std::aligned_alloc(kDirectBlock, length)));
    if (!direct_buffer_) {
      throw NO_MEMORY(minor::kJournalIo, CompletionStatus::no,
                      "no memory for a journal write of " + std::to_string(length) + " bytes");
    }
    direct_buffer_bytes_ = length;
  }
  uint8_t* buffer = direct_buffer_.get();
  auto head = static_cast<size_t>(offset - start);
  std::memcpy(buffer, last_block_.get(), head);
  std::memcpy(buffer + head, batch.data(), batch.size());
  std::memset(buffer + head + batch.size(), 0, length - head - batch.size());

  iovec vector{buffer, length};
  ssize_t count = ::pwritev2(direct_fd_, &vector, 1, static_cast<off_t>(start), RWF_DSYNC);
  if (count < 0 && (errno == EINVAL || errno == EOPNOTSUPP)) {
    logger()->info("{} refused a direct write ({}); writing through the page cache",
                   journal_path(generation_).string(), std::strerror(errno));
    close_direct();
    return false;
  }
  if (count < 0) {
    raise_io("append to " + journal_path(generation_).string(), errno);
  }
  if (static_cast<size_t>(count) != length) {
    raise_io("append to " + journal_path(generation_).string() + ": short direct write of " +
                 std::to_string(count) + " of " + std::to_string(length) + " bytes",
             EIO);
  }
  if (end % kDirectBlock == 0) {
    std::memset(last_block_.get(), 0, kDirectBlock);
  } else {
    std::memcpy(last_block_.get(), buffer + length - kDirectBlock, kDirectBlock);
  }
  sync_count_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void Journal::write_batch(std::span<const uint8_t> batch, uint64_t offset) {
  if (direct_fd_ >= 0) {
    uint64_t before = file_bytes_;
    if (int error = grow_file(fd_, file_bytes_, offset + batch.size()); error != 0) {
      raise_io("extend " + journal_path(generation_).string(), error);
    }
    // The new zeros and size go to disk before direct writes depend on them.
    if (file_bytes_ != before && ::fdatasync(fd_) != 0) {
      raise_io("sync " + journal_path(generation_).string(), errno);
    }
    if (write_batch_directly(batch, offset)) {
      return;
    }
  }
  if (int error = grow_file(fd_, file_bytes_, offset + batch.size()); error != 0) {
    raise_io("extend " + journal_path(generation_).string(), error);
  }
  if (int error = write_all_at(fd_, batch, offset); error != 0) {
    raise_io("append to " + journal_path(generation_).string(), error);
  }
  file_bytes_ = std::max(file_bytes_, offset + batch.size());
  if (options_.sync && !syncs_periodically()) {
    if (::fdatasync(fd_) != 0) {
      raise_io("sync " + journal_path(generation_).string(), errno);
    }
    sync_count_.fetch_add(1, std::memory_order_relaxed);
  }
}

/// Cuts the zero padding off a journal that closes cleanly, so that its
/// size is that of its records. A failed journal is left as it is.
void Journal::trim_padding() noexcept {
  if (fd_ < 0 || failed_ || file_bytes_ <= journal_bytes_.load()) {
    return;
  }
  if (::ftruncate(fd_, static_cast<off_t>(journal_bytes_.load())) != 0) {
    logger()->warn("could not trim the padding of {}: {}", journal_path(generation_).string(),
                   std::strerror(errno));
  }
}

void Journal::wait_for_company(std::unique_lock<std::mutex>& lock) {
  if (options_.commit_delay.count() <= 0 || !options_.sync || syncs_periodically() ||
      !expect_company_ || pending_sequence_ - durable_sequence_ > 1) {
    return;
  }
  uint64_t alone = pending_sequence_;
  delaying_ = true;
  company_arrived_.wait_for(lock, options_.commit_delay,
                            [&] { return pending_sequence_ != alone; });
  delaying_ = false;
}

void Journal::append(std::span<const uint8_t> record) {
  std::unique_lock lock(mutex_);
  if (fd_ < 0) {
    throw BAD_INV_ORDER(minor::kJournalIo, CompletionStatus::no, "journal append before recover()");
  }
  if (failed_) {
    throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no, failure_);
  }
  frame(pending_, record);
  uint64_t mine = ++pending_sequence_;
  if (delaying_) {
    company_arrived_.notify_one();
  }
  bool wrote = false;
  while (durable_sequence_ < mine) {
    if (failed_) {
      throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no, failure_);
    }
    if (writing_) {
      committed_.wait(lock);
      continue;
    }
    // This thread writes every record pending now, its own among them, with one sync.
    writing_ = true;
    wait_for_company(lock);
    std::vector<uint8_t> batch;
    batch.swap(pending_);
    uint64_t last = pending_sequence_;
    uint64_t offset = journal_bytes_;
    lock.unlock();
    std::string error;
    try {
      write_batch(batch, offset);
    } catch (const SystemException& failure) {
      error = failure.message();
    }
    lock.lock();
    writing_ = false;
    if (!error.empty()) {
      // The file may now end in a partial batch; nothing more may follow it.
      failed_ = true;
      failure_ = error;
      pending_.clear();  // every append waiting on these records raises below
      logger()->error("journal failed, refusing further changes: {}", error);
      committed_.notify_all();
      continue;
    }
    expect_company_ = last - durable_sequence_ > 1 || pending_sequence_ > last;
    durable_sequence_ = last;
    journal_bytes_ += batch.size();
    unsynced_ = true;
    wrote = true;
  }
  // Waiters woken while this thread still held the lock would only block
  // on it again.
  lock.unlock();
  if (wrote) {
    committed_.notify_all();
  }
}

void Journal::compact(const std::function<void(const RecordSink& emit)>& write_state) {
  std::unique_lock lock(mutex_);
  committed_.wait(lock, [this] { return failed_ || (!writing_ && pending_.empty()); });
  if (failed_) {
    throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no, failure_);
  }
  uint64_t next = generation_ + 1;
  std::filesystem::path temporary = snapshot_path(next).string() + ".tmp";
  std::vector<uint8_t> bytes(kSnapshotMagics[0].begin(), kSnapshotMagics[0].end());
  write_state([&bytes](std::span<const uint8_t> record) { frame(bytes, record); });

  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    raise_io("create " + temporary.string(), errno);
  }
  try {
    write_all(fd, bytes, "write " + temporary.string());
    if (::fsync(fd) != 0) {
      raise_io("sync " + temporary.string(), errno);
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  std::filesystem::rename(temporary, snapshot_path(next));
  sync_directory(options_.directory);

  uint64_t previous = generation_;
  open_for_append(next, 0);
  std::filesystem::remove(journal_path(previous));
  std::filesystem::remove(snapshot_path(previous));
  logger()->info("compacted {} into generation {} ({} bytes of snapshot)",
                 options_.directory.string(), next, bytes.size());
}

uint64_t Journal::journal_bytes() const {
  return journal_bytes_.load(std::memory_order_relaxed);
}

uint64_t Journal::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace orb::store
