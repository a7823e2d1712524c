// NamingCore and NamingService: activation of the context servants, the
// binding iterators, lease expiry and watcher notices.
#include "naming_core.hpp"

#include <orb/detail/log.hpp>
#include <orb/ior/corbaloc.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/minor.hpp>
#include <orb/naming/names.hpp>

#include <spdlog/spdlog.h>

#include <charconv>

namespace orb::naming {
namespace {

constexpr std::string_view kContextKeyPrefix = "NamingContext/";
constexpr std::string_view kIteratorKeyPrefix = "BindingIterator/";

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("naming");
  return instance;
}

/// Returns the IIOP profile of a reference, if it has a readable one.
std::optional<ior::IiopProfile> profile_of(const ObjectRef& object) {
  if (!object) {
    return std::nullopt;
  }
  try {
    return ior::find_iiop_profile(object->_ior());
  } catch (const SystemException&) {
    return std::nullopt;  // a malformed profile is simply not one of ours
  }
}

}  // namespace

NamingCore::NamingCore(Orb& orb, std::shared_ptr<NameStore> store, NamingServiceOptions options)
    : orb_(orb), store_(std::move(store)), options_(options) {}

NamingCore::~NamingCore() {
  stop();
}

std::string NamingCore::key_of(ContextId context) {
  if (context == kRootContext) {
    return std::string(NamingService::kObjectKey);
  }
  return std::string(kContextKeyPrefix) + std::to_string(context);
}

void NamingCore::start() {
  std::vector<ContextId> contexts = store_->contexts();
  for (ContextId context : contexts) {
    context_ref(context);
  }
  std::optional<ior::IiopProfile> root = profile_of(context_ref(kRootContext));
  if (root) {
    host_ = root->host;
    port_ = root->port;
  }
  lease_thread_ = std::thread([this] { expire_leases_until_stopped(); });
  notice_thread_ = std::thread([this] { deliver_notices_until_stopped(); });
}

void NamingCore::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_all();
  if (lease_thread_.joinable()) {
    lease_thread_.join();
  }
  if (notice_thread_.joinable()) {
    notice_thread_.join();
  }
  std::lock_guard lock(mutex_);
  for (const auto& [context, reference] : contexts_) {
    orb_.adapter().deactivate(key_of(context));
  }
  contexts_.clear();
  for (const std::string& key : iterators_) {
    orb_.adapter().deactivate(key);
  }
  iterators_.clear();
  watches_.clear();
  notices_.clear();
}

std::shared_ptr<CosNaming::NamingContextExt> NamingCore::context_ref(ContextId context) {
  std::lock_guard lock(mutex_);
  auto found = contexts_.find(context);
  if (found != contexts_.end()) {
    return found->second;
  }
  if (!store_->has_context(context)) {
    // A destroyed context: a reference that is not served, so callers get OBJECT_NOT_EXIST.
    ior::Corbaloc location{false, {ior::IiopAddress{{1, 2}, host_, port_}}, {}};
    std::string key = key_of(context);
    location.object_key.assign(key.begin(), key.end());
    return CosNaming::NamingContextExt::_unchecked_narrow(
        orb_.string_to_object(ior::to_string(location)));
  }
  ObjectRef object =
      orb_.adapter().activate(make_context_servant(shared_from_this(), context), key_of(context));
  auto reference = CosNaming::NamingContextExt::_unchecked_narrow(object);
  contexts_.emplace(context, reference);
  return reference;
}

std::optional<ContextId> NamingCore::local_context_of(const ObjectRef& object) const {
  std::optional<ior::IiopProfile> profile = profile_of(object);
  if (!profile || profile->host != host_ || profile->port != port_) {
    return std::nullopt;
  }
  std::string_view key(reinterpret_cast<const char*>(profile->object_key.data()),
                       profile->object_key.size());
  if (key == NamingService::kObjectKey) {
    return kRootContext;
  }
  if (!key.starts_with(kContextKeyPrefix)) {
    return std::nullopt;
  }
  key.remove_prefix(kContextKeyPrefix.size());
  ContextId id = 0;
  auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), id);
  if (error != std::errc() || end != key.data() + key.size()) {
    return std::nullopt;
  }
  return id;
}

ObjectRef NamingCore::object_of(const Entry& entry) {
  if (entry.local_context) {
    return context_ref(*entry.local_context);
  }
  return entry.object;
}

void NamingCore::retire_context(ContextId context) {
  std::lock_guard lock(mutex_);
  contexts_.erase(context);
  orb_.adapter().deactivate(key_of(context));
  std::erase_if(watches_, [context](const Watch& watch) { return watch.context == context; });
}

