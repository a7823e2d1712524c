// A tuple-space client for the process-level tests, in one of three modes:
//
//   space_worker IOR_FILE exactly-once FIRST COUNT OUT_FILE [-ORB options]
//     writes ("job", i) for i in [FIRST, FIRST + COUNT) in batches from one
//     thread while four threads take ("job", <int>) in batches; each taken
//     i goes to OUT_FILE, one per line. The takers stop once the writer is
//     done and a take has found nothing for a second.
//   space_worker IOR_FILE block-take [-ORB options]
//     prints "taking" and blocks in take(("abandoned", <int>)) forever.
//   space_worker IOR_FILE load OUT_FILE [-ORB options]
//     writes ("durable", i) and takes ("durable", <int>) in turn until a
//     call fails, logging "w i" after each acknowledged write and "t i"
//     after each acknowledged take, flushed at once.
#include <orb/orb.hpp>
#include <orb/space/client.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using orb::space::any_of;
using orb::space::SpaceClient;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

/// Takes ("job", <int>) in batches into `taken` until `written` is set and
/// a take has found nothing for a second.
void take_jobs(SpaceClient& space, const std::atomic<bool>& written, std::mutex& mutex,
               std::vector<int64_t>& taken) {
  orb::space::Template tmpl = orb::space::make_template({"job", any_of<int64_t>});
  while (true) {
    bool done_writing = written;
    std::vector<orb::space::Tuple> batch = space.take_up_to(tmpl, 64, 1s);
    if (batch.empty() && done_writing) {
      return;
    }
    std::lock_guard lock(mutex);
    for (const orb::space::Tuple& tuple : batch) {
      taken.push_back(tuple[1].long_value());
    }
  }
}

int exactly_once(SpaceClient& space, int64_t first, int64_t count, const std::string& out_path) {
  constexpr size_t kBatch = 500;
  constexpr int kTakers = 4;
  std::atomic<bool> written{false};
  std::thread writer([&] {
    for (int64_t next = first; next < first + count;) {
      std::vector<orb::space::Tuple> batch;
      for (; next < first + count && batch.size() < kBatch; ++next) {
        batch.push_back(orb::space::make_tuple({"job", next}));
      }
      space.write_all(batch);
    }
    written = true;
  });

  std::mutex mutex;
  std::vector<int64_t> taken;
  std::vector<std::thread> takers;
  for (int i = 0; i < kTakers; ++i) {
    takers.emplace_back([&] { take_jobs(space, written, mutex, taken); });
  }
  writer.join();
  for (std::thread& taker : takers) {
    taker.join();
  }

  std::ofstream out(out_path);
  for (int64_t value : taken) {
    out << value << '\n';
  }
  return out ? 0 : 1;
}

int block_take(SpaceClient& space) {
  std::printf("taking\n");
  std::fflush(stdout);
  space.take({"abandoned", any_of<int64_t>}, orb::space::kForever);
  std::printf("took a tuple\n");
  return 0;
}

int load(SpaceClient& space, const std::string& out_path) {
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  if (out == nullptr) {
    return 1;
  }
  try {
    for (int64_t i = 0;; ++i) {
      space.write({"durable", i});
      std::fprintf(out, "w %lld\n", static_cast<long long>(i));
      std::fflush(out);
      if (i % 2 == 1) {
        std::optional<orb::space::Tuple> taken = space.take({"durable", any_of<int64_t>});
        if (taken) {
          std::fprintf(out, "t %lld\n", static_cast<long long>((*taken)[1].long_value()));
          std::fflush(out);
        }
      }
    }
  } catch (const orb::SystemException& error) {
    std::fprintf(out, "stopped: %s\n", error.what());
  }
  std::fclose(out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  orb::OrbOptions options = orb::parse_options(arguments, orb::process_environment());
  if (arguments.size() < 2) {
    std::cerr << "usage: space_worker IOR_FILE exactly-once|block-take|load ...\n";
    return 2;
  }
  orb::Orb orb(options);
  SpaceClient space(orb, orb.string_to_object(read_file(arguments[0])));
  const std::string& mode = arguments[1];
  if (mode == "exactly-once" && arguments.size() == 5) {
    return exactly_once(space, std::stoll(arguments[2]), std::stoll(arguments[3]), arguments[4]);
  }
  if (mode == "block-take") {
    return block_take(space);
  }
  if (mode == "load" && arguments.size() == 3) {
    return load(space, arguments[2]);
  }
  std::cerr << "space_worker: unknown mode or wrong arguments for '" << mode << "'\n";
  return 2;
}
