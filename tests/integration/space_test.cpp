// The tuple space over the wire. In one process: every operation of the
// client API against a served engine, over TCP and over shared memory.
// Across processes (space_server and space_worker, started by
// posix_spawn): each of 100,000 tuples taken exactly once by eight takers
// in two processes, a taker killed while blocked does not swallow the next
// tuple, and a server (our test server or orbd) killed under load keeps
// every acknowledged write and take after its restart.
#include "child_process.hpp"

#include <orb/orb.hpp>
#include <orb/space/client.hpp>
#include <orb/space/servant.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace orb::space {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

OrbOptions quiet_options() {
  OrbOptions options;
  options.log_level = "warn";
  return options;
}

// ---------------------------------------------------------------------------
// One process: the client API over each transport

class SpaceCall : public ::testing::TestWithParam<std::string> {
 protected:
  SpaceCall() : server_(server_options()), client_orb_(client_options()) {
    ObjectRef served = serve_space(server_, engine_);
    client_.emplace(client_orb_, client_orb_.string_to_object(server_.object_to_string(served)));
  }

  static OrbOptions server_options() {
    OrbOptions options = quiet_options();
    options.listen = {"tcp://127.0.0.1:0"};
    options.threads = 8;
    return options;
  }

  OrbOptions client_options() const {
    OrbOptions options = quiet_options();
    options.shm = GetParam() == "shm" ? "only" : "off";
    options.listen = {"tcp://127.0.0.1:0"};  // for notify callbacks
    return options;
  }

  Engine engine_;  // outlives the ORBs
  Orb server_;
  Orb client_orb_;
  std::optional<SpaceClient> client_;
};

TEST_P(SpaceCall, WriteReadTake) {
  client_->write({"task", int64_t{42}, 3.5}, 60s);
  std::optional<Tuple> read = client_->read({"task", any_of<int64_t>, any});
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, make_tuple({"task", 42, 3.5}));
  std::optional<Tuple> taken = client_->take({"task", any_of<int64_t>, any}, 5s);
  ASSERT_TRUE(taken);
  EXPECT_EQ(*taken, *read);
  EXPECT_FALSE(client_->take_if_exists(make_template({"task", any, any})));
  EXPECT_FALSE(client_->read_if_exists(make_template({"task", any, any})));
}

TEST_P(SpaceCall, EveryFieldTypeCrossesTheWire) {
  Tuple tuple = make_tuple({true, -7, 2.25, "text", Bytes{0, 1, 255}, Any::from(int32_t{5})});
  client_->write(tuple);
  std::optional<Tuple> taken = client_->take(
      make_template({true, -7, 2.25, "text", Bytes{0, 1, 255}, Any::from(int32_t{5})}));
  ASSERT_TRUE(taken);
  EXPECT_EQ(*taken, tuple);
}

TEST_P(SpaceCall, BlockingTakeTimesOutThenGetsALaterWrite) {
  auto start = Clock::now();
  EXPECT_FALSE(client_->take({"later", any_of<int64_t>}, 200ms));
  EXPECT_GE(Clock::now() - start, 200ms);

  std::thread writer([&] {
    std::this_thread::sleep_for(100ms);
    client_->write({"later", 1});
  });
  std::optional<Tuple> taken = client_->take({"later", any_of<int64_t>}, kForever);
  writer.join();
  ASSERT_TRUE(taken);
  EXPECT_EQ((*taken)[1].long_value(), 1);
}

TEST_P(SpaceCall, BatchOperationsCountAndContents) {
  std::vector<Tuple> tuples;
  for (int i = 0; i < 10; ++i) {
    tuples.push_back(make_tuple({"batch", i}));
  }
  EXPECT_EQ(client_->write_all(tuples).size(), 10u);
  EXPECT_EQ(client_->count(make_template({"batch", any})), 10u);
  EXPECT_EQ(client_->contents(4).size(), 4u);
  EXPECT_EQ(client_->take_up_to(make_template({"batch", any}), 7, 1s).size(), 7u);
  EXPECT_EQ(client_->take_up_to(make_template({"batch", any}), 7, 0ms).size(), 3u);
  EXPECT_TRUE(client_->take_up_to(make_template({"batch", any}), 7, 0ms).empty());
}

