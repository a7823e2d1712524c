// Formatting of the benchmark record. Every number printed here comes from
// the Values the clients reported; a missing one prints as "n/a".
#include "report.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace orb::bench {
namespace {

constexpr std::array<size_t, 4> kEchoSizes{64, 4 * 1024, 64 * 1024, 1024 * 1024};

/// The columns of the tables, in order.
constexpr std::array<const char*, 6> kTargetOrder{"ours-tcp",  "ours-shm", "omni-tcp",
                                                  "omni-unix", "raw-tcp",  "raw-shm"};

class Results {
 public:
  explicit Results(const std::vector<TargetRun>& runs) : runs_(runs) {}

  /// A value of a run that succeeded, if the client reported it.
  std::optional<double> get(const std::string& id, const std::string& key) const {
    for (const TargetRun& run : runs_) {
      if (run.id == id && run.error.empty()) {
        auto found = run.values.find(key);
        if (found != run.values.end()) {
          return found->second;
        }
      }
    }
    return std::nullopt;
  }

  std::vector<const TargetRun*> ordered() const {
    std::vector<const TargetRun*> result;
    for (const char* id : kTargetOrder) {
      for (const TargetRun& run : runs_) {
        if (run.id == id) {
          result.push_back(&run);
        }
      }
    }
    return result;
  }

 private:
  const std::vector<TargetRun>& runs_;
};

std::string format(double value) {
  char text[64];
  if (value >= 10000) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else if (value >= 100) {
    std::snprintf(text, sizeof text, "%.1f", value);
  } else {
    std::snprintf(text, sizeof text, "%.2f", value);
  }
  return text;
}

std::string format(std::optional<double> value) {
  return value ? format(*value) : "n/a";
}

/// Formats `part / whole` as "0.63x", or "n/a" when either is missing.
std::string ratio(std::optional<double> part, std::optional<double> whole) {
  return part && whole ? format(*part / *whole) + "x" : "n/a";
}

std::string size_name(size_t bytes) {
  if (bytes >= 1024 * 1024) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  }
  if (bytes >= 1024) {
    return std::to_string(bytes / 1024) + " KiB";
  }
  return std::to_string(bytes) + " B";
}

struct Row {
  std::string label;
  std::string key;
};

std::vector<Row> result_rows() {
  std::vector<Row> rows{
      {"null call, median (µs)", "null.median_us"},
      {"null call, 99th percentile (µs)", "null.p99_us"},
      {"add, median (µs)", "add.median_us"},
      {"add, 99th percentile (µs)", "add.p99_us"},
      {"null calls/s, 1 thread", "rate.1t"},
      {"null calls/s, 2 threads", "rate.2t"},
      {"null calls/s, 2 threads on one shared connection", "rate.2t_shared"},
  };
  for (size_t size : kEchoSizes) {
    std::string key = "echo." + std::to_string(size);
    rows.push_back({"echo " + size_name(size) + ", median (µs)", key + ".median_us"});
    rows.push_back({"echo " + size_name(size) + ", MB/s", key + ".mb_per_s"});
  }
  return rows;
}

void write_results(std::ostream& out, const Results& results) {
  std::vector<const TargetRun*> runs = results.ordered();
  out << "| measurement |";
  for (const TargetRun* run : runs) {
    out << " " << run->label << " |";
  }
  out << "\n|---|";
  for (size_t i = 0; i < runs.size(); ++i) {
    out << "---:|";
  }
  out << "\n";
  for (const Row& row : result_rows()) {
    out << "| " << row.label << " |";
    for (const TargetRun* run : runs) {
      out << " " << format(results.get(run->id, row.key)) << " |";
    }
    out << "\n";
  }
}

struct RatioColumn {
  std::string label;
  std::string numerator;
  std::string denominator;
};

std::optional<double> ratio(const Results& results, const RatioColumn& column,
                            const std::string& key) {
  std::optional<double> top = results.get(column.numerator, key);
  std::optional<double> bottom = results.get(column.denominator, key);
  if (!top || !bottom || *bottom == 0) {
    return std::nullopt;
  }
  return *top / *bottom;
}

void write_ratios(std::ostream& out, const Results& results) {
  std::vector<RatioColumn> columns{
      {"ours TCP / omniORB TCP", "ours-tcp", "omni-tcp"},
      {"ours TCP / raw TCP", "ours-tcp", "raw-tcp"},
      {"ours shm / omniORB Unix", "ours-shm", "omni-unix"},
      {"ours shm / raw shm", "ours-shm", "raw-shm"},
      {"ours shm / ours TCP", "ours-shm", "ours-tcp"},
  };
  std::vector<Row> rows{
      {"null call median (lower is better)", "null.median_us"},
      {"null call 99th percentile (lower is better)", "null.p99_us"},
      {"add median (lower is better)", "add.median_us"},
      {"calls/s, 1 thread (higher is better)", "rate.1t"},
      {"calls/s, 2 threads (higher is better)", "rate.2t"},
      {"echo 64 B median (lower is better)", "echo.64.median_us"},
      {"echo 64 KiB MB/s (higher is better)", "echo.65536.mb_per_s"},
      {"echo 1 MiB MB/s (higher is better)", "echo.1048576.mb_per_s"},
  };
  out << "| ratio |";
  for (const RatioColumn& column : columns) {
    out << " " << column.label << " |";
  }
  out << "\n|---|";
  for (size_t i = 0; i < columns.size(); ++i) {
    out << "---:|";
  }
  out << "\n";
  for (const Row& row : rows) {
    out << "| " << row.label << " |";
    for (const RatioColumn& column : columns) {
      std::optional<double> value = ratio(results, column, row.key);
      out << " " << (value ? format(*value) + "x" : "n/a") << " |";
    }
    out << "\n";
  }
}

