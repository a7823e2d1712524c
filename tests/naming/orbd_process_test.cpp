// orbd and orb-name as processes: clean stop on SIGTERM, every
// acknowledged bind surviving a SIGKILL in the middle of a stream of
// binds, a torn journal tail logged at restart, leased names of a killed
// server disappearing within a lease and one renewal period, and the
// output and errors of orb-name, names outside ISO-8859-1 through a
// corbaloc: URL, a second orbd refused on a data directory in use, and
// every endpoint given served.
#include <orb/naming/client.hpp>
#include <orb/naming/names.hpp>

#include "child_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

namespace orb::naming {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::ScratchDir;

/// Zeroes the second half of the last record of a journal file, as a crash
/// leaves a record whose last blocks never reached the disk. After an
/// 8-byte header, each frame is a 32-bit little-endian length, a checksum
/// and the payload, and zeros follow the last frame. Returns false when the
/// file has no record.
bool tear_last_record(const std::filesystem::path& journal) {
  std::string bytes;
  {
    std::ifstream in(journal, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  size_t offset = 8;
  size_t last = 0;
  size_t last_length = 0;
  while (offset + 8 <= bytes.size()) {
    size_t length = 0;
    for (int i = 3; i >= 0; --i) {
      length = length << 8 | static_cast<uint8_t>(bytes[offset + static_cast<size_t>(i)]);
    }
    if (length == 0 || offset + 8 + length > bytes.size()) {
      break;
    }
    last = offset;
    last_length = length;
    offset += 8 + length;
  }
  if (last == 0) {
    return false;
  }
  size_t intact = last_length / 2;
  std::fill_n(bytes.begin() + static_cast<std::ptrdiff_t>(last + 8 + intact), last_length - intact,
              '\0');
  std::ofstream(journal, std::ios::binary | std::ios::trunc) << bytes;
  return true;
}

/// An orbd child on a fixed port with its data in a scratch directory.
class Orbd {
 public:
  Orbd(const ScratchDir& scratch, uint16_t port, const std::string& log_name = "orbd.log")
      : log_(scratch.file(log_name)), ior_file_(scratch.file("root.ior")) {
    std::filesystem::remove(ior_file_);
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{ORB_ORBD, "--listen", "tcp://127.0.0.1:" + std::to_string(port),
                                 "--data-dir", scratch.file("data"), "--ior-file", ior_file_},
        log_);
    ready_ = !test::wait_for_file(ior_file_, *child_).empty();
  }
  bool ready() const { return ready_; }
  ChildProcess& process() { return *child_; }
  std::string log() const { return test::read_text_file(log_); }

 private:
  std::string log_;
  std::string ior_file_;
  std::unique_ptr<ChildProcess> child_;
  bool ready_ = false;
};

class OrbdProcessTest : public ::testing::Test {
 protected:
  OrbdProcessTest() : port_(test::free_loopback_port()) {}

  std::string url() const {
    return "corbaloc::127.0.0.1:" + std::to_string(port_) + "/NameService";
  }
  std::unique_ptr<Orb> client() {
    OrbOptions options;
    options.initial_references["NameService"] = url();
    options.call_timeout = 5000ms;
    return std::make_unique<Orb>(options);
  }
  /// Runs orb-name with `arguments`; returns its exit status and output.
  std::pair<int, std::string> orb_name(const std::vector<std::string>& arguments) {
    std::vector<std::string> command{ORB_ORB_NAME, "-ORBInitRef", "NameService=" + url()};
    command.insert(command.end(), arguments.begin(), arguments.end());
    std::string output = scratch_.file("orb-name.out");
    ChildProcess child(command, output);
    std::optional<int> status = child.wait_for_exit(10s);
    int code = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
    return {code, test::read_text_file(output)};
  }

  ScratchDir scratch_;
  uint16_t port_;
};

TEST_F(OrbdProcessTest, StopsCleanlyOnSigterm) {
  Orbd orbd(scratch_, port_);
  ASSERT_TRUE(orbd.ready()) << orbd.log();
  orbd.process().signal(SIGTERM);
  std::optional<int> status = orbd.process().wait_for_exit(5s);
  ASSERT_TRUE(status);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  std::string log = orbd.log();
  EXPECT_NE(log.find("serving the naming service as corbaloc::127.0.0.1:"), std::string::npos);
  EXPECT_NE(log.find("root context IOR: IOR:"), std::string::npos);
  EXPECT_NE(log.find("recovered 1 contexts"), std::string::npos);
  EXPECT_NE(log.find("received SIGTERM"), std::string::npos);
  EXPECT_NE(log.find("orbd stopped"), std::string::npos) << log;
}

TEST_F(OrbdProcessTest, AcknowledgedBindsSurviveSigkill) {
  constexpr int kFirst = 1000;
  constexpr int kSecond = 1000;
  auto orbd = std::make_unique<Orbd>(scratch_, port_);
  ASSERT_TRUE(orbd->ready()) << orbd->log();
  std::unique_ptr<Orb> orb = client();
  auto root = root_context(*orb);
  ObjectRef target = orb->string_to_object("corbaloc::127.0.0.1:1/target");
  root->bind_new_context(to_name("first"));
  for (int i = 0; i < kFirst; ++i) {
    root->bind(to_name("first/n" + std::to_string(i)), target);
  }

  // Two writers bind the second thousand; orbd dies at a random moment meanwhile.
  root->bind_new_context(to_name("second"));
  std::atomic<int> acknowledged[2] = {0, 0};
  auto writer = [&](int index) {
    try {
      for (int i = index; i < kSecond; i += 2) {
        root->bind(to_name("second/n" + std::to_string(i)), target);
        acknowledged[index] = i + 2;  // binds below this one are acknowledged
      }
    } catch (const SystemException&) {
      // orbd was killed; the binds acknowledged so far are what counts
    }
  };
  std::mt19937 random(std::random_device{}());
  int kill_after = static_cast<int>(random() % 800) + 100;
  std::thread even(writer, 0);
  std::thread odd(writer, 1);
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while ((acknowledged[0] + acknowledged[1]) / 2 < kill_after &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  orbd->process().kill_now();
  even.join();
  odd.join();
  int even_done = acknowledged[0];
  int odd_done = acknowledged[1];
  std::cout << "killed after about " << kill_after << " binds; acknowledged: " << even_done / 2
            << " even and " << odd_done / 2 << " odd of " << kSecond << "\n";
  EXPECT_LT(even_done / 2 + odd_done / 2, kSecond);  // the kill came mid-stream
  orbd.reset();
  orb.reset();

  Orbd restarted(scratch_, port_, "orbd-restarted.log");
  ASSERT_TRUE(restarted.ready()) << restarted.log();
  orb = client();
  root = root_context(*orb);
  int missing = 0;
  for (int i = 0; i < kFirst; ++i) {
    missing += root->resolve_str("first/n" + std::to_string(i)) == nullptr ? 1 : 0;
  }
  for (int i = 0; i < kSecond; ++i) {
    if (i < (i % 2 == 0 ? even_done : odd_done)) {
      try {
        root->resolve_str("second/n" + std::to_string(i));
      } catch (const CosNaming::NamingContext::NotFound&) {
        ++missing;
        ADD_FAILURE() << "acknowledged binding second/n" << i << " was lost";
      }
    }
  }
  EXPECT_EQ(missing, 0);
}

TEST_F(OrbdProcessTest, TornJournalTailIsLogged) {
  {
    Orbd orbd(scratch_, port_);
    ASSERT_TRUE(orbd.ready()) << orbd.log();
    std::unique_ptr<Orb> orb = client();
    auto root = root_context(*orb);
    for (int i = 0; i < 10; ++i) {
      root->bind(to_name("n" + std::to_string(i)), root);
    }
    orbd.process().kill_now();
  }
  // The killed orbd left its journal with the zero padding after the records.
  ASSERT_TRUE(tear_last_record(scratch_.path() / "data" / "naming" / "journal.0"));

  Orbd restarted(scratch_, port_, "orbd-restarted.log");
  ASSERT_TRUE(restarted.ready()) << restarted.log();
  std::string log = restarted.log();
  EXPECT_NE(log.find("9 bindings"), std::string::npos) << log;
  EXPECT_NE(log.find("torn tail"), std::string::npos) << log;
  std::unique_ptr<Orb> orb = client();
  auto root = root_context(*orb);
  EXPECT_NO_THROW(root->resolve_str("n8"));
  EXPECT_THROW(root->resolve_str("n9"), CosNaming::NamingContext::NotFound);
}

TEST_F(OrbdProcessTest, KilledServerLosesLeasedName) {
  constexpr auto kLease = 2s;
  Orbd orbd(scratch_, port_);
  ASSERT_TRUE(orbd.ready()) << orbd.log();
  std::unique_ptr<Orb> orb = client();
  auto root = root_context(*orb);
  root->bind(to_name("standard"), root);

  std::string ready = scratch_.file("lease-server.ready");
  ChildProcess server({ORB_LEASE_SERVER, url(), "svc/leased.srv", "2", ready},
                      scratch_.file("lease-server.log"));
  ASSERT_FALSE(test::wait_for_file(ready, server).empty());
  std::this_thread::sleep_for(kLease + 1s);  // renewals keep it across more than a lease
  EXPECT_NO_THROW(root->resolve_str("svc/leased.srv"));

  server.kill_now();
  auto killed = std::chrono::steady_clock::now();
  auto limit = kLease + kLease / 3 + 500ms;  // lease, one renewal period, and check slack
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() - killed < limit + 1s) {
    try {
      root->resolve_str("svc/leased.srv");
      std::this_thread::sleep_for(50ms);
    } catch (const CosNaming::NamingContext::NotFound&) {
      gone = true;
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - killed;
  ASSERT_TRUE(gone);
  EXPECT_LE(elapsed, limit);
  EXPECT_NO_THROW(root->resolve_str("standard"));  // a standard bind never expires
}

TEST_F(OrbdProcessTest, OrbNameCommands) {
  Orbd orbd(scratch_, port_);
  ASSERT_TRUE(orbd.ready()) << orbd.log();
  std::string root_ior = test::read_text_file(scratch_.file("root.ior"));
  root_ior.pop_back();  // newline

  EXPECT_EQ(orb_name({"bind-context", "a"}).first, 0);
  EXPECT_EQ(orb_name({"bind", "a/x.obj", root_ior}).first, 0);
  EXPECT_EQ(orb_name({"bind", "top", root_ior}).first, 0);
  EXPECT_EQ(orb_name({"list"}), std::make_pair(0, std::string("a/\ntop\n")));
  EXPECT_EQ(orb_name({"list", "a"}), std::make_pair(0, std::string("x.obj\n")));
  EXPECT_EQ(orb_name({"resolve", "a/x.obj"}).second.substr(0, 4), "IOR:");

  EXPECT_EQ(
      orb_name({"resolve", "a/b"}),
      std::make_pair(1, std::string("orb-name: resolve a/b: not found (missing node 'b')\n")));
  EXPECT_EQ(orb_name({"bind", "top", root_ior}),
            std::make_pair(1, std::string("orb-name: bind top: already bound\n")));
  EXPECT_EQ(
      orb_name({"remove-context", "a"}),
      std::make_pair(1, std::string("orb-name: remove-context a: the context is not empty\n")));
  EXPECT_EQ(orb_name({"resolve", "a//b"}),
            std::make_pair(1, std::string("orb-name: resolve a//b: invalid name\n")));
  EXPECT_EQ(orb_name({"frobnicate", "a", "b", "c"}),
            std::make_pair(2, std::string("orb-name: unknown command 'frobnicate'\n"
                                          "Try 'orb-name --help'.\n")));
  EXPECT_EQ(orb_name({"bind", "a"}),
            std::make_pair(2, std::string("orb-name: wrong number of arguments: usage is "
                                          "'orb-name bind NAME IOR'\nTry 'orb-name --help'.\n")));

  EXPECT_EQ(orb_name({"list", "--bogus"}),
            std::make_pair(2, std::string("orb-name: unknown option '--bogus'; a name that "
                                          "starts with - goes after --\n"
                                          "Try 'orb-name --help'.\n")));
  // After --, a word that starts with a dash is a name.
  EXPECT_EQ(orb_name({"bind-context", "--", "-dashed"}).first, 0);
  EXPECT_EQ(orb_name({"unbind", "--", "-dashed"}).first, 0);

  // A line break in a name prints escaped, so it cannot pass for two bindings.
  EXPECT_EQ(orb_name({"bind-context", "evil\na"}).first, 0);
  EXPECT_EQ(orb_name({"list"}), std::make_pair(0, std::string("a/\nevil\\x0aa/\ntop\n")));
  EXPECT_EQ(orb_name({"remove-context", "evil\na"}).first, 0);

  EXPECT_EQ(orb_name({"unbind", "a/x.obj"}).first, 0);

  // An object binding that names the now empty context a is not removed
  // as a context, which would destroy a under its own binding.
  std::string a_ior = orb_name({"resolve", "a"}).second;
  a_ior.pop_back();
  EXPECT_EQ(orb_name({"bind", "alias", a_ior}).first, 0);
  EXPECT_EQ(orb_name({"remove-context", "alias"}).first, 1);
  EXPECT_EQ(orb_name({"unbind", "alias"}).first, 0);

  // The '/' that list prints after a context may be given back.
  EXPECT_EQ(orb_name({"list", "a/"}), std::make_pair(0, std::string()));
  EXPECT_EQ(orb_name({"remove-context", "a/"}).first, 0);
  EXPECT_EQ(orb_name({"list"}), std::make_pair(0, std::string("top\n")));
}

TEST_F(OrbdProcessTest, RemoveContextOfRootExplains) {
  Orbd orbd(scratch_, port_);
  ASSERT_TRUE(orbd.ready()) << orbd.log();
  std::unique_ptr<Orb> orb = client();
  auto root = root_context(*orb);
  root->bind_context(to_name("r"), root);

  EXPECT_EQ(orb_name({"remove-context", "r"}),
            std::make_pair(1, std::string("orb-name: remove-context r: names the root context, "
                                          "which cannot be destroyed; 'orb-name unbind r' "
                                          "removes the binding\n")));
  EXPECT_EQ(orb_name({"list"}), std::make_pair(0, std::string("r/\n")));
  EXPECT_EQ(orb_name({"unbind", "r"}).first, 0);
  EXPECT_EQ(orb_name({"list"}), std::make_pair(0, std::string()));
}

TEST_F(OrbdProcessTest, CorbalocClientSendsUtf8Names) {
  Orbd orbd(scratch_, port_);
  ASSERT_TRUE(orbd.ready()) << orbd.log();
  // client() reaches the root context by a corbaloc: URL, which names no
  // code sets; ISO-8859-1 could not carry these names.
  std::unique_ptr<Orb> orb = client();
  auto root = root_context(*orb);
  root->bind_new_context(to_name("日本"));
  root->bind(to_name("€uro.obj"), root);

  std::unique_ptr<Orb> other = client();
  auto other_root = root_context(*other);
  EXPECT_NO_THROW(other_root->resolve_str("日本"));
  EXPECT_NO_THROW(other_root->resolve_str("€uro.obj"));
  EXPECT_EQ(orb_name({"list"}), std::make_pair(0, std::string("€uro.obj\n日本/\n")));
}

TEST_F(OrbdProcessTest, SecondOrbdOnDataDirectoryIsRefused) {
  Orbd first(scratch_, port_);
  ASSERT_TRUE(first.ready()) << first.log();
  std::unique_ptr<Orb> orb = client();
  auto root = root_context(*orb);
  root->bind(to_name("before"), root);

  Orbd second(scratch_, test::free_loopback_port(), "orbd-second.log");
  EXPECT_FALSE(second.ready());
  std::optional<int> status = second.process().wait_for_exit(10s);
  ASSERT_TRUE(status);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_NE(WEXITSTATUS(*status), 0);
  EXPECT_NE(second.log().find("is in use by another journal"), std::string::npos) << second.log();

  // The first orbd goes on, and its journal kept everything.
  root->bind(to_name("after"), root);
  first.process().kill_now();
  Orbd restarted(scratch_, port_, "orbd-restarted.log");
  ASSERT_TRUE(restarted.ready()) << restarted.log();
  std::unique_ptr<Orb> later = client();
  auto later_root = root_context(*later);
  EXPECT_NO_THROW(later_root->resolve_str("before"));
  EXPECT_NO_THROW(later_root->resolve_str("after"));
}

TEST_F(OrbdProcessTest, ListensOnEveryGivenEndpoint) {
  uint16_t other_port = test::free_loopback_port();
  std::string ior_file = scratch_.file("root.ior");
  ChildProcess orbd({ORB_ORBD, "--listen", "tcp://127.0.0.1:" + std::to_string(port_), "-ORBListen",
                     "tcp://127.0.0.1:" + std::to_string(other_port), "--data-dir",
                     scratch_.file("data"), "--ior-file", ior_file},
                    scratch_.file("orbd.log"));
  ASSERT_FALSE(test::wait_for_file(ior_file, orbd).empty())
      << test::read_text_file(scratch_.file("orbd.log"));
  for (uint16_t port : {port_, other_port}) {
    OrbOptions options;
    options.initial_references["NameService"] =
        "corbaloc::127.0.0.1:" + std::to_string(port) + "/NameService";
    options.call_timeout = 5000ms;
    Orb orb(options);
    EXPECT_NO_THROW(root_context(orb)->bind_new_context(to_name("on" + std::to_string(port))))
        << port;
  }
}

TEST_F(OrbdProcessTest, HelpListsOptions) {
  std::string output = scratch_.file("help.out");
  ChildProcess help({ORB_ORBD, "--help"}, output);
  ASSERT_TRUE(help.wait_for_exit(5s));
  std::string text = test::read_text_file(output);
  for (const char* option :
       {"--listen tcp://HOST:PORT", "--data-dir DIR", "--compact-bytes BYTES", "--commit-delay US",
        "--ior-file FILE", "--version", "default tcp://127.0.0.1:2809"}) {
    EXPECT_NE(text.find(option), std::string::npos) << option;
  }
}

TEST_F(OrbdProcessTest, CommitDelayIsBounded) {
  std::string output = scratch_.file("rejected.out");
  ChildProcess rejected({ORB_ORBD, "--commit-delay", "20000", "--data-dir", scratch_.file("data")},
                        output);
  std::optional<int> status = rejected.wait_for_exit(5s);
  ASSERT_TRUE(status);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_NE(WEXITSTATUS(*status), 0);
  EXPECT_NE(
      test::read_text_file(output).find("--commit-delay: 20000 us is longer than the maximum"),
      std::string::npos)
      << test::read_text_file(output);

  std::string ior_file = scratch_.file("root.ior");
  ChildProcess orbd(
      {ORB_ORBD, "--listen", "tcp://127.0.0.1:" + std::to_string(port_), "--commit-delay", "0",
       "--data-dir", scratch_.file("data"), "--ior-file", ior_file},
      scratch_.file("orbd.log"));
  ASSERT_FALSE(test::wait_for_file(ior_file, orbd).empty())
      << test::read_text_file(scratch_.file("orbd.log"));
  std::unique_ptr<Orb> orb = client();
  EXPECT_NO_THROW(root_context(*orb)->bind_new_context(to_name("without-delay")));
}

}  // namespace
}  // namespace orb::naming
