// orb-space: writes, reads, takes, counts and lists the tuples of a tuple
// space from the command line. Fields are written as orb::space prints
// them: 42, 2.5, true, 0x0aff, "quoted text" or a bare word; templates add
// `*` for any value and `<int>`, `<string>`... for any value of one type.
#include <orb/exception.hpp>
#include <orb/orb.hpp>
#include <orb/space/client.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using orb::space::Millis;

constexpr std::string_view kDefaultSpace = "corbaloc::127.0.0.1:2809/TupleSpace";

constexpr std::string_view kUsage =
    "usage: orb-space [options] COMMAND [FIELD...] [-ORB<option> VALUE...]\n"
    "\n"
    "commands:\n"
    "  write FIELD...   store a tuple; prints its lease id\n"
    "  read FIELD...    print a tuple matching the template, leaving it in the space\n"
    "  take FIELD...    remove a tuple matching the template and print it\n"
    "  count FIELD...   print how many tuples match the template\n"
    "  dump             print the tuples in the space, oldest first\n"
    "\n"
    "fields: 42 (int), 2.5, inf or nan (double), true, 0x0aff (bytes), \"text\" or a\n"
    "bare word (string). In templates also * (any value) and <bool> <int> <double>\n"
    "<string> <bytes> <any> (any value of that type), which write refuses: to\n"
    "store such text, quote it. Quote fields for the shell: '\"42\"'.\n"
    "After --, every word is a field, even one that starts with - or --.\n"
    "\n"
    "options:\n"
    "  --space URL      the space (default $ORB_SPACE, else\n"
    "                   corbaloc::127.0.0.1:2809/TupleSpace)\n"
    "  --lease MS       lease of a written tuple in milliseconds, or forever (default)\n"
    "  --timeout MS     how long read and take wait, or forever (default 0: no wait);\n"
    "                   a space that does not answer is given 10 s more\n"
    "  --max N          most tuples dump prints (default 1000)\n"
    "  --help           print this text and exit\n"
    "  --version        print the version and exit\n"
    "\n"
    "Exit status: 0 on success, 1 when read or take found no match or the space\n"
    "failed, 2 for bad usage.\n";

struct Settings {
  std::string space;
  Millis lease = orb::space::kForever;
  Millis timeout{0};
  size_t max_tuples = 1000;
  std::string command;
  std::vector<std::string> fields;
  std::vector<std::string> orb_arguments;
};

[[noreturn]] void fail_usage(const std::string& message) {
  std::cerr << "orb-space: " << message << "\nTry 'orb-space --help'.\n";
  std::exit(2);
}

uint64_t parse_count(const std::string& option, const std::string& value) {
  size_t used = 0;
  try {
    uint64_t count = std::stoull(value, &used);
    if (used == value.size() && value.find('-') == std::string::npos) {
      return count;
    }
  } catch (const std::exception&) {
    // reported below
  }
  fail_usage(option + ": '" + value + "' is not a non-negative integer");
}

Millis parse_duration(const std::string& option, const std::string& value) {
  if (value == "forever") {
    return orb::space::kForever;
  }
  return orb::space::from_wire(parse_count(option, value));
}

/// Reads orb-space's options and command; exits for --help, --version and bad usage.
Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  const char* from_environment = std::getenv("ORB_SPACE");
  settings.space = from_environment != nullptr ? from_environment : std::string(kDefaultSpace);
  std::vector<std::string> arguments(argv + 1, argv + argc);
  bool only_fields = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (only_fields) {
      (settings.command.empty() ? settings.command : settings.fields.emplace_back()) = argument;
      continue;
    }
    if (argument == "--") {
      only_fields = true;
      continue;
    }
    if (argument == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (argument == "--version") {
      std::cout << "orb-space " << ORB_VERSION << '\n';
      std::exit(0);
    }
    bool option = argument.starts_with("--") || argument.starts_with("-ORB");
    if (!option) {
      (settings.command.empty() ? settings.command : settings.fields.emplace_back()) = argument;
      continue;
    }
    if (argument != "--space" && argument != "--lease" && argument != "--timeout" &&
        argument != "--max" && !argument.starts_with("-ORB")) {
      fail_usage("unknown option '" + argument + "'");
    }
    if (i + 1 == arguments.size()) {
      fail_usage(argument + " needs a value");
    }
    const std::string& value = arguments[++i];
    if (argument.starts_with("-ORB")) {
      settings.orb_arguments.insert(settings.orb_arguments.end(), {argument, value});
    } else if (argument == "--space") {
      settings.space = value;
    } else if (argument == "--lease") {
      settings.lease = parse_duration(argument, value);
    } else if (argument == "--timeout") {
      settings.timeout = parse_duration(argument, value);
    } else {
      settings.max_tuples = parse_count(argument, value);
    }
  }
  if (settings.command.empty()) {
    fail_usage("missing command: write, read, take, count or dump");
  }
  return settings;
}

