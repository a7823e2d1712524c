// space_bench: the tuple space as a work queue against Redis lists (RPUSH
// to add, BLPOP to remove), both on 127.0.0.1 in processes of their own.
//
//   space_bench [--tuples N] [--redis PATH] [--markdown FILE]
//     runs every target and prints a table; with --markdown, also puts it
//     into FILE between its space_bench markers
//   space_bench serve IOR_FILE PORT [DATA_DIR sync|nosync]   (started by the run)
//
// Each target gets two measurements: the round trip of one add and one
// remove on a single connection, and the rate at which one producer thread
// adds N items while one consumer thread removes them, each on a
// connection of its own. An item is ("task", i, 64 bytes) in the space and
// a 72-byte string in Redis.
#include "child_process.hpp"

#include <orb/orb.hpp>
#include <orb/space/client.hpp>
#include <orb/space/servant.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using orb::space::any_of;

constexpr size_t kRoundTrips = 2000;
const std::string kPayload(64, 'p');

struct Result {
  std::string target;
  double median_us = 0;
  double p99_us = 0;
  double items_per_second = 0;
};

double percentile(std::vector<double> samples, double fraction) {
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<size_t>(fraction * static_cast<double>(samples.size() - 1))];
}

/// Times `pair` kRoundTrips times and the producer/consumer run of `tuples`.
template <class Pair, class Produce, class Consume>
Result measure(const std::string& target, size_t tuples, Pair pair, Produce produce,
               Consume consume) {
  Result result{target};
  std::vector<double> samples;
  for (size_t i = 0; i < kRoundTrips; ++i) {
    Clock::time_point start = Clock::now();
    pair(i);
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  result.median_us = percentile(samples, 0.5);
  result.p99_us = percentile(samples, 0.99);

  Clock::time_point start = Clock::now();
  std::thread producer([&] { produce(tuples); });
  consume(tuples);
  producer.join();
  result.items_per_second =
      static_cast<double>(tuples) / std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

// ---------------------------------------------------------------------------
// The tuple space

int serve(const std::vector<std::string>& arguments) {
  orb::space::EngineOptions engine_options;
  if (arguments.size() == 4) {
    engine_options.data_directory = arguments[2];
    engine_options.sync = arguments[3] == "sync";
  }
  orb::space::Engine engine(engine_options);
  orb::OrbOptions options;
  options.listen = {"tcp://127.0.0.1:" + arguments[1]};
  options.log_level = "warn";
  options.threads = 8;
  orb::Orb orb(options);
  std::string temporary = arguments[0] + ".tmp";
  std::ofstream(temporary) << orb.object_to_string(orb::space::serve_space(orb, engine)) << '\n';
  std::filesystem::rename(temporary, arguments[0]);
  orb.run();
  return 0;
}

orb::OrbOptions client_options(bool shm) {
  orb::OrbOptions options;
  options.shm = shm ? "only" : "off";
  options.log_level = "warn";
  return options;
}

Result run_space(const std::string& target, const std::string& self, size_t tuples, bool shm,
                 const std::string& persistence) {
  orb::test::ScratchDir scratch;
  std::string ior_file = scratch.file("space.ior");
  std::vector<std::string> server_arguments{self, "serve", ior_file,
                                            std::to_string(orb::test::free_loopback_port())};
  if (!persistence.empty()) {
    server_arguments.insert(server_arguments.end(), {scratch.file("data"), persistence});
  }
  orb::test::ChildProcess server(server_arguments, scratch.file("server.log"));
  std::string ior = orb::test::wait_for_file(ior_file, server);
  if (ior.empty()) {
    throw std::runtime_error("space server did not start");
  }
  ior.erase(ior.find_last_not_of('\n') + 1);
  // An ORB per connection: one ORB shares one connection among its proxies.
  orb::Orb main_orb(client_options(shm));
  orb::Orb producer_orb(client_options(shm));
  orb::space::SpaceClient space(main_orb, main_orb.string_to_object(ior));
  orb::space::SpaceClient producer(producer_orb, producer_orb.string_to_object(ior));
  orb::space::Template tmpl =
      orb::space::make_template({"task", any_of<int64_t>, any_of<std::string>});
  return measure(
      target, tuples,
      [&](size_t i) {
        space.write({"task", static_cast<int64_t>(i), kPayload});
        space.take(tmpl, 5s);
      },
      [&](size_t count) {
        for (size_t i = 0; i < count; ++i) {
          producer.write({"task", static_cast<int64_t>(i), kPayload});
        }
      },
      [&](size_t count) {
        for (size_t i = 0; i < count; ++i) {
          if (!space.take(tmpl, 10s)) {
            throw std::runtime_error("space consumer timed out");
          }
        }
      });
}

// ---------------------------------------------------------------------------
// Redis, spoken in RESP over a plain socket

class RedisConnection {
 public:
  explicit RedisConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect to redis-server failed");
    }
  }
  ~RedisConnection() { ::close(fd_); }
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command and returns its whole reply, unparsed.
  std::string call(const std::vector<std::string>& words) {
    std::string request = "*" + std::to_string(words.size()) + "\r\n";
    for (const std::string& word : words) {
      request += "$" + std::to_string(word.size()) + "\r\n" + word + "\r\n";
    }
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      throw std::runtime_error("send to redis-server failed");
    }
    return read_reply();
  }

 private:
  std::string read_line() {
    while (buffer_.find("\r\n") == std::string::npos) {
      fill();
    }
    size_t end = buffer_.find("\r\n");
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return line;
  }

  void fill() {
    char chunk[4096];
    ssize_t count = ::recv(fd_, chunk, sizeof chunk, 0);
    if (count <= 0) {
      throw std::runtime_error("redis-server closed the connection");
    }
    buffer_.append(chunk, static_cast<size_t>(count));
  }

  /// Reads a reply: a status, error or integer line, a bulk string or an array.
  std::string read_reply() {
    std::string line = read_line();
    if (line.empty() || line[0] == '-') {
      throw std::runtime_error("redis-server error: " + line);
    }
    if (line[0] == '$' && line != "$-1") {
      size_t length = std::stoul(line.substr(1));
      while (buffer_.size() < length + 2) {
        fill();
      }
      std::string value = buffer_.substr(0, length);
      buffer_.erase(0, length + 2);
      return value;
    }
    if (line[0] == '*' && line != "*-1") {
      std::string items;
      for (size_t count = std::stoul(line.substr(1)); count > 0; --count) {
        items += read_reply() + "\n";
      }
      return items;
    }
    return line;
  }

  int fd_ = -1;
  std::string buffer_;
};

