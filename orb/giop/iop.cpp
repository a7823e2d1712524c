// CDR forms of the IOP structures.
#include <orb/giop/iop.hpp>

namespace orb::giop {

// Minimum wire sizes, used to reject impossible sequence lengths early.
namespace {
constexpr size_t kServiceContextMinSize = 8;  // id and empty data length
constexpr size_t kTaggedProfileMinSize = 8;   // tag and empty data length
}  // namespace

void encode(cdr::Encoder& encoder, const ServiceContextList& contexts) {
  encoder.write_length(contexts.size(), 0, "service context list");
  for (const ServiceContext& context : contexts) {
    encoder.write_ulong(context.context_id);
    encoder.write_octet_sequence(context.context_data);
  }
}

void decode(cdr::Decoder& decoder, ServiceContextList& contexts) {
  uint32_t count = decoder.read_length(kServiceContextMinSize, 0, "service context list");
  contexts.clear();
  contexts.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    ServiceContext& context = contexts.emplace_back();
    context.context_id = decoder.read_ulong("service context id");
    context.context_data = decoder.read_octet_sequence(0, "service context data");
  }
}

void encode(cdr::Encoder& encoder, const TaggedProfile& profile) {
  encoder.write_ulong(profile.tag);
  encoder.write_octet_sequence(profile.profile_data);
}

void decode(cdr::Decoder& decoder, TaggedProfile& profile) {
  profile.tag = decoder.read_ulong("profile tag");
  profile.profile_data = decoder.read_octet_sequence(0, "profile data");
}

void encode(cdr::Encoder& encoder, const IorData& ior) {
  encoder.write_string(ior.type_id);
  encoder.write_length(ior.profiles.size(), 0, "IOR profiles");
  for (const TaggedProfile& profile : ior.profiles) {
    encode(encoder, profile);
  }
}

void decode(cdr::Decoder& decoder, IorData& ior) {
  ior.type_id = decoder.read_string(0, "IOR type id");
  uint32_t count = decoder.read_length(kTaggedProfileMinSize, 0, "IOR profiles");
  ior.profiles.clear();
  ior.profiles.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    decode(decoder, ior.profiles.emplace_back());
  }
}

}  // namespace orb::giop
