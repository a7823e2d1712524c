// Journal: records survive reopening, a torn tail is cut off and reported,
// damage before the tail is refused, a second journal on one directory is
// refused, compaction keeps the state,
// concurrent appends each come back exactly once, and the zero padding
// that the file grows by ends the log when a crash leaves it in place.
#include <store/journal.hpp>

#include <orb/exception.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace orb::store {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  JournalTest() {
    directory_ = fs::temp_directory_path() /
                 ("orb-journal-test-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    crashed_ = directory_.string() + "-crashed";
    fs::remove_all(crashed_);
  }
  ~JournalTest() override {
    fs::remove_all(directory_);
    fs::remove_all(crashed_);
  }

  static std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

  /// Returns options whose journal grows in 4 KiB steps, so that the limit
  /// of limit_file_size() stops its first growth.
  JournalOptions options_for_small_files() const {
    JournalOptions options{directory_};
    options.preallocate_bytes = 4096;
    return options;
  }

  /// Limits the files of this process to 4 KiB, so that writes past that
  /// fail with EFBIG instead of raising SIGXFSZ. Only for a death test's child.
  static void limit_file_size() {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }

  std::vector<std::string> recover_all(RecoveryReport* report = nullptr) {
    return recover_from(directory_, report);
  }

  static std::vector<std::string> recover_from(const fs::path& directory,
                                               RecoveryReport* report = nullptr) {
    Journal journal({directory});
    std::vector<std::string> records;
    RecoveryReport found = journal.recover([&](std::span<const uint8_t> record) {
      records.emplace_back(record.begin(), record.end());
    });
    if (report != nullptr) {
      *report = found;
    }
    return records;
  }

  /// Copies the journal directory as a crash would leave it: an open
  /// journal still has its zero padding, which a clean close trims.
  void copy_as_crashed() {
    fs::create_directories(crashed_);
    fs::copy(directory_, crashed_,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }

  static std::string file_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static void write_at(const fs::path& path, uintmax_t offset, const std::string& bytes) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  fs::path directory_;
  fs::path crashed_;  // a copy of directory_ taken while its journal was open
};

TEST_F(JournalTest, RecordsSurviveReopen) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) { FAIL() << "a new journal has records"; });
    journal.append(bytes("first"));
    journal.append(bytes("second"));
    journal.append(bytes("third"));
  }
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"first", "second", "third"}));
}

TEST_F(JournalTest, EmptyRecordIsRejected) {
  Journal journal({directory_});
  journal.recover([](std::span<const uint8_t>) {});
  EXPECT_THROW(journal.append(bytes("")), BAD_PARAM);
  journal.append(bytes("after"));  // rejecting it leaves the journal usable
}

TEST_F(JournalTest, OpenFileIsPaddedAndCloseTrimsIt) {
  JournalOptions options{directory_};
  options.preallocate_bytes = 4096;
  fs::path file = directory_ / "journal.0";
  {
    Journal journal(options);
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("one"));
    journal.append(bytes("two"));
    EXPECT_EQ(journal.journal_bytes(), 8U + 2 * (8 + 3));
    EXPECT_EQ(fs::file_size(file), 4096U);
    std::string text = file_text(file);
    EXPECT_EQ(text.substr(0, 8), std::string("ORBJRNL\x02", 8));
    EXPECT_EQ(text.find_first_not_of('\0', journal.journal_bytes()), std::string::npos);
  }
  EXPECT_EQ(fs::file_size(file), 8U + 2 * (8 + 3));
}

