// The tuple-space engine without the ORB: matching, every operation,
// timeouts, leases, notify, transactions, leased takes, FIFO wake-up,
// concurrent takers, and persistence across a reopen of the journal.
#include <orb/space/engine.hpp>

#include <orb/exception.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

namespace orb::space {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Template task_template() {
  return make_template({"task", any_of<int64_t>});
}

/// Waits up to a second for `engine` to have `count` blocked requests.
bool wait_for_waiters(const Engine& engine, size_t count) {
  auto deadline = Clock::now() + 1s;
  while (engine.waiting() < count) {
    if (Clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(SpaceMatching, ValueTypeAndFullWildcards) {
  Tuple tuple = make_tuple({"task", 42, 3.5, true});
  EXPECT_TRUE(matches(make_template({"task", 42, 3.5, true}), tuple));
  EXPECT_TRUE(matches(make_template({"task", any_of<int64_t>, any_of<double>, any}), tuple));
  EXPECT_TRUE(matches(make_template({any, any, any, any}), tuple));
  EXPECT_FALSE(matches(make_template({"task", 43, 3.5, true}), tuple));
  EXPECT_FALSE(matches(make_template({"task", any_of<double>, 3.5, true}), tuple));
  EXPECT_FALSE(matches(make_template({"task", 42, 3.5}), tuple));
  // 1 and 1.0 are different field types.
  EXPECT_FALSE(matches(make_template({1}), make_tuple({1.0})));
  EXPECT_TRUE(matches(make_template({Bytes{1, 2}}), make_tuple({Bytes{1, 2}})));
  EXPECT_TRUE(matches(make_template({Any::from(int32_t{7})}), make_tuple({Any::from(int32_t{7})})));
  EXPECT_FALSE(
      matches(make_template({Any::from(int32_t{7})}), make_tuple({Any::from(int16_t{7})})));
}

TEST(SpaceMatching, TextForms) {
  EXPECT_EQ(to_string(make_tuple({"a\"b", -4, 2.0, false, Bytes{0x0a, 0xff}})),
            "(\"a\\\"b\", -4, 2.0, false, 0x0aff)");
  EXPECT_EQ(to_string(make_template({"task", any_of<int64_t>, any})), "(\"task\", <int>, *)");
}

TEST(SpaceMatching, ParsesTheTextForm) {
  EXPECT_EQ(parse_field("42"), FieldValue(42).field());
  EXPECT_EQ(parse_field("-3"), FieldValue(-3).field());
  EXPECT_EQ(parse_field("2.5"), FieldValue(2.5).field());
  EXPECT_EQ(parse_field("1e3"), FieldValue(1000.0).field());
  EXPECT_EQ(parse_field("true"), FieldValue(true).field());
  EXPECT_EQ(parse_field("0x0aff"), FieldValue(Bytes{0x0a, 0xff}).field());
  EXPECT_EQ(parse_field("\"42\""), FieldValue("42").field());
  EXPECT_EQ(parse_field("hello"), FieldValue("hello").field());
  EXPECT_EQ(parse_field("\"a\\\"b\\x41\""), FieldValue("a\"bA").field());
  // The smallest subnormal double is a number; a word with spaces is a string.
  EXPECT_EQ(parse_field("4.9406564584124654e-324"),
            FieldValue(std::numeric_limits<double>::denorm_min()).field());
  EXPECT_EQ(parse_field(" 42"), FieldValue(" 42").field());
  // What to_string() prints for a double reads back as that double.
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  for (double value : {kInfinity, -kInfinity, 0.1, -0.0}) {
    Field field = FieldValue(value).field();
    EXPECT_EQ(parse_field(to_string(field)), field) << to_string(field);
  }
  EXPECT_EQ(parse_field("+inf"), FieldValue(kInfinity).field());
  for (std::string_view text : {"nan", "-nan"}) {
    Field field = parse_field(text);
    ASSERT_EQ(field._d(), FieldType::type_double) << text;
    EXPECT_TRUE(std::isnan(field.double_value())) << text;
    EXPECT_EQ(to_string(field), text);
  }
  EXPECT_EQ(parse_field("\"inf\""), FieldValue("inf").field());
  EXPECT_EQ(parse_field("info"), FieldValue("info").field());
  EXPECT_EQ(parse_field("42 "), FieldValue("42 ").field());
  EXPECT_EQ(parse_template_field("*"), anything());
  EXPECT_EQ(parse_template_field("<int>"), of_type(FieldType::type_long_long));
  EXPECT_EQ(parse_template_field("7"), exactly(FieldValue(7).field()));
}

TEST(SpaceMatching, RejectsMalformedText) {
  EXPECT_THROW(parse_field("0xz1"), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("0xabc"), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("\"open"), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("\"bad\\q\""), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("99999999999999999999"), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("1e999"), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("\"\\x4\""), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(parse_field("\"a\\x00b\""), ::OrbSpace::InvalidArgument);
  try {
    parse_template_field("<number>");
    FAIL() << "an unknown type was accepted";
  } catch (const ::OrbSpace::InvalidArgument& error) {
    EXPECT_EQ(
        error.reason,
        "invalid field '<number>': unknown type; use bool, int, double, string, bytes or any");
  }
}

TEST(SpaceMatching, TextFormRoundTrips) {
  Tuple tuple = make_tuple({"with \"quotes\" and \n", -12, 0.1, false, Bytes{1, 2, 3}, "7"});
  for (const Field& field : tuple) {
    EXPECT_EQ(parse_field(to_string(field)), field) << to_string(field);
  }
}

TEST(SpaceEngine, ReadCopiesAndTakeRemoves) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  std::optional<Tuple> read = engine.read(task_template(), 0ms);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, make_tuple({"task", 1}));
  EXPECT_EQ(engine.size(), 1u);
  std::optional<TakenTuple> taken = engine.take(task_template(), 0ms);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->tuple, make_tuple({"task", 1}));
  EXPECT_EQ(engine.size(), 0u);
  EXPECT_FALSE(engine.take(task_template(), 0ms));
  EXPECT_FALSE(engine.read(task_template(), 0ms));
}

TEST(SpaceEngine, TakeReturnsTheOldestMatchOfTheFirstFieldsChain) {
  Engine engine;
  for (int i = 0; i < 5; ++i) {
    engine.write(make_tuple({"task", i}), kForever);
    engine.write(make_tuple({"other", i}), kForever);
  }
  for (int i = 0; i < 5; ++i) {
    std::optional<TakenTuple> taken = engine.take(task_template(), 0ms);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->tuple[1].long_value(), i);
  }
  EXPECT_EQ(engine.count(make_template({any, any})), 5u);
}

TEST(SpaceEngine, CountAndContents) {
  Engine engine;
  engine.write_all(
      {make_tuple({"a", 1}), make_tuple({"a", 2}), make_tuple({"b", 3}), make_tuple({1, 2, 3})},
      kForever);
  EXPECT_EQ(engine.count(make_template({"a", any})), 2u);
  EXPECT_EQ(engine.count(make_template({any, any_of<int64_t>})), 3u);
  EXPECT_EQ(engine.count(make_template({any, any, any})), 1u);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.front(), make_tuple({"a", 1}));
  EXPECT_EQ(all.back(), make_tuple({1, 2, 3}));
  EXPECT_EQ(engine.contents(2).size(), 2u);
}

