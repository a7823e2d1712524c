// naming_bench: binds/s and resolves/s against orbd and against omniNames,
// side by side in one run, with 1 and 2 client threads. Both servers run
// as child processes on 127.0.0.1 with data directories in a scratch
// folder. Every client is this ORB, so the servers are what differs.
// Prints a Markdown section and, with --markdown FILE, puts it into FILE
// between its own markers, replacing an earlier run's section.
#include <orb/naming/client.hpp>
#include <orb/naming/names.hpp>

#include "child_process.hpp"
#include "machine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using orb::test::ChildProcess;
using orb::test::ScratchDir;

constexpr std::string_view kBeginMarker = "<!-- naming_bench: begin -->";
constexpr std::string_view kEndMarker = "<!-- naming_bench: end -->";

/// Column headings of the servers that --targets names.
const std::map<std::string, std::string> kTargetLabels = {{"orbd-tcp", "orbd, TCP"},
                                                          {"orbd-shm", "orbd, shared memory"},
                                                          {"omninames", "omniNames, TCP"}};

/// Causes of the measured rates, found by hand on 2026-12-04 and 05 on the 2-CPU
/// virtual machine that produced the records. A run elsewhere must check
/// them before keeping them.
constexpr std::string_view kAnalysis =
    "Analysis. The record above comes from a machine with an Intel Xeon at 2.6 GHz (its "
    "Machine line). The items dated 2026-12-04, and 2026-12-05 before 15:30 UTC, come from "
    "the machine of the earlier records: an AMD EPYC with Linux 6.18.44-fc-v1272 and ext4 "
    "without a journal. Its CPUs were shared with other people's compilers (load average 4 "
    "to 12 at times). Both machines have 2 vCPUs and a virtio disk with a volatile write "
    "cache and no FUA.\n\n"
    "- On the Intel machine on 2026-12-05, a loop of 2,000 whole-block `pwritev2` writes "
    "with `O_DIRECT` and `RWF_DSYNC` took a median 118 and 120 us per write in two runs. "
    "On the AMD machine it took 70 to 105 us, so orbd's durable bind is slower on the Intel "
    "machine: about 135 us with one client over TCP. omniNames slowed down more. A null call took "
    "57 us "
    "over omniORB's TCP and 57 us over a raw blocking socket, against 6.6 us for this ORB, "
    "whose threads spin before they block (46, 44 and 7.9 us on the AMD machine). Halt "
    "polling is off in that guest (`guest_halt_poll_ns` is 0), so a thread that blocks "
    "hands its CPU back to the hypervisor, and waking it takes longer. A busy loop at the "
    "lowest priority (`chrt -i 0`), which kept the CPUs from halting, made the write loop "
    "slower (medians of 144 and 145 us), so keeping orbd's CPU busy during a sync would "
    "not help. A run at 15:52 met the 1-thread goal over both transports (7,369 and 7,716 "
    "against 6,029 binds/s, 1.22x and 1.28x); orbd's slowest round over TCP bound 6,495 "
    "names a second and omniNames' fastest 6,268.\n"
    "- A durable bind costs two disk requests, the write of the record and the flush of the "
    "disk cache, and each traps to the hypervisor. A loop of 124-byte writes, each followed "
    "by `fdatasync`, took 75 to 90 us per sync at the median into zero-filled space and 100 "
    "to 130 us when each write grew the file. With its data directory on tmpfs, where "
    "`fdatasync` does nothing, five runs of orbd over TCP with one client thread gave 6,400 "
    "to 39,000 binds/s, three of them above 37,000, so the sync is most of a bind's time. "
    "omniNames does not sync. On 2026-12-05 the same loop took a median 78 to 81 us per "
    "record with `pwrite` and `fdatasync` and 70 to 71 us with one `pwritev2` of whole "
    "blocks on an `O_DIRECT` descriptor with `RWF_DSYNC`, which the journal now uses.\n"
    "- With one client thread, `perf sched` on 2026-12-05 showed both sides halting their "
    "CPUs during each sync: the ORB's 50 us spin ran out before the reply (about 100 us) "
    "or the next request came, so each bind paid two wake-ups of a halted CPU (about 20 us "
    "each), and in some runs the scheduler put client and orbd on one CPU, where orbd's "
    "spin took 30 us from the client. The ORB now spins for twice a connection's typical "
    "wait (up to 250 us) and not at all when the peer shares its CPU: 1-thread binds went "
    "from 7,138 to 8,297 a second (3 rounds each), and omniNames, whose client is this "
    "ORB, from 7,181 to 9,142. The direct journal writes then took orbd to 9,221 against "
    "omniNames' 8,743.\n"
    "- In traces of that day the journal write with its flush took about 70 us of a bind's "
    "110 us round trip, so orbd's 1-thread rate follows the disk's flush latency, which "
    "varies between rounds more than anything in omniNames' path does. In two runs of 5 "
    "rounds with the final code that day, orbd's median came out at 1.02x and 0.96x of "
    "omniNames' over TCP and at 1.14x and 1.12x over shared memory.\n"
    "- Later on 2026-12-05 a loop of whole-block `pwritev2` writes with `RWF_DSYNC` and "
    "nothing else ran at 9,300 to 10,100 records a second (medians of 86 to 105 us), about "
    "omniNames' rate. A run of this benchmark at 06:19 missed the 1-thread goal over both "
    "transports (0.89x over TCP), and one at 06:59 met it (1.05x over TCP, 1.14x over shared "
    "memory). A run at 09:36 missed it again (0.82x over TCP with one round at 461 binds/s, "
    "0.98x over shared memory), and one at 11:52 missed it over TCP (0.94x) and met it over "
    "shared memory (1.16x). The run recorded at 14:05, with the machine otherwise "
    "quiet, missed it over both (11,481 and 9,923 against 12,161 binds/s, 0.94x and "
    "0.82x). The journal's commit delay never applies to the naming service, whose store "
    "hands the journal one batch at a time. On that machine, whether a server that syncs "
    "each bind before its reply could keep up with one client against omniNames, which "
    "does not sync, depended on the disk's flush latency of the hour.\n"
    "- At 13:47 on 2026-12-05, with the machine otherwise quiet, 5 rounds gave omniNames "
    "12,678 binds/s with one thread, 79 us a bind, and orbd 10,110 over TCP (0.80x) and "
    "11,619 over shared memory. Per bind, orbd made one `recvfrom`, one `pwritev2` of a "
    "4 KiB block with `RWF_DSYNC` and one `sendmsg`. That write is two disk requests in "
    "turn, the data and then the cache flush. orbd's serving thread slept through both: "
    "`perf sched` counted 46 us of waiting and 7 us from its wake-up to running, on "
    "average. `perf record` found 19% of orbd's CPU time in `iowrite16`, the write to the "
    "virtio queue's doorbell, which traps to the hypervisor for each request. Of orbd's "
    "99 us per bind, that leaves 46 us for the round trip (a null call over TCP took 11 us "
    "at the median that hour), the two traps, decoding, applying and replying. To match "
    "omniNames' 79 us, all of that would have to fit into 26 us.\n"
    "- orbd's rates with one client thread fall into two modes from one run to the next, "
    "300 to 800 binds/s or 4,000 to 7,500 binds/s, over TCP before and after commit 0191e0b "
    "changed how the ORB reads TCP connections, and in some runs over shared memory too. "
    "`perf sched` of a slow run showed why: when other processes kept both CPUs busy, the "
    "orbd thread that the disk interrupt woke after `fdatasync` did not preempt them and "
    "waited 3.3 to 3.7 ms to run, one scheduler tick. Wake-ups by a peer that then blocks (a "
    "request or a reply arriving) ran at once, so resolves and omniNames' binds, which never "
    "wait for the disk, keep their speed. Giving the syncing thread a shorter scheduler "
    "slice (`sched_setattr`) did not help measurably.\n"
    "- omniNames binds more slowly as the context grows, and orbd, which keeps each context "
    "in a `std::map`, does not. Single runs with 500, 2,000 and 5,000 ms per measurement "
    "gave omniNames 15,731, 9,164 and 5,733 binds/s with one thread, when the context ends "
    "the phase with about 8,000, 18,000 and 29,000 names, and orbd 6,143, 5,039 and 6,199. "
    "The 2-thread phase binds into the same context after the 1-thread phase, and gave "
    "omniNames 5,613, 3,878 and 2,354 binds/s against orbd's 6,916, 6,840 and 6,990. Which "
    "server binds faster with one thread therefore depends on the length of the "
    "measurement.\n"
    "- With 2 client threads, binds that arrive during a sync go out together in the next "
    "one: `perf stat` counted 4,837 `fdatasync` calls in 2 s of about 5,500 binds/s, about "
    "2 binds per sync.\n"
    "- Resolves over shared memory were slower than over TCP in the earlier records because "
    "of the ORB's shared-memory transport, not the naming service: before commit b548947, "
    "`perf sched` counted 41,259 wake-ups of orbd threads by other orbd threads in 0.46 s of "
    "about 2,400 resolves/s, about 37 per request, each thread running for about 3 us. With "
    "that commit, which serves a lone caller on one thread, the count fell to 87 in 0.4 s "
    "of about 12,000 resolves/s.\n";