TEST_P(SpaceCall, LeasesRenewCancelAndExpire) {
  LeaseId renewed = client_->write({"lease", 1}, 100ms);
  LeaseId cancelled = client_->write({"lease", 2}, kForever);
  client_->write({"lease", 3}, 100ms);
  client_->renew(renewed, 60s);
  client_->cancel(cancelled);
  std::this_thread::sleep_for(250ms);
  std::vector<Tuple> left = client_->contents(10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], make_tuple({"lease", 1}));
  try {
    client_->cancel(cancelled);
    FAIL() << "cancelling twice succeeded";
  } catch (const ::OrbSpace::UnknownLease& error) {
    EXPECT_EQ(error.id, cancelled);
  }
}

TEST_P(SpaceCall, InvalidLeaseIsReported) {
  try {
    client_->write({"zero"}, 0ms);
    FAIL() << "a lease of 0 ms was accepted";
  } catch (const ::OrbSpace::InvalidArgument& error) {
    EXPECT_EQ(error.reason, "write: invalid lease of 0 ms, the shortest lease is 1 ms");
  }
}

TEST_P(SpaceCall, NotifyCallsTheListenerBack) {
  std::mutex mutex;
  std::condition_variable called;
  std::vector<Tuple> seen;
  LeaseId registration =
      client_->notify(make_template({"news", any_of<std::string>}), [&](const Tuple& tuple) {
        std::lock_guard lock(mutex);
        seen.push_back(tuple);
        called.notify_one();
      });
  client_->write({"news", "first"});
  client_->write({"other", "ignored"});
  client_->write({"news", "second"});
  std::unique_lock lock(mutex);
  ASSERT_TRUE(called.wait_for(lock, 5s, [&] { return seen.size() == 2; }));
  EXPECT_EQ(seen[0], make_tuple({"news", "first"}));
  EXPECT_EQ(seen[1], make_tuple({"news", "second"}));
  lock.unlock();
  client_->cancel(registration);
}

TEST_P(SpaceCall, TransactionCommitAndAbort) {
  client_->write({"account", 100});
  Transaction aborted = client_->begin(10s);
  ASSERT_TRUE(aborted.take({"account", any_of<int64_t>}));
  aborted.write({"account", 50});
  EXPECT_EQ(client_->count(make_template({"account", any})), 0u);
  aborted.abort();
  EXPECT_EQ(client_->read({"account", any_of<int64_t>}), make_tuple({"account", 100}));

  Transaction committed = client_->begin(10s);
  ASSERT_TRUE(committed.take({"account", any_of<int64_t>}));
  committed.write({"account", 70});
  EXPECT_EQ(committed.read({"account", any_of<int64_t>}), make_tuple({"account", 70}));
  committed.commit();
  EXPECT_EQ(client_->read({"account", any_of<int64_t>}), make_tuple({"account", 70}));
  EXPECT_THROW(committed.commit(), ::OrbSpace::UnknownLease);
}

TEST_P(SpaceCall, LeasedTakeReturnsUnlessAcknowledged) {
  client_->write({"work", 1});
  client_->write({"work", 2});
  std::optional<LeasedTuple> kept = client_->take_leased(make_template({"work", 1}), 0ms, 100ms);
  std::optional<LeasedTuple> done = client_->take_leased(make_template({"work", 2}), 0ms, 100ms);
  ASSERT_TRUE(kept && done);
  client_->acknowledge(done->reservation);
  std::this_thread::sleep_for(250ms);
  std::vector<Tuple> left = client_->contents(10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], make_tuple({"work", 1}));
  EXPECT_THROW(client_->acknowledge(kept->reservation), ::OrbSpace::UnknownLease);
}

INSTANTIATE_TEST_SUITE_P(Transports, SpaceCall, ::testing::Values("tcp", "shm"),
                         [](const auto& info) { return info.param; });

// ---------------------------------------------------------------------------
// Across processes