TEST(SpaceEngine, BlockingTakeTimesOut) {
  Engine engine;
  auto start = Clock::now();
  EXPECT_FALSE(engine.take(task_template(), 100ms));
  auto waited = Clock::now() - start;
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 2s);
  EXPECT_EQ(engine.waiting(), 0u);
}

TEST(SpaceEngine, BlockedTakerGetsALaterWrite) {
  Engine engine;
  std::optional<TakenTuple> taken;
  std::thread taker([&] { taken = engine.take(task_template(), kForever); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  engine.write(make_tuple({"task", 9}), kForever);
  taker.join();
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->tuple, make_tuple({"task", 9}));
  EXPECT_EQ(engine.size(), 0u);
}

TEST(SpaceEngine, BlockedTakersAreServedInArrivalOrder) {
  Engine engine;
  constexpr int kTakers = 4;
  std::vector<std::optional<TakenTuple>> results(kTakers);
  std::vector<std::thread> takers;
  for (int i = 0; i < kTakers; ++i) {
    takers.emplace_back([&, i] { results[i] = engine.take(task_template(), 5s); });
    ASSERT_TRUE(wait_for_waiters(engine, i + 1));  // so arrival order is i
  }
  for (int i = 0; i < kTakers; ++i) {
    engine.write(make_tuple({"task", i}), kForever);
  }
  for (std::thread& taker : takers) {
    taker.join();
  }
  for (int i = 0; i < kTakers; ++i) {
    ASSERT_TRUE(results[i]) << "taker " << i;
    EXPECT_EQ(results[i]->tuple[1].long_value(), i) << "taker " << i;
  }
}

TEST(SpaceEngine, AWriteWakesEveryMatchingReaderAndOneTaker) {
  Engine engine;
  std::optional<Tuple> read1;
  std::optional<Tuple> read2;
  std::optional<TakenTuple> taken1;
  std::optional<TakenTuple> taken2;
  std::thread r1([&] { read1 = engine.read(task_template(), 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  std::thread t1([&] { taken1 = engine.take(task_template(), 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 2));
  std::thread r2([&] { read2 = engine.read(task_template(), 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 3));
  std::thread t2([&] { taken2 = engine.take(task_template(), 300ms); });
  ASSERT_TRUE(wait_for_waiters(engine, 4));
  engine.write(make_tuple({"task", 5}), kForever);
  r1.join();
  t1.join();
  t2.join();
  // The second reader queued behind the taker that consumed the tuple.
  EXPECT_EQ(engine.waiting(), 1u);
  engine.write(make_tuple({"task", 6}), kForever);
  r2.join();
  ASSERT_TRUE(read1 && taken1 && read2);
  EXPECT_EQ((*read1)[1].long_value(), 5);
  EXPECT_EQ(taken1->tuple[1].long_value(), 5);
  EXPECT_FALSE(taken2);
  EXPECT_EQ((*read2)[1].long_value(), 6);
}

TEST(SpaceEngine, StopWaitingReleasesBlockedTakers) {
  Engine engine;
  std::optional<TakenTuple> taken;
  std::thread taker([&] { taken = engine.take(task_template(), kForever); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  engine.stop_waiting();
  taker.join();
  EXPECT_FALSE(taken);
  EXPECT_FALSE(engine.read(task_template(), 1s));  // returns at once
  engine.write(make_tuple({"task", 1}), 50ms);
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(engine.size(), 0u);  // leases still expire
}

TEST(SpaceEngine, TakeUpToTakesSeveralAndWaitsForTheFirst) {
  Engine engine;
  EXPECT_TRUE(engine.take_up_to(task_template(), 10, 0ms).empty());
  engine.write_all({make_tuple({"task", 1}), make_tuple({"task", 2}), make_tuple({"task", 3})},
                   kForever);
  EXPECT_EQ(engine.take_up_to(task_template(), 2, 0ms).size(), 2u);
  EXPECT_EQ(engine.take_up_to(task_template(), 2, 0ms).size(), 1u);
  std::vector<TakenTuple> later;
  std::thread taker([&] { later = engine.take_up_to(task_template(), 5, 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  engine.write(make_tuple({"task", 4}), kForever);
  taker.join();
  ASSERT_EQ(later.size(), 1u);
}

TEST(SpaceEngine, BlockedTakerTakesNoMoreThanAsked) {
  Engine engine;
  std::vector<TakenTuple> first_taken;
  std::vector<TakenTuple> second_taken;
  std::thread first([&] { first_taken = engine.take_up_to(task_template(), 1, 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  std::thread second([&] { second_taken = engine.take_up_to(task_template(), 2, 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 2));
  engine.write_all({make_tuple({"task", 1}), make_tuple({"task", 2}), make_tuple({"task", 3})},
                   kForever);
  first.join();
  second.join();
  ASSERT_EQ(first_taken.size(), 1u);
  EXPECT_EQ(first_taken[0].tuple[1].long_value(), 1);
  ASSERT_EQ(second_taken.size(), 2u);
  EXPECT_EQ(second_taken[0].tuple[1].long_value(), 2);
  EXPECT_EQ(second_taken[1].tuple[1].long_value(), 3);
  EXPECT_EQ(engine.size(), 0u);
}

TEST(SpaceEngine, WriteAllReachesWaitersInOrder) {
  Engine engine;
  std::optional<Tuple> read;
  std::optional<TakenTuple> taken;
  std::thread reader([&] { read = engine.read(make_template({"task", 1}), 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  std::thread taker([&] { taken = engine.take(task_template(), 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 2));
  engine.write_all({make_tuple({"task", 1}), make_tuple({"task", 2})}, kForever);
  reader.join();
  taker.join();
  ASSERT_TRUE(read);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->tuple[1].long_value(), 1);
  std::optional<TakenTuple> left = engine.take(task_template(), 0ms);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->tuple[1].long_value(), 2);
}

TEST(SpaceEngine, ZeroLeaseIsRejected) {
  Engine engine;
  EXPECT_THROW(engine.write(make_tuple({1}), 0ms), ::OrbSpace::InvalidArgument);
  EXPECT_THROW(engine.begin(0ms), ::OrbSpace::InvalidArgument);
  EXPECT_EQ(engine.size(), 0u);
}

TEST(SpaceEngine, LeaseExpiryRemovesTheTuple) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), 50ms);
  engine.write(make_tuple({"task", 2}), kForever);
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(engine.count(task_template()), 1u);
  EXPECT_EQ(engine.size(), 1u);  // swept, not just hidden
  EXPECT_EQ(engine.take(task_template(), 0ms)->tuple[1].long_value(), 2);
}

TEST(SpaceEngine, RenewExtendsAndCancelEnds) {
  Engine engine;
  LeaseId short_lived = engine.write(make_tuple({"task", 1}), 80ms);
  LeaseId cancelled = engine.write(make_tuple({"task", 2}), kForever);
  engine.renew(short_lived, 10s);
  engine.cancel(cancelled);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(engine.count(task_template()), 1u);
  EXPECT_THROW(engine.cancel(cancelled), ::OrbSpace::UnknownLease);
  EXPECT_THROW(engine.renew(cancelled, 1s), ::OrbSpace::UnknownLease);
  EXPECT_THROW(engine.renew(12345, 1s), ::OrbSpace::UnknownLease);
  LeaseId expired = engine.write(make_tuple({"task", 3}), 20ms);
  std::this_thread::sleep_for(60ms);
  EXPECT_THROW(engine.renew(expired, 1s), ::OrbSpace::UnknownLease);
}

TEST(SpaceEngine, NotifyReportsMatchingWritesUntilCancelled) {
  Engine engine;
  std::mutex mutex;
  std::vector<Tuple> seen;
  LeaseId registration = engine.notify(
      task_template(),
      [&](const Tuple& tuple) {
        std::lock_guard lock(mutex);
        seen.push_back(tuple);
      },
      kForever);
  engine.write(make_tuple({"task", 1}), kForever);
  engine.write(make_tuple({"other", 2}), kForever);
  engine.take(task_template(), 0ms);
  engine.write(make_tuple({"task", 3}), kForever);
  engine.cancel(registration);
  engine.write(make_tuple({"task", 4}), kForever);
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], make_tuple({"task", 1}));
  EXPECT_EQ(seen[1], make_tuple({"task", 3}));
}

TEST(SpaceEngine, NotifyRegistrationExpires) {
  Engine engine;
  std::atomic<int> calls{0};
  engine.notify(
      task_template(), [&](const Tuple&) { ++calls; }, 30ms);
  std::this_thread::sleep_for(80ms);
  engine.write(make_tuple({"task", 1}), kForever);
  EXPECT_EQ(calls.load(), 0);
}

TEST(SpaceEngine, TransactionWritesAreInvisibleUntilCommit) {
  Engine engine;
  std::vector<Tuple> notified;
  engine.notify(
      task_template(), [&](const Tuple& tuple) { notified.push_back(tuple); }, kForever);
  TransactionId txn = engine.begin(10s);
  engine.txn_write(txn, make_tuple({"task", 1}), kForever);
  EXPECT_FALSE(engine.read(task_template(), 0ms));
  EXPECT_TRUE(engine.txn_read(txn, task_template(), 0ms));
  EXPECT_TRUE(notified.empty());
  engine.commit(txn);
  EXPECT_TRUE(engine.read(task_template(), 0ms));
  EXPECT_EQ(notified.size(), 1u);
  EXPECT_THROW(engine.commit(txn), ::OrbSpace::UnknownLease);
}

TEST(SpaceEngine, TransactionTakesReturnOnAbort) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  TransactionId txn = engine.begin(10s);
  std::optional<Tuple> taken = engine.txn_take(txn, task_template(), 0ms);
  ASSERT_TRUE(taken);
  EXPECT_FALSE(engine.read(task_template(), 0ms));  // held by the transaction
  engine.txn_write(txn, make_tuple({"task", 2}), kForever);
  engine.abort(txn);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], make_tuple({"task", 1}));
  EXPECT_THROW(engine.abort(txn), ::OrbSpace::UnknownLease);
}

TEST(SpaceEngine, TransactionTakesAreFinalOnCommit) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  TransactionId txn = engine.begin(10s);
  ASSERT_TRUE(engine.txn_take(txn, task_template(), 0ms));
  engine.txn_write(txn, make_tuple({"task", 2}), kForever);
  // A transaction takes its own writes without them ever becoming visible.
  ASSERT_TRUE(engine.txn_take(txn, make_template({"task", 2}), 0ms));
  engine.txn_write(txn, make_tuple({"task", 3}), kForever);
  engine.commit(txn);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], make_tuple({"task", 3}));
}

TEST(SpaceEngine, ExpiredTransactionAborts) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  TransactionId txn = engine.begin(50ms);
  ASSERT_TRUE(engine.txn_take(txn, task_template(), 0ms));
  engine.txn_write(txn, make_tuple({"task", 2}), kForever);
  std::this_thread::sleep_for(120ms);
  EXPECT_THROW(engine.commit(txn), ::OrbSpace::UnknownLease);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], make_tuple({"task", 1}));
}

TEST(SpaceEngine, BlockedTransactionalTakeEndsWithItsTransaction) {
  Engine engine;
  TransactionId txn = engine.begin(10s);
  std::atomic<bool> unknown{false};
  std::thread taker([&] {
    try {
      engine.txn_take(txn, task_template(), 5s);
    } catch (const ::OrbSpace::UnknownLease&) {
      unknown = true;
    }
  });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  engine.abort(txn);
  taker.join();
  EXPECT_TRUE(unknown);
}

TEST(SpaceEngine, LeasedTakeReturnsUnlessAcknowledged) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  engine.write(make_tuple({"task", 2}), kForever);
  auto first = engine.take_leased(task_template(), 0ms, 60ms);
  auto second = engine.take_leased(task_template(), 0ms, 60ms);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(engine.size(), 0u);
  engine.acknowledge(second->second);
  std::this_thread::sleep_for(150ms);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], first->first);
  EXPECT_THROW(engine.acknowledge(first->second), ::OrbSpace::UnknownLease);
}

