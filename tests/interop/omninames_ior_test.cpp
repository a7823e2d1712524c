// IOR interop with omniORB, run live: omniNames (started on a free
// loopback port with a scratch data directory) prints its root context
// IOR, omniORB's catior decodes it, and our parser must find the same type
// id, profile fields and components. catior also decodes IORs that our
// encoder writes, in both byte orders.
#include <orb/ior/components.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace orb::ior {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 10s;
constexpr auto kCatiorTimeout = 10s;
constexpr auto kStopTimeout = 5s;

// Returns the absolute path of `program` found in PATH, or an empty string.
std::string find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream directories(path != nullptr ? path : "");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    std::filesystem::path candidate = std::filesystem::path(directory) / program;
    if (!directory.empty() && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

// A scratch directory that is removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "omninames_ior_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// A child process whose stdout and stderr go to one pipe. The destructor
// stops it with SIGTERM, then SIGKILL after kStopTimeout, and reaps it, so
// no path out of a test leaves it running.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Reads output until `done(output)` holds, the output ends or the
  /// deadline passes; returns whether `done` held.
  bool read_until(Clock::time_point deadline, const std::function<bool(const std::string&)>& done);
  /// Waits for the exit until the deadline; returns the wait status, or
  /// nullopt on timeout.
  std::optional<int> wait_exit(Clock::time_point deadline);
  const std::string& output() const noexcept { return output_; }

 private:
  void stop() noexcept;

  pid_t pid_ = -1;
  int output_fd_ = -1;
  bool output_closed_ = false;
  std::string output_;
};

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed: " + std::string(std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);

  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));  // posix_spawn's signature is not const
  }
  args.push_back(nullptr);
  int status = ::posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (status != 0) {
    ::close(fds[0]);
    pid_ = -1;
    throw std::runtime_error("posix_spawn " + argv[0] + " failed: " + std::strerror(status));
  }
  output_fd_ = fds[0];
}

bool ChildProcess::read_until(Clock::time_point deadline,
                              const std::function<bool(const std::string&)>& done) {
  while (!done(output_)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (output_closed_ || left.count() <= 0) {
      return false;
    }
    pollfd poll_fd{output_fd_, POLLIN, 0};
    int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      return false;
    }
    if (ready > 0) {
      char buffer[4096];
      ssize_t count = ::read(output_fd_, buffer, sizeof buffer);
      if (count <= 0) {
        output_closed_ = true;
      } else {
        output_.append(buffer, static_cast<size_t>(count));
      }
    }
  }
  return true;
}

std::optional<int> ChildProcess::wait_exit(Clock::time_point deadline) {
  while (pid_ > 0) {
    int status = 0;
    pid_t result = ::waitpid(pid_, &status, WNOHANG);
    if (result == pid_) {
      pid_ = -1;
      return status;
    }
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    ::usleep(10'000);
  }
  return std::nullopt;
}

void ChildProcess::stop() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    if (!wait_exit(Clock::now() + kStopTimeout)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (output_fd_ >= 0) {
    ::close(output_fd_);
    output_fd_ = -1;
  }
}

// Binds port 0 on 127.0.0.1 and returns the port the kernel chose. Another
// process may take it before omniNames binds it, which the caller retries.
uint16_t find_free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) {
    ::close(fd);
  }
  if (!ok) {
    throw std::runtime_error("bind 127.0.0.1:0 failed: " + std::string(std::strerror(errno)));
  }
  return ntohs(address.sin_port);
}

// Runs catior -x on `ior_text` and returns what it printed.
std::string run_catior(const std::string& catior, const std::string& ior_text) {
  ChildProcess child({catior, "-x", ior_text});
  auto deadline = Clock::now() + kCatiorTimeout;
  child.read_until(deadline, [](const std::string&) { return false; });
  std::optional<int> status = child.wait_exit(deadline);
  EXPECT_TRUE(status.has_value()) << "catior did not exit within 10 s";
  if (status) {
    EXPECT_TRUE(WIFEXITED(*status)) << "catior ended with wait status " << *status << ":\n"
                                    << child.output();
    EXPECT_EQ(WEXITSTATUS(*status), 0) << "catior failed:\n" << child.output();
  }
  return child.output();
}

