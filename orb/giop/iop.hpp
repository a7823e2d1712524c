// The IOP module's wire structures that GIOP messages carry: service
// contexts, tagged profiles and the raw IOR (type id and profiles). The
// meaning of profiles and components is the business of orb/ior; here they
// are opaque tagged octets.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace orb::giop {

/// IOP::ServiceContext: an id and its encapsulated data.
struct ServiceContext {
  uint32_t context_id = 0;
  std::vector<uint8_t> context_data;
  bool operator==(const ServiceContext&) const = default;
};
using ServiceContextList = std::vector<ServiceContext>;

/// Well-known IOP::ServiceId values.
inline constexpr uint32_t kCodeSetsContext = 1;
inline constexpr uint32_t kBiDirIiopContext = 5;

/// IOP::TaggedProfile: a profile id (0 is TAG_INTERNET_IOP) and its data,
/// which for IIOP is an encapsulation.
struct TaggedProfile {
  uint32_t tag = 0;
  std::vector<uint8_t> profile_data;
  bool operator==(const TaggedProfile&) const = default;
};

inline constexpr uint32_t kTagInternetIop = 0;
inline constexpr uint32_t kTagMultipleComponents = 1;

/// IOP::IOR: a repository id and the profiles by which the object is reached.
/// A nil reference has an empty type id and no profiles.
struct IorData {
  std::string type_id;
  std::vector<TaggedProfile> profiles;
  bool is_nil() const noexcept { return type_id.empty() && profiles.empty(); }
  bool operator==(const IorData&) const = default;
};

void encode(cdr::Encoder& encoder, const ServiceContextList& contexts);
void decode(cdr::Decoder& decoder, ServiceContextList& contexts);
void encode(cdr::Encoder& encoder, const TaggedProfile& profile);
void decode(cdr::Decoder& decoder, TaggedProfile& profile);
void encode(cdr::Encoder& encoder, const IorData& ior);
void decode(cdr::Decoder& decoder, IorData& ior);

}  // namespace orb::giop