TEST_F(JournalTest, FileGrowsInSteps) {
  JournalOptions options{directory_};
  options.preallocate_bytes = 64;
  std::vector<std::string> appended;
  {
    Journal journal(options);
    journal.recover([](std::span<const uint8_t>) {});
    for (int i = 0; i < 40; ++i) {
      appended.push_back("record number " + std::to_string(i));
      journal.append(bytes(appended.back()));
      uintmax_t size = fs::file_size(directory_ / "journal.0");
      EXPECT_EQ(size % 64, 0U) << "after record " << i;
      EXPECT_GE(size, journal.journal_bytes()) << "after record " << i;
      EXPECT_LT(size, journal.journal_bytes() + 64) << "after record " << i;
    }
    copy_as_crashed();
  }
  EXPECT_EQ(recover_from(crashed_), appended);
  EXPECT_EQ(recover_all(), appended);
}

TEST_F(JournalTest, RecordsAcrossBlocksSurviveCrash) {
  // Records of growing length cross many 4096-byte blocks, so appends
  // rewrite partial blocks that hold earlier records.
  std::vector<std::string> appended;
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    for (int i = 0; i < 300; ++i) {
      appended.push_back(std::string(static_cast<size_t>(1 + i * 7 % 500), 'a' + i % 26));
      journal.append(bytes(appended.back()));
    }
    copy_as_crashed();
  }
  EXPECT_EQ(recover_from(crashed_), appended);
  EXPECT_EQ(recover_all(), appended);

  // A reopened journal goes on from the middle of a block.
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    appended.push_back("after reopening");
    journal.append(bytes(appended.back()));
  }
  EXPECT_EQ(recover_all(), appended);
}

/// Flags of this process's open descriptors of `file`, from /proc/self/fdinfo.
std::vector<unsigned> open_flags_of(const fs::path& file) {
  std::vector<unsigned> result;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    if (fs::read_symlink(entry.path(), error) != file) {
      continue;
    }
    std::ifstream info("/proc/self/fdinfo/" + entry.path().filename().string());
    std::string key;
    while (info >> key) {
      if (key == "flags:") {
        std::string octal;
        info >> octal;
        result.push_back(static_cast<unsigned>(std::stoul(octal, nullptr, 8)));
      }
    }
  }
  return result;
}

TEST_F(JournalTest, DirectWritesMatchBufferedOnes) {
  // Both ways must leave the same bytes, padding included, in a crash copy.
  fs::path buffered_directory = directory_.string() + "-buffered";
  fs::remove_all(buffered_directory);
  std::vector<std::string> appended;
  for (int i = 0; i < 120; ++i) {
    appended.push_back(std::string(static_cast<size_t>(1 + i * 37 % 900), 'a' + i % 26));
  }
  {
    JournalOptions direct_options{directory_};
    JournalOptions buffered_options{buffered_directory};
    buffered_options.direct_io = false;
    Journal direct(direct_options);
    Journal buffered(buffered_options);
    direct.recover([](std::span<const uint8_t>) {});
    buffered.recover([](std::span<const uint8_t>) {});
    std::vector<unsigned> flags = open_flags_of(fs::canonical(directory_ / "journal.0"));
    bool any_direct = std::any_of(flags.begin(), flags.end(),
                                  [](unsigned value) { return (value & O_DIRECT) != 0; });
    if (!any_direct) {
      fs::remove_all(buffered_directory);
      GTEST_SKIP() << "the file system of " << directory_ << " does not take O_DIRECT";
    }
    for (const std::string& record : appended) {
      direct.append(bytes(record));
      buffered.append(bytes(record));
    }
    EXPECT_EQ(direct.sync_count(), appended.size());
    copy_as_crashed();
    EXPECT_EQ(file_text(crashed_ / "journal.0"), file_text(buffered_directory / "journal.0"));
  }
  EXPECT_EQ(recover_from(crashed_), appended);
  EXPECT_EQ(recover_all(), appended);
  EXPECT_EQ(file_text(directory_ / "journal.0"), file_text(buffered_directory / "journal.0"));
  fs::remove_all(buffered_directory);
}

