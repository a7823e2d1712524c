// orb-name: lists, binds, resolves and unbinds names in a CosNaming naming
// service, ours or another ORB's, in the manner of omniORB's nameclt. The
// service is the NameService initial reference (-ORBInitRef
// NameService=URL or -ORBDefaultInitRef), else corbaloc::127.0.0.1:2809.
#include <orb/exception.hpp>
#include <orb/naming/client.hpp>
#include <orb/naming/names.hpp>
#include <orb/orb.hpp>

#include <iostream>
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
    "                         contexts end in '/'\n"
    "  bind NAME IOR          bind NAME to the object IOR (IOR:, corbaloc: or corbaname:)\n"
    "  rebind NAME IOR        as bind, replacing an object already bound to NAME\n"
    "  bind-context NAME      create a new context bound to NAME\n"
    "  resolve NAME           print the IOR bound to NAME\n"
    "  unbind NAME            remove the binding NAME\n"
    "  remove-context NAME    destroy the empty context NAME and remove its binding\n"
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

void print_bindings(const CosNaming::BindingList& bindings) {
  for (const CosNaming::Binding& binding : bindings) {
    std::cout << orb::naming::to_string(binding.binding_name)
              << (binding.binding_type == CosNaming::BindingType::ncontext ? "/" : "") << '\n';
  }
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
  auto context = NamingContext::narrow(root->resolve(orb::naming::to_name(name)));
  if (!context) {
    throw NamingContext::NotFound(NamingContext::NotFoundReason::not_context,
                                  {orb::naming::to_name(name).back()});
  }
  return context;
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
    // Destroy first: a context that is not empty then keeps its binding.
    context_at(root, words.at(1))->destroy();
    root->unbind(name());
  } else {
    std::cerr << "orb-name: unknown command '" << command << "'\nTry 'orb-name --help'.\n";
    return 2;
  }
  return 0;
}

size_t expected_words(const std::string& command) {
  if (command == "list") {
    return 0;  // one or two
  }
  return command == "bind" || command == "rebind" ? 3 : 2;
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
  if (!words.empty() && words[0] == "--help") {
    std::cout << kUsage;
    return 0;
  }
  if (!words.empty() && words[0] == "--version") {
    std::cout << "orb-name " << ORB_VERSION << '\n';
    return 0;
  }
  size_t expected = words.empty() ? 1 : expected_words(words[0]);
  bool count_ok = expected == 0 ? words.size() <= 2 : words.size() == expected;
  if (words.empty() || !count_ok) {
    std::cerr << "orb-name: wrong number of arguments\nTry 'orb-name --help'.\n";
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
