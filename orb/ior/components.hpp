// Typed forms of the standard tagged components of an IIOP profile:
// TAG_ORB_TYPE, TAG_CODE_SETS and TAG_ALTERNATE_IIOP_ADDRESS, with the
// code set ids of the OSF registry that ORBs advertise. Components with
// other tags stay opaque TaggedComponent values.
#pragma once

#include <orb/cdr/byte_order.hpp>
#include <orb/ior/iiop_profile.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace orb::ior {

/// Component tags (IOP::ComponentId).
inline constexpr uint32_t kTagOrbType = 0;
inline constexpr uint32_t kTagCodeSets = 1;
inline constexpr uint32_t kTagPolicies = 2;
inline constexpr uint32_t kTagAlternateIiopAddress = 3;

/// The ORB type that omniORB puts in TAG_ORB_TYPE ("ATT\0" read as a
/// big-endian ulong).
inline constexpr uint32_t kOmniOrbOrbType = 0x41545400;

/// Code set ids (CONV_FRAME::CodeSetId) from the OSF code set registry.
inline constexpr uint32_t kCodeSetIso8859_1 = 0x00010001;
inline constexpr uint32_t kCodeSetUcs2Level1 = 0x00010100;
inline constexpr uint32_t kCodeSetUtf16 = 0x00010109;
inline constexpr uint32_t kCodeSetUtf8 = 0x05010001;

/// TAG_ORB_TYPE: the vendor's ORB type id.
struct OrbTypeComponent {
  uint32_t orb_type = 0;
  bool operator==(const OrbTypeComponent&) const = default;
};

/// CONV_FRAME::CodeSetComponent: the native code set of one character type
/// and the ones the ORB can convert to and from.
struct CodeSetComponent {
  uint32_t native_code_set = 0;
  std::vector<uint32_t> conversion_code_sets;
  bool operator==(const CodeSetComponent&) const = default;
};

/// TAG_CODE_SETS (CONV_FRAME::CodeSetComponentInfo): code sets for char and
/// string data, then for wchar and wstring data.
struct CodeSetComponentInfo {
  CodeSetComponent for_char_data;
  CodeSetComponent for_wchar_data;
  bool operator==(const CodeSetComponentInfo&) const = default;
};

/// TAG_ALTERNATE_IIOP_ADDRESS: another host and port at which the profile's
/// object is reachable.
struct AlternateIiopAddress {
  std::string host;
  uint16_t port = 0;
  bool operator==(const AlternateIiopAddress&) const = default;
};

/// A component in its typed form, or as opaque TaggedComponent when its tag
/// is not one of the above.
using Component =
    std::variant<OrbTypeComponent, CodeSetComponentInfo, AlternateIiopAddress, TaggedComponent>;

/// Encodes a typed component as its tag and encapsulated data. An opaque
/// TaggedComponent is returned unchanged.
TaggedComponent encode_component(const Component& component,
                                 cdr::ByteOrder order = cdr::kNativeByteOrder);

/// Decodes the data of a component with a known tag; other tags yield a copy
/// of `component`. Raises cdr::DecodeError with offsets counted from the
/// byte-order octet of the component data.
Component decode_component(const TaggedComponent& component);

/// Decodes the first TAG_ORB_TYPE component of `profile`, if any.
std::optional<uint32_t> find_orb_type(const IiopProfile& profile);
/// Decodes the first TAG_CODE_SETS component of `profile`, if any.
std::optional<CodeSetComponentInfo> find_code_sets(const IiopProfile& profile);
/// Decodes every TAG_ALTERNATE_IIOP_ADDRESS component of `profile`, in order.
std::vector<AlternateIiopAddress> find_alternate_addresses(const IiopProfile& profile);

}  // namespace orb::ior