Result run_redis(const std::string& target, const std::string& redis, size_t tuples,
                 const std::string& appendfsync) {
  orb::test::ScratchDir scratch;
  uint16_t port = orb::test::free_loopback_port();
  orb::test::ChildProcess server(
      {redis, "--bind", "127.0.0.1", "--port", std::to_string(port), "--dir",
       scratch.path().string(), "--save", "", "--appendonly", "yes", "--appendfsync", appendfsync},
      scratch.file("redis.log"));
  std::optional<RedisConnection> probe;
  for (auto deadline = Clock::now() + 10s; !probe && Clock::now() < deadline;) {
    try {
      probe.emplace(port);
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(20ms);
    }
  }
  if (!probe) {
    throw std::runtime_error("redis-server did not start");
  }
  RedisConnection producer(port);
  auto item = [](size_t i) { return std::to_string(i) + ":" + kPayload; };
  return measure(
      target, tuples,
      [&](size_t i) {
        probe->call({"RPUSH", "tasks", item(i)});
        probe->call({"BLPOP", "tasks", "5"});
      },
      [&](size_t count) {
        for (size_t i = 0; i < count; ++i) {
          producer.call({"RPUSH", "tasks", item(i)});
        }
      },
      [&](size_t count) {
        for (size_t i = 0; i < count; ++i) {
          probe->call({"BLPOP", "tasks", "10"});
        }
      });
}

constexpr std::string_view kSectionBegin = "<!-- space_bench: begin -->";
constexpr std::string_view kSectionEnd = "<!-- space_bench: end -->";

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

std::string table(const std::vector<Result>& results, size_t tuples) {
  std::ostringstream out;
  out << "| target | add + remove, median (µs) | add + remove, 99th percentile (µs) | "
      << "items/s, 1 producer + 1 consumer (" << tuples << " items) |\n"
      << "|---|---:|---:|---:|\n";
  char line[256];
  for (const Result& result : results) {
    std::snprintf(line, sizeof line, "| %s | %.1f | %.1f | %.0f |\n", result.target.c_str(),
                  result.median_us, result.p99_us, result.items_per_second);
    out << line;
  }
  return out.str();
}

