// JournalStore: binding semantics, recovery after reopening, a journal cut
// in the middle of a record, compaction, leases, and concurrent writers.
#include <orb/naming/journal_store.hpp>

#include "child_process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

namespace orb::naming {
namespace {

using namespace std::chrono_literals;
using CosNaming::BindingType;
using CosNaming::NameComponent;

class JournalStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<JournalStore> open(uint64_t compact_bytes = 1 << 20) {
    auto store = std::make_unique<JournalStore>(
        JournalStoreOptions{directory(), false, compact_bytes}, orb_);
    recovery_ = store->recover();
    return store;
  }
  std::filesystem::path directory() const { return scratch_.path() / "naming"; }

  /// Makes an entry whose reference needs no server, since only its IOR is stored.
  Entry object_entry(const std::string& key, uint32_t lease_seconds = 0) {
    ObjectRef object = orb_.string_to_object("corbaloc::127.0.0.1:1/" + key);
    return Entry{BindingType::nobject, std::nullopt, object, 0, lease_seconds};
  }
  std::string ior_of(const std::optional<Entry>& entry) {
    return entry ? orb_.object_to_string(entry->object) : std::string("(none)");
  }
  std::string ior_of(const std::string& key) { return ior_of(object_entry(key)); }

  test::ScratchDir scratch_;
  Orb orb_{OrbOptions{}};
  StoreRecovery recovery_;
};

TEST_F(JournalStoreTest, BindRebindAndRemove) {
  auto store = open();
  NameComponent name{"a", "k"};
  EXPECT_EQ(store->put(kRootContext, name, object_entry("one"), PutMode::bind).outcome,
            PutOutcome::stored);
  EXPECT_EQ(store->put(kRootContext, name, object_entry("two"), PutMode::bind).outcome,
            PutOutcome::already_bound);
  EXPECT_EQ(ior_of(store->find(kRootContext, name)), ior_of("one"));

  EXPECT_EQ(store->put(kRootContext, name, object_entry("two"), PutMode::rebind).outcome,
            PutOutcome::stored);
  EXPECT_EQ(ior_of(store->find(kRootContext, name)), ior_of("two"));

  Entry context{BindingType::ncontext, store->create_context(), nullptr};
  EXPECT_EQ(store->put(kRootContext, name, context, PutMode::rebind).outcome,
            PutOutcome::type_conflict);
  EXPECT_EQ(store->put(99, name, object_entry("x"), PutMode::bind).outcome, PutOutcome::no_context);

  EXPECT_TRUE(store->remove(kRootContext, name));
  EXPECT_FALSE(store->remove(kRootContext, name));
  EXPECT_FALSE(store->find(kRootContext, name));
}

TEST_F(JournalStoreTest, DestroyNeedsEmptyContext) {
  auto store = open();
  ContextId context = store->create_context();
  store->put(context, {"x", ""}, object_entry("x"), PutMode::bind);
  EXPECT_EQ(store->destroy_context(context), DestroyOutcome::not_empty);
  store->remove(context, {"x", ""});
  EXPECT_EQ(store->destroy_context(context), DestroyOutcome::destroyed);
  EXPECT_EQ(store->destroy_context(context), DestroyOutcome::no_context);
  EXPECT_FALSE(store->has_context(context));
}

TEST_F(JournalStoreTest, ReopenRecoversState) {
  ContextId child = 0;
  {
    auto store = open();
    child = store->create_context();
    store->put(kRootContext, {"child", "ctx"}, Entry{BindingType::ncontext, child, nullptr},
               PutMode::bind);
    store->put(child, {"leaf", ""}, object_entry("leaf"), PutMode::bind);
    store->put(kRootContext, {"gone", ""}, object_entry("gone"), PutMode::bind);
    store->remove(kRootContext, {"gone", ""});
  }
  auto store = open();
  EXPECT_EQ(recovery_.contexts, 2U);
  EXPECT_EQ(recovery_.bindings, 2U);
  EXPECT_EQ(recovery_.journal.torn_tail_bytes, 0U);
  std::optional<Entry> bound = store->find(kRootContext, {"child", "ctx"});
  ASSERT_TRUE(bound);
  EXPECT_EQ(bound->type, BindingType::ncontext);
  EXPECT_EQ(bound->local_context, child);
  EXPECT_EQ(ior_of(store->find(child, {"leaf", ""})), ior_of("leaf"));
  EXPECT_FALSE(store->find(kRootContext, {"gone", ""}));
  EXPECT_GT(store->create_context(), child);  // ids are never reused
}

TEST_F(JournalStoreTest, TruncatedJournalKeepsEarlierRecords) {
  std::vector<uintmax_t> sizes;  // journal size after each acknowledged bind
  {
    auto store = open();
    for (int i = 0; i < 20; ++i) {
      store->put(kRootContext, {"n" + std::to_string(i), ""}, object_entry("o"), PutMode::bind);
      sizes.push_back(store->journal_bytes());
    }
  }
  // A clean close trims the file's zero padding, so it ends at the last record.
  ASSERT_EQ(std::filesystem::file_size(directory() / "journal.0"), sizes.back());
  // Cut the 13th record short, as a crash in the middle of its write would.
  std::filesystem::resize_file(directory() / "journal.0", sizes[11] + 7);
  auto store = open();
  EXPECT_EQ(recovery_.journal.journal_records, 12U);
  EXPECT_EQ(recovery_.journal.torn_tail_bytes, 7U);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(store->find(kRootContext, {"n" + std::to_string(i), ""}).has_value(), i < 12)
        << "n" << i;
  }
  // The journal continues after the cut.
  store->put(kRootContext, {"after", ""}, object_entry("o"), PutMode::bind);
  store.reset();  // its journal holds the directory's lock until it closes
  store = open();
  EXPECT_TRUE(store->find(kRootContext, {"after", ""}));
  EXPECT_EQ(recovery_.journal.torn_tail_bytes, 0U);
}