struct Goal {
  std::string statement;
  std::string measured;
  std::string verdict;  // "met", "missed" or "not measured"
};

using Get = std::function<std::optional<double>(const char* id, const char* key)>;

std::string verdict(bool measured, bool met) {
  return !measured ? "not measured" : met ? "met" : "missed";
}

Goal tcp_latency_goal(const Get& get) {
  auto ours = get("ours-tcp", "null.median_us");
  auto omni = get("omni-tcp", "null.median_us");
  return {"Our TCP null-call median is at most omniORB's",
          format(ours) + " µs vs omniORB " + format(omni) + " µs",
          verdict(ours && omni, ours && omni && *ours <= *omni)};
}

Goal tcp_rate_goal(const Get& get) {
  auto ours1 = get("ours-tcp", "rate.1t");
  auto omni1 = get("omni-tcp", "rate.1t");
  auto ours2 = get("ours-tcp", "rate.2t");
  auto omni2 = get("omni-tcp", "rate.2t");
  bool measured = ours1 && omni1 && ours2 && omni2;
  return {"Our TCP calls/s are at least omniORB's (1 and 2 threads)",
          "1 thread " + format(ours1) + " vs " + format(omni1) + "; 2 threads " + format(ours2) +
              " vs " + format(omni2),
          verdict(measured, measured && *ours1 >= *omni1 && *ours2 >= *omni2)};
}

Goal tcp_floor_goal(const Get& get) {
  auto ours = get("ours-tcp", "null.median_us");
  auto raw = get("raw-tcp", "null.median_us");
  auto ours_rate = get("ours-tcp", "rate.1t");
  auto raw_rate = get("raw-tcp", "rate.1t");
  bool measured = ours && raw && ours_rate && raw_rate;
  return {"Our TCP null call is within 1.3x of the raw socket floor (median and 1-thread calls/s)",
          measured ? "median " + format(*ours / *raw) + "x, calls/s " +
                         format(*raw_rate / *ours_rate) + "x fewer"
                   : "n/a",
          verdict(measured, measured && *ours <= 1.3 * *raw && *ours_rate * 1.3 >= *raw_rate)};
}

Goal shm_vs_unix_goal(const Get& get) {
  auto ours = get("ours-shm", "null.median_us");
  auto omni = get("omni-unix", "null.median_us");
  return {"Shared-memory null-call median is at most a tenth of omniORB's Unix-socket median",
          format(ours) + " µs vs omniORB Unix " + format(omni) +
              " µs (a tenth: " + (omni ? format(*omni / 10) : "n/a") + " µs)",
          verdict(ours && omni, ours && omni && *ours <= *omni / 10)};
}

Goal shm_floor_goal(const Get& get) {
  auto ours = get("ours-shm", "null.median_us");
  auto raw = get("raw-shm", "null.median_us");
  return {"Shared-memory null-call median is within 10x of the raw shared-memory floor",
          format(ours) + " µs vs floor " + format(raw) + " µs (" + ratio(ours, raw) + ")",
          verdict(ours && raw, ours && raw && *ours <= 10 * *raw)};
}

Goal shm_bulk_goal(const Get& get) {
  auto shm = get("ours-shm", "echo.1048576.mb_per_s");
  auto tcp = get("ours-tcp", "echo.1048576.mb_per_s");
  return {"1 MiB echo over shared memory has at least twice our TCP throughput",
          format(shm) + " MB/s vs TCP " + format(tcp) + " MB/s (" + ratio(shm, tcp) + ")",
          verdict(shm && tcp, shm && tcp && *shm >= 2 * *tcp)};
}

Goal shm_threads_goal(const Get& get) {
  auto one_thread = get("ours-shm", "rate.1t");
  auto two_threads = get("ours-shm", "rate.2t");
  auto shared = get("ours-shm", "rate.2t_shared");
  return {
      "The 2-thread shared-memory run does not collapse: it keeps over a tenth of the "
      "1-thread calls/s (spinners that outnumber the CPUs cost orders of magnitude)",
      "1 thread " + format(one_thread) + ", 2 threads " + format(two_threads) + " (" +
          ratio(two_threads, one_thread) + "), 2 threads on one connection " + format(shared),
      verdict(one_thread && two_threads,
              one_thread && two_threads && *two_threads > 0.1 * *one_thread)};
}

