// orbd: hosts the naming service under the object key "NameService" so
// that any ORB reaches it as corbaloc::HOST:PORT/NameService, and the
// tuple space under "TupleSpace". The state of both is journaled under
// the data directory and recovered at start. SIGINT and SIGTERM shut it
// down cleanly: requests in progress finish, the journal is closed, and
// the process exits with status 0.
#include <orb/detail/log.hpp>
#include <orb/exception.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/naming/service.hpp>
#include <orb/orb.hpp>
#include <orb/space/servant.hpp>
#include <store/journal.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// orbd's own log lines, named like the ORB's ("orbd").
std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("orbd");
  return instance;
}

constexpr std::string_view kDefaultListen = "tcp://127.0.0.1:2809";
constexpr uint64_t kDefaultCompactBytes = 4 * 1024 * 1024;
/// Keeps the interval far from the overflow of clock arithmetic.
constexpr uint64_t kLongestSyncIntervalMs = 24 * 60 * 60 * 1000;
// A wait longer than one sync only adds latency; 10 ms is about what a
// sync takes on a spinning disk (an estimate), far more than on this one.
constexpr uint64_t kLongestCommitDelayUs = 10'000;

constexpr std::string_view kUsage =
    "usage: orbd [options] [-ORB<option> VALUE...]\n"
    "\n"
    "Hosts the CosNaming naming service under the object key NameService and\n"
    "the tuple space under TupleSpace; clients reach them as\n"
    "corbaloc::HOST:PORT/NameService and corbaloc::HOST:PORT/TupleSpace.\n"
    "\n"
    "options:\n"
    "  --listen tcp://HOST:PORT  endpoint to serve on; repeatable, and added to any\n"
    "                            -ORBListen (default tcp://127.0.0.1:2809 when neither is given)\n"
    "  --data-dir DIR            directory of the journals (default $XDG_STATE_HOME/orbd,\n"
    "                            else ~/.local/state/orbd); naming state goes to DIR/naming\n"
    "                            and the tuple space to DIR/space\n"
    "  --compact-bytes BYTES     rewrite the journal as a snapshot once it exceeds BYTES\n"
    "                            (default 4194304)\n"
    "  --space-sync-interval MS  0 (default): the tuple space syncs its journal to disk\n"
    "                            before each reply. MS > 0: it replies once the change is\n"
    "                            written and syncs at most every MS milliseconds, so a\n"
    "                            crash of the machine (not of orbd) loses at most the last\n"
    "                            MS ms of acknowledged changes plus one sync; 1000 matches\n"
    "                            Redis appendfsync everysec\n"
    "  --commit-delay US         a tuple-space journal sync of one change first waits up\n"
    "                            to US microseconds for a second change to share it, while\n"
    "                            changes tend to arrive in twos (default 50; 0 turns the\n"
    "                            wait off, a disk that syncs faster wants less)\n"
    "  --ior-file FILE           also write the root context's IOR to FILE\n"
    "  --help                    print this text and exit\n"
    "  --version                 print the version and exit\n"
    "\n"
    "-ORB options (such as -ORBMaxRequestsPerConnection N or -ORBLogLevel debug)\n"
    "configure the ORB. A blocked read or take of the tuple space holds one server\n"
    "thread, and one connection, over TCP or shared memory, has at most\n"
    "-ORBMaxRequestsPerConnection requests (default 64) in progress at once.\n"
    "SIGINT or SIGTERM stops orbd cleanly.\n";

struct Settings {
  std::vector<std::string> listen;  // added to -ORBListen's; kDefaultListen when both are empty
  std::filesystem::path data_directory;
  uint64_t compact_bytes = kDefaultCompactBytes;
  uint64_t space_sync_interval_ms = 0;
  std::chrono::microseconds commit_delay = orb::store::JournalOptions{}.commit_delay;
  std::string ior_file;
  std::vector<std::string> orb_arguments;  // the -ORB options and their values
};