class SpaceProcesses : public ::testing::Test {
 protected:
  /// Starts space_server on `port_`, with a journal in `data` when not empty.
  std::unique_ptr<test::ChildProcess> start_server(const std::string& data = {}) {
    std::filesystem::remove(ior_file_);
    std::vector<std::string> arguments{ORB_SPACE_SERVER, ior_file_, std::to_string(port_)};
    if (!data.empty()) {
      arguments.push_back(data);
    }
    arguments.insert(arguments.end(), {"-ORBThreads", "16", "-ORBLogLevel", "warn"});
    auto server = std::make_unique<test::ChildProcess>(arguments, scratch_.file("server.log"));
    ior_ = test::wait_for_file(ior_file_, *server);
    if (ior_.empty()) {
      ADD_FAILURE() << "space_server did not start: "
                    << test::read_text_file(scratch_.file("server.log"));
    }
    return server;
  }

  /// Starts orbd on `port_` with its state in `data`; the space's
  /// corbaloc URL goes where the workers read the reference.
  std::unique_ptr<test::ChildProcess> start_orbd(const std::string& data) {
    std::string naming_ior = scratch_.file("naming.ior");
    std::filesystem::remove(naming_ior);
    auto orbd = std::make_unique<test::ChildProcess>(
        std::vector<std::string>{ORB_ORBD, "--listen", "tcp://127.0.0.1:" + std::to_string(port_),
                                 "--data-dir", data, "--ior-file", naming_ior, "-ORBThreads", "16",
                                 "-ORBLogLevel", "warn"},
        scratch_.file("orbd.log"));
    ior_.clear();
    if (test::wait_for_file(naming_ior, *orbd).empty()) {
      ADD_FAILURE() << "orbd did not start: " << test::read_text_file(scratch_.file("orbd.log"));
      return orbd;
    }
    ior_ = "corbaloc::127.0.0.1:" + std::to_string(port_) + "/TupleSpace";
    std::ofstream(ior_file_) << ior_ << '\n';
    return orbd;
  }

  std::unique_ptr<test::ChildProcess> start_worker(std::vector<std::string> arguments,
                                                   const std::string& log) {
    arguments.insert(arguments.begin(), {ORB_SPACE_WORKER, ior_file_});
    arguments.insert(arguments.end(), {"-ORBLogLevel", "warn"});
    return std::make_unique<test::ChildProcess>(arguments, scratch_.file(log));
  }