TEST(SpaceEngine, CancelledReservationReturnsTheTupleAtOnce) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  auto held = engine.take_leased(task_template(), 0ms, 10s);
  ASSERT_TRUE(held);
  engine.cancel(held->second);
  EXPECT_EQ(engine.size(), 1u);
}

TEST(SpaceEngine, RestoredTupleGoesToTheNextTaker) {
  Engine engine;
  engine.write(make_tuple({"task", 1}), kForever);
  std::optional<TakenTuple> taken = engine.take(task_template(), 0ms);
  ASSERT_TRUE(taken);
  std::optional<TakenTuple> next;
  std::thread taker([&] { next = engine.take(task_template(), 5s); });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  engine.restore({*taken});
  taker.join();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->tuple, make_tuple({"task", 1}));
}

TEST(SpaceEngine, ConcurrentTakersGetEachTupleOnce) {
  Engine engine;
  constexpr int kTuples = 20000;
  constexpr int kTakers = 6;
  std::mutex mutex;
  std::multiset<int64_t> seen;
  std::vector<std::thread> takers;
  for (int t = 0; t < kTakers; ++t) {
    takers.emplace_back([&] {
      while (true) {
        std::vector<TakenTuple> batch = engine.take_up_to(task_template(), 16, 200ms);
        if (batch.empty()) {
          return;
        }
        std::lock_guard lock(mutex);
        for (const TakenTuple& taken : batch) {
          seen.insert(taken.tuple[1].long_value());
        }
      }
    });
  }
  std::thread writer([&] {
    for (int i = 0; i < kTuples; ++i) {
      engine.write(make_tuple({"task", i}), kForever);
    }
  });
  writer.join();
  for (std::thread& taker : takers) {
    taker.join();
  }
  ASSERT_EQ(seen.size(), static_cast<size_t>(kTuples));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), static_cast<size_t>(kTuples));
  EXPECT_EQ(engine.size(), 0u);
}

