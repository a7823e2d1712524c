// Journal: records survive reopening, a torn tail is cut off and reported,
// damage before the tail is refused, compaction keeps the state, and
// concurrent appends each come back exactly once.
#include <store/journal.hpp>

#include <orb/exception.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

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
  }
  ~JournalTest() override { fs::remove_all(directory_); }

  static std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

  std::vector<std::string> recover_all(RecoveryReport* report = nullptr) {
    Journal journal({directory_});
    std::vector<std::string> records;
    RecoveryReport found = journal.recover([&](std::span<const uint8_t> record) {
      records.emplace_back(record.begin(), record.end());
    });
    if (report != nullptr) {
      *report = found;
    }
    return records;
  }

  fs::path directory_;
};

TEST_F(JournalTest, RecordsSurviveReopen) {
  {
    Journal journal({directory_});
    journal.recover([](std::span<const uint8_t>) { FAIL() << "a new journal has records"; });
    journal.append(bytes("first"));
    journal.append(bytes(""));
    journal.append(bytes("third"));
  }
  EXPECT_EQ(recover_all(), (std::vector<std::string>{"first", "", "third"}));
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
