// NamingCore: what the servants of one naming service share: the store,
// the references of the local contexts, the binding iterators, the
// watchers, and the two threads that expire leases and deliver notices.
// Internal to the naming library.
#pragma once

#include <orb/naming/service.hpp>

#include "CosNaming_servant.hpp"
#include "OrbExt_servant.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace orb::naming {

class NamingCore : public std::enable_shared_from_this<NamingCore> {
 public:
  NamingCore(Orb& orb, std::shared_ptr<NameStore> store, NamingServiceOptions options);
  ~NamingCore();

  /// Activates the servant of every stored context and starts the threads.
  void start();
  /// Stops the threads and deactivates every servant. Idempotent.
  void stop();

  NameStore& store() noexcept { return *store_; }

  /// The reference of a local context, activating its servant when needed.
  std::shared_ptr<CosNaming::NamingContextExt> context_ref(ContextId context);
  /// The local context that `object` refers to, if it is one of ours.
  std::optional<ContextId> local_context_of(const ObjectRef& object) const;
  /// The reference a binding is bound to.
  ObjectRef object_of(const Entry& entry);
  /// Deactivates the servant of a destroyed context.
  void retire_context(ContextId context);

  /// Serves `bindings` through a new BindingIterator; nil when empty.
  std::shared_ptr<CosNaming::BindingIterator> make_iterator(
      std::vector<CosNaming::Binding> bindings);
  void retire_iterator(const std::string& key);

  /// Sends `watcher` a notice for each binding made or removed in
  /// `context`, naming it as `prefix` followed by the bound component.
  void watch(ContextId context, CosNaming::Name prefix,
             std::shared_ptr<OrbExt::NameWatcher> watcher);
  void unwatch(const std::shared_ptr<OrbExt::NameWatcher>& watcher);
  /// Queues notices of a change of `name` in `context` for its watchers.
  void notify(ContextId context, const CosNaming::NameComponent& name, bool bound);

 private:
  struct Watch {
    ContextId context = kRootContext;
    CosNaming::Name prefix;
    std::shared_ptr<OrbExt::NameWatcher> watcher;
  };
  struct Notice {
    std::shared_ptr<OrbExt::NameWatcher> watcher;
    CosNaming::Name name;
    bool bound = false;
  };

  void expire_leases_until_stopped();
  void deliver_notices_until_stopped();
  void deliver(const Notice& notice);
  static std::string key_of(ContextId context);

  Orb& orb_;
  std::shared_ptr<NameStore> store_;
  NamingServiceOptions options_;
  std::string host_;  // where this ORB's references point, to recognise local contexts
  uint16_t port_ = 0;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<ContextId, std::shared_ptr<CosNaming::NamingContextExt>> contexts_;
  std::deque<std::string> iterators_;  // keys of live iterators, oldest first
  uint64_t next_iterator_ = 1;
  std::vector<Watch> watches_;
  std::deque<Notice> notices_;
  std::thread lease_thread_;
  std::thread notice_thread_;
};

/// The servant of the local context `context`.
std::shared_ptr<Servant> make_context_servant(std::shared_ptr<NamingCore> core, ContextId context);
/// The servant of a BindingIterator over `bindings`, served under `key`.
std::shared_ptr<Servant> make_iterator_servant(std::shared_ptr<NamingCore> core, std::string key,
                                               std::vector<CosNaming::Binding> bindings);

}  // namespace orb::naming