  /// Kills a worker blocked in take and checks that the next tuple is not
  /// lost to it; `shm` is the worker's -ORBShm setting.
  void check_abandoned_take(const std::string& shm) {
    auto worker = start_worker({"block-take", "-ORBShm", shm}, "worker.log");
    auto log = [&] { return test::read_text_file(scratch_.file("worker.log")); };
    auto deadline = Clock::now() + 10s;
    while (log().find("taking") == std::string::npos && Clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_NE(log().find("taking"), std::string::npos) << log();
    std::this_thread::sleep_for(300ms);  // lets the take reach the server and block there
    worker->kill_now();

    SpaceClient& space = client();
    space.write({"abandoned", 1});
    std::optional<Tuple> taken = space.take({"abandoned", any_of<int64_t>}, 5s);
    ASSERT_TRUE(taken) << "the tuple went to the killed taker";
    EXPECT_EQ((*taken)[1].long_value(), 1);
  }

  void check_crash_under_load(
      const std::function<std::unique_ptr<test::ChildProcess>(const std::string&)>& start);

  /// A client in this process of the server started last.
  SpaceClient& client() {
    client_.emplace(orb_, orb_.string_to_object(ior_));
    return *client_;
  }

  test::ScratchDir scratch_;
  std::string ior_file_ = scratch_.file("space.ior");
  uint16_t port_ = test::free_loopback_port();
  std::string ior_;
  Orb orb_{quiet_options()};
  std::optional<SpaceClient> client_;
};

std::vector<int64_t> read_numbers(const std::string& path) {
  std::vector<int64_t> numbers;
  std::istringstream in(test::read_text_file(path));
  for (int64_t value = 0; in >> value;) {
    numbers.push_back(value);
  }
  return numbers;
}

TEST_F(SpaceProcesses, EveryTupleIsTakenExactlyOnce) {
  constexpr int64_t kPerWriter = 50000;
  auto server = start_server();
  ASSERT_FALSE(ior_.empty());
  auto first = start_worker(
      {"exactly-once", "0", std::to_string(kPerWriter), scratch_.file("first.txt")}, "first.log");
  auto second = start_worker({"exactly-once", std::to_string(kPerWriter),
                              std::to_string(kPerWriter), scratch_.file("second.txt")},
                             "second.log");
  std::optional<int> first_status = first->wait_for_exit(60s);
  std::optional<int> second_status = second->wait_for_exit(60s);
  ASSERT_TRUE(first_status && WIFEXITED(*first_status) && WEXITSTATUS(*first_status) == 0)
      << test::read_text_file(scratch_.file("first.log"));
  ASSERT_TRUE(second_status && WIFEXITED(*second_status) && WEXITSTATUS(*second_status) == 0)
      << test::read_text_file(scratch_.file("second.log"));

  std::vector<int64_t> taken = read_numbers(scratch_.file("first.txt"));
  std::vector<int64_t> more = read_numbers(scratch_.file("second.txt"));
  taken.insert(taken.end(), more.begin(), more.end());
  std::set<int64_t> distinct(taken.begin(), taken.end());
  EXPECT_EQ(taken.size(), static_cast<size_t>(2 * kPerWriter)) << "tuples taken twice or lost";
  EXPECT_EQ(distinct.size(), static_cast<size_t>(2 * kPerWriter));
  EXPECT_EQ(*distinct.begin(), 0);
  EXPECT_EQ(*distinct.rbegin(), 2 * kPerWriter - 1);
  EXPECT_EQ(client().count(make_template({any, any})), 0u);
}

TEST_F(SpaceProcesses, KilledBlockedTakerDoesNotSwallowATupleOverTcp) {
  auto server = start_server();
  ASSERT_FALSE(ior_.empty());
  check_abandoned_take("off");
}

TEST_F(SpaceProcesses, KilledBlockedTakerDoesNotSwallowATupleOverSharedMemory) {
  auto server = start_server();
  ASSERT_FALSE(ior_.empty());
  check_abandoned_take("only");
}

/// Runs orb-space with `arguments` against the server started last; its
/// exit status and output.
std::pair<int, std::string> run_tool(const test::ScratchDir& scratch, const std::string& ior,
                                     std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), {ORB_SPACE_TOOL, "--space", ior});
  std::string output = scratch.file("tool.txt");
  test::ChildProcess tool(arguments, output);
  std::optional<int> status = tool.wait_for_exit(20s);
  int code = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  return {code, test::read_text_file(output)};
}