// What catior printed about one IIOP profile, in our types.
struct CatiorProfile {
  IiopProfile profile;
  std::vector<Component> components;
  // Positions in `components` of entries catior printed without their data.
  std::vector<size_t> tag_only;
};

struct CatiorReport {
  std::string type_id;
  std::vector<CatiorProfile> profiles;
};

std::vector<uint8_t> parse_hex(const std::string& hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

uint32_t code_set_id(const std::string& name) {
  static const std::map<std::string, uint32_t> kIds = {
      {"ISO-8859-1", kCodeSetIso8859_1},
      {"UTF-8", kCodeSetUtf8},
      {"UTF-16", kCodeSetUtf16},
      {"UCS-2-level-1", kCodeSetUcs2Level1},
  };
  auto found = kIds.find(name);
  if (found == kIds.end()) {
    ADD_FAILURE() << "catior printed a code set this test does not map: " << name;
    return 0;
  }
  return found->second;
}

std::vector<uint32_t> code_set_list(const std::string& names) {
  std::vector<uint32_t> ids;
  std::regex name_pattern(R"([^,\s]+)");
  for (std::sregex_iterator it(names.begin(), names.end(), name_pattern), end; it != end; ++it) {
    ids.push_back(code_set_id(it->str()));
  }
  return ids;
}

// catior prints the ORB type as its four big-endian bytes, e.g. "(ATT\x00)".
uint32_t parse_orb_type_bytes(const std::string& text) {
  uint32_t value = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    uint8_t byte = static_cast<uint8_t>(text[i]);
    if (text.compare(i, 2, "\\x") == 0 && i + 3 < text.size()) {
      byte = static_cast<uint8_t>(std::stoul(text.substr(i + 2, 2), nullptr, 16));
      i += 3;
    }
    value = value << 8 | byte;
  }
  return value;
}

// Tags of the non-standard components catior names.
uint32_t named_tag(const std::string& name) {
  static const std::map<std::string, uint32_t> kTags = {
      {"TAG_OMNIORB_PERSISTENT_ID", 0x41545403},  // as omniORB 4.2 IORs carry it
  };
  auto found = kTags.find(name);
  if (found == kTags.end()) {
    ADD_FAILURE() << "catior printed a component this test does not map: " << name;
    return 0xffffffff;
  }
  return found->second;
}

// Parses one line of catior's component listing into `current`.
void parse_component_line(const std::string& line, CatiorProfile& current) {
  static const std::regex kOrbType(R"(^\s*TAG_ORB_TYPE .*\((.*)\)\s*$)");
  static const std::regex kCodeSetLine(
      R"(^\s*(TAG_CODE_SETS\s+)?(w?char) (native code set|conversion code sets):\s*(.*?)\s*$)");
  static const std::regex kAlternate(R"(^\s*TAG_ALTERNATE_IIOP_ADDRESS (\S+) (\d+)\s*$)");
  static const std::regex kUnknown(R"(^\s*Unknown component tag (\d+)\s*$)");
  static const std::regex kNamedHex(R"(^\s*(TAG_\w+) 0x([0-9a-f]*)\s+\((\d+) bytes\)\s*$)");
  std::smatch match;
  if (std::regex_match(line, match, kOrbType)) {
    current.components.push_back(OrbTypeComponent{parse_orb_type_bytes(match[1])});
  } else if (std::regex_match(line, match, kCodeSetLine)) {
    if (match[1].matched) {
      current.components.push_back(CodeSetComponentInfo{});
    }
    auto& info = std::get<CodeSetComponentInfo>(current.components.back());
    CodeSetComponent& side = match[2] == "char" ? info.for_char_data : info.for_wchar_data;
    if (match[3] == "native code set") {
      side.native_code_set = code_set_id(match[4]);
    } else {
      side.conversion_code_sets = code_set_list(match[4]);
    }
  } else if (std::regex_match(line, match, kAlternate)) {
    current.components.push_back(
        AlternateIiopAddress{match[1], static_cast<uint16_t>(std::stoul(match[2]))});
  } else if (std::regex_match(line, match, kUnknown)) {
    current.tag_only.push_back(current.components.size());
    current.components.push_back(TaggedComponent{static_cast<uint32_t>(std::stoul(match[1])), {}});
  } else if (std::regex_match(line, match, kNamedHex)) {
    current.components.push_back(TaggedComponent{named_tag(match[1]), parse_hex(match[2])});
  } else if (line.find_first_not_of(" \t") != std::string::npos) {
    ADD_FAILURE() << "unrecognised catior line: " << line;
  }
}

