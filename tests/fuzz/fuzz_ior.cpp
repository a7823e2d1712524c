// Fuzz target for the IOR layer. Every input goes as text to the parsers
// of stringified IORs, corbaloc: and corbaname: URLs. Its first byte also
// picks one binary decoder for the rest: a whole IOR encapsulation with its
// profiles and components, one IIOP profile body, or one component. Each
// either raises an orb::SystemException or yields a value that must format
// or encode and parse back to itself.
#include <orb/exception.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/corbaloc.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

namespace {

using namespace orb::ior;

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_component(const TaggedComponent& component) {
  Component decoded = decode_component(component);
  for (auto order : {orb::cdr::ByteOrder::big_endian, orb::cdr::ByteOrder::little_endian}) {
    require(decode_component(encode_component(decoded, order)) == decoded);
  }
}

void check_profile(std::span<const uint8_t> data) {
  IiopProfile profile = decode_iiop_profile(data);
  for (const TaggedComponent& component : profile.components) {
    try {
      check_component(component);
    } catch (const orb::SystemException&) {
      // A malformed component does not make the profile unusable.
    }
  }
  for (auto order : {orb::cdr::ByteOrder::big_endian, orb::cdr::ByteOrder::little_endian}) {
    require(decode_iiop_profile(encode_iiop_profile(profile, order).profile_data) == profile);
  }
}

void check_ior(std::span<const uint8_t> data) {
  Ior ior = decode_ior_encapsulation(data);
  require(decode_ior_encapsulation(encode_ior_encapsulation(ior)) == ior);
  for (const orb::giop::TaggedProfile& profile : ior.profiles) {
    if (profile.tag == orb::giop::kTagInternetIop) {
      check_profile(profile.profile_data);
    }
  }
}

void check_binary(std::span<const uint8_t> data) {
  if (data.empty()) {
    return;
  }
  std::span<const uint8_t> rest = data.subspan(1);
  switch (data[0] % 3) {
    case 0:
      check_ior(rest);
      break;
    case 1:
      check_profile(rest);
      break;
    default:
      // The tag comes from the same byte, so all four standard tags and
      // an unknown one are reached.
      check_component({static_cast<uint32_t>(data[0] / 3 % 5), {rest.begin(), rest.end()}});
      break;
  }
}

void check_text(std::string_view text) {
  try {
    Ior ior = parse_ior_string(text);
    require(parse_ior_string(to_string(ior)) == ior);
  } catch (const orb::SystemException&) {
  }
  try {
    Corbaloc location = parse_corbaloc(text);
    require(parse_corbaloc(to_string(location)) == location);
    if (!location.rir) {
      require(to_ior(location).profiles.size() == location.addresses.size());
    }
  } catch (const orb::SystemException&) {
  }
  try {
    Corbaname name = parse_corbaname(text);
    require(parse_corbaname(to_string(name)) == name);
  } catch (const orb::SystemException&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  check_text(std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    check_binary(bytes);
  } catch (const orb::SystemException&) {
    // Rejecting malformed input is the expected outcome.
  }
  return 0;
}
