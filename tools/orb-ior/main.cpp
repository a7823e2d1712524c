// orb-ior: prints what an object reference contains, like omniORB's
// catior. It accepts a stringified IOR, a corbaloc: URL or a corbaname:
// URL and prints the type id, each profile's address and object key, and
// the tagged components it recognises.
#include <orb/exception.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/corbaloc.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>
#include <orb/ior/shm_component.hpp>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kUsage =
    "usage: orb-ior [--help] [--version] REFERENCE...\n"
    "\n"
    "Prints the contents of each REFERENCE: a stringified IOR (IOR:...),\n"
    "a corbaloc: URL or a corbaname: URL. Nothing is sent over the network.\n"
    "\n"
    "options:\n"
    "  --help     print this text and exit\n"
    "  --version  print the version and exit\n";

/// host:port, with an IPv6 host in brackets as URLs write it.
std::string endpoint(const std::string& host, uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

std::string code_set_name(uint32_t id) {
  switch (id) {
    case orb::ior::kCodeSetIso8859_1:
      return "ISO-8859-1";
    case orb::ior::kCodeSetUtf8:
      return "UTF-8";
    case orb::ior::kCodeSetUtf16:
      return "UTF-16";
    case orb::ior::kCodeSetUcs2Level1:
      return "UCS-2 level 1";
    default:
      break;
  }
  return hex(id);
}

/// Printable characters as they are, other octets as %xx, as in a corbaloc key.
std::string printable_key(const std::vector<uint8_t>& key) {
  std::string text;
  for (uint8_t octet : key) {
    if (octet >= 0x20 && octet < 0x7F && octet != '%') {
      text.push_back(static_cast<char>(octet));
    } else {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02x", octet);
      text += escape;
    }
  }
  return text;
}

void print_code_sets(const char* label, const orb::ior::CodeSetComponent& sets) {
  std::cout << "      " << label << ": native " << code_set_name(sets.native_code_set);
  for (uint32_t id : sets.conversion_code_sets) {
    std::cout << ", converts " << code_set_name(id);
  }
  std::cout << "\n";
}

void print_component(const orb::ior::TaggedComponent& tagged) {
  orb::ior::Component component = orb::ior::decode_component(tagged);
  if (const auto* type = std::get_if<orb::ior::OrbTypeComponent>(&component)) {
    std::cout << "    ORB type: " << hex(type->orb_type)
              << (type->orb_type == orb::ior::kOmniOrbOrbType ? " (omniORB)" : "") << "\n";
  } else if (const auto* sets = std::get_if<orb::ior::CodeSetComponentInfo>(&component)) {
    std::cout << "    code sets:\n";
    print_code_sets("char", sets->for_char_data);
    print_code_sets("wchar", sets->for_wchar_data);
  } else if (const auto* address = std::get_if<orb::ior::AlternateIiopAddress>(&component)) {
    std::cout << "    alternate address: " << endpoint(address->host, address->port) << "\n";
  } else if (tagged.tag == orb::ior::kTagShmEndpoint) {
    // This ORB's own component: the server's shared-memory socket and host.
    orb::ior::IiopProfile holder;
    holder.components.push_back(tagged);
    std::optional<orb::ior::ShmEndpoint> shm = orb::ior::find_shm_endpoint(holder);
    std::cout << "    shared memory: socket " << shm->socket_path << " on host "
              << shm->host_identity << "\n";
  } else {
    std::cout << "    component tag " << hex(tagged.tag) << ": " << tagged.component_data.size()
              << " bytes\n";
  }
}

void print_ior(const orb::ior::Ior& ior) {
  std::cout << "type id: " << (ior.type_id.empty() ? "(none)" : ior.type_id) << "\n";
  for (const orb::giop::TaggedProfile& profile : ior.profiles) {
    if (profile.tag != orb::giop::kTagInternetIop) {
      std::cout << "profile tag " << profile.tag << ": " << profile.profile_data.size()
                << " bytes\n";
      continue;
    }
    orb::ior::IiopProfile iiop = orb::ior::decode_iiop_profile(profile.profile_data);
    std::cout << "IIOP " << int{iiop.version.major} << "." << int{iiop.version.minor} << " "
              << endpoint(iiop.host, iiop.port) << "\n"
              << "  object key: " << printable_key(iiop.object_key) << "\n";
    if (!iiop.components.empty()) {
      std::cout << "  components:\n";
    }
    for (const orb::ior::TaggedComponent& tagged : iiop.components) {
      print_component(tagged);
    }
  }
}

void print_reference(std::string_view text) {
  std::string scheme(text.substr(0, text.find(':') + 1));
  for (char& c : scheme) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (scheme == "corbaname:") {
    orb::ior::Corbaname name = orb::ior::parse_corbaname(text);
    std::cout << "naming context:\n";
    print_ior(orb::ior::to_ior(name.naming_context));
    std::cout << "name: " << (name.name.empty() ? "(the context itself)" : name.name) << "\n";
    return;
  }
  if (scheme == "corbaloc:") {
    orb::ior::Corbaloc location = orb::ior::parse_corbaloc(text);
    if (location.rir) {
      std::cout << "initial reference: " << printable_key(location.object_key) << "\n";
      return;
    }
    print_ior(orb::ior::to_ior(location));
    return;
  }
  print_ior(orb::ior::parse_ior_string(text));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (argument == "--version") {
      std::cout << "orb-ior " << ORB_VERSION << "\n";
      return 0;
    }
    if (argument.starts_with("-")) {
      std::cerr << "orb-ior: unknown option '" << argument << "'; see 'orb-ior --help'\n";
      return 2;
    }
    try {
      print_reference(argument);
    } catch (const orb::SystemException& error) {
      std::cerr << "orb-ior: invalid reference: " << error.what() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