std::filesystem::path default_data_directory() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state != '\0') {
    return std::filesystem::path(state) / "orbd";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::filesystem::path(home) / ".local" / "state" / "orbd";
  }
  return std::filesystem::current_path() / "orbd-state";
}

[[noreturn]] void fail_usage(const std::string& message) {
  std::cerr << "orbd: " << message << "\n"
            << "Try 'orbd --help'.\n";
  std::exit(2);
}

uint64_t parse_count(const std::string& option, const std::string& value) {
  try {
    size_t used = 0;
    uint64_t count = std::stoull(value, &used);
    if (used == value.size() && value.find('-') == std::string::npos) {
      return count;
    }
  } catch (const std::exception&) {
    // reported below
  }
  fail_usage(option + ": '" + value + "' is not a non-negative integer");
}

/// Reads orbd's own options; exits for --help, --version and bad usage.
Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  std::vector<std::string> arguments(argv + 1, argv + argc);
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (argument == "--version") {
      std::cout << "orbd " << ORB_VERSION << '\n';
      std::exit(0);
    }
    bool takes_value = argument.starts_with("-ORB") || argument == "--listen" ||
                       argument == "--data-dir" || argument == "--compact-bytes" ||
                       argument == "--space-sync-interval" || argument == "--ior-file" ||
                       argument == "--commit-delay";
    if (!takes_value) {
      fail_usage("unknown option '" + argument + "'");
    }
    if (i + 1 == arguments.size()) {
      fail_usage(argument + " needs a value");
    }
    const std::string& value = arguments[++i];
    if (argument.starts_with("-ORB")) {
      settings.orb_arguments.insert(settings.orb_arguments.end(), {argument, value});
    } else if (argument == "--listen") {
      settings.listen.push_back(value);
    } else if (argument == "--data-dir") {
      if (value.empty()) {
        fail_usage("--data-dir needs a directory; an empty one would mean the default");
      }
      settings.data_directory = value;
    } else if (argument == "--compact-bytes") {
      settings.compact_bytes = parse_count(argument, value);
    } else if (argument == "--space-sync-interval") {
      settings.space_sync_interval_ms = parse_count(argument, value);
      if (settings.space_sync_interval_ms > kLongestSyncIntervalMs) {
        fail_usage(argument + ": " + value + " ms is longer than the maximum of " +
                   std::to_string(kLongestSyncIntervalMs) + " ms (one day)");
      }
    } else if (argument == "--commit-delay") {
      uint64_t microseconds = parse_count(argument, value);
      if (microseconds > kLongestCommitDelayUs) {
        fail_usage(argument + ": " + value + " us is longer than the maximum of " +
                   std::to_string(kLongestCommitDelayUs) + " us (10 ms)");
      }
      settings.commit_delay = std::chrono::microseconds(microseconds);
    } else {
      settings.ior_file = value;
    }
  }
  if (settings.data_directory.empty()) {
    settings.data_directory = default_data_directory();
  }
  return settings;
}

/// Formats HOST:PORT of a reference's IIOP profile, which shows the port chosen for port 0.
std::string endpoint_of(const orb::ObjectRef& object) {
  std::optional<orb::ior::IiopProfile> profile = orb::ior::find_iiop_profile(object->_ior());
  if (!profile) {
    return "?";
  }
  bool ipv6 = profile->host.find(':') != std::string::npos;
  return (ipv6 ? "[" + profile->host + "]" : profile->host) + ":" + std::to_string(profile->port);
}

/// Writes `text` to a temporary file and renames it to `path`, so a reader
/// that waits for `path` never sees it half written.
void write_file_atomically(const std::string& path, const std::string& text) {
  std::string temporary = path + ".tmp";
  std::ofstream out(temporary);
  out << text;
  out.close();
  if (!out) {
    throw std::runtime_error("--ior-file: cannot write " + temporary + ": " + std::strerror(errno) +
                             "; give a file in a writable directory");
  }
  std::filesystem::rename(temporary, path);
}

