// orb::Orb: one object request broker. It owns its event loop, listen
// endpoints, connection cache and object adapter; several may live in one
// process. Everything a program does with remote objects starts here.
#pragma once

#include <orb/object.hpp>
#include <orb/options.hpp>
#include <orb/server/adapter.hpp>
#include <orb/statistics.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace orb {

namespace detail {
class OrbCore;
}

/// Resolves `name`, a stringified CosNaming name, in the naming context
/// `context`. The core does not know CosNaming: the naming library
/// installs one with orb::naming::enable_corbaname().
using NameResolver = std::function<ObjectRef(const ObjectRef& context, const std::string& name)>;

class Orb {
 public:
  /// Reads -ORB options from the command line (and ORB_ variables from the
  /// environment), removes them from argc/argv, and starts listening on the
  /// -ORBListen endpoints. Raises BAD_PARAM for an invalid option.
  Orb(int& argc, char** argv);
  explicit Orb(OrbOptions options);
  ~Orb();
  Orb(const Orb&) = delete;
  Orb& operator=(const Orb&) = delete;

  /// Serves requests until shutdown() is called from any thread.
  void run();
  /// Stops serving: closes the listen endpoints and connections. With
  /// `wait_for_completion`, returns after the worker threads have ended;
  /// do not pass true from inside an upcall.
  void shutdown(bool wait_for_completion);

  /// Parses an IOR:, corbaloc: or corbaname: string into a reference. A
  /// corbaname: URL with a name is resolved through the installed
  /// NameResolver; without one it raises NO_IMPLEMENT.
  ObjectRef string_to_object(std::string_view text);
  /// Sets how string_to_object() resolves the name of a corbaname: URL.
  void set_name_resolver(NameResolver resolver);
  /// The stringified IOR of a reference; "IOR:" with no profiles for nil.
  std::string object_to_string(const ObjectRef& object) const;
  /// The reference configured for `name` with -ORBInitRef, or found under
  /// -ORBDefaultInitRef. Raises BAD_PARAM (InvalidName) when there is none.
  ObjectRef resolve_initial_references(std::string_view name);

  ObjectAdapter& adapter();
  const OrbOptions& options() const noexcept;
  TransportStatistics statistics() const;

  detail::OrbCore& core() noexcept { return *core_; }

 private:
  std::shared_ptr<detail::OrbCore> core_;
};

}  // namespace orb
