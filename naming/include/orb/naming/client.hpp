// Client conveniences for naming: the root context of an ORB, names given
// as strings, rebinding that creates the contexts on the way, corbaname:
// resolution in Orb::string_to_object, and LeaseKeeper, which keeps a
// leased binding alive while its server runs.
//
// These are free functions over orb::Orb rather than members because the
// ORB core sits below the services and must not depend on CosNaming.
#pragma once

#include <orb/orb.hpp>

#include "CosNaming.hpp"
#include "OrbExt.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace orb::naming {

/// The root naming context configured with -ORBInitRef NameService=URL
/// (or found under -ORBDefaultInitRef), checked with _is_a. Also installs
/// the corbaname: resolver in `orb`. Raises BAD_PARAM when no
/// NameService reference is configured and BAD_PARAM (kNilReference) when
/// the object there is not a naming context.
std::shared_ptr<CosNaming::NamingContextExt> root_context(Orb& orb);

/// Makes orb.string_to_object("corbaname:...#a/b") resolve "a/b" in the
/// naming context the URL addresses.
void enable_corbaname(Orb& orb);

/// Resolves a stringified name such as "a/b.kind" in `context`.
ObjectRef resolve_str(const std::shared_ptr<CosNaming::NamingContext>& context,
                      std::string_view name);
/// Resolves a stringified name in the root context of `orb`.
ObjectRef resolve_str(Orb& orb, std::string_view name);

/// Binds `name` to `object` in `context`, replacing an object bound there,
/// and creates each missing context on the way ("a" and "a/b" for
/// "a/b/c.kind"). Raises the CosNaming exceptions of rebind(), such as
/// NotFound(not_context) when a component on the way is bound to an object.
void rebind(const std::shared_ptr<CosNaming::NamingContext>& context, std::string_view name,
            const ObjectRef& object);

/// Holds a leased binding of `name` to `object` in a naming context of
/// our own naming service: rebinds it with the lease on construction and
/// renews it from a thread every third of the lease, rebinding when the
/// service forgot the lease (for instance after it expired during a
/// network outage). The destructor stops the thread and cancels the
/// lease, which removes the binding. If the process dies, the binding is
/// gone one lease after the last renewal.
class LeaseKeeper {
 public:
  /// Raises BAD_PARAM (kNilReference) when `context` does not implement
  /// OrbExt::LeasedNamingContext, such as another ORB's naming service,
  /// and the CosNaming exceptions of the first rebind.
  LeaseKeeper(const std::shared_ptr<CosNaming::NamingContext>& context, std::string name,
              ObjectRef object, std::chrono::seconds lease);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  /// The current lease; it changes when the binding had to be made again.
  OrbExt::LeaseId lease() const;

 private:
  void bind();
  void renew_until_stopped();

  std::shared_ptr<OrbExt::LeasedNamingContext> context_;
  CosNaming::Name name_;
  ObjectRef object_;
  uint32_t seconds_;

  mutable std::mutex mutex_;  // guards lease_ and stopping_
  std::condition_variable stop_requested_;
  OrbExt::LeaseId lease_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace orb::naming
