// The measurement loop every benchmark client runs, whatever it calls
// through: our ORB, omniORB, or a raw socket or shared-memory floor. A
// client supplies Callers (one per thread, each with its own proxy or
// connection) and this file times them and prints one "RESULT key value"
// line per number on stdout, which the benchmark driver collects.
//
// Each measurement is bounded by a call count and a time budget, whichever
// ends first, so a whole client run takes seconds, not minutes.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace orb::bench {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// One thread's way to the server: a proxy, a connection or a channel.
class Caller {
 public:
  virtual ~Caller() = default;
  virtual void null_call() = 0;
  virtual int32_t add(int32_t a, int32_t b) = 0;
  /// Sends `data` and returns the size of what came back in the caller's
  /// natural result type, so no harness-imposed copy is timed. With
  /// `verify`, also raises std::runtime_error when the bytes differ.
  virtual size_t echo(const std::vector<uint8_t>& data, bool verify) = 0;
};

using CallerFactory = std::function<std::unique_ptr<Caller>()>;

/// Payload sizes of the echo measurements, in bytes.
inline constexpr std::array<size_t, 4> kEchoSizes{64, 4 * 1024, 64 * 1024, 1024 * 1024};

/// Prints one result line for the driver.
inline void report(const std::string& key, double value) {
  std::printf("RESULT %s %.3f\n", key.c_str(), value);
  std::fflush(stdout);
}

/// Round-trip times in microseconds of up to `count` calls of `call`,
/// stopping early once `budget` is spent (but after at least 20 calls).
template <class Call>
std::vector<double> time_calls(size_t count, Clock::duration budget, Call call) {
  std::vector<double> samples;
  samples.reserve(count);
  Clock::time_point end = Clock::now() + budget;
  for (size_t i = 0; i < count; ++i) {
    Clock::time_point start = Clock::now();
    call();
    Clock::time_point stop = Clock::now();
    samples.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    if (stop >= end && samples.size() >= 20) {
      break;
    }
  }
  return samples;
}

/// The value below which `fraction` of the samples lie (nearest rank).
inline double percentile(std::vector<double> samples, double fraction) {
  if (samples.empty()) {
    return 0;
  }
  size_t rank = static_cast<size_t>(fraction * static_cast<double>(samples.size() - 1) + 0.5);
  std::nth_element(samples.begin(), samples.begin() + static_cast<ptrdiff_t>(rank), samples.end());
  return samples[rank];
}

/// Raises std::runtime_error unless `received` holds the same bytes as `sent`.
inline void verify_echo(const uint8_t* received, size_t received_size,
                        const std::vector<uint8_t>& sent) {
  if (received_size != sent.size() || !std::equal(sent.begin(), sent.end(), received)) {
    throw std::runtime_error("echo of " + std::to_string(sent.size()) + " bytes came back changed");
  }
}

/// Reports the median and 99th percentile of `samples` under `name`.
inline double report_latency(const std::string& name, const std::vector<double>& samples) {
  double median = percentile(samples, 0.5);
  report(name + ".median_us", median);
  report(name + ".p99_us", percentile(samples, 0.99));
  report(name + ".samples", static_cast<double>(samples.size()));
  return median;
}

/// Calls per second of null_call() with `threads` threads calling at once
/// for `duration`, each through a Caller of its own from `make_caller`.
inline double calls_per_second(unsigned threads, Clock::duration duration,
                               const CallerFactory& make_caller) {
  std::vector<std::unique_ptr<Caller>> callers;
  for (unsigned i = 0; i < threads; ++i) {
    callers.push_back(make_caller());
    callers.back()->null_call();  // connects before the clock starts
  }
  std::atomic<bool> stop{false};
  std::vector<uint64_t> counts(threads, 0);
  std::vector<std::thread> workers;
  Clock::time_point start = Clock::now();
  for (unsigned i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      uint64_t done = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        callers[i]->null_call();
        ++done;
      }
      counts[i] = done;
    });
  }
  std::this_thread::sleep_for(duration);
  stop = true;
  for (std::thread& worker : workers) {
    worker.join();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  uint64_t total = 0;
  for (uint64_t count : counts) {
    total += count;
  }
  return static_cast<double>(total) / seconds;
}

/// Times echo() of one payload size and reports latency and throughput.
/// Throughput is payload bytes per median round trip in MB/s (10^6 bytes);
/// the payload crosses twice per call, once each way.
inline void measure_echo(Caller& caller, size_t size, size_t count = 0) {
  std::vector<uint8_t> payload(size);
  for (size_t i = 0; i < size; ++i) {
    payload[i] = static_cast<uint8_t>(i * 31 + 7);
  }
  if (caller.echo(payload, true) != size) {
    throw std::runtime_error("echo of " + std::to_string(size) + " bytes came back shorter");
  }
  Clock::duration budget = size >= 1024 * 1024 ? 2s : 1s;
  if (count == 0) {
    count = size >= 1024 * 1024 ? 300 : 5000;
  } else {
    budget = 60s;  // a count given for profiling is run whole
  }
  std::vector<double> samples = time_calls(count, budget, [&] { caller.echo(payload, false); });
  std::string name = "echo." + std::to_string(size);
  double median = report_latency(name, samples);
  report(name + ".mb_per_s", median > 0 ? static_cast<double>(size) / median : 0);
}

/// Runs every measurement: null-call and add latency and echo through
/// `caller`, then calls per second with 1 and 2 threads through Callers
/// from `make_caller`.
inline void run_all(Caller& caller, const CallerFactory& make_caller) {
  if (caller.add(40, 2) != 42) {
    throw std::runtime_error("add(40, 2) did not return 42");
  }
  time_calls(2000, 1s, [&] { caller.null_call(); });  // warm-up
  // For profiling one part: ORB_BENCH_ONLY=rate, ORB_BENCH_ONLY=echo, or
  // ORB_BENCH_ONLY=echo:SIZE[:COUNT] for COUNT echoes of SIZE bytes alone.
  const char* only = std::getenv("ORB_BENCH_ONLY");
  if (only != nullptr && std::string_view(only).starts_with("echo:")) {
    std::string sizes(only + 5);
    size_t colon = sizes.find(':');
    size_t count = colon == std::string::npos ? 0 : std::stoul(sizes.substr(colon + 1));
    measure_echo(caller, std::stoul(sizes.substr(0, colon)), count);
    return;
  }
  if (only != nullptr && std::string_view(only) == "rate") {
    report("rate.1t", calls_per_second(1, 1500ms, make_caller));
    report("rate.2t", calls_per_second(2, 1500ms, make_caller));
    return;
  }
  if (only != nullptr && std::string_view(only) == "echo") {
    for (size_t size : kEchoSizes) {
      measure_echo(caller, size);
    }
    return;
  }
  report_latency("null", time_calls(20000, 2s, [&] { caller.null_call(); }));
  int32_t a = 0;
  report_latency("add", time_calls(10000, 1s, [&] { caller.add(++a, 1); }));
  for (size_t size : kEchoSizes) {
    measure_echo(caller, size);
  }
  report("rate.1t", calls_per_second(1, 1500ms, make_caller));
  report("rate.2t", calls_per_second(2, 1500ms, make_caller));
}

}  // namespace orb::bench