TEST_F(JournalTest, NoPreallocationAppendsAtEnd) {
  JournalOptions options{directory_};
  options.preallocate_bytes = 0;
  Journal journal(options);
  journal.recover([](std::span<const uint8_t>) {});
  journal.append(bytes("alone"));
  EXPECT_EQ(fs::file_size(directory_ / "journal.0"), journal.journal_bytes());
}

TEST_F(JournalTest, PaddingEndsTheLogAfterCrash) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("kept one"));
    journal.append(bytes("kept two"));
    copy_as_crashed();
  }
  ASSERT_GT(fs::file_size(crashed_ / "journal.0"), 8U + 2 * (8 + 8));
  RecoveryReport report;
  EXPECT_EQ(recover_from(crashed_, &report), (std::vector<std::string>{"kept one", "kept two"}));
  EXPECT_EQ(report.journal_records, 2U);
  EXPECT_EQ(report.torn_tail_bytes, 0U);
}

TEST_F(JournalTest, TornRecordInPaddingIsCut) {
  uint64_t end = 0;
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("kept"));
    journal.append(bytes("half written"));
    end = journal.journal_bytes();
    copy_as_crashed();
  }
  // The last 5 bytes of the record never reached the disk, so they read as zeros.
  write_at(crashed_ / "journal.0", end - 5, std::string(5, '\0'));

  RecoveryReport report;
  EXPECT_EQ(recover_from(crashed_, &report), (std::vector<std::string>{"kept"}));
  EXPECT_EQ(report.torn_tail_bytes, 8U + 12 - 5);

  // Appends overwrite the torn record, and nothing of it is read again.
  {
    Journal journal({crashed_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("new"));
  }
  EXPECT_EQ(recover_from(crashed_, &report), (std::vector<std::string>{"kept", "new"}));
  EXPECT_EQ(report.torn_tail_bytes, 0U);
}

TEST_F(JournalTest, DataAfterTornRecordIsDamage) {
  uint64_t end = 0;
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("first"));
    journal.append(bytes("second"));
    end = journal.journal_bytes();
    copy_as_crashed();
  }
  write_at(crashed_ / "journal.0", end - 1, std::string(1, 'X'));    // breaks "second"
  write_at(crashed_ / "journal.0", end + 100, std::string(1, 'Y'));  // inside the padding
  EXPECT_THROW(recover_from(crashed_), PERSIST_STORE);
}

TEST_F(JournalTest, VersionOneJournalIsReadAndUpgraded) {
  fs::create_directories(directory_);
  std::vector<uint8_t> old{'O', 'R', 'B', 'J', 'R', 'N', 'L', 1};
  for (const std::string& text : {std::string("alpha"), std::string("beta")}) {
    std::vector<uint8_t> payload = bytes(text);
    uint32_t length = static_cast<uint32_t>(payload.size());
    uint32_t checksum = crc32c(payload);
    for (uint32_t field : {length, checksum}) {
      for (int i = 0; i < 4; ++i) {
        old.push_back(static_cast<uint8_t>(field >> (8 * i)));
      }
    }
    old.insert(old.end(), payload.begin(), payload.end());
  }
  std::ofstream(directory_ / "journal.0", std::ios::binary)
      .write(reinterpret_cast<const char*>(old.data()), static_cast<std::streamsize>(old.size()));

  {
    Journal journal({directory_});
    std::vector<std::string> records;
    journal.recover([&](std::span<const uint8_t> record) {
      records.emplace_back(record.begin(), record.end());
    });
    EXPECT_EQ(records, (std::vector<std::string>{"alpha", "beta"}));
    journal.append(bytes("gamma"));
  }
  EXPECT_EQ(file_text(directory_ / "journal.0").substr(0, 8), std::string("ORBJRNL\x02", 8));
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"alpha", "beta", "gamma"}));
}

TEST_F(JournalTest, UnknownVersionIsRefused) {
  fs::create_directories(directory_);
  std::ofstream(directory_ / "journal.0", std::ios::binary) << std::string("ORBJRNL\x09", 8);
  EXPECT_THROW(recover_all(), PERSIST_STORE);
}

