// idlgen: the command-line IDL compiler. It parses and checks each IDL file
// with the orb_idl front end and prints diagnostics the way a C++ compiler
// does, then writes the C++ mapping of each file (see idl/generator.hpp).
#include <idl/diagnostics.hpp>
#include <idl/frontend.hpp>
#include <idl/generator.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* kUsage = R"(usage: idlgen [options] FILE.idl...

Compiles OMG IDL (CORBA 3) files. Each file is preprocessed, parsed and
checked on its own; diagnostics go to standard error.

options:
  -I DIR            add DIR to the #include search path (searched in order,
                    after the including file's directory for "..."); none by default
  -D NAME[=VALUE]   define macro NAME as VALUE (default value 1)
  -U NAME           undefine macro NAME; -D and -U apply in command-line order
  -o OUTDIR         directory for generated files (default: the current directory)
  -M FILE, --depfile FILE
                    also write a make-style depfile: the first generated file
                    depends on every IDL file read (one input file only)
  --check           parse and check only; write no files
  --help            print this help and exit
  --version         print the version and exit

exit status: 0 when every file is free of errors, 1 when any has errors,
2 for a command-line error.
)";

struct Options {
  orb::idl::PreprocessorOptions preprocessor;
  std::string output_dir = ".";
  std::string depfile;
  bool check_only = false;
  std::vector<std::string> files;
};

int usage_error(const std::string& message) {
  std::cerr << "idlgen: " << message << "; see 'idlgen --help'\n";
  return 2;
}

orb::idl::MacroOption parse_macro(std::string_view text, bool define) {
  orb::idl::MacroOption option;
  option.define = define;
  size_t equals = text.find('=');
  option.name = std::string(text.substr(0, equals));
  if (define && equals != std::string_view::npos) {
    option.value = std::string(text.substr(equals + 1));
  }
  return option;
}

// Returns the value of an option given as "-X value" or "-Xvalue".
std::optional<std::string> option_value(int argc, char** argv, int& i, std::string_view flag) {
  std::string_view arg = argv[i];
  if (arg.size() > flag.size()) {
    return std::string(arg.substr(flag.size()));
  }
  if (i + 1 >= argc) {
    return std::nullopt;
  }
  return std::string(argv[++i]);
}

// Parses the command line; returns an exit status when idlgen should stop.
std::optional<int> parse_arguments(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--version") {
      std::cout << "idlgen " << ORB_IDLGEN_VERSION << '\n';
      return 0;
    }
    if (arg == "--check") {
      options.check_only = true;
      continue;
    }
    if (arg == "--depfile") {
      if (i + 1 >= argc) {
        return usage_error("option '--depfile' needs a value");
      }
      options.depfile = argv[++i];
      continue;
    }
    bool takes_value = arg.starts_with("-I") || arg.starts_with("-D") || arg.starts_with("-U") ||
                       arg.starts_with("-o") || arg.starts_with("-M");
    if (takes_value) {
      std::string flag(arg.substr(0, 2));
      std::optional<std::string> value = option_value(argc, argv, i, flag);
      if (!value || value->empty()) {
        return usage_error("option '" + flag + "' needs a value");
      }
      if (flag == "-I") {
        options.preprocessor.include_dirs.push_back(*value);
      } else if (flag == "-o") {
        options.output_dir = *value;
      } else if (flag == "-M") {
        options.depfile = *value;
      } else {
        options.preprocessor.macros.push_back(parse_macro(*value, flag == "-D"));
      }
      continue;
    }
    if (arg.size() > 1 && arg.front() == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    }
    options.files.emplace_back(arg);
  }
  if (options.files.empty()) {
    return usage_error("no input files");
  }
  return std::nullopt;
}

// Writes the C++ files of one checked specification; returns false after an error.
bool generate(const orb::idl::Specification& spec, const Options& options) {
  try {
    orb::idl::write_generated_files(spec, options.output_dir, options.depfile);
    return true;
  } catch (const orb::idl::GeneratorError& error) {
    std::cerr << orb::idl::to_string(error.location()) << ": error: " << error.what() << '\n';
  } catch (const std::exception& error) {
    std::cerr << "idlgen: " << error.what() << '\n';
  }
  return false;
}

// Compiles one file and prints its diagnostics; returns true when it has no errors.
bool compile(const std::string& file, const Options& options) {
  orb::idl::SourceFiles sources;
  orb::idl::Diagnostics diagnostics(&sources);
  auto spec = orb::idl::compile_file(file, options.preprocessor, sources, diagnostics);
  diagnostics.print(std::cerr);
  if (diagnostics.has_errors()) {
    return false;
  }
  return options.check_only || generate(*spec, options);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (std::optional<int> status = parse_arguments(argc, argv, options)) {
    return *status;
  }
  bool clean = true;
  for (const std::string& file : options.files) {
    clean = compile(file, options) && clean;
  }
  return clean ? 0 : 1;
}