/// Average microseconds per take of a first-field match from a space of `stored` tuples.
double micros_per_take(size_t stored) {
  Engine engine;
  std::vector<Tuple> tuples;
  for (size_t i = 0; i < stored; ++i) {
    tuples.push_back(make_tuple({static_cast<int64_t>(i), "payload", 1.5}));
  }
  engine.write_all(std::move(tuples), kForever);
  constexpr int kTakes = 2000;
  auto start = Clock::now();
  for (int i = 0; i < kTakes; ++i) {
    int64_t key = static_cast<int64_t>((static_cast<size_t>(i) * 7919) % stored);
    if (!engine.take(make_template({key, any, any}), 0ms)) {
      ADD_FAILURE() << "no tuple " << key;
    }
  }
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kTakes;
}

TEST(SpaceEngine, TakeCostDoesNotGrowWithTheNumberOfTuples) {
  double small = micros_per_take(2000);
  double large = micros_per_take(200000);
  RecordProperty("microseconds_per_take_of_2000", std::to_string(small));
  RecordProperty("microseconds_per_take_of_200000", std::to_string(large));
  // Generous: a scan would make the large space a hundred times slower.
  EXPECT_LT(large, small * 8 + 5) << small << " us vs " << large << " us";
}

/// Average microseconds per take of a second-field match from a space of
/// `stored` tuples whose first fields are all equal.
double micros_per_keyed_take(size_t stored) {
  Engine engine;
  std::vector<Tuple> tuples;
  for (size_t i = 0; i < stored; ++i) {
    tuples.push_back(make_tuple({"result", static_cast<int64_t>(i), 1.5}));
  }
  engine.write_all(std::move(tuples), kForever);
  constexpr int kTakes = 2000;
  auto start = Clock::now();
  for (int i = 0; i < kTakes; ++i) {
    int64_t key = static_cast<int64_t>((static_cast<size_t>(i) * 7919) % stored);
    if (!engine.take(make_template({"result", key, any}), 0ms)) {
      ADD_FAILURE() << "no tuple " << key;
    }
  }
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kTakes;
}

