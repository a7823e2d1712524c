// ObjectAdapter: maps object keys to servants. A servant activated under an
// id gets that id as its object key, so its reference stays valid across
// server restarts on the same endpoint (persistent references), and
// `corbaloc::host:port/ID` names it.
#pragma once

#include <orb/object.hpp>
#include <orb/servant.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace orb {

namespace detail {
class OrbCore;
}

class ObjectAdapter {
 public:
  explicit ObjectAdapter(detail::OrbCore& core) noexcept : core_(core) {}

  /// Serves `servant` under `id` and returns a reference to it. Raises
  /// BAD_PARAM when the id is empty or already active, and BAD_INV_ORDER
  /// when the ORB does not listen (no -ORBListen option).
  ObjectRef activate(std::shared_ptr<Servant> servant, std::string id);

  /// As activate(), returning the proxy type that the generated skeleton S names.
  template <class S>
  auto activate(std::shared_ptr<S> servant, std::string id) {
    ObjectRef object = activate(std::static_pointer_cast<Servant>(servant), std::move(id));
    if constexpr (requires { typename S::_orb_proxy_type; }) {
      return S::_orb_proxy_type::_unchecked_narrow(object);
    } else {
      return object;
    }
  }

  /// Stops serving `id`; later requests for it get OBJECT_NOT_EXIST.
  /// Returns false when it was not active.
  bool deactivate(std::string_view id);

  /// The servant under `id`, or nullptr.
  std::shared_ptr<Servant> find(std::string_view id) const;

 private:
  detail::OrbCore& core_;
};

}  // namespace orb