struct Settings {
  std::chrono::milliseconds duration{2000};
  std::string markdown;
  std::vector<std::string> targets{"orbd-tcp", "orbd-shm", "omninames"};
  /// Rounds over all targets; each cell shows the median of its rounds.
  int rounds = 1;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    items.push_back(item);
  }
  return items;
}

/// One naming service under test and how clients reach it.
struct Target {
  std::string label;
  std::string url;
  std::string shm;  // the -ORBShm value of its clients
};

/// Waits until the root context at `url` responds; false when `server` ends or 10 s pass.
bool wait_until_serving(const std::string& url, ChildProcess& server) {
  orb::OrbOptions options;
  options.initial_references["NameService"] = url;
  options.shm = "off";
  orb::Orb probe(options);
  auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline && server.running()) {
    try {
      // omniNames accepts connections a moment before its root context exists.
      if (!probe.resolve_initial_references("NameService")->_non_existent()) {
        return true;
      }
    } catch (const orb::SystemException&) {
      // not listening yet
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

/// Runs `operation(thread, i)` on `threads` threads, each with its own ORB
/// and connection, for `duration`; returns operations per second.
template <class Operation>
double measure(const Target& target, int threads, std::chrono::milliseconds duration,
               Operation operation) {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> total{0};
  std::mutex failure_mutex;
  std::string failure;  // the first worker's error; guarded by failure_mutex
  std::vector<std::thread> workers;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        orb::OrbOptions options;
        options.initial_references["NameService"] = target.url;
        options.shm = target.shm;
        orb::Orb orb(options);
        auto root = orb::naming::root_context(orb);
        uint64_t count = 0;
        while (!stop.load(std::memory_order_relaxed)) {
          operation(orb, *root, t, count++);
        }
        total += count;
      } catch (const std::exception& error) {
        // Raised again in main's thread, so that the servers' guards stop them.
        std::lock_guard lock(failure_mutex);
        if (failure.empty()) {
          failure = target.label + ", thread " + std::to_string(t) + " failed: " + error.what();
        }
        stop = true;
      }
    });
  }
  for (auto deadline = Clock::now() + duration; Clock::now() < deadline && !stop;) {
    std::this_thread::sleep_for(10ms);
  }
  stop = true;
  for (std::thread& worker : workers) {
    worker.join();
  }
  if (!failure.empty()) {
    throw std::runtime_error(failure);
  }
  std::chrono::duration<double> elapsed = Clock::now() - start;
  return static_cast<double>(total.load()) / elapsed.count();
}

