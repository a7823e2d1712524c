// The tagged component by which a server offers its shared-memory
// endpoint: the host's identity (the kernel boot id) and the path of the
// Unix socket on which it hands out rings. Other ORBs ignore the unknown
// tag; ours connect through it when the host identity is their own.
#pragma once

#include <orb/cdr/byte_order.hpp>
#include <orb/ior/iiop_profile.hpp>

#include <optional>
#include <string>

namespace orb::ior {

/// Component tag for the shared-memory endpoint ("ORB" and 1). NOTE: a
/// vendor tag of this project, not allocated by the OMG.
inline constexpr uint32_t kTagShmEndpoint = 0x4f524201;

struct ShmEndpoint {
  std::string host_identity;
  std::string socket_path;
  bool operator==(const ShmEndpoint&) const = default;
};

TaggedComponent encode_shm_endpoint(const ShmEndpoint& endpoint, cdr::ByteOrder order);
/// The profile's shared-memory endpoint, if it has one. Raises MARSHAL when
/// the component is malformed.
std::optional<ShmEndpoint> find_shm_endpoint(const IiopProfile& profile);

}  // namespace orb::ior