TEST(SpaceEngine, TakeByLaterFieldDoesNotScan) {
  double small = micros_per_keyed_take(2000);
  double large = micros_per_keyed_take(200000);
  RecordProperty("microseconds_per_keyed_take_of_2000", std::to_string(small));
  RecordProperty("microseconds_per_keyed_take_of_200000", std::to_string(large));
  // Generous: walking the chain of the shared first field would make the
  // large space a hundred times slower.
  EXPECT_LT(large, small * 8 + 5) << small << " us vs " << large << " us";
}

TEST(SpaceEngine, ValueInEveryFieldNarrowsTheMatch) {
  Engine engine;
  engine.write_all({make_tuple({"job", 1, "done"}), make_tuple({"job", 2, "open"}),
                    make_tuple({"job", 3, "done"}), make_tuple({"task", 2, "done"})},
                   kForever);
  EXPECT_EQ(engine.count(make_template({"job", any, "done"})), 2u);
  EXPECT_EQ(engine.count(make_template({any, 2, any})), 2u);
  EXPECT_EQ(engine.count(make_template({"job", 2, "done"})), 0u);
  EXPECT_EQ(engine.count(make_template({any, 4, any})), 0u);

  std::optional<TakenTuple> taken = engine.take(make_template({any, 2, "done"}), 0ms);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->tuple, make_tuple({"task", 2, "done"}));
  EXPECT_EQ(engine.count(make_template({any, 2, any})), 1u);
  EXPECT_EQ(engine.size(), 3u);
}

