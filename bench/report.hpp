// The benchmark record: the side-by-side table, the ratios and the goal
// verdicts as Markdown (docs/benchmarks.md), and latency against payload
// size as CSV (bench/results/latency.csv) for a later chart.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace orb::bench {

/// The numbers one client printed, by key ("null.median_us", "rate.2t").
using Values = std::map<std::string, double>;

/// One server and client pair, and what it measured.
struct TargetRun {
  std::string id;     // "ours-tcp", "omni-unix", "raw-shm", ...
  std::string label;  // column title in the table
  Values values;
  std::string error;  // why the run failed; empty on success
};

/// Where and how the runs took place, for the record's header.
struct Environment {
  std::string command;
  std::string date;  // UTC
  unsigned cpus = 0;
  std::string cpu_model;
  std::string kernel;
  std::string compiler;
  std::string build_type;  // CMAKE_BUILD_TYPE of the programs
  int rounds = 1;          // runs of every target behind each median
  std::string omniorb_version;
  std::string load_before;  // /proc/loadavg before and after the runs
  std::string load_after;
  double seconds = 0;  // wall time of all runs
};

/// Writes one row per target and payload: the null call (payload 0) and
/// each echo size, with median and 99th percentile latency and MB/s.
void write_csv(const std::string& path, const std::vector<TargetRun>& runs);

/// Writes the Markdown record; `notes` (hand-written Markdown) closes it.
void write_markdown(const std::string& path, const std::vector<TargetRun>& runs,
                    const Environment& environment, const std::string& notes);

}  // namespace orb::bench
