// The benchmark driver. For each target it starts the server with
// posix_spawn on a loopback port or a socket in its scratch directory and
// waits for the server's IOR or ready file. Then it runs the matching
// client, collects the RESULT lines the client prints, and stops the
// server by its pid. At the end it writes the Markdown record and the
// latency CSV. RAII guards stop the servers and remove the scratch
// directory on every path out.
//
//   bench_driver --markdown docs/benchmarks.md --csv bench/results/latency.csv
//                --notes bench/notes.md --command "tools/bench.sh" [--only ours-shm,raw-shm]
#include "child_process.hpp"
#include "machine.hpp"
#include "report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/mman.h>

namespace {

using namespace std::chrono_literals;
using orb::bench::TargetRun;
using orb::test::ChildProcess;

/// How to run one target: server and client command lines, in which
/// "{port}" stands for a free loopback port chosen per attempt.
struct Plan {
  std::string id;
  std::string label;
  std::vector<std::string> server;
  std::string ready_file;  // the server writes it (its IOR) once it serves
  std::vector<std::string> client;
};

std::vector<std::string> with_port(std::vector<std::string> arguments, uint16_t port) {
  for (std::string& argument : arguments) {
    size_t at = argument.find("{port}");
    if (at != std::string::npos) {
      argument.replace(at, 6, std::to_string(port));
    }
  }
  return arguments;
}

/// Parses the "RESULT key value" lines of a client's output.
orb::bench::Values parse_results(const std::string& output) {
  orb::bench::Values values;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string tag;
    std::string key;
    double value = 0;
    if (fields >> tag >> key >> value && tag == "RESULT") {
      values[key] = value;
    }
  }
  return values;
}

std::string last_lines(const std::string& text, size_t count) {
  if (text.empty()) {
    return text;  // a program that printed nothing, whose failure is reported all the same
  }
  size_t start = text.size();
  for (size_t found = 0; found <= count && start > 0;) {
    start = text.rfind('\n', start - 1);
    if (start == std::string::npos) {
      return text;
    }
    ++found;
  }
  return text.substr(start + 1);
}

/// Runs the client to completion (at most three minutes) against a server
/// that is already serving; fills run.values or run.error.
void run_client(const std::vector<std::string>& command, const std::string& output_path,
                TargetRun& run) {
  ChildProcess client(command, output_path);
  std::optional<int> status = client.wait_for_exit(180s);
  std::string output = orb::test::read_text_file(output_path);
  if (!status) {
    run.error = "the client did not finish within three minutes";
  } else if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    run.error = "the client failed: " + last_lines(output, 3);
  }
  run.values = parse_results(output);
}

TargetRun run_plan(const Plan& plan, const orb::test::ScratchDir& scratch) {
  TargetRun run{plan.id, plan.label, {}, {}};
  std::cerr << "bench: " << plan.label << "\n";
  for (int attempt = 1; attempt <= 3; ++attempt) {
    uint16_t port = orb::test::free_loopback_port();
    std::filesystem::remove(plan.ready_file);
    std::string server_log = scratch.file(plan.id + "-server.log");
    ChildProcess server(with_port(plan.server, port), server_log);
    if (orb::test::wait_for_file(plan.ready_file, server, 15s).empty()) {
      run.error =
          "the server did not start: " + last_lines(orb::test::read_text_file(server_log), 3);
      continue;  // perhaps the port was taken in the meantime
    }
    run.error.clear();
    run_client(with_port(plan.client, port), scratch.file(plan.id + "-client.log"), run);
    return run;  // ~ChildProcess stops the server
  }
  return run;
}

/// Merges the rounds of one target into a run whose every value is the
/// median over them. A failed round stands for the target instead.
TargetRun median_run(std::vector<TargetRun>& rounds) {
  for (const TargetRun& run : rounds) {
    if (!run.error.empty()) {
      return run;
    }
  }
  TargetRun merged{rounds.front().id, rounds.front().label, {}, {}};
  for (const auto& [key, first] : rounds.front().values) {
    std::vector<double> samples;
    for (const TargetRun& run : rounds) {
      auto found = run.values.find(key);
      if (found != run.values.end()) {
        samples.push_back(found->second);
      }
    }
    std::sort(samples.begin(), samples.end());
    merged.values[key] = samples[samples.size() / 2];
  }
  return merged;
}

/// A run of our ORB must have used only the transport it was meant to.
void check_transport(TargetRun& run, const char* expected, const char* other) {
  if (!run.error.empty()) {
    return;
  }
  double used = run.values["calls." + std::string(expected)];
  double wrong = run.values["calls." + std::string(other)];
  if (used == 0 || wrong != 0) {
    run.error = "expected every call over " + std::string(expected) + ", but " +
                std::to_string(static_cast<long>(wrong)) + " went over " + other;
  }
}