// ---------------------------------------------------------------------------
// Persistence

class SpacePersistence : public ::testing::Test {
 protected:
  SpacePersistence() {
    directory_ = fs::temp_directory_path() /
                 ("orb-space-test-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
  }
  ~SpacePersistence() override { fs::remove_all(directory_); }

  EngineOptions options(uint64_t compact_bytes = 64ull << 20) const {
    EngineOptions result;
    result.data_directory = directory_;
    result.sync = false;  // reopening in one process needs no fsync
    result.compact_bytes = compact_bytes;
    return result;
  }

  fs::path directory_;
};

TEST_F(SpacePersistence, WritesSurviveAndTakesStayTaken) {
  {
    Engine engine(options());
    engine.write_all({make_tuple({"task", 1}), make_tuple({"task", 2}), make_tuple({"task", 3})},
                     kForever);
    ASSERT_TRUE(engine.take(make_template({"task", 2}), 0ms));
  }
  Engine engine(options());
  EXPECT_EQ(engine.recovery().journal_records, 2u);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], make_tuple({"task", 1}));
  EXPECT_EQ(all[1], make_tuple({"task", 3}));
  // Ids are not reused: a new write gets a fresh lease id.
  LeaseId fresh = engine.write(make_tuple({"task", 4}), kForever);
  EXPECT_GT(fresh, 3u);
}