/// Judges the 2-thread run against a stricter bar than the goal above, one
/// that this page set for itself.
Goal shm_threads_strict_goal(const Get& get) {
  auto one_thread = get("ours-shm", "rate.1t");
  auto two_threads = get("ours-shm", "rate.2t");
  auto floor_one = get("raw-shm", "rate.1t");
  auto floor_two = get("raw-shm", "rate.2t");
  return {
      "Stricter than the goal above: the 2-thread shared-memory run keeps at least 0.8x "
      "the 1-thread calls/s",
      ratio(two_threads, one_thread) + "; the raw shared-memory floor keeps " +
          ratio(floor_two, floor_one),
      verdict(one_thread && two_threads,
              one_thread && two_threads && *two_threads >= 0.8 * *one_thread)};
}

void write_goals(std::ostream& out, const Results& results) {
  Get get = [&](const char* id, const char* key) { return results.get(id, key); };
  std::vector<Goal> goals{tcp_latency_goal(get), tcp_rate_goal(get),          tcp_floor_goal(get),
                          shm_vs_unix_goal(get), shm_floor_goal(get),         shm_bulk_goal(get),
                          shm_threads_goal(get), shm_threads_strict_goal(get)};
  out << "| goal | measured | verdict |\n|---|---|---|\n";
  for (const Goal& goal : goals) {
    out << "| " << goal.statement << " | " << goal.measured << " | " << goal.verdict << " |\n";
  }
}

void write_header(std::ostream& out, const Environment& environment) {
  out << "# Benchmarks\n\n"
      << "This ORB against omniORB " << environment.omniorb_version
      << " and against raw floors that do no marshalling, each server and client in a process "
         "of its own on one host: over TCP on 127.0.0.1, over shared memory, and over omniORB's "
         "Unix socket transport. Each number is the median of "
      << environment.rounds
      << " runs of its target, the targets taking turns; the page is written by the "
         "benchmark driver, so rerunning the command replaces them.\n\n"
      << "- Command: `" << environment.command << "`\n"
      << "- Date: " << environment.date << "\n"
      << "- Machine: " << environment.cpus << " CPUs (`nproc`), " << environment.cpu_model
      << ", Linux " << environment.kernel << "\n"
      << "- Compiler: " << environment.compiler << ", CMake build type " << environment.build_type
      << "\n"
      << "- Load average (1, 5, 15 min) before: " << environment.load_before
      << "; after: " << environment.load_after << "\n"
      << "- Wall time of all runs: " << format(environment.seconds) << " s\n\n";
}

void write_failures(std::ostream& out, const std::vector<TargetRun>& runs) {
  bool any = false;
  for (const TargetRun& run : runs) {
    if (!run.error.empty()) {
      if (!any) {
        out << "## Failed runs\n\n";
        any = true;
      }
      out << "- " << run.label << ": " << run.error << "\n";
    }
  }
  if (any) {
    out << "\n";
  }
}

}  // namespace

void write_csv(const std::string& path, const std::vector<TargetRun>& runs) {
  std::ofstream out(path);
  out << "target,operation,payload_bytes,median_us,p99_us,mb_per_s\n";
  Results results(runs);
  for (const TargetRun* run : results.ordered()) {
    auto line = [&](const std::string& operation, size_t bytes, const std::string& key) {
      auto median = results.get(run->id, key + ".median_us");
      if (!median) {
        return;
      }
      auto rate = results.get(run->id, key + ".mb_per_s");
      out << run->id << "," << operation << "," << bytes << "," << *median << ","
          << results.get(run->id, key + ".p99_us").value_or(0) << ","
          << (rate ? std::to_string(*rate) : "") << "\n";
    };
    line("null_call", 0, "null");
    for (size_t size : kEchoSizes) {
      line("echo", size, "echo." + std::to_string(size));
    }
  }
  if (!out) {
    throw std::runtime_error("cannot write " + path);
  }
}

void write_markdown(const std::string& path, const std::vector<TargetRun>& runs,
                    const Environment& environment, const std::string& notes) {
  Results results(runs);
  std::ostringstream out;
  write_header(out, environment);
  out << "## Results\n\n";
  write_results(out, results);
  out << "\nLatency is the round trip of one call as the client times it, in microseconds: "
         "the median and 99th percentile of many single calls. Calls/s count null calls over "
         "1.5 s. MB/s is the payload size divided by the median echo round trip "
         "(10^6 bytes per second); the payload crosses twice per call, once each way.\n\n";
  out << "## Ratios\n\n";
  write_ratios(out, results);
  out << "\n## Goals\n\n";
  write_goals(out, results);
  out << "\n";
  write_failures(out, runs);
  out << notes;
  // Other benchmarks keep their sections between <!-- name: begin/end -->
  // markers after this report; they survive a rewrite of the page.
  std::string kept;
  {
    std::ifstream previous(path);
    std::string old((std::istreambuf_iterator<char>(previous)), std::istreambuf_iterator<char>());
    size_t sections = old.find("<!-- ");
    if (sections != std::string::npos) {
      kept = "\n" + old.substr(sections);
    }
  }
  std::ofstream file(path);
  file << out.str() << kept;
  if (!file) {
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace orb::bench