std::string section(const std::string& results_table, const std::string& load_before) {
  std::ostringstream out;
  out << kSectionBegin << "\n## Tuple space and Redis lists\n\n"
      << "The tuple space as a work queue against a Redis list (RPUSH to add, BLPOP to "
      << "remove), each server a child process on 127.0.0.1 with its files in a scratch "
      << "folder, the clients in the benchmark process. The round trip is one add and one "
      << "remove on one connection, " << kRoundTrips << " times; the rate is one producer "
      << "thread adding while one consumer thread removes, each on a connection of its own. "
      << "An item is (\"task\", i, 64 bytes) in the space, a 72-byte string in Redis.\n\n"
      << "- Command: `build/<release build>/bench/space_bench --markdown docs/benchmarks.md`\n"
      << "- Date: " << utc_now() << "; CPUs: " << std::thread::hardware_concurrency()
      << "; load average before: " << load_before << "\n"
      << "- \"journal with fsync\" calls `fdatasync` before each reply, shared by concurrent "
      << "calls; \"without fsync\" writes the journal with write(2) only, which survives a "
      << "crash of the process but not of the machine. Redis runs with `appendonly yes` and "
      << "`appendfsync everysec` (a sync each second, so up to a second of acknowledged "
      << "writes can be lost with the machine) or `always` (a sync before each reply).\n"
      << "- Redis 7.0.15 with `always` took about 4 ms per write command here when this "
      << "section was written, also with a one-socket Python client, while strace showed "
      << "each of its `fdatasync` calls taking about 0.2 ms, as the journal's do; where the "
      << "rest of the time goes inside Redis was not analysed.\n\n"
      << results_table << '\n'
      << kSectionEnd << '\n';
  return out.str();
}

/// Puts `text` in place of the file's space_bench section, or at its end.
void write_section(const std::string& path, const std::string& text) {
  std::string page = orb::test::read_text_file(path);
  size_t begin = page.find(kSectionBegin);
  size_t end = page.find(kSectionEnd);
  if (begin != std::string::npos && end != std::string::npos && begin < end) {
    size_t line_end = page.find('\n', end);
    size_t stop = line_end == std::string::npos ? page.size() : line_end + 1;
    page.replace(begin, stop - begin, text);
  } else {
    page += page.empty() || page.ends_with("\n\n") ? "" : (page.ends_with('\n') ? "\n" : "\n\n");
    page += text;
  }
  std::ofstream(path) << page;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (!arguments.empty() && arguments[0] == "serve" &&
      (arguments.size() == 3 || arguments.size() == 5)) {
    return serve({arguments.begin() + 1, arguments.end()});
  }
  size_t tuples = 20000;
  std::string redis = "/usr/bin/redis-server";
  std::string markdown;
  for (size_t i = 0; i + 1 < arguments.size(); i += 2) {
    if (arguments[i] == "--tuples") {
      tuples = std::stoul(arguments[i + 1]);
    } else if (arguments[i] == "--redis") {
      redis = arguments[i + 1];
    } else if (arguments[i] == "--markdown") {
      markdown = arguments[i + 1];
    } else {
      std::cerr << "usage: space_bench [--tuples N] [--redis PATH] [--markdown FILE]\n";
      return 2;
    }
  }
  std::string load_before = orb::test::read_text_file("/proc/loadavg");
  load_before.erase(load_before.find_last_not_of('\n') + 1);
  std::string self = std::filesystem::canonical("/proc/self/exe").string();
  std::vector<Result> results;
  try {
    results.push_back(run_space("space, memory only, TCP", self, tuples, false, ""));
    results.push_back(run_space("space, memory only, shm", self, tuples, true, ""));
    results.push_back(
        run_space("space, journal without fsync, TCP", self, tuples, false, "nosync"));
    results.push_back(run_space("space, journal with fsync, TCP", self, tuples, false, "sync"));
    results.push_back(run_space("space, journal with fsync, shm", self, tuples, true, "sync"));
    if (std::filesystem::exists(redis)) {
      results.push_back(run_redis("Redis, appendfsync everysec", redis, tuples, "everysec"));
      results.push_back(run_redis("Redis, appendfsync always", redis, tuples, "always"));
    } else {
      std::cerr << "space_bench: " << redis << " not found; Redis is left out\n";
    }
  } catch (const std::exception& error) {
    std::cerr << "space_bench: " << error.what() << '\n';
    return 1;
  }
  std::string results_table = table(results, tuples);
  std::cout << results_table;
  if (!markdown.empty()) {
    write_section(markdown, section(results_table, load_before));
  }
  return 0;
}