struct Row {
  std::string measurement;
  std::vector<double> values;                // one per target
  std::vector<std::vector<double>> samples;  // per target, one per round
};

/// Measures binds/s and then resolves/s of the names just bound.
std::vector<Row> run_target(const Target& target, std::chrono::milliseconds duration) {
  std::vector<Row> rows;
  for (int threads : {1, 2}) {
    // Runs against the same server must not bind the same names.
    static int run = 0;
    std::string prefix = "run" + std::to_string(++run) + "_";
    std::vector<uint64_t> bound(2, 0);
    double binds = measure(
        target, threads, duration,
        [&](orb::Orb& orb, CosNaming::NamingContextExt& root, int t, uint64_t i) {
          CosNaming::Name name{{prefix + std::to_string(t) + "_" + std::to_string(i), "obj"}};
          root.bind(name, orb.string_to_object(target.url));
          bound[t] = i + 1;
        });
    double resolves =
        measure(target, threads, duration,
                [&](orb::Orb&, CosNaming::NamingContextExt& root, int t, uint64_t i) {
                  CosNaming::Name name{{prefix + std::to_string(t) + "_" +
                                            std::to_string(i % std::max<uint64_t>(bound[t], 1)),
                                        "obj"}};
                  root.resolve(name);
                });
    std::string thread_count = std::to_string(threads) + " thread" + (threads > 1 ? "s" : "");
    rows.push_back({"binds/s, " + thread_count, {binds}, {}});
    rows.push_back({"resolves/s, " + thread_count, {resolves}, {}});
  }
  return rows;
}