TEST_F(SpacePersistence, SyncIntervalKeepsWritesAndTakes) {
  EngineOptions periodic = options();
  periodic.sync = true;
  periodic.sync_interval = 50ms;
  {
    Engine engine(periodic);
    engine.write_all({make_tuple({"task", 1}), make_tuple({"task", 2})}, kForever);
    ASSERT_TRUE(engine.take(make_template({"task", 1}), 0ms));
    std::this_thread::sleep_for(120ms);  // past one interval, so the thread has synced
    engine.write(make_tuple({"task", 3}), kForever);
  }
  Engine engine(periodic);
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], make_tuple({"task", 2}));
  EXPECT_EQ(all[1], make_tuple({"task", 3}));
}

TEST_F(SpacePersistence, LeasesKeepCountingAcrossARestart) {
  {
    Engine engine(options());
    engine.write(make_tuple({"task", 1}), 300ms);
    LeaseId renewed = engine.write(make_tuple({"task", 2}), 100ms);
    engine.renew(renewed, 60s);
  }
  std::this_thread::sleep_for(150ms);
  {
    Engine engine(options());
    EXPECT_EQ(engine.count(task_template()), 2u);
  }
  std::this_thread::sleep_for(250ms);
  Engine engine(options());
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], make_tuple({"task", 2}));
}

TEST_F(SpacePersistence, OnlyCommittedTransactionsAndAcknowledgedTakesLast) {
  {
    Engine engine(options());
    engine.write_all({make_tuple({"task", 1}), make_tuple({"task", 2}), make_tuple({"task", 3})},
                     kForever);
    TransactionId committed = engine.begin(10s);
    ASSERT_TRUE(engine.txn_take(committed, make_template({"task", 1}), 0ms));
    engine.txn_write(committed, make_tuple({"task", 10}), kForever);
    engine.commit(committed);
    TransactionId open = engine.begin(10s);
    ASSERT_TRUE(engine.txn_take(open, make_template({"task", 2}), 0ms));
    engine.txn_write(open, make_tuple({"task", 20}), kForever);
    auto acknowledged = engine.take_leased(make_template({"task", 3}), 0ms, 10s);
    ASSERT_TRUE(acknowledged);
    engine.acknowledge(acknowledged->second);
    engine.write(make_tuple({"task", 4}), kForever);
    ASSERT_TRUE(engine.take_leased(make_template({"task", 4}), 0ms, 10s));
  }
  Engine engine(options());
  std::set<int64_t> left;
  for (const Tuple& tuple : engine.contents(10)) {
    left.insert(tuple[1].long_value());
  }
  // 2 was held by an open transaction and 4 by an unacknowledged reservation.
  EXPECT_EQ(left, (std::set<int64_t>{2, 4, 10}));
}

TEST_F(SpacePersistence, CompactionKeepsTheState) {
  std::set<int64_t> expected;
  {
    Engine engine(options(4096));
    for (int round = 0; round < 40; ++round) {
      std::vector<Tuple> tuples;
      for (int i = 0; i < 20; ++i) {
        tuples.push_back(make_tuple({"task", round * 100 + i, std::string(40, 'x')}));
      }
      engine.write_all(std::move(tuples), kForever);
      engine.take_up_to(make_template({"task", any, any}), 15, 0ms);
    }
    for (const Tuple& tuple : engine.contents(10000)) {
      expected.insert(tuple[1].long_value());
    }
    ASSERT_EQ(expected.size(), 200u);
  }
  Engine engine(options(4096));
  EXPECT_GT(engine.recovery().generation, 0u);
  std::set<int64_t> recovered;
  for (const Tuple& tuple : engine.contents(10000)) {
    recovered.insert(tuple[1].long_value());
  }
  EXPECT_EQ(recovered, expected);
}