TEST_F(JournalTest, TornTailIsCutAndReported) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("kept one"));
    journal.append(bytes("kept two"));
    journal.append(bytes("half written"));
  }
  fs::path file = directory_ / "journal.0";
  fs::resize_file(file, fs::file_size(file) - 5);  // a crash in the middle of the last record

  RecoveryReport report;
  EXPECT_EQ(recover_all(&report), (std::vector<std::string>{"kept one", "kept two"}));
  EXPECT_EQ(report.journal_records, 2U);
  EXPECT_EQ(report.torn_tail_bytes, 8U + 12 - 5);

  // The tail is gone from the file, so a new append follows the last good record.
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("after the crash"));
  }
  EXPECT_EQ(recover_all(&report),
            (std::vector<std::string>{"kept one", "kept two", "after the crash"}));
  EXPECT_EQ(report.torn_tail_bytes, 0U);
}

TEST_F(JournalTest, DamageBeforeTailIsRefused) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("alpha"));
    journal.append(bytes("beta"));
  }
  {
    std::fstream file(directory_ / "journal.0", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(8 + 8 + 1);  // inside the payload of "alpha"
    file.put('X');
  }
  EXPECT_THROW(recover_all(), PERSIST_STORE);
}

TEST_F(JournalTest, WrongLengthBeforeMoreRecordsIsRefused) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("alpha"));
    journal.append(bytes("beta"));
    journal.append(bytes("gamma"));
  }
  fs::path file = directory_ / "journal.0";
  std::string intact = file_text(file);
  // The length field of "alpha", right after the 8-byte file header: too
  // long for the file, zero, and longer than the record but within the file.
  for (std::string length : {std::string("\x00\xff\xff\x7f", 4), std::string(4, '\0'),
                             std::string("\x0e\x00\x00\x00", 4)}) {
    SCOPED_TRACE(static_cast<unsigned char>(length[0]));
    write_at(file, 8, length);
    EXPECT_THROW(recover_all(), PERSIST_STORE);
    EXPECT_EQ(file_text(file), std::string(intact).replace(8, 4, length));  // nothing cut off
    write_at(file, 8, intact.substr(8, 4));
  }
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"alpha", "beta", "gamma"}));
}

TEST_F(JournalTest, JournalWithoutSnapshotIsRefused) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("kept"));
  }
  std::ofstream(directory_ / "journal.9", std::ios::binary) << "ORBJRNL\x02";
  EXPECT_THROW(recover_all(), PERSIST_STORE);
  ASSERT_TRUE(fs::exists(directory_ / "journal.0"));

  fs::remove(directory_ / "journal.9");
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"kept"}));
}

TEST_F(JournalTest, SecondJournalOnDirectoryIsRefused) {
  {
    Journal first({directory_});
    first.recover([](std::span<const uint8_t>) {});
    first.append(bytes("first's"));
    EXPECT_THROW(Journal({directory_}), PERSIST_STORE);
    first.append(bytes("still first's"));
  }
  // The lock ends with the journal that held it.
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"first's", "still first's"}));
}

TEST_F(JournalTest, TornHeaderStartsAfresh) {
  fs::create_directories(directory_);
  std::ofstream(directory_ / "journal.0", std::ios::binary) << "ORB";
  RecoveryReport report;
  EXPECT_TRUE(recover_all(&report).empty());
  EXPECT_EQ(report.torn_tail_bytes, 3U);
}

TEST_F(JournalTest, CompactionKeepsState) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    for (int i = 0; i < 100; ++i) {
      journal.append(bytes("change " + std::to_string(i)));
    }
    journal.compact([](const RecordSink& emit) {
      emit(bytes("state a"));
      emit(bytes("state b"));
    });
    EXPECT_EQ(journal.generation(), 1U);
    journal.append(bytes("after compaction"));
  }
  RecoveryReport report;
  EXPECT_EQ(recover_all(&report),
            (std::vector<std::string>{"state a", "state b", "after compaction"}));
  EXPECT_EQ(report.generation, 1U);
  EXPECT_EQ(report.snapshot_records, 2U);
  EXPECT_FALSE(fs::exists(directory_ / "journal.0"));
}

