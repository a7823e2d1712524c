// orb-name: lists, binds, resolves and unbinds names in a CosNaming naming
// service, ours or another ORB's, in the manner of omniORB's nameclt. The
// service is the NameService initial reference (-ORBInitRef
// NameService=URL or -ORBDefaultInitRef), else corbaloc::127.0.0.1:2809.
#include <orb/exception.hpp>
#include <orb/minor.hpp>
#include <orb/naming/client.hpp>
#include <orb/naming/names.hpp>
#include <orb/orb.hpp>

#include <algorithm>
#include <array>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using CosNaming::NamingContext;

constexpr std::string_view kDefaultNameService = "corbaloc::127.0.0.1:2809/NameService";

constexpr std::string_view kUsage =
    "usage: orb-name [-ORBInitRef NameService=URL] [-ORB<option> VALUE...] COMMAND [ARGS]\n"
    "\n"
    "Works on the naming service that -ORBInitRef NameService=URL names\n"
    "(default corbaloc::127.0.0.1:2809/NameService). NAME is a stringified\n"
    "name such as a/b.kind, with '\\' escaping '/', '.' and '\\'.\n"
    "\n"
    "commands:\n"
    "  list [NAME]            list the bindings of the root context or of context NAME;\n"
    "                         contexts end in '/', control characters print as \\xHH\n"
    "  bind NAME IOR          bind NAME to the object IOR (IOR:, corbaloc: or corbaname:)\n"
    "  rebind NAME IOR        as bind, replacing an object already bound to NAME\n"
    "  bind-context NAME      create a new context bound to NAME\n"
    "  resolve NAME           print the IOR bound to NAME\n"
    "  unbind NAME            remove the binding NAME\n"
    "  remove-context NAME    destroy the empty context NAME and remove its binding;\n"
    "                         refused for a name bound to a context as an object\n"
    "\n"
    "A context's NAME may end in the '/' that list prints after it. After --,\n"
    "every word is an argument, even one that starts with -.\n"
    "\n"
    "options:\n"
    "  --help                 print this text and exit\n"
    "  --version              print the version and exit\n"
    "\n"
    "exit status: 0 on success, 1 when the operation failed, 2 for bad usage.\n";

/// Describes a NotFound exception in words for the user.
std::string describe_not_found(const NamingContext::NotFound& error) {
  std::string node = error.rest_of_name.empty()
                         ? std::string("?")
                         : orb::naming::component_to_string(error.rest_of_name.front());
  switch (error.why) {
    case NamingContext::NotFoundReason::missing_node:
      return "not found (missing node '" + node + "')";
    case NamingContext::NotFoundReason::not_context:
      return "not found ('" + node + "' is not a context)";
    case NamingContext::NotFoundReason::not_object:
      return "not found ('" + node + "' is a context, not an object)";
  }
  return "not found";
}

/// Replaces control characters with \xHH, so that a name with a line
/// break in it cannot pass for two bindings.
std::string printable(const std::string& text) {
  std::string result;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      constexpr std::string_view kHex = "0123456789abcdef";
      result += "\\x";
      result += kHex[byte >> 4];
      result += kHex[byte & 0xf];
    } else {
      result += c;
    }
  }
  return result;
}

void print_bindings(const CosNaming::BindingList& bindings) {
  for (const CosNaming::Binding& binding : bindings) {
    std::cout << printable(orb::naming::to_string(binding.binding_name))
              << (binding.binding_type == CosNaming::BindingType::ncontext ? "/" : "") << '\n';
  }
}

/// Drops the '/' that list prints after a context's name, unless a '\'
/// escapes it.
std::string without_context_mark(std::string name) {
  size_t backslashes = 0;
  while (name.size() >= backslashes + 2 && name[name.size() - 2 - backslashes] == '\\') {
    ++backslashes;
  }
  if (name.size() > 1 && name.back() == '/' && backslashes % 2 == 0) {
    name.pop_back();
  }
  return name;
}

