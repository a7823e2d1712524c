// CDR form of the shared-memory endpoint component: an encapsulation of
// two strings.
#include <orb/ior/shm_component.hpp>

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>
#include <orb/ior/detail.hpp>

namespace orb::ior {

TaggedComponent encode_shm_endpoint(const ShmEndpoint& endpoint, cdr::ByteOrder order) {
  cdr::Encoder encoder(order);
  encoder.write_octet(static_cast<uint8_t>(order));
  encoder.write_string(endpoint.host_identity);
  encoder.write_string(endpoint.socket_path);
  return TaggedComponent{kTagShmEndpoint, encoder.take_bytes()};
}

std::optional<ShmEndpoint> find_shm_endpoint(const IiopProfile& profile) {
  for (const TaggedComponent& component : profile.components) {
    if (component.tag != kTagShmEndpoint) {
      continue;
    }
    cdr::Decoder inner =
        detail::open_encapsulation(component.component_data, "shared-memory endpoint component");
    ShmEndpoint endpoint;
    endpoint.host_identity = inner.read_string(0, "host identity");
    endpoint.socket_path = inner.read_string(0, "socket path");
    return endpoint;
  }
  return std::nullopt;
}

}  // namespace orb::ior
