// Faults of the shared-memory transport between real processes: a server
// killed during a call, a client killed during a call (its server must
// release every descriptor and mapping of that connection), a client of
// another Unix user (it must not get in), and a message far larger than
// the ring.
#include "calculator.hpp"
#include "child_process.hpp"

#include <orb/orb.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using orb::test::ChildProcess;
using orb::test::ScratchDir;

/// Lines of /proc/PID/maps that map a ring, and the descriptors open on one.
struct RingResources {
  size_t mappings = 0;
  size_t descriptors = 0;
};

RingResources ring_resources(pid_t pid) {
  RingResources found;
  std::string maps = orb::test::read_text_file("/proc/" + std::to_string(pid) + "/maps");
  for (size_t at = maps.find("orb-ring"); at != std::string::npos;
       at = maps.find("orb-ring", at + 1)) {
    ++found.mappings;
  }
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code error;
    std::filesystem::path target = std::filesystem::read_symlink(entry.path(), error);
    if (!error && target.string().find("orb-ring") != std::string::npos) {
      ++found.descriptors;
    }
  }
  return found;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class ShmFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ior_file_ = scratch_.file("calc.ior");
    server_.emplace(std::vector<std::string>{ORB_CALC_SERVER, ior_file_,
                                             std::to_string(orb::test::free_loopback_port())},
                    scratch_.file("server.log"));
    ior_ = orb::test::wait_for_file(ior_file_, *server_);
    ASSERT_FALSE(ior_.empty()) << orb::test::read_text_file(scratch_.file("server.log"));
  }

  ScratchDir scratch_;
  std::string ior_file_;
  std::string ior_;
  std::optional<ChildProcess> server_;
};

TEST_F(ShmFaults, KilledServerGivesCommFailureWithinOneSecond) {
  orb::OrbOptions options;
  options.shm = "only";
  options.log_level = "off";
  orb::Orb client(options);
  auto calculator = Calc::Calculator::_unchecked_narrow(client.string_to_object(ior_));
  ASSERT_EQ(calculator->add(1, 2), 3);
  ASSERT_EQ(client.statistics().shm_calls, 1U);

  std::future<void> call = std::async(std::launch::async, [&] { calculator->sleep(30000); });
  ASSERT_TRUE(wait_until(
      [&] {
        return orb::test::read_text_file(scratch_.file("server.log")).find("upcall sleep") !=
               std::string::npos;
      },
      10s));
  auto killed_at = Clock::now();
  server_->kill_now();
  ASSERT_EQ(call.wait_for(5s), std::future_status::ready);
  EXPECT_LT(Clock::now() - killed_at, 1s);
  try {
    call.get();
    FAIL() << "the call returned normally";
  } catch (const orb::COMM_FAILURE& error) {
    EXPECT_EQ(error.completed(), orb::CompletionStatus::maybe);
  }
}

TEST_F(ShmFaults, KilledClientFreesServerRings) {
  RingResources before = ring_resources(server_->pid());
  ChildProcess client({ORB_CALC_CLIENT, ior_file_, "sleep", "-ORBShm", "only"},
                      scratch_.file("client.log"));
  ASSERT_TRUE(wait_until(
      [&] {
        return orb::test::read_text_file(scratch_.file("server.log")).find("upcall sleep") !=
               std::string::npos;
      },
      10s));
  RingResources during = ring_resources(server_->pid());
  EXPECT_EQ(during.mappings, before.mappings + 2);
  EXPECT_EQ(during.descriptors, before.descriptors + 2);

  client.kill_now();
  // The connection's thread sees the socket close at its next liveness
  // check after the running upcall (2 s) returns.
  EXPECT_TRUE(wait_until(
      [&] {
        RingResources after = ring_resources(server_->pid());
        return after.mappings == before.mappings && after.descriptors == before.descriptors;
      },
      10s));
}

/// The exit code of a child that ended normally, or -1.
int exit_code(std::optional<int> status) {
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

TEST_F(ShmFaults, OtherUserCannotConnect) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "switching to another user needs root";
  }
  // The other user must read the IOR, so it goes into a world-readable
  // folder; the server's socket folder stays mode 0700.
  std::filesystem::path shared = scratch_.path() / "shared";
  std::filesystem::create_directory(shared);
  std::filesystem::permissions(scratch_.path(), std::filesystem::perms::owner_all |
                                                    std::filesystem::perms::others_exec |
                                                    std::filesystem::perms::group_exec);
  std::filesystem::permissions(
      shared, std::filesystem::perms::owner_all | std::filesystem::perms::others_read |
                  std::filesystem::perms::others_exec | std::filesystem::perms::group_read |
                  std::filesystem::perms::group_exec);
  std::string ior_copy = (shared / "calc.ior").string();
  std::filesystem::copy_file(ior_file_, ior_copy);
  std::filesystem::permissions(
      ior_copy, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                    std::filesystem::perms::others_read | std::filesystem::perms::group_read);

  // nobody (65534) cannot enter the server's socket folder, so with
  // -ORBShm only the call fails with TRANSIENT, and by default it uses TCP.
  ChildProcess only({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                     ORB_CALC_CLIENT, ior_copy, "add", "-ORBShm", "only"},
                    scratch_.file("only.log"));
  EXPECT_EQ(exit_code(only.wait_for_exit(20s)), 3)
      << orb::test::read_text_file(scratch_.file("only.log"));
  EXPECT_NE(orb::test::read_text_file(scratch_.file("only.log")).find("shared-memory socket"),
            std::string::npos)
      << orb::test::read_text_file(scratch_.file("only.log"));

  ChildProcess fallback({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                         ORB_CALC_CLIENT, ior_copy, "add"},
                        scratch_.file("fallback.log"));
  EXPECT_EQ(exit_code(fallback.wait_for_exit(20s)), 0);
  EXPECT_NE(orb::test::read_text_file(scratch_.file("fallback.log")).find("transport tcp result 5"),
            std::string::npos)
      << orb::test::read_text_file(scratch_.file("fallback.log"));
}

TEST(ShmLarge, SixtyFourMebibytesThroughOneMebibyteRing) {
  orb::OrbOptions server_options;
  server_options.listen = {"tcp://127.0.0.1:0"};
  server_options.shm_ring_size = 1 << 20;
  server_options.max_message_size = 80 << 20;
  server_options.log_level = "warn";
  orb::Orb server(server_options);

  class Echo final : public Calc::CalculatorServant {
   public:
    int32_t add(int32_t a, int32_t b) override { return a + b; }
    int32_t divide(int32_t a, int32_t b) override { return a / b; }
    std::vector<uint8_t> echo(const std::vector<uint8_t>& data) override { return data; }
    void sleep(uint32_t) override {}
    void remember(int32_t) override {}
    int32_t recall() override { return 0; }
  };
  orb::ObjectRef served = server.adapter().activate(std::make_shared<Echo>(), "echo");

  orb::OrbOptions client_options;
  client_options.shm = "only";
  client_options.max_message_size = 80 << 20;
  client_options.log_level = "warn";
  orb::Orb client(client_options);
  auto calculator =
      Calc::Calculator::_unchecked_narrow(client.string_to_object(server.object_to_string(served)));
  std::vector<uint8_t> data(64 << 20);
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<uint8_t>((i * 2654435761U) >> 11);
  }
  EXPECT_TRUE(calculator->echo(data) == data);
  EXPECT_EQ(client.statistics().shm_calls, 1U);
}

}  // namespace
