// Descriptions of the machine and the moment of a benchmark run for the
// records: the UTC time, the CPU model, the kernel and the load average.
// One page can hold records from different machines, so each section
// names its own.
#pragma once

#include <sys/utsname.h>

#include <ctime>
#include <fstream>
#include <string>
#include <thread>

namespace orb::bench {

/// Returns the current time as "2026-12-05 15:52 UTC".
inline std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

/// Returns the first "model name" of /proc/cpuinfo, or "unknown CPU".
inline std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) {
      return line.substr(line.find(':') + 2);
    }
  }
  return "unknown CPU";
}

/// Returns the running kernel's release, as `uname -r` prints it.
inline std::string kernel_release() {
  utsname name{};
  ::uname(&name);
  return name.release;
}

/// Returns the CPU count, model and kernel, as in
/// "2 CPUs, Intel(R) Xeon(R) Processor, Linux 6.18.44".
inline std::string machine_summary() {
  return std::to_string(std::thread::hardware_concurrency()) + " CPUs, " + cpu_model() +
         ", Linux " + kernel_release();
}

/// Returns the first line of /proc/loadavg: three averages, the running
/// and all threads, and the last process id.
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace orb::bench