/// Removes a POSIX shared-memory name when the driver ends, whatever the
/// raw shared-memory server managed to do.
class ShmName {
 public:
  ShmName() : name_("/orb-bench-" + std::to_string(::getpid())) {}
  ~ShmName() { ::shm_unlink(name_.c_str()); }
  ShmName(const ShmName&) = delete;
  ShmName& operator=(const ShmName&) = delete;
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

std::vector<Plan> plans(const orb::test::ScratchDir& scratch, const std::string& shm_name) {
  std::string ior = scratch.file("server.ior");
  std::string ready = scratch.file("server.ready");
  std::vector<std::string> ours_server{ORB_BENCH_ORB_SERVER, ior,
                                       "-ORBListen",         "tcp://127.0.0.1:{port}",
                                       "-ORBShmDirectory",   scratch.file("shm")};
  std::vector<Plan> result{
      {"ours-tcp", "ours TCP", ours_server, ior, {ORB_BENCH_ORB_CLIENT, ior, "-ORBShm", "off"}},
      {"ours-shm", "ours shm", ours_server, ior, {ORB_BENCH_ORB_CLIENT, ior}},
  };
  if (std::string(ORB_BENCH_OMNI_SERVER).empty()) {
    std::cerr << "bench: built without omniORB; its columns stay empty\n";
  } else {
    result.push_back({"omni-tcp",
                      "omniORB TCP",
                      {ORB_BENCH_OMNI_SERVER, ior, "-ORBendPoint", "giop:tcp:127.0.0.1:{port}"},
                      ior,
                      {ORB_BENCH_OMNI_CLIENT, ior, "-ORBclientTransportRule", "* tcp"}});
    result.push_back(
        {"omni-unix",
         "omniORB Unix",
         {ORB_BENCH_OMNI_SERVER, ior, "-ORBendPoint", "giop:unix:" + scratch.file("omni.sock")},
         ior,
         {ORB_BENCH_OMNI_CLIENT, ior, "-ORBclientTransportRule", "* unix"}});
  }
  result.push_back({"raw-tcp",
                    "raw TCP",
                    {ORB_BENCH_RAW_TCP, "server", "{port}", ready},
                    ready,
                    {ORB_BENCH_RAW_TCP, "client", "{port}"}});
  result.push_back({"raw-shm",
                    "raw shm",
                    {ORB_BENCH_RAW_SHM, "server", shm_name, ready},
                    ready,
                    {ORB_BENCH_RAW_SHM, "client", shm_name}});
  return result;
}

orb::bench::Environment describe_machine(const std::string& command) {
  orb::bench::Environment environment;
  environment.command = command;
  environment.date = orb::bench::utc_now();
  environment.cpus = static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN));
  environment.cpu_model = orb::bench::cpu_model();
  environment.kernel = orb::bench::kernel_release();
#ifdef __clang__
  environment.compiler = "Clang " __clang_version__;
#else
  environment.compiler = "GCC " __VERSION__;
#endif
  environment.build_type = ORB_BENCH_BUILD_TYPE;
#ifdef ORB_BENCH_OMNIORB_VERSION
  environment.omniorb_version = ORB_BENCH_OMNIORB_VERSION;
#endif
  environment.load_before = orb::bench::load_average();
  return environment;
}

struct Arguments {
  std::string markdown;
  std::string csv;
  std::string notes;
  std::string command = "bench_driver";
  std::string only;  // comma-separated target ids; empty runs them all
  int rounds = 3;    // runs of every target, interleaved; the record keeps medians
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--markdown") {
      arguments.markdown = value;
    } else if (flag == "--csv") {
      arguments.csv = value;
    } else if (flag == "--notes") {
      arguments.notes = value;
    } else if (flag == "--command") {
      arguments.command = value;
    } else if (flag == "--only") {
      arguments.only = "," + value + ",";
    } else if (flag == "--rounds") {
      arguments.rounds = std::stoi(value);
      if (arguments.rounds < 1 || arguments.rounds > 20) {
        throw std::invalid_argument("--rounds " + value + ": expected a count from 1 to 20");
      }
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  if (arguments.markdown.empty() || arguments.csv.empty() || argc % 2 == 0) {
    throw std::invalid_argument(
        "usage: bench_driver --markdown FILE --csv FILE [--notes FILE] [--command TEXT] "
        "[--only ID,ID...] [--rounds N]");
  }
  return arguments;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Arguments arguments = parse_arguments(argc, argv);
    orb::bench::Environment environment = describe_machine(arguments.command);
    environment.rounds = arguments.rounds;
    orb::test::ScratchDir scratch;
    ShmName shm_name;
    auto start = std::chrono::steady_clock::now();

    std::vector<Plan> selected;
    for (const Plan& plan : plans(scratch, shm_name.name())) {
      if (arguments.only.empty() || arguments.only.find("," + plan.id + ",") != std::string::npos) {
        selected.push_back(plan);
      }
    }
    // Rounds interleave the targets, so a slow spell of the machine hits
    // them alike rather than one target's every run.
    std::vector<std::vector<TargetRun>> rounds(selected.size());
    for (int round = 0; round < arguments.rounds; ++round) {
      for (size_t i = 0; i < selected.size(); ++i) {
        TargetRun run = run_plan(selected[i], scratch);
        if (run.id == "ours-tcp") {
          check_transport(run, "tcp", "shm");
        } else if (run.id == "ours-shm") {
          check_transport(run, "shm", "tcp");
        }
        rounds[i].push_back(std::move(run));
      }
    }
    std::vector<TargetRun> runs;
    for (std::vector<TargetRun>& target : rounds) {
      runs.push_back(median_run(target));
    }

    environment.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    environment.load_after = orb::bench::load_average();
    std::string notes =
        arguments.notes.empty() ? std::string() : orb::test::read_text_file(arguments.notes);
    orb::bench::write_markdown(arguments.markdown, runs, environment, notes);
    orb::bench::write_csv(arguments.csv, runs);
    int failed = 0;
    for (const TargetRun& run : runs) {
      if (!run.error.empty()) {
        std::cerr << "bench: " << run.label << " failed: " << run.error << "\n";
        ++failed;
      }
    }
    std::cerr << "bench: wrote " << arguments.markdown << " and " << arguments.csv << "\n";
    return failed == 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "bench_driver: " << error.what() << "\n";
    return 1;
  }
}