CatiorReport parse_catior(const std::string& text) {
  static const std::regex kTypeId(R"re(^Type ID: "(.*)"\s*$)re");
  static const std::regex kProfile(
      R"(^\d+\. IIOP (\d+)\.(\d+) (\S+) (\d+) 0x([0-9a-f]*)\s+\(\d+ bytes\)\s*$)");
  CatiorReport report;
  std::stringstream lines(text);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, kTypeId)) {
      report.type_id = match[1];
    } else if (std::regex_match(line, match, kProfile)) {
      IiopProfile& profile = report.profiles.emplace_back().profile;
      profile.version = {static_cast<uint8_t>(std::stoul(match[1])),
                         static_cast<uint8_t>(std::stoul(match[2]))};
      profile.host = match[3];
      profile.port = static_cast<uint16_t>(std::stoul(match[4]));
      profile.object_key = parse_hex(match[5]);
    } else if (line == "Profiles:" || report.profiles.empty()) {
      continue;
    } else {
      parse_component_line(line, report.profiles.back());
    }
  }
  return report;
}

// Asserts that our decoding of `ior` matches catior's report field by field.
void expect_same_as_catior(const Ior& ior, const CatiorReport& report) {
  EXPECT_EQ(ior.type_id, report.type_id);
  ASSERT_EQ(ior.profiles.size(), report.profiles.size());
  for (size_t i = 0; i < ior.profiles.size(); ++i) {
    SCOPED_TRACE("profile " + std::to_string(i + 1));
    ASSERT_EQ(ior.profiles[i].tag, giop::kTagInternetIop);
    IiopProfile ours = decode_iiop_profile(ior.profiles[i].profile_data);
    const CatiorProfile& theirs = report.profiles[i];
    EXPECT_EQ(ours.version, theirs.profile.version);
    EXPECT_EQ(ours.host, theirs.profile.host);
    EXPECT_EQ(ours.port, theirs.profile.port);
    EXPECT_EQ(ours.object_key, theirs.profile.object_key);
    ASSERT_EQ(ours.components.size(), theirs.components.size());
    for (size_t c = 0; c < ours.components.size(); ++c) {
      SCOPED_TRACE("component " + std::to_string(c + 1));
      bool tag_only =
          std::find(theirs.tag_only.begin(), theirs.tag_only.end(), c) != theirs.tag_only.end();
      if (tag_only) {
        EXPECT_EQ(ours.components[c].tag, std::get<TaggedComponent>(theirs.components[c]).tag);
      } else {
        EXPECT_EQ(decode_component(ours.components[c]), theirs.components[c]);
      }
    }
  }
}

std::string require_program(const std::string& name) {
  std::string path = find_in_path(name);
  EXPECT_FALSE(path.empty()) << name
                             << " was not found in PATH; install the omniorb and "
                                "omniorb-nameserver packages (tools/setup.sh does)";
  return path;
}