std::shared_ptr<CosNaming::BindingIterator> NamingCore::make_iterator(
    std::vector<CosNaming::Binding> bindings) {
  if (bindings.empty()) {
    return nullptr;
  }
  std::string key;
  {
    std::lock_guard lock(mutex_);
    key = std::string(kIteratorKeyPrefix) + std::to_string(next_iterator_++);
    iterators_.push_back(key);
    if (iterators_.size() > options_.max_iterators) {
      // Clients that never call destroy() must not exhaust the server.
      orb_.adapter().deactivate(iterators_.front());
      logger()->debug("destroyed the oldest binding iterator {}", iterators_.front());
      iterators_.pop_front();
    }
  }
  ObjectRef object = orb_.adapter().activate(
      make_iterator_servant(shared_from_this(), key, std::move(bindings)), key);
  return CosNaming::BindingIterator::_unchecked_narrow(object);
}

void NamingCore::retire_iterator(const std::string& key) {
  std::lock_guard lock(mutex_);
  orb_.adapter().deactivate(key);
  std::erase(iterators_, key);
}

// ---- watchers ------------------------------------------------------------

void NamingCore::watch(ContextId context, CosNaming::Name prefix,
                       std::shared_ptr<OrbExt::NameWatcher> watcher) {
  std::lock_guard lock(mutex_);
  watches_.push_back(Watch{context, std::move(prefix), std::move(watcher)});
}

void NamingCore::unwatch(const std::shared_ptr<OrbExt::NameWatcher>& watcher) {
  if (!watcher) {
    return;
  }
  std::lock_guard lock(mutex_);
  std::erase_if(watches_, [&watcher](const Watch& watch) {
    return watch.watcher->_ior() == watcher->_ior();
  });
}

void NamingCore::notify(ContextId context, const CosNaming::NameComponent& name, bool bound) {
  std::lock_guard lock(mutex_);
  bool queued = false;
  for (const Watch& watch : watches_) {
    if (watch.context != context) {
      continue;
    }
    CosNaming::Name full = watch.prefix;
    full.push_back(name);
    notices_.push_back(Notice{watch.watcher, std::move(full), bound});
    queued = true;
  }
  if (queued) {
    wake_.notify_all();
  }
}

void NamingCore::deliver_notices_until_stopped() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !notices_.empty(); });
    if (stopping_) {
      return;
    }
    Notice notice = std::move(notices_.front());
    notices_.pop_front();
    lock.unlock();
    deliver(notice);
    lock.lock();
  }
}

void NamingCore::deliver(const Notice& notice) {
  try {
    if (notice.bound) {
      notice.watcher->bound(notice.name);
    } else {
      notice.watcher->unbound(notice.name);
    }
  } catch (const SystemException& error) {
    // A watcher that cannot be reached is dropped rather than retried forever.
    logger()->warn("dropping a name watcher after a failed notice for '{}': {}",
                   component_to_string(notice.name.back()), error.what());
    unwatch(notice.watcher);
  }
}

// ---- leases --------------------------------------------------------------

void NamingCore::expire_leases_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, options_.lease_check_interval, [this] { return stopping_; })) {
    lock.unlock();
    std::vector<RemovedBinding> expired;
    try {
      expired = store_->expire_leases();
    } catch (const SystemException& error) {
      logger()->error("expiring leases failed: {}", error.what());
    }
    for (const RemovedBinding& binding : expired) {
      logger()->info("lease {} expired: removed '{}' from context {}", binding.lease,
                     component_to_string(binding.name), binding.context);
      notify(binding.context, binding.name, false);
    }
    lock.lock();
  }
}

// ---- NamingService -------------------------------------------------------

NamingService::NamingService(Orb& orb, std::shared_ptr<NameStore> store,
                             NamingServiceOptions options)
    : core_(std::make_shared<NamingCore>(orb, std::move(store), options)) {
  core_->start();
}

NamingService::~NamingService() {
  core_->stop();
}

std::shared_ptr<OrbExt::LeasedNamingContext> NamingService::root() const {
  return OrbExt::LeasedNamingContext::_unchecked_narrow(core_->context_ref(kRootContext));
}

PersistentNamingService open_naming_service(Orb& orb, JournalStoreOptions store_options,
                                            NamingServiceOptions options) {
  PersistentNamingService opened;
  opened.store = std::make_shared<JournalStore>(std::move(store_options), orb);
  opened.recovery = opened.store->recover();
  opened.service = std::make_unique<NamingService>(orb, opened.store, options);
  return opened;
}

}  // namespace orb::naming