/// orbd and omniNames as child processes on 127.0.0.1, each with a new
/// data directory in a scratch folder; the destructor stops both.
class Servers {
 public:
  Servers() {
    uint16_t orbd_port = orb::test::free_loopback_port();
    orbd_ior_ = scratch_.file("orbd.ior");
    orbd_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            ORB_BENCH_ORBD, "--listen", "tcp://127.0.0.1:" + std::to_string(orbd_port),
            "--data-dir", scratch_.file("orbd"), "--ior-file", orbd_ior_, "-ORBLogLevel", "warn"},
        scratch_.file("orbd.log"));
    orbd_url_ = "corbaloc::127.0.0.1:" + std::to_string(orbd_port) + "/NameService";

    uint16_t omni_port = orb::test::free_loopback_port();
    std::filesystem::create_directories(scratch_.path() / "omninames");
    omninames_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{ORB_BENCH_OMNINAMES, "-start", std::to_string(omni_port),
                                 "-datadir", scratch_.file("omninames"), "-ORBendPoint",
                                 "giop:tcp:127.0.0.1:" + std::to_string(omni_port)},
        scratch_.file("omninames.log"));
    omni_url_ = "corbaloc::127.0.0.1:" + std::to_string(omni_port) + "/NameService";
  }

  /// Waits until both serve; exits the program when one does not.
  void wait_until_ready() {
    if (!wait_until_serving(orbd_url_, *orbd_) || !wait_until_serving(omni_url_, *omninames_)) {
      std::cerr << "naming_bench: a naming service did not start; see " << scratch_.file("orbd.log")
                << " and " << scratch_.file("omninames.log") << '\n';
      std::exit(1);
    }
  }

  /// The target named `name` (orbd-tcp, orbd-shm or omninames).
  Target target(const std::string& name) const {
    if (name == "orbd-shm") {
      // Only the full IOR carries the shared-memory endpoint; a corbaloc URL has no components.
      std::string ior = orb::test::read_text_file(orbd_ior_);
      ior.erase(ior.find_last_not_of('\n') + 1);
      return {kTargetLabels.at(name), ior, "only"};
    }
    return {kTargetLabels.at(name), name == "orbd-tcp" ? orbd_url_ : omni_url_, "off"};
  }

 private:
  ScratchDir scratch_;
  std::string orbd_ior_;
  std::string orbd_url_;
  std::string omni_url_;
  std::unique_ptr<ChildProcess> orbd_;
  std::unique_ptr<ChildProcess> omninames_;
};

/// Runs every target `settings.rounds` times and keeps each cell's median.
/// Each round starts new servers, so no server carries the names of an
/// earlier round, and measures the targets one after the other, so that a
/// change of the machine's load reaches all of them.
std::vector<Row> measure_rounds(const Settings& settings) {
  size_t count = settings.targets.size();
  std::vector<Row> rows;
  for (int round = 0; round < settings.rounds; ++round) {
    Servers servers;
    servers.wait_until_ready();
    for (size_t t = 0; t < count; ++t) {
      std::vector<Row> measured =
          run_target(servers.target(settings.targets[t]), settings.duration);
      if (rows.empty()) {
        rows = measured;
        for (Row& row : rows) {
          row.samples.assign(count, {});
        }
      }
      for (size_t i = 0; i < rows.size(); ++i) {
        rows[i].samples[t].push_back(measured[i].values.front());
      }
    }
  }
  for (Row& row : rows) {
    row.values.clear();
    for (std::vector<double>& samples : row.samples) {
      std::sort(samples.begin(), samples.end());
      row.values.push_back(samples[samples.size() / 2]);
    }
  }
  return rows;
}

std::string format_rate(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", value);
  return text;
}

/// The median, and the range of the rounds when there were several.
std::string format_cell(double median, const std::vector<double>& sorted_samples) {
  if (sorted_samples.size() < 2) {
    return format_rate(median);
  }
  return format_rate(median) + " (" + format_rate(sorted_samples.front()) + "–" +
         format_rate(sorted_samples.back()) + ")";
}

/// The Markdown table: one column per server, one row per measurement.
std::string render_table(const std::vector<std::string>& labels, const std::vector<Row>& rows) {
  std::ostringstream out;
  out << "| measurement |";
  for (const std::string& label : labels) {
    out << ' ' << label << " |";
  }
  out << "\n|---|";
  for (size_t i = 0; i < labels.size(); ++i) {
    out << "---:|";
  }
  out << '\n';
  for (const Row& row : rows) {
    out << "| " << row.measurement << " |";
    for (size_t t = 0; t < row.values.size(); ++t) {
      out << ' ' << format_cell(row.values[t], row.samples[t]) << " |";
    }
    out << '\n';
  }
  return out.str();
}

