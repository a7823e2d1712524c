// ObjectAdapter: activation and deactivation of servants.
#include <orb/server/adapter.hpp>

#include <orb/detail/orb_core.hpp>
#include <orb/minor.hpp>

#include <mutex>

namespace orb {

ObjectRef ObjectAdapter::activate(std::shared_ptr<Servant> servant, std::string id) {
  if (!servant || id.empty()) {
    throw BAD_PARAM(minor::kBadOption, CompletionStatus::no,
                    "activate: the servant must not be null and the id must not be empty");
  }
  if (!core_.listening()) {
    throw BAD_INV_ORDER(
        minor::kOrbShutDown, CompletionStatus::no,
        "activate '" + id + "': the ORB does not listen; start it with -ORBListen tcp://HOST:PORT");
  }
  giop::IorData ior = core_.make_local_ior(servant->_interface_id(), id);
  {
    std::unique_lock lock(core_.servants_mutex());
    auto [slot, inserted] = core_.servants().try_emplace(id, servant);
    if (!inserted) {
      throw BAD_PARAM(minor::kBadOption, CompletionStatus::no,
                      "activate: an object with id '" + id + "' is already active");
    }
  }
  return core_.make_object(std::move(ior));
}

bool ObjectAdapter::deactivate(std::string_view id) {
  std::unique_lock lock(core_.servants_mutex());
  auto found = core_.servants().find(id);
  if (found == core_.servants().end()) {
    return false;
  }
  core_.servants().erase(found);
  return true;
}

std::shared_ptr<Servant> ObjectAdapter::find(std::string_view id) const {
  std::shared_lock lock(core_.servants_mutex());
  auto found = core_.servants().find(id);
  return found == core_.servants().end() ? nullptr : found->second;
}

}  // namespace orb
