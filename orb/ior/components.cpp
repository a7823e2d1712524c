// CDR forms of the standard tagged components. Each one's data is an
// encapsulation with nothing after its last field.
#include <orb/ior/components.hpp>

#include <orb/cdr/codec.hpp>
#include <orb/ior/detail.hpp>

namespace orb::ior {
namespace {

void encode_code_set_component(cdr::Encoder& encoder, const CodeSetComponent& component) {
  encoder.write_ulong(component.native_code_set);
  cdr::encode_sequence(encoder, component.conversion_code_sets);
}

CodeSetComponent decode_code_set_component(cdr::Decoder& decoder) {
  CodeSetComponent component;
  component.native_code_set = decoder.read_ulong("native code set");
  cdr::decode_sequence(decoder, component.conversion_code_sets);
  return component;
}

struct ComponentEncoder {
  cdr::ByteOrder order;

  TaggedComponent operator()(const OrbTypeComponent& component) const {
    return {kTagOrbType, detail::make_encapsulation(order, [&](cdr::Encoder& encoder) {
              encoder.write_ulong(component.orb_type);
            })};
  }
  TaggedComponent operator()(const CodeSetComponentInfo& info) const {
    return {kTagCodeSets, detail::make_encapsulation(order, [&](cdr::Encoder& encoder) {
              encode_code_set_component(encoder, info.for_char_data);
              encode_code_set_component(encoder, info.for_wchar_data);
            })};
  }
  TaggedComponent operator()(const AlternateIiopAddress& address) const {
    return {kTagAlternateIiopAddress, detail::make_encapsulation(order, [&](cdr::Encoder& encoder) {
              encoder.write_string(address.host);
              encoder.write_ushort(address.port);
            })};
  }
  TaggedComponent operator()(const TaggedComponent& component) const { return component; }
};

OrbTypeComponent decode_orb_type(std::span<const uint8_t> data) {
  constexpr std::string_view kWhat = "TAG_ORB_TYPE component";
  cdr::Decoder decoder = detail::open_encapsulation(data, kWhat);
  OrbTypeComponent component{decoder.read_ulong("ORB type")};
  detail::expect_end(decoder, kWhat);
  return component;
}

CodeSetComponentInfo decode_code_sets(std::span<const uint8_t> data) {
  constexpr std::string_view kWhat = "TAG_CODE_SETS component";
  cdr::Decoder decoder = detail::open_encapsulation(data, kWhat);
  CodeSetComponentInfo info;
  info.for_char_data = decode_code_set_component(decoder);
  info.for_wchar_data = decode_code_set_component(decoder);
  detail::expect_end(decoder, kWhat);
  return info;
}

AlternateIiopAddress decode_alternate_address(std::span<const uint8_t> data) {
  constexpr std::string_view kWhat = "TAG_ALTERNATE_IIOP_ADDRESS component";
  cdr::Decoder decoder = detail::open_encapsulation(data, kWhat);
  AlternateIiopAddress address;
  address.host = decoder.read_string(0, "alternate IIOP host");
  address.port = decoder.read_ushort("alternate IIOP port");
  detail::expect_end(decoder, kWhat);
  return address;
}

}  // namespace

TaggedComponent encode_component(const Component& component, cdr::ByteOrder order) {
  return std::visit(ComponentEncoder{order}, component);
}

Component decode_component(const TaggedComponent& component) {
  switch (component.tag) {
    case kTagOrbType:
      return decode_orb_type(component.component_data);
    case kTagCodeSets:
      return decode_code_sets(component.component_data);
    case kTagAlternateIiopAddress:
      return decode_alternate_address(component.component_data);
    default:
      return component;
  }
}

std::optional<uint32_t> find_orb_type(const IiopProfile& profile) {
  for (const TaggedComponent& component : profile.components) {
    if (component.tag == kTagOrbType) {
      return decode_orb_type(component.component_data).orb_type;
    }
  }
  return std::nullopt;
}

std::optional<CodeSetComponentInfo> find_code_sets(const IiopProfile& profile) {
  for (const TaggedComponent& component : profile.components) {
    if (component.tag == kTagCodeSets) {
      return decode_code_sets(component.component_data);
    }
  }
  return std::nullopt;
}

std::vector<AlternateIiopAddress> find_alternate_addresses(const IiopProfile& profile) {
  std::vector<AlternateIiopAddress> addresses;
  for (const TaggedComponent& component : profile.components) {
    if (component.tag == kTagAlternateIiopAddress) {
      addresses.push_back(decode_alternate_address(component.component_data));
    }
  }
  return addresses;
}

}  // namespace orb::ior