std::string render(const std::vector<std::string>& labels, const std::vector<Row>& rows,
                   const Settings& settings, const std::string& load_before) {
  std::ostringstream out;
  out << kBeginMarker << "\n## Naming service: orbd and omniNames\n\n"
      << "Binds and resolves per second against `orbd` and against omniNames "
      << ORB_BENCH_OMNIORB_VERSION << ", each a child process on 127.0.0.1 with its data "
      << "directory in a scratch folder. The clients are this ORB in the benchmark process, "
      << "one ORB and connection per thread, each thread binding names of its own in the root "
      << "context for " << settings.duration.count() << " ms, then resolving them for as long.\n\n"
      << "- Command: `build/<release build>/bench/naming/naming_bench --milliseconds "
      << settings.duration.count() << " --rounds " << settings.rounds
      << " --markdown docs/benchmarks.md`\n"
      << "- Date: " << orb::bench::utc_now() << "; build type: " << ORB_BENCH_BUILD_TYPE << "\n"
      << "- Machine: " << orb::bench::machine_summary() << "\n"
      << "- Load average before: " << load_before << "; after: " << orb::bench::load_average()
      << "\n"
      << "- orbd appends each bind to its journal and syncs it before replying; concurrent "
      << "binds share one sync. The journal file grows in zero-filled steps of 256 KiB, and "
      << "each batch is written as whole blocks with `O_DIRECT` and `RWF_DSYNC`, so a sync "
      << "writes the record's block and flushes the disk's cache without a change of the "
      << "file size. omniNames runs with its default log in the data "
      << "directory; omniNames 4.2.5 appends each change to that log with write(2), and an "
      << "strace of three binds showed no fsync or fdatasync, so its binds survive a crash "
      << "of the process but not necessarily of the machine.\n\n";
  out << render_table(labels, rows);
  if (settings.rounds > 1) {
    out << "\nEach cell is the median of " << settings.rounds
        << " rounds, with the lowest and highest in brackets. Each round starts both servers "
        << "with empty data directories.\n";
  }
  out << '\n' << kAnalysis << '\n' << kEndMarker << '\n';
  return out.str();
}

/// Replaces the section between the markers in `path`, or appends it.
void write_section(const std::string& path, const std::string& section) {
  std::string text = orb::test::read_text_file(path);
  size_t begin = text.find(kBeginMarker);
  size_t end = text.find(kEndMarker);
  if (begin != std::string::npos && end != std::string::npos && end > begin) {
    size_t after = text.find('\n', end);
    text.replace(begin, (after == std::string::npos ? text.size() : after + 1) - begin, section);
  } else {
    if (!text.empty() && !text.ends_with("\n\n")) {
      text += text.ends_with('\n') ? "\n" : "\n\n";
    }
    text += section;
  }
  std::ofstream(path) << text;
}

Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--milliseconds" && i + 1 < argc) {
      settings.duration = std::chrono::milliseconds(std::stoi(argv[++i]));
    } else if (argument == "--markdown" && i + 1 < argc) {
      settings.markdown = argv[++i];
    } else if (argument == "--rounds" && i + 1 < argc) {
      settings.rounds = std::max(1, std::stoi(argv[++i]));
    } else if (argument == "--targets" && i + 1 < argc) {
      settings.targets = split_list(argv[++i]);
      for (const std::string& name : settings.targets) {
        if (!kTargetLabels.contains(name)) {
          std::cerr << "naming_bench: unknown target '" << name
                    << "'; expected orbd-tcp, orbd-shm or omninames\n";
          std::exit(2);
        }
      }
    } else {
      std::cerr << "usage: naming_bench [--milliseconds MS] [--markdown FILE] [--rounds N]\n"
                   "                    [--targets LIST]\n"
                   "  --milliseconds MS  length of each measurement (default 2000)\n"
                   "  --markdown FILE    also put the results section into FILE\n"
                   "  --rounds N         measure every target N times, interleaved, and\n"
                   "                     show the median and the range (default 1)\n"
                   "  --targets LIST     servers to measure, in this order, from orbd-tcp,\n"
                   "                     orbd-shm and omninames (default all three)\n";
      std::exit(argument == "--help" ? 0 : 2);
    }
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse_arguments(argc, argv);
  std::string load_before = orb::bench::load_average();
  std::vector<Row> rows;
  try {
    rows = measure_rounds(settings);
  } catch (const std::exception& error) {
    std::cerr << "naming_bench: " << error.what() << '\n';
    return 1;
  }
  std::vector<std::string> labels;
  for (const std::string& name : settings.targets) {
    labels.push_back(kTargetLabels.at(name));
  }
  std::string section = render(labels, rows, settings, load_before);
  std::cout << section;
  if (!settings.markdown.empty()) {
    write_section(settings.markdown, section);
  }
  return 0;
}
