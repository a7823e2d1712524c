// The TAG_INTERNET_IOP profile body of IIOP 1.0, 1.1 and 1.2: the version,
// the host and port to connect to, the object key and, from 1.1 on, the
// tagged components. The typed forms of the standard components are in
// orb/ior/components.hpp.
#pragma once

#include <orb/cdr/byte_order.hpp>
#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>
#include <orb/ior/ior.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace orb::ior {

/// IIOP::Version of a profile body.
struct IiopVersion {
  uint8_t major = 1;
  uint8_t minor = 2;
  bool operator==(const IiopVersion&) const = default;
};

/// IOP::TaggedComponent: a component id and its data, which for the
/// standard components is an encapsulation.
struct TaggedComponent {
  uint32_t tag = 0;
  std::vector<uint8_t> component_data;
  bool operator==(const TaggedComponent&) const = default;
};

/// IIOP::ProfileBody. `components` must be empty for version 1.0, which has
/// no field for them.
struct IiopProfile {
  IiopVersion version;
  std::string host;
  uint16_t port = 0;
  std::vector<uint8_t> object_key;
  std::vector<TaggedComponent> components;
  bool operator==(const IiopProfile&) const = default;
};

/// Writes and reads IOP::TaggedComponentSeq in a CDR stream.
void encode(cdr::Encoder& encoder, const std::vector<TaggedComponent>& components);
void decode(cdr::Decoder& decoder, std::vector<TaggedComponent>& components);

/// Encodes `profile` as the encapsulated profile data of a TAG_INTERNET_IOP
/// profile. Raises BAD_PARAM (kUnencodable) for a major version other than
/// 1 and for components in a 1.0 profile.
giop::TaggedProfile encode_iiop_profile(const IiopProfile& profile,
                                        cdr::ByteOrder order = cdr::kNativeByteOrder);

/// Decodes the profile data of a TAG_INTERNET_IOP profile. Versions 1.1 and
/// later carry components. Data after the last field is rejected for 1.0
/// to 1.2 and skipped for later minor versions, which may append fields.
/// Raises cdr::DecodeError with offsets counted from the byte-order octet
/// of the profile data, also for a major version other than 1.
IiopProfile decode_iiop_profile(std::span<const uint8_t> profile_data);

/// Decodes the first TAG_INTERNET_IOP profile of `ior`, or returns nullopt
/// when it has none. A malformed profile raises cdr::DecodeError.
std::optional<IiopProfile> find_iiop_profile(const Ior& ior);

/// Builds an IOR with one IIOP profile.
Ior make_ior(std::string type_id, const IiopProfile& profile,
             cdr::ByteOrder order = cdr::kNativeByteOrder);

}  // namespace orb::ior