TEST_F(JournalTest, CrashDuringCompactionKeepsNewestGeneration) {
  // A crash after the snapshot was renamed but before the old journal was
  // removed leaves both; the snapshot already contains the old journal.
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("old change"));
    journal.compact([](const RecordSink& emit) { emit(bytes("whole state")); });
  }
  fs::remove(directory_ / "journal.1");
  {
    std::ofstream old(directory_ / "journal.0", std::ios::binary);
    old << "ORBJRNL\x01";
  }
  std::ofstream(directory_ / "snapshot.2.tmp") << "unfinished";
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"whole state"}));
  EXPECT_FALSE(fs::exists(directory_ / "journal.0"));
  EXPECT_FALSE(fs::exists(directory_ / "snapshot.2.tmp"));
}

TEST_F(JournalTest, CompactionAfterFailedWriteRaises) {
  // A file size limit makes the journal's growth fail, and compact() must
  // then raise instead of waiting for the queue of records to drain. The
  // limit is set in a child process, where an alarm turns a hang into a
  // failed exit.
  auto fail_then_compact = [this] {
    ::alarm(10);
    Journal journal(options_for_small_files());
    journal.recover([](std::span<const uint8_t>) {});
    limit_file_size();
    int rejected = 0;
    for (int i = 0; i < 2; ++i) {
      try {
        journal.append(std::vector<uint8_t>(5000, 1));
      } catch (const PERSIST_STORE&) {
        ++rejected;
      }
    }
    try {
      journal.compact([](const RecordSink& emit) { emit(bytes("state")); });
    } catch (const PERSIST_STORE&) {
      std::exit(rejected == 2 ? 0 : 2);
    }
    std::exit(3);
  };
  ASSERT_EXIT(fail_then_compact(), ::testing::ExitedWithCode(0), "");
}

TEST_F(JournalTest, FailedJournalQueuesNoRecords) {
  // After a failed write, each append raises without keeping its record:
  // 256 appends of 1 MiB leave the process's peak memory about where it was.
  auto fail_then_append = [this] {
    ::alarm(30);
    Journal journal(options_for_small_files());
    journal.recover([](std::span<const uint8_t>) {});
    limit_file_size();
    const std::vector<uint8_t> record(1 << 20, 1);
    auto peak_kib = [] {
      rusage usage{};
      ::getrusage(RUSAGE_SELF, &usage);
      return usage.ru_maxrss;
    };
    int rejected = 0;
    long before = 0;
    for (int i = 0; i < 257; ++i) {
      try {
        journal.append(record);
      } catch (const PERSIST_STORE&) {
        ++rejected;
      }
      if (i == 0) {
        before = peak_kib();
      }
    }
    if (rejected != 257) {
      std::exit(2);
    }
    long growth_kib = peak_kib() - before;
    std::exit(growth_kib > 64 * 1024 ? 3 : 0);
  };
  ASSERT_EXIT(fail_then_append(), ::testing::ExitedWithCode(0), "");
}

TEST_F(JournalTest, ConcurrentAppendsEachOnce) {
  constexpr int kThreads = 8;
  constexpr int kRecords = 200;
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) {});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kRecords; ++i) {
          journal.append(bytes(std::to_string(t) + ":" + std::to_string(i)));
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  std::vector<std::string> records = recover_all();
  std::set<std::string> unique(records.begin(), records.end());
  EXPECT_EQ(records.size(), static_cast<size_t>(kThreads * kRecords));
  EXPECT_EQ(unique.size(), records.size());
}

