// CDR form of the IIOP profile body.
#include <orb/ior/iiop_profile.hpp>

#include <orb/exception.hpp>
#include <orb/ior/detail.hpp>
#include <orb/minor.hpp>

namespace orb::ior {
namespace {

constexpr std::string_view kWhat = "IIOP profile";
constexpr size_t kTaggedComponentMinSize = 8;  // tag and empty data length

void check_encodable(const IiopProfile& profile) {
  const IiopVersion& version = profile.version;
  std::string name =
      "IIOP " + std::to_string(version.major) + "." + std::to_string(version.minor) + " profile";
  if (version.major != 1) {
    throw BAD_PARAM(minor::kUnencodable, CompletionStatus::no,
                    "encode " + name + ": only IIOP major version 1 exists");
  }
  if (version.minor == 0 && !profile.components.empty()) {
    throw BAD_PARAM(minor::kUnencodable, CompletionStatus::no,
                    "encode " + name + ": version 1.0 cannot carry its " +
                        std::to_string(profile.components.size()) + " tagged components");
  }
}

IiopVersion read_version(cdr::Decoder& decoder) {
  // The decoder comes from open_encapsulation(), whose positions are also
  // the offsets that errors report.
  size_t offset = decoder.position();
  IiopVersion version;
  version.major = decoder.read_octet("IIOP major version");
  version.minor = decoder.read_octet("IIOP minor version");
  if (version.major != 1) {
    throw cdr::DecodeError(minor::kBadVersion, offset, "IIOP version",
                           "major version " + std::to_string(version.major) +
                               " is not 1, the only IIOP major version");
  }
  return version;
}

}  // namespace

void encode(cdr::Encoder& encoder, const std::vector<TaggedComponent>& components) {
  encoder.write_length(components.size(), 0, "tagged components");
  for (const TaggedComponent& component : components) {
    encoder.write_ulong(component.tag);
    encoder.write_octet_sequence(component.component_data);
  }
}

void decode(cdr::Decoder& decoder, std::vector<TaggedComponent>& components) {
  uint32_t count = decoder.read_length(kTaggedComponentMinSize, 0, "tagged components");
  components.clear();
  components.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TaggedComponent& component = components.emplace_back();
    component.tag = decoder.read_ulong("component tag");
    component.component_data = decoder.read_octet_sequence(0, "component data");
  }
}

giop::TaggedProfile encode_iiop_profile(const IiopProfile& profile, cdr::ByteOrder order) {
  check_encodable(profile);
  giop::TaggedProfile tagged;
  tagged.tag = giop::kTagInternetIop;
  tagged.profile_data = detail::make_encapsulation(order, [&](cdr::Encoder& encoder) {
    encoder.write_octet(profile.version.major);
    encoder.write_octet(profile.version.minor);
    encoder.write_string(profile.host);
    encoder.write_ushort(profile.port);
    encoder.write_octet_sequence(profile.object_key);
    if (profile.version.minor >= 1) {
      encode(encoder, profile.components);
    }
  });
  return tagged;
}

IiopProfile decode_iiop_profile(std::span<const uint8_t> profile_data) {
  cdr::Decoder decoder = detail::open_encapsulation(profile_data, kWhat);
  IiopProfile profile;
  profile.version = read_version(decoder);
  profile.host = decoder.read_string(0, "IIOP host");
  profile.port = decoder.read_ushort("IIOP port");
  profile.object_key = decoder.read_octet_sequence(0, "object key");
  if (profile.version.minor >= 1) {
    decode(decoder, profile.components);
  }
  if (profile.version.minor <= 2) {
    detail::expect_end(decoder, kWhat);
  }
  return profile;
}

std::optional<IiopProfile> find_iiop_profile(const Ior& ior) {
  for (const giop::TaggedProfile& profile : ior.profiles) {
    if (profile.tag == giop::kTagInternetIop) {
      return decode_iiop_profile(profile.profile_data);
    }
  }
  return std::nullopt;
}

Ior make_ior(std::string type_id, const IiopProfile& profile, cdr::ByteOrder order) {
  Ior ior;
  ior.type_id = std::move(type_id);
  ior.profiles.push_back(encode_iiop_profile(profile, order));
  return ior;
}

}  // namespace orb::ior
