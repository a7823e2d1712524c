// wordcount master: writes one task tuple per input file into the space,
// starts N worker processes that take the tasks, takes their result
// tuples, and prints the most frequent words with their counts and the
// time taken. By default it counts every file under
// /usr/share/common-licenses (symbolic links followed).
//   wordcount --space corbaloc::127.0.0.1:2809/TupleSpace --workers 4 [FILE|DIR]...
#include "wordcount.hpp"

#include <orb/orb.hpp>
#include <orb/space/client.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Options {
  std::string space;
  size_t workers = 4;
  size_t top = 20;
  std::vector<std::string> inputs;
};

constexpr std::string_view kUsage =
    "usage: wordcount --space URL [--workers N] [--top N] [FILE|DIR]...\n"
    "\n"
    "Counts the words of the files (every file under each DIR) with N worker\n"
    "processes that take one task tuple per file from the tuple space at URL.\n"
    "\n"
    "  --space URL    the tuple space, e.g. corbaloc::127.0.0.1:2809/TupleSpace\n"
    "  --workers N    worker processes to start (default 4)\n"
    "  --top N        words to print (default 20)\n"
    "  FILE|DIR       input (default /usr/share/common-licenses)\n";

bool parse(const std::vector<std::string>& arguments, Options& options) {
  for (size_t i = 1; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    bool has_value = i + 1 < arguments.size();
    if (argument == "--space" && has_value) {
      options.space = arguments[++i];
    } else if (argument == "--workers" && has_value) {
      options.workers = std::stoul(arguments[++i]);
    } else if (argument == "--top" && has_value) {
      options.top = std::stoul(arguments[++i]);
    } else if (argument.starts_with("--")) {
      std::cerr << "wordcount: unknown option '" << argument << "'; see 'wordcount --help'\n";
      return false;
    } else {
      options.inputs.push_back(argument);
    }
  }
  if (options.inputs.empty()) {
    options.inputs.push_back("/usr/share/common-licenses");
  }
  if (options.space.empty() || options.workers == 0) {
    std::cerr << kUsage;
    return false;
  }
  return true;
}

/// Every regular file named or under a named folder, in a stable order.
std::vector<fs::path> input_files(const std::vector<std::string>& inputs) {
  std::vector<fs::path> files;
  for (const std::string& input : inputs) {
    if (fs::is_directory(input)) {
      auto options = fs::directory_options::follow_directory_symlink;
      for (const auto& entry : fs::recursive_directory_iterator(input, options)) {
        if (entry.is_regular_file()) {
          files.push_back(entry.path());
        }
      }
    } else {
      files.emplace_back(input);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Starts a worker next to this program; returns its pid.
pid_t start_worker(const std::string& space, int64_t job) {
  std::string worker =
      (fs::read_symlink("/proc/self/exe").parent_path() / "wordcount_worker").string();
  std::string job_text = std::to_string(job);
  std::vector<char*> arguments{worker.data(), const_cast<char*>(space.c_str()), job_text.data(),
                               nullptr};
  pid_t pid = 0;
  int error = ::posix_spawn(&pid, worker.c_str(), nullptr, nullptr, arguments.data(), environ);
  if (error != 0) {
    throw std::runtime_error("cannot start " + worker + ": " + std::strerror(error));
  }
  return pid;
}

void print_top(const wordcount::Counts& counts, size_t top) {
  std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
  // Most frequent first; equal counts in alphabetical order.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (size_t i = 0; i < std::min(top, ranked.size()); ++i) {
    std::cout << std::setw(8) << ranked[i].second << " " << ranked[i].first << "\n";
  }
}

int run(orb::Orb& orb, const Options& options) {
  std::vector<fs::path> files = input_files(options.inputs);
  orb::space::SpaceClient space(orb, orb.string_to_object(options.space));
  // A random job id keeps tuples of an earlier, interrupted run apart.
  std::random_device random;
  int64_t job = std::uniform_int_distribution<int64_t>(1, INT64_MAX)(random);

  auto start = std::chrono::steady_clock::now();
  std::vector<pid_t> workers;
  for (size_t i = 0; i < options.workers; ++i) {
    workers.push_back(start_worker(options.space, job));
  }
  for (size_t index = 0; index < files.size(); ++index) {
    space.write({wordcount::kTask, job, static_cast<int64_t>(index), files[index].string(),
                 orb::space::Bytes(read_file(files[index]))});
  }

  wordcount::Counts counts;
  for (size_t received = 0; received < files.size(); ++received) {
    using orb::space::any_of;
    auto result =
        space.take({wordcount::kResult, job, any_of<int64_t>, any_of<orb::space::Bytes>}, 60s);
    if (!result) {
      std::cerr << "wordcount: no result for 60 s; " << received << " of " << files.size()
                << " files counted\n";
      return 1;
    }
    wordcount::add_counts((*result)[3].bytes_value(), counts);
  }
  for (size_t i = 0; i < workers.size(); ++i) {
    space.write({wordcount::kStop, job});
  }
  for (pid_t worker : workers) {
    int status = 0;
    ::waitpid(worker, &status, 0);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  int64_t total = 0;
  for (const auto& [word, count] : counts) {
    total += count;
  }
  std::cout << "wordcount: " << options.workers << " workers counted " << total << " words ("
            << counts.size() << " distinct) in " << files.size() << " files in " << std::fixed
            << std::setprecision(2) << seconds << " s\n";
  print_top(counts, options.top);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);
    std::vector<std::string> arguments(argv, argv + argc);
    if (std::find(arguments.begin(), arguments.end(), "--help") != arguments.end()) {
      std::cout << kUsage;
      return 0;
    }
    Options options;
    if (!parse(arguments, options)) {
      return 2;
    }
    return run(orb, options);
  } catch (const orb::SystemException& error) {
    std::cerr << "wordcount: " << error.what() << "\n";
  } catch (const std::exception& error) {
    std::cerr << "wordcount: " << error.what() << "\n";
  }
  return 1;
}