TEST_F(JournalTest, EveryAppendSyncsWithoutInterval) {
  Journal journal({directory_});
  journal.recover([](std::span<const uint8_t>) {});
  uint64_t before = journal.sync_count();
  for (int i = 0; i < 5; ++i) {
    journal.append(bytes("record " + std::to_string(i)));
  }
  EXPECT_EQ(journal.sync_count() - before, 5u);
}

/// Appends `count` records on each of `threads` threads at once and
/// returns the syncs they took and the seconds it took.
std::pair<uint64_t, double> append_in_parallel(Journal& journal, int threads, int count) {
  uint64_t before = journal.sync_count();
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&journal, t, count] {
      for (int i = 0; i < count; ++i) {
        std::string text = std::to_string(t) + ":" + std::to_string(i);
        journal.append(std::vector<uint8_t>(text.begin(), text.end()));
      }
    });
  }
  for (std::thread& writer : writers) {
    writer.join();
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return {journal.sync_count() - before, took.count()};
}

TEST_F(JournalTest, CommitDelayLetsTwoWritersShareSyncs) {
  // A long delay, so that the second writer's record always comes first;
  // each wait ends when it does.
  JournalOptions options{directory_};
  options.commit_delay = std::chrono::milliseconds(500);
  Journal journal(options);
  journal.recover([](std::span<const uint8_t>) {});

  auto [lone_syncs, lone_seconds] = append_in_parallel(journal, 1, 20);
  EXPECT_EQ(lone_syncs, 20U);
  EXPECT_LT(lone_seconds, 10.0);  // a lone writer never waits

  constexpr int kEach = 100;
  auto [syncs, seconds] = append_in_parallel(journal, 2, kEach);
  // After the first overlap, every batch carries one record of each, as
  // long as neither thread is held off the CPU: without the wait it took
  // 150 syncs here, with it 100 to 109 under a parallel test run. Busy
  // neighbours on 2 CPUs sometimes pushed it past 125, hence the margin.
  EXPECT_LE(syncs, kEach * 7 / 5U);
  EXPECT_LT(seconds, 30.0);  // the waits end when the second record comes

  auto [after_syncs, after_seconds] = append_in_parallel(journal, 1, 20);
  EXPECT_EQ(after_syncs, 20U);
  EXPECT_LT(after_seconds, 10.0);  // at most one wait once the second writer left
}

TEST_F(JournalTest, IntervalSyncsInBackground) {
  using namespace std::chrono_literals;
  JournalOptions options{directory_};
  options.sync_interval = 100ms;
  Journal journal(options);
  journal.recover([](std::span<const uint8_t>) {});
  uint64_t before = journal.sync_count();
  for (int i = 0; i < 50; ++i) {
    journal.append(bytes("record " + std::to_string(i)));
  }
  // Fifty appends in much less than two intervals share at most two syncs.
  EXPECT_LE(journal.sync_count() - before, 2u);

  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (journal.sync_count() == before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GE(journal.sync_count() - before, 1u) << "no background sync within 5 s";

  // With nothing appended since, the thread does not sync again.
  uint64_t settled = journal.sync_count();
  std::this_thread::sleep_for(350ms);
  EXPECT_EQ(journal.sync_count(), settled);
}

TEST_F(JournalTest, IntervalRecordsSurviveReopen) {
  using namespace std::chrono_literals;
  {
    JournalOptions options{directory_};
    options.sync_interval = 1s;
    Journal journal(options);
    journal.recover([](std::span<const uint8_t>) {});
    journal.append(bytes("first"));
    journal.append(bytes("second"));
    // Closing syncs what the interval has not yet reached and stops the thread.
  }
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"first", "second"}));
}

TEST(Crc32c, KnownValue) {
  // The check value of CRC-32C for "123456789".
  std::string text = "123456789";
  EXPECT_EQ(
      crc32c(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size())),
      0xE3069283U);
}

}  // namespace
}  // namespace orb::store