void list(const std::shared_ptr<NamingContext>& context) {
  constexpr uint32_t kBatch = 1000;
  CosNaming::BindingList bindings;
  std::shared_ptr<CosNaming::BindingIterator> iterator;
  context->list(kBatch, bindings, iterator);
  print_bindings(bindings);
  if (iterator) {
    while (iterator->next_n(kBatch, bindings)) {
      print_bindings(bindings);
    }
    iterator->destroy();
  }
}

std::shared_ptr<NamingContext> context_at(const std::shared_ptr<NamingContext>& root,
                                          const std::string& name) {
  CosNaming::Name parsed = orb::naming::to_name(without_context_mark(name));
  auto context = NamingContext::narrow(root->resolve(parsed));
  if (!context) {
    throw NamingContext::NotFound(NamingContext::NotFoundReason::not_context, {parsed.back()});
  }
  return context;
}

/// Returns false when `name` is bound with bind() rather than as a
/// context, as an alias of a context is. Destroying through an alias would
/// leave the context's own binding dangling. Lists the parent context.
bool bound_as_context(const std::shared_ptr<NamingContext>& root, const std::string& name) {
  CosNaming::Name parsed = orb::naming::to_name(without_context_mark(name));
  CosNaming::NameComponent last = parsed.back();
  parsed.pop_back();
  std::shared_ptr<NamingContext> parent =
      parsed.empty() ? root : NamingContext::narrow(root->resolve(parsed));
  if (!parent) {
    return true;  // resolving the whole name reports the error
  }
  constexpr uint32_t kBatch = 1000;
  CosNaming::BindingList bindings;
  std::shared_ptr<CosNaming::BindingIterator> iterator;
  parent->list(kBatch, bindings, iterator);
  std::optional<bool> found;
  while (true) {
    for (const CosNaming::Binding& binding : bindings) {
      if (binding.binding_name.size() == 1 && binding.binding_name[0].id == last.id &&
          binding.binding_name[0].kind == last.kind) {
        found = binding.binding_type == CosNaming::BindingType::ncontext;
      }
    }
    if (found || !iterator || !iterator->next_n(kBatch, bindings)) {
      break;
    }
  }
  if (iterator) {
    iterator->destroy();
  }
  return found.value_or(true);
}

/// Runs one command; returns the exit status.
int run(orb::Orb& orb, const std::shared_ptr<NamingContext>& root,
        const std::vector<std::string>& words) {
  const std::string& command = words[0];
  auto name = [&] { return orb::naming::to_name(words.at(1)); };
  if (command == "list") {
    list(words.size() > 1 ? context_at(root, words[1]) : root);
  } else if (command == "bind") {
    root->bind(name(), orb.string_to_object(words.at(2)));
  } else if (command == "rebind") {
    root->rebind(name(), orb.string_to_object(words.at(2)));
  } else if (command == "bind-context") {
    root->bind_new_context(name());
  } else if (command == "resolve") {
    std::cout << orb.object_to_string(root->resolve(name())) << '\n';
  } else if (command == "unbind") {
    root->unbind(name());
  } else if (command == "remove-context") {
    if (!bound_as_context(root, words.at(1))) {
      std::cerr << "orb-name: remove-context " << words[1]
                << ": bound as an object, not as a context; unbind removes that binding and "
                   "leaves the context it names\n";
      return 1;
    }
    // Destroy first: a context that is not empty then keeps its binding.
    try {
      context_at(root, words.at(1))->destroy();
    } catch (const orb::NO_PERMISSION& error) {
      if (error.minor() != orb::minor::kRootContext) {
        throw;
      }
      std::cerr << "orb-name: remove-context " << words[1]
                << ": names the root context, which cannot be destroyed; 'orb-name unbind "
                << words[1] << "' removes the binding\n";
      return 1;
    }
    root->unbind(orb::naming::to_name(without_context_mark(words.at(1))));
  } else {
    std::cerr << "orb-name: unknown command '" << command << "'\nTry 'orb-name --help'.\n";
    return 2;
  }
  return 0;
}