// Extracts the IOR from omniNames' "Root context is IOR:..." log line,
// once the whole line has arrived.
std::optional<std::string> root_context_ior(const std::string& output) {
  static const std::regex kRootLine(R"(Root context is (IOR:[0-9a-fA-F]+)\r?\n)");
  std::smatch match;
  if (std::regex_search(output, match, kRootLine)) {
    return match[1].str();
  }
  return std::nullopt;
}

TEST(OmniNamesIor, RootContextMatchesCatior) {
  std::string omninames = require_program("omniNames");
  std::string catior = require_program("catior");
  ASSERT_FALSE(omninames.empty() || catior.empty());

  // A port found free can be taken again before omniNames binds it, so a
  // start that ends without an IOR is retried on a new port.
  std::optional<std::string> ior_text;
  for (int attempt = 0; attempt < 3 && !ior_text; ++attempt) {
    TempDir data_dir;
    std::string port = std::to_string(find_free_loopback_port());
    ChildProcess server({omninames, "-start", port, "-datadir", data_dir.path().string(),
                         "-ORBendPoint", "giop:tcp:127.0.0.1:" + port});
    bool found = server.read_until(Clock::now() + kStartTimeout, [](const std::string& output) {
      return root_context_ior(output).has_value();
    });
    if (found) {
      ior_text = root_context_ior(server.output());
      std::string report_text = run_catior(catior, *ior_text);
      SCOPED_TRACE("catior output:\n" + report_text);
      CatiorReport report = parse_catior(report_text);

      Ior ior = parse_ior_string(*ior_text);
      expect_same_as_catior(ior, report);
      EXPECT_EQ(report.type_id, "IDL:omg.org/CosNaming/NamingContextExt:1.0");
      ASSERT_EQ(report.profiles.size(), 1U);
      EXPECT_EQ(report.profiles[0].profile.port, std::stoul(port));
      EXPECT_EQ(to_string(ior, static_cast<cdr::ByteOrder>(parse_hex(ior_text->substr(4, 2))[0])),
                *ior_text)
          << "re-encoding in omniNames' byte order must reproduce its string";
    } else {
      ADD_FAILURE() << "attempt " << attempt + 1 << ": omniNames printed no root IOR within "
                    << kStartTimeout.count() << " s:\n"
                    << server.output();
    }
  }
  ASSERT_TRUE(ior_text.has_value());
}

class CatiorReadsOurIor : public ::testing::TestWithParam<cdr::ByteOrder> {};

TEST_P(CatiorReadsOurIor, AllFieldsAndComponents) {
  std::string catior = require_program("catior");
  ASSERT_FALSE(catior.empty());

  IiopProfile first{{1, 2}, "::1", 2810, {'a', 0, 0xff, '/'}, {}};
  first.components = {
      encode_component(OrbTypeComponent{kOmniOrbOrbType}, GetParam()),
      encode_component(CodeSetComponentInfo{{kCodeSetUtf8, {kCodeSetIso8859_1, kCodeSetUtf16}},
                                            {kCodeSetUcs2Level1, {}}},
                       GetParam()),
      encode_component(AlternateIiopAddress{"10.1.2.3", 7}, GetParam()),
      TaggedComponent{0x99, {1, 2, 3}},
  };
  IiopProfile second{{1, 0}, "host.example.com", 1, {'k'}, {}};
  Ior ior = make_ior("IDL:Test/Thing:1.0", first, GetParam());
  ior.profiles.push_back(encode_iiop_profile(second, GetParam()));

  std::string report_text = run_catior(catior, to_string(ior, GetParam()));
  SCOPED_TRACE("catior output:\n" + report_text);
  expect_same_as_catior(ior, parse_catior(report_text));
}

INSTANTIATE_TEST_SUITE_P(BothOrders, CatiorReadsOurIor,
                         ::testing::Values(cdr::ByteOrder::big_endian,
                                           cdr::ByteOrder::little_endian),
                         [](const auto& info) {
                           return info.param == cdr::ByteOrder::big_endian ? "BigEndian"
                                                                           : "LittleEndian";
                         });

}  // namespace
}  // namespace orb::ior