TEST_F(SpacePersistence, ConcurrentLoadWithCompactionRecoversExactly) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 150;
  std::mutex mutex;
  std::set<int64_t> written;
  std::set<int64_t> taken;
  {
    Engine engine(options(8192));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int round = 0; round < kRounds; ++round) {
          std::vector<Tuple> tuples;
          std::vector<int64_t> ids;
          for (int i = 0; i < 5; ++i) {
            ids.push_back((t * kRounds + round) * 10 + i);
            tuples.push_back(make_tuple({"load", ids.back(), std::string(30, 'x')}));
          }
          engine.write_all(std::move(tuples), kForever);
          std::vector<TakenTuple> batch =
              engine.take_up_to(make_template({"load", any, any}), 3, 0ms);
          std::lock_guard lock(mutex);
          written.insert(ids.begin(), ids.end());
          for (const TakenTuple& item : batch) {
            taken.insert(item.tuple[1].long_value());
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  Engine engine(options(8192));
  EXPECT_GT(engine.recovery().generation, 2u);  // compaction ran during the load
  std::set<int64_t> expected;
  for (int64_t id : written) {
    if (!taken.contains(id)) {
      expected.insert(id);
    }
  }
  std::set<int64_t> recovered;
  for (const Tuple& tuple : engine.contents(100000)) {
    recovered.insert(tuple[1].long_value());
  }
  EXPECT_EQ(recovered, expected);
}

TEST_F(SpacePersistence, WriteToABlockedTakerIsOneRecord) {
  LeaseId written = 0;
  {
    Engine engine(options());
    std::optional<TakenTuple> taken;
    std::thread taker([&] { taken = engine.take(task_template(), 5s); });
    ASSERT_TRUE(wait_for_waiters(engine, 1));
    written = engine.write(make_tuple({"task", 1}), kForever);
    taker.join();
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->id, written);
    EXPECT_EQ(taken->tuple, make_tuple({"task", 1}));
    EXPECT_EQ(engine.size(), 0u);
  }
  {
    Engine engine(options());
    // One record both added and removed the tuple, so the take needed no
    // sync of its own.
    EXPECT_EQ(engine.recovery().journal_records, 1u);
    EXPECT_EQ(engine.count(task_template()), 0u);
    EXPECT_GT(engine.write(make_tuple({"task", 2}), kForever), written);
    // A taker whose reply was lost gives the tuple back, under its old id.
    std::optional<TakenTuple> taken;
    std::thread taker([&] { taken = engine.take(make_template({"task", 3}), 5s); });
    ASSERT_TRUE(wait_for_waiters(engine, 1));
    engine.write(make_tuple({"task", 3}), kForever);
    taker.join();
    ASSERT_TRUE(taken);
    engine.restore({*taken});
  }
  Engine engine(options());
  std::vector<Tuple> all = engine.contents(10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], make_tuple({"task", 2}));
  EXPECT_EQ(all[1], make_tuple({"task", 3}));
}

TEST_F(SpacePersistence, RefusedWriteLeavesTakerWaiting) {
  Engine engine(options());
  std::optional<TakenTuple> taken;
  std::string taker_error;
  std::thread taker([&] {
    try {
      // Long enough for the refused write, which encodes 257 MiB first and
      // took over 5 s under ThreadSanitizer; the second write ends the wait.
      taken = engine.take(task_template(), 60s);
    } catch (const std::exception& error) {
      taker_error = error.what();
    }
  });
  ASSERT_TRUE(wait_for_waiters(engine, 1));
  // The journal refuses a record over 256 MiB, and so the whole write.
  std::vector<Tuple> tuples;
  tuples.push_back(make_tuple({"task", 1}));
  tuples.push_back(make_tuple({"blob", Bytes(257U << 20, 0x5a)}));
  EXPECT_THROW(engine.write_all(std::move(tuples), kForever), SystemException);
  engine.write(make_tuple({"task", 2}), kForever);
  taker.join();
  EXPECT_EQ(taker_error, "");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->tuple, make_tuple({"task", 2}));
}

TEST_F(SpacePersistence, RestoredTupleSurvivesARestart) {
  {
    Engine engine(options());
    engine.write(make_tuple({"task", 1}), kForever);
    std::optional<TakenTuple> taken = engine.take(task_template(), 0ms);
    ASSERT_TRUE(taken);
    engine.restore({*taken});
  }
  Engine engine(options());
  EXPECT_EQ(engine.count(task_template()), 1u);
}

}  // namespace
}  // namespace orb::space