TEST_F(SpaceProcesses, CommandLineToolWritesCountsTakesAndDumps) {
  auto server = start_server();
  ASSERT_FALSE(ior_.empty());
  EXPECT_EQ(run_tool(scratch_, ior_, {"write", "task", "42", "3.5"}).first, 0);
  EXPECT_EQ(run_tool(scratch_, ior_, {"write", "task", "\"43\"", "0x0aff"}).first, 0);
  EXPECT_EQ(run_tool(scratch_, ior_, {"count", "task", "*", "*"}),
            std::make_pair(0, std::string("2\n")));
  EXPECT_EQ(run_tool(scratch_, ior_, {"take", "task", "<int>", "<double>"}),
            std::make_pair(0, std::string("(\"task\", 42, 3.5)\n")));
  EXPECT_EQ(run_tool(scratch_, ior_, {"dump"}),
            std::make_pair(0, std::string("(\"task\", \"43\", 0x0aff)\n")));
  EXPECT_EQ(run_tool(scratch_, ior_, {"take", "task", "<int>", "<double>", "--timeout", "100"}),
            std::make_pair(1, std::string("orb-space: no tuple matches (\"task\", <int>, "
                                          "<double>)\n")));
  EXPECT_EQ(run_tool(scratch_, ior_, {"count", "<number>"}),
            std::make_pair(2, std::string("orb-space: invalid field '<number>': unknown type; "
                                          "use bool, int, double, string, bytes or any\n"
                                          "Try 'orb-space --help'.\n")));
  EXPECT_EQ(run_tool(scratch_, ior_, {"frobnicate"}).first, 2);
  // Template syntax and empty field lists are refused, not stored or matched.
  EXPECT_EQ(run_tool(scratch_, ior_, {"write", "task", "<int>"}).first, 2);
  EXPECT_EQ(run_tool(scratch_, ior_, {"write", "*"}).first, 2);
  EXPECT_EQ(run_tool(scratch_, ior_, {"write"}).first, 2);
  EXPECT_EQ(run_tool(scratch_, ior_, {"take"}).first, 2);
  EXPECT_EQ(run_tool(scratch_, ior_, {"write", "\"<int>\""}).first, 0);
  EXPECT_EQ(run_tool(scratch_, ior_, {"take", "\"<int>\""}),
            std::make_pair(0, std::string("(\"<int>\")\n")));

  // After --, a word that looks like an option is a field.
  EXPECT_EQ(run_tool(scratch_, ior_, {"write", "--", "--flag", "1"}).first, 0);
  EXPECT_EQ(run_tool(scratch_, ior_, {"count", "--", "--flag", "<int>"}),
            std::make_pair(0, std::string("1\n")));
}

/// Runs the load worker, SIGKILLs the host started by `start` in the
/// middle, restarts it and checks the acknowledged writes and takes.
void SpaceProcesses::check_crash_under_load(
    const std::function<std::unique_ptr<test::ChildProcess>(const std::string&)>& start) {
  std::string data = scratch_.file("data");
  auto server = start(data);
  ASSERT_FALSE(ior_.empty());
  auto worker = start_worker({"load", scratch_.file("load.txt")}, "load.log");

  // Kill the server in the middle of the load, once some work is acknowledged.
  auto deadline = Clock::now() + 10s;
  while (test::read_text_file(scratch_.file("load.txt")).size() < 4000 && Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  server->kill_now();
  ASSERT_TRUE(worker->wait_for_exit(20s)) << "the load client did not notice the crash";

  std::set<int64_t> written;
  std::set<int64_t> taken;
  std::istringstream log(test::read_text_file(scratch_.file("load.txt")));
  std::string kind;
  std::string last_kind;
  int64_t last_value = -1;
  for (int64_t value = 0; log >> kind >> value;) {
    (kind == "w" ? written : taken).insert(value);
    last_kind = kind;
    last_value = value;
  }
  ASSERT_GT(written.size(), 100u);
  ASSERT_GT(taken.size(), 50u);

  server = start(data);
  ASSERT_FALSE(ior_.empty());
  std::set<int64_t> present;
  for (const Tuple& tuple : client().contents(1000000)) {
    present.insert(tuple[1].long_value());
  }
  // A take in flight at the crash may have been journaled without its
  // reply arriving; it took the oldest tuple left, which may then be gone.
  bool take_in_flight = last_kind == "w" && last_value % 2 == 1;
  std::optional<int64_t> oldest_left;
  for (int64_t value : written) {
    if (taken.contains(value)) {
      continue;
    }
    if (!oldest_left) {
      oldest_left = value;
      if (take_in_flight && !present.contains(value)) {
        continue;
      }
    }
    EXPECT_TRUE(present.contains(value)) << "acknowledged write " << value << " was lost";
  }
  for (int64_t value : taken) {
    EXPECT_FALSE(present.contains(value)) << "acknowledged take " << value << " came back";
  }
}

TEST_F(SpaceProcesses, KilledServerKeepsAcknowledgedWritesAndTakes) {
  check_crash_under_load([this](const std::string& data) { return start_server(data); });
}

TEST_F(SpaceProcesses, KilledOrbdKeepsAcknowledgedWritesAndTakes) {
  check_crash_under_load([this](const std::string& data) { return start_orbd(data); });
}

}  // namespace
}  // namespace orb::space
