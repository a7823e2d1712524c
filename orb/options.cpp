// Parsing of -ORB options and ORB_ environment variables. Each option has
// one table entry with its name and a setter that validates the value.
#include <orb/options.hpp>

#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <functional>
#include <string_view>

extern char** environ;

namespace orb {
namespace {

[[noreturn]] void reject(std::string_view option, std::string_view value, std::string_view why) {
  throw BAD_PARAM(
      minor::kBadOption, CompletionStatus::no,
      "option " + std::string(option) + " " + std::string(value) + ": " + std::string(why));
}

uint64_t parse_number(std::string_view option, std::string_view value) {
  uint64_t number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    reject(option, value, "expected a non-negative integer");
  }
  return number;
}

size_t parse_positive(std::string_view option, std::string_view value) {
  uint64_t number = parse_number(option, value);
  if (number == 0) {
    reject(option, value, "expected a positive integer");
  }
  return static_cast<size_t>(number);
}

void set_init_ref(OrbOptions& options, std::string_view option, std::string_view value) {
  size_t equals = value.find('=');
  if (equals == 0 || equals == std::string_view::npos || equals + 1 == value.size()) {
    reject(option, value,
           "expected NAME=URL, for example NameService=corbaloc::127.0.0.1:2809/NameService");
  }
  options.initial_references[std::string(value.substr(0, equals))] =
      std::string(value.substr(equals + 1));
}

void set_log_level(OrbOptions& options, std::string_view option, std::string_view value) {
  constexpr std::array<std::string_view, 6> kLevels{"trace", "debug", "info",
                                                    "warn",  "error", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), value) == kLevels.end()) {
    reject(option, value, "expected one of trace, debug, info, warn, error, off");
  }
  options.log_level = value;
}

using Setter = void (*)(OrbOptions&, std::string_view option, std::string_view value);

struct OptionEntry {
  std::string_view name;
  Setter set;
};

constexpr std::array kOptions{
    OptionEntry{"-ORBListen", [](OrbOptions& o, std::string_view,
                                 std::string_view v) { o.listen.emplace_back(v); }},
    OptionEntry{"-ORBCallTimeout",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  o.call_timeout = std::chrono::milliseconds(parse_number(n, v));
                }},
    OptionEntry{"-ORBConnectTimeout",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  o.connect_timeout = std::chrono::milliseconds(parse_positive(n, v));
                }},
    OptionEntry{"-ORBMaxMessageSize",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  o.max_message_size = parse_positive(n, v);
                }},
    OptionEntry{"-ORBMaxConnections",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  o.max_connections = parse_positive(n, v);
                }},
    OptionEntry{"-ORBMaxRequestsPerConnection",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  o.max_requests_per_connection = parse_positive(n, v);
                }},
    OptionEntry{"-ORBThreads", [](OrbOptions& o, std::string_view n,
                                  std::string_view v) { o.threads = parse_positive(n, v); }},
    OptionEntry{"-ORBIdleTimeout",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  o.idle_timeout = std::chrono::seconds(parse_positive(n, v));
                }},
    OptionEntry{"-ORBInitRef", set_init_ref},
    OptionEntry{"-ORBDefaultInitRef", [](OrbOptions& o, std::string_view,
                                         std::string_view v) { o.default_initial_reference = v; }},
    OptionEntry{"-ORBLogLevel", set_log_level},
    OptionEntry{"-ORBShm",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  if (v != "on" && v != "off" && v != "only") {
                    reject(n, v, "expected on, off or only");
                  }
                  o.shm = v;
                }},
    OptionEntry{"-ORBShmRingSize",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  size_t size = parse_positive(n, v);
                  if (!std::has_single_bit(size) || size < 4096 || size > (size_t{1} << 30)) {
                    reject(n, v, "expected a power of two from 4096 to 1073741824");
                  }
                  o.shm_ring_size = size;
                }},
    OptionEntry{"-ORBMallocTopPad",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  uint64_t bytes = parse_number(n, v);
                  if (bytes > 2147483647) {
                    reject(n, v, "expected a byte count from 0 to 2147483647");
                  }
                  o.malloc_top_pad = bytes;
                }},
    OptionEntry{"-ORBSpin",
                [](OrbOptions& o, std::string_view n, std::string_view v) {
                  if (v != "on" && v != "off") {
                    reject(n, v, "expected on or off");
                  }
                  o.spin = v == "on";
                }},
    OptionEntry{"-ORBShmDirectory",
                [](OrbOptions& o, std::string_view, std::string_view v) { o.shm_directory = v; }},
};

const OptionEntry* find_option(std::string_view name) {
  for (const OptionEntry& entry : kOptions) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

/// "ORB_CALLTIMEOUT" for "-ORBCallTimeout".
std::string environment_name(std::string_view option) {
  std::string name = "ORB_";
  for (char c : option.substr(4)) {
    name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

void apply_environment(OrbOptions& options, const std::vector<std::string>& environment) {
  for (const OptionEntry& entry : kOptions) {
    std::string prefix = environment_name(entry.name) + "=";
    for (const std::string& variable : environment) {
      if (variable.starts_with(prefix)) {
        entry.set(options, prefix.substr(0, prefix.size() - 1),
                  std::string_view(variable).substr(prefix.size()));
      }
    }
  }
}

}  // namespace

OrbOptions parse_options(std::vector<std::string>& arguments,
                         const std::vector<std::string>& environment) {
  OrbOptions options;
  apply_environment(options, environment);
  std::vector<std::string> rest;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (!argument.starts_with("-ORB")) {
      rest.push_back(argument);
      continue;
    }
    const OptionEntry* entry = find_option(argument);
    if (entry == nullptr) {
      throw BAD_PARAM(
          minor::kBadOption, CompletionStatus::no,
          "unknown ORB option " + argument +
              "; the options are -ORBListen, -ORBCallTimeout, -ORBConnectTimeout, "
              "-ORBMaxMessageSize, -ORBMaxConnections, -ORBMaxRequestsPerConnection, "
              "-ORBThreads, -ORBIdleTimeout, "
              "-ORBInitRef, -ORBDefaultInitRef, -ORBLogLevel, -ORBShm, -ORBShmRingSize, "
              "-ORBShmDirectory, -ORBMallocTopPad and -ORBSpin");
    }
    if (i + 1 == arguments.size()) {
      throw BAD_PARAM(minor::kBadOption, CompletionStatus::no,
                      "option " + argument + " needs a value");
    }
    entry->set(options, argument, arguments[++i]);
  }
  arguments = std::move(rest);
  return options;
}

std::vector<std::string> process_environment() {
  std::vector<std::string> variables;
  for (char** variable = environ; variable != nullptr && *variable != nullptr; ++variable) {
    if (std::string_view(*variable).starts_with("ORB_")) {
      variables.emplace_back(*variable);
    }
  }
  return variables;
}

}  // namespace orb