/// The command line's fields, parsed before anything is sent: a tuple for
/// write, a template for the other commands.
struct Fields {
  orb::space::Tuple tuple;
  orb::space::Template tmpl;
};

/// Parses the fields of `settings`; exits with status 2 when one is
/// invalid or the command is unknown.
Fields parse_fields(const Settings& settings) {
  const std::string& command = settings.command;
  if (command != "write" && command != "read" && command != "take" && command != "count" &&
      command != "dump") {
    fail_usage("unknown command '" + command + "'");
  }
  if (command == "dump" && !settings.fields.empty()) {
    fail_usage("dump takes no fields");
  }
  if (command == "write" && settings.lease == Millis(0)) {
    fail_usage("--lease: 0 ms would end the lease at once; give at least 1 or 'forever'");
  }
  if (command != "dump" && settings.fields.empty()) {
    fail_usage(command + " needs at least one field" +
               (command == "write" ? std::string() : " (* matches any one value)"));
  }
  Fields fields;
  try {
    for (const std::string& field : settings.fields) {
      bool template_syntax =
          field == "*" || (field.size() > 2 && field.front() == '<' && field.back() == '>');
      if (command == "write" && template_syntax) {
        // Written as is, it would store the text of a template as a string.
        fail_usage("'" + field + "' matches values in read, take and count; write needs values. " +
                   "To write this text as a string, quote it: '\"" + field + "\"'");
      }
      if (command == "write") {
        fields.tuple.push_back(orb::space::parse_field(field));
      } else {
        fields.tmpl.push_back(orb::space::parse_template_field(field));
      }
    }
  } catch (const ::OrbSpace::InvalidArgument& error) {
    fail_usage(error.reason);
  } catch (const orb::SystemException& error) {
    fail_usage(error.message());
  }
  return fields;
}

/// Runs the command; returns the exit status.
int run(orb::space::SpaceClient& space, const Settings& settings, const Fields& fields) {
  const std::string& command = settings.command;
  if (command == "write") {
    std::cout << space.write(fields.tuple, settings.lease) << '\n';
    return 0;
  }
  if (command == "read" || command == "take") {
    const orb::space::Template& tmpl = fields.tmpl;
    std::optional<orb::space::Tuple> found =
        command == "read" ? space.read(tmpl, settings.timeout) : space.take(tmpl, settings.timeout);
    if (!found) {
      std::cerr << "orb-space: no tuple matches " << orb::space::to_string(tmpl) << '\n';
      return 1;
    }
    std::cout << orb::space::to_string(*found) << '\n';
    return 0;
  }
  if (command == "count") {
    std::cout << space.count(fields.tmpl) << '\n';
    return 0;
  }
  for (const orb::space::Tuple& tuple : space.contents(settings.max_tuples)) {
    std::cout << orb::space::to_string(tuple) << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse_arguments(argc, argv);
  Fields fields = parse_fields(settings);
  std::vector<std::string> orb_arguments = settings.orb_arguments;
  orb::OrbOptions options;
  try {
    options = orb::parse_options(orb_arguments, orb::process_environment());
  } catch (const orb::SystemException& error) {
    fail_usage(error.message());
  }
  try {
    if (options.log_level == "info") {
      options.log_level = "warn";  // keep the output to the command's result
    }
    orb::Orb orb(options);
    orb::space::SpaceClient space(orb, orb.string_to_object(settings.space));
    return run(space, settings, fields);
  } catch (const ::OrbSpace::InvalidArgument& error) {
    std::cerr << "orb-space: " << error.reason << '\n';
  } catch (const ::OrbSpace::UnknownLease& error) {
    std::cerr << "orb-space: unknown lease " << error.id << '\n';
  } catch (const orb::SystemException& error) {
    std::cerr << "orb-space: " << settings.command << " on " << settings.space
              << " failed: " << error.what() << '\n';
  }
  return 1;
}