/// A command and the arguments it takes, for checking a command line.
struct CommandShape {
  std::string_view name;
  std::string_view arguments;  // as the usage shows them
  size_t min_arguments;
  size_t max_arguments;
};

constexpr std::array<CommandShape, 7> kCommands{{
    {"list", "[NAME]", 0, 1},
    {"bind", "NAME IOR", 2, 2},
    {"rebind", "NAME IOR", 2, 2},
    {"bind-context", "NAME", 1, 1},
    {"resolve", "NAME", 1, 1},
    {"unbind", "NAME", 1, 1},
    {"remove-context", "NAME", 1, 1},
}};

/// Checks the command line after the -ORB options; returns the error to
/// print, or nothing.
std::optional<std::string> usage_error(const std::vector<std::string>& words) {
  if (words.empty()) {
    return "no command given";
  }
  const std::string& command = words[0];
  if (command.starts_with("-")) {
    return "unknown option '" + command + "'";
  }
  auto shape = std::find_if(kCommands.begin(), kCommands.end(),
                            [&](const CommandShape& entry) { return entry.name == command; });
  if (shape == kCommands.end()) {
    return "unknown command '" + command + "'";
  }
  size_t count = words.size() - 1;
  if (count < shape->min_arguments || count > shape->max_arguments) {
    return "wrong number of arguments: usage is 'orb-name " + command + " " +
           std::string(shape->arguments) + "'";
  }
  return std::nullopt;
}

std::string describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const NamingContext::NotFound& error) {
    return describe_not_found(error);
  } catch (const NamingContext::CannotProceed& error) {
    return "cannot proceed at '" +
           (error.rest_of_name.empty()
                ? std::string("?")
                : orb::naming::component_to_string(error.rest_of_name.front())) +
           "'";
  } catch (const NamingContext::InvalidName&) {
    return "invalid name";
  } catch (const NamingContext::AlreadyBound&) {
    return "already bound";
  } catch (const NamingContext::NotEmpty&) {
    return "the context is not empty";
  } catch (const orb::Exception& error) {
    return error.what();
  } catch (const std::exception& error) {
    return error.what();
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words;
  std::unique_ptr<orb::Orb> orb;
  try {
    orb = std::make_unique<orb::Orb>(argc, argv);  // removes the -ORB options
  } catch (const orb::Exception& error) {
    std::cerr << "orb-name: " << error.what() << '\n';
    return 2;
  }
  words.assign(argv + 1, argv + argc);
  // Words after -- are arguments only: a name may start with a dash.
  auto end_of_options = std::find(words.begin(), words.end(), "--");
  if (std::find(words.begin(), end_of_options, "--help") != end_of_options) {
    std::cout << kUsage;
    return 0;
  }
  if (!words.empty() && words[0] == "--version") {
    std::cout << "orb-name " << ORB_VERSION << '\n';
    return 0;
  }
  auto option = std::find_if(words.begin(), end_of_options,
                             [](const std::string& word) { return word.starts_with("-"); });
  if (option != end_of_options) {
    std::cerr << "orb-name: unknown option '" << *option
              << "'; a name that starts with - goes after --\nTry 'orb-name --help'.\n";
    return 2;
  }
  if (end_of_options != words.end()) {
    words.erase(end_of_options);
  }
  if (std::optional<std::string> error = usage_error(words)) {
    std::cerr << "orb-name: " << *error << "\nTry 'orb-name --help'.\n";
    return 2;
  }

  std::string what = words.size() > 1 ? words[0] + " " + words[1] : words[0];
  try {
    const orb::OrbOptions& options = orb->options();
    if (!options.initial_references.contains("NameService") &&
        options.default_initial_reference.empty()) {
      orb::naming::enable_corbaname(*orb);
      auto root = NamingContext::_unchecked_narrow(orb->string_to_object(kDefaultNameService));
      return run(*orb, root, words);
    }
    return run(*orb, orb::naming::root_context(*orb), words);
  } catch (...) {
    std::cerr << "orb-name: " << what << ": " << describe(std::current_exception()) << '\n';
    return 1;
  }
}