void log_recovery(const orb::naming::StoreRecovery& recovery, const std::filesystem::path& dir) {
  logger()->info(
      "recovered {} contexts, {} bindings and {} leases from {} (generation {}: {} snapshot "
      "records, {} journal records)",
      recovery.contexts, recovery.bindings, recovery.leases, dir.string(),
      recovery.journal.generation, recovery.journal.snapshot_records,
      recovery.journal.journal_records);
  if (recovery.journal.torn_tail_bytes != 0) {
    logger()->warn("discarded a torn tail of {} bytes at the end of the naming journal",
                   recovery.journal.torn_tail_bytes);
  }
}

/// Blocks until SIGINT or SIGTERM arrives and returns its number. The
/// signals were blocked in every thread before the ORB started its own.
int wait_for_stop_signal(const sigset_t& signals) {
  int number = 0;
  while (sigwait(&signals, &number) != 0) {
  }
  return number;
}

/// Builds the ORB's options from the -ORB options and ORB_ variables with
/// orbd's defaults; exits with status 2 when one is invalid, before
/// anything starts.
orb::OrbOptions orb_options(const Settings& settings) {
  std::vector<std::string> orb_arguments = settings.orb_arguments;
  orb::OrbOptions options;
  try {
    options = orb::parse_options(orb_arguments, orb::process_environment());
  } catch (const orb::SystemException& error) {
    fail_usage(error.message());
  }
  // --listen and -ORBListen (or ORB_LISTEN) add up.
  options.listen.insert(options.listen.begin(), settings.listen.begin(), settings.listen.end());
  if (options.listen.empty()) {
    options.listen = {std::string(kDefaultListen)};
  }
  return options;
}

int serve(const Settings& settings, const orb::OrbOptions& options, const sigset_t& stop_signals) {
  // The tuple space's engine outlives the ORB, whose upcalls use it.
  orb::space::EngineOptions space_options;
  space_options.data_directory = settings.data_directory / "space";
  space_options.compact_bytes = settings.compact_bytes;
  space_options.sync_interval = orb::space::Millis(settings.space_sync_interval_ms);
  space_options.commit_delay = settings.commit_delay;
  // The ORB sets the log level too, but the space's recovery logs first.
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  orb::space::Engine space(space_options);
  orb::Orb orb(options);

  std::filesystem::path naming_directory = settings.data_directory / "naming";
  orb::naming::JournalStoreOptions store_options{naming_directory, true, settings.compact_bytes,
                                                 settings.commit_delay};
  orb::naming::PersistentNamingService naming =
      orb::naming::open_naming_service(orb, store_options);
  log_recovery(naming.recovery, naming_directory);
  orb::space::serve_space(orb, space, "TupleSpace");

  std::string ior = orb.object_to_string(naming.service->root());
  if (!settings.ior_file.empty()) {
    write_file_atomically(settings.ior_file, ior + "\n");
  }
  logger()->info("orbd {} serving the naming service as corbaloc::{}/NameService", ORB_VERSION,
                 endpoint_of(naming.service->root()));
  logger()->info("root context IOR: {}", ior);
  logger()->info("serving the tuple space as corbaloc::{}/TupleSpace",
                 endpoint_of(naming.service->root()));
  if (settings.space_sync_interval_ms != 0) {
    logger()->info("the tuple space syncs its journal every {} ms, not before each reply",
                   settings.space_sync_interval_ms);
  }

  int number = wait_for_stop_signal(stop_signals);
  logger()->info("received {}, shutting down", number == SIGINT ? "SIGINT" : "SIGTERM");
  naming.service.reset();
  space.stop_waiting();  // blocked takes would hold the shutdown forever
  orb.shutdown(true);
  logger()->info("orbd stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse_arguments(argc, argv);
  orb::OrbOptions options = orb_options(settings);

  // Threads inherit the mask, so only sigwait() below receives these signals.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    return serve(settings, options, stop_signals);
  } catch (const orb::Exception& error) {
    logger()->error("orbd failed: {}", error.what());
  } catch (const std::exception& error) {
    logger()->error("orbd failed: {}", error.what());
  }
  return 1;
}