TEST_F(JournalStoreTest, CompactionKeepsState) {
  {
    auto store = open(2048);
    for (int i = 0; i < 200; ++i) {
      store->put(kRootContext, {"n" + std::to_string(i), ""}, object_entry("o"), PutMode::bind);
    }
    for (int i = 0; i < 200; i += 2) {
      store->remove(kRootContext, {"n" + std::to_string(i), ""});
    }
    EXPECT_GT(store->generation(), 0U);
  }
  auto store = open(2048);
  EXPECT_GT(recovery_.journal.snapshot_records, 0U);
  EXPECT_EQ(recovery_.bindings, 100U);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(store->find(kRootContext, {"n" + std::to_string(i), ""}).has_value(), i % 2 == 1);
  }
}

TEST_F(JournalStoreTest, LeaseExpiresAndStaysExpired) {
  {
    auto store = open();
    PutResult leased =
        store->put(kRootContext, {"leased", ""}, object_entry("o", 1), PutMode::bind);
    store->put(kRootContext, {"plain", ""}, object_entry("o"), PutMode::bind);
    EXPECT_NE(leased.lease, 0U);
    EXPECT_TRUE(store->expire_leases().empty());
    std::this_thread::sleep_for(1100ms);
    std::vector<RemovedBinding> expired = store->expire_leases();
    ASSERT_EQ(expired.size(), 1U);
    EXPECT_EQ(expired[0].name.id, "leased");
    EXPECT_EQ(expired[0].lease, leased.lease);
    EXPECT_FALSE(store->renew(leased.lease, 5));
  }
  auto store = open();
  EXPECT_FALSE(store->find(kRootContext, {"leased", ""}));
  EXPECT_TRUE(store->find(kRootContext, {"plain", ""}));
  EXPECT_EQ(recovery_.leases, 0U);
}

TEST_F(JournalStoreTest, RenewAndCancel) {
  auto store = open();
  LeaseId lease =
      store->put(kRootContext, {"leased", ""}, object_entry("o", 1), PutMode::bind).lease;
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(500ms);
    EXPECT_TRUE(store->renew(lease, 1));
    EXPECT_TRUE(store->expire_leases().empty());
  }
  std::optional<RemovedBinding> cancelled = store->cancel(lease);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->name.id, "leased");
  EXPECT_FALSE(store->find(kRootContext, {"leased", ""}));
  EXPECT_FALSE(store->cancel(lease));
}

TEST_F(JournalStoreTest, LeaseSurvivesRestartWithFullLength) {
  LeaseId lease = 0;
  {
    auto store = open();
    lease = store->put(kRootContext, {"leased", ""}, object_entry("o", 1), PutMode::bind).lease;
    EXPECT_TRUE(store->renew(lease, 2));  // a new length is journaled
  }
  auto store = open();
  EXPECT_EQ(recovery_.leases, 1U);
  std::this_thread::sleep_for(1200ms);
  EXPECT_TRUE(store->expire_leases().empty());  // 2 s from the restart, not 1 s
  EXPECT_TRUE(store->renew(lease, 2));
  LeaseId next = store->put(kRootContext, {"other", ""}, object_entry("o", 5), PutMode::bind).lease;
  EXPECT_GT(next, lease);
}

TEST_F(JournalStoreTest, ReplacedBindingLosesLease) {
  auto store = open();
  LeaseId lease = store->put(kRootContext, {"n", ""}, object_entry("o", 1), PutMode::bind).lease;
  store->put(kRootContext, {"n", ""}, object_entry("p"), PutMode::rebind);
  EXPECT_FALSE(store->renew(lease, 1));
  std::this_thread::sleep_for(1100ms);
  EXPECT_TRUE(store->expire_leases().empty());
  EXPECT_EQ(ior_of(store->find(kRootContext, {"n", ""})), ior_of("p"));
}

TEST_F(JournalStoreTest, ConcurrentWritersAllDurable) {
  constexpr int kThreads = 4;
  constexpr int kEach = 150;
  {
    auto store =
        std::make_unique<JournalStore>(JournalStoreOptions{directory(), true, 1 << 20}, orb_);
    store->recover();
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&, t] {
        ContextId context = store->create_context();
        for (int i = 0; i < kEach; ++i) {
          store->put(context, {std::to_string(i), ""}, object_entry("o"), PutMode::bind);
        }
        store->put(kRootContext, {"t" + std::to_string(t), ""},
                   Entry{BindingType::ncontext, context, nullptr}, PutMode::bind);
      });
    }
    for (std::thread& writer : writers) {
      writer.join();
    }
  }
  auto store = open();
  EXPECT_EQ(recovery_.bindings, static_cast<size_t>(kThreads * (kEach + 1)));
  for (int t = 0; t < kThreads; ++t) {
    std::optional<Entry> context = store->find(kRootContext, {"t" + std::to_string(t), ""});
    ASSERT_TRUE(context);
    ASSERT_TRUE(context->local_context);
    EXPECT_EQ(store->list(*context->local_context).size(), static_cast<size_t>(kEach));
  }
}

}  // namespace
}  // namespace orb::naming
