// The servants of a naming service: ContextServant serves one naming
// context (CosNaming::NamingContextExt and the OrbExt lease and watch
// operations), IteratorServant one BindingIterator. A name with several
// components is walked context by context. When the walk reaches a context
// of another server, the rest of the operation is passed to that context.
#include "naming_core.hpp"

#include <orb/detail/log.hpp>
#include <orb/minor.hpp>
#include <orb/naming/names.hpp>

#include <spdlog/spdlog.h>

namespace orb::naming {
namespace {

using CosNaming::NamingContext;
using NotFoundReason = CosNaming::NamingContext::NotFoundReason;

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("naming");
  return instance;
}

CosNaming::Name tail(const CosNaming::Name& name, size_t from) {
  return CosNaming::Name(name.begin() + static_cast<std::ptrdiff_t>(from), name.end());
}

void check_lease_seconds(uint32_t seconds) {
  if (seconds == 0 || seconds > kMaxLeaseSeconds) {
    throw BAD_PARAM(minor::kBadLeaseTime, CompletionStatus::no,
                    "lease of " + std::to_string(seconds) + " s is outside 1.." +
                        std::to_string(kMaxLeaseSeconds) + " s");
  }
}

/// Parent context of a name's last component: a context of this service, or
/// a context elsewhere that takes the rest of the name.
struct Parent {
  ContextId local = kRootContext;
  std::shared_ptr<NamingContext> remote;
  CosNaming::Name rest;
};

class ContextServant final : public OrbExt::LeasedNamingContextServant {
 public:
  ContextServant(std::shared_ptr<NamingCore> core, ContextId context)
      : core_(std::move(core)), context_(context) {}

  /// References advertise the standard interface; _is_a() still admits
  /// LeasedNamingContext, which is how our clients find the extension.
  std::string_view _interface_id() const noexcept override {
    return CosNaming::NamingContextExt::_repository_id;
  }

  void bind(const CosNaming::Name& n, const ObjectRef& obj) override {
    Parent parent = walk(n);
    if (parent.remote) {
      parent.remote->bind(parent.rest, obj);
      return;
    }
    put(parent.local, n, Entry{CosNaming::BindingType::nobject, std::nullopt, obj}, PutMode::bind);
  }

  void rebind(const CosNaming::Name& n, const ObjectRef& obj) override {
    Parent parent = walk(n);
    if (parent.remote) {
      parent.remote->rebind(parent.rest, obj);
      return;
    }
    put(parent.local, n, Entry{CosNaming::BindingType::nobject, std::nullopt, obj},
        PutMode::rebind);
  }

  void bind_context(const CosNaming::Name& n, const std::shared_ptr<NamingContext>& nc) override {
    Parent parent = walk(n);
    if (parent.remote) {
      parent.remote->bind_context(parent.rest, nc);
      return;
    }
    put(parent.local, n, context_entry(nc), PutMode::bind);
  }

  void rebind_context(const CosNaming::Name& n, const std::shared_ptr<NamingContext>& nc) override {
    Parent parent = walk(n);
    if (parent.remote) {
      parent.remote->rebind_context(parent.rest, nc);
      return;
    }
    put(parent.local, n, context_entry(nc), PutMode::rebind);
  }

  ObjectRef resolve(const CosNaming::Name& n) override {
    Parent parent = walk(n);
    if (parent.remote) {
      return parent.remote->resolve(parent.rest);
    }
    std::optional<Entry> entry = core_->store().find(parent.local, n.back());
    if (!entry) {
      throw NamingContext::NotFound(NotFoundReason::missing_node, tail(n, n.size() - 1));
    }
    return core_->object_of(*entry);
  }

  void unbind(const CosNaming::Name& n) override {
    Parent parent = walk(n);
    if (parent.remote) {
      parent.remote->unbind(parent.rest);
      return;
    }
    if (!core_->store().remove(parent.local, n.back())) {
      throw NamingContext::NotFound(NotFoundReason::missing_node, tail(n, n.size() - 1));
    }
    if (logger()->should_log(spdlog::level::debug)) {
      logger()->debug("context {}: unbound '{}'", parent.local, component_to_string(n.back()));
    }
    core_->notify(parent.local, n.back(), false);
  }

  std::shared_ptr<NamingContext> new_context() override {
    return core_->context_ref(core_->store().create_context());
  }

  std::shared_ptr<NamingContext> bind_new_context(const CosNaming::Name& n) override {
    Parent parent = walk(n);
    if (parent.remote) {
      return parent.remote->bind_new_context(parent.rest);
    }
    ContextId created = core_->store().create_context();
    Entry entry{CosNaming::BindingType::ncontext, created, nullptr};
    try {
      put(parent.local, n, entry, PutMode::bind);
    } catch (...) {
      core_->store().destroy_context(created);  // no binding ever reached it
      throw;
    }
    return core_->context_ref(created);
  }

  void destroy() override {
    if (context_ == kRootContext) {
      throw NO_PERMISSION(minor::kRootContext, CompletionStatus::no,
                          "destroy: the root context of the naming service cannot be destroyed");
    }
    switch (core_->store().destroy_context(context_)) {
      case DestroyOutcome::not_empty:
        throw NamingContext::NotEmpty();
      case DestroyOutcome::no_context:
      case DestroyOutcome::destroyed:
        break;
    }
    logger()->debug("destroyed context {}", context_);
    core_->retire_context(context_);
  }

  void list(uint32_t how_many, CosNaming::BindingList& bl,
            std::shared_ptr<CosNaming::BindingIterator>& bi) override {
    std::vector<NamedEntry> entries = core_->store().list(existing_context());
    bl.clear();
    std::vector<CosNaming::Binding> rest;
    for (NamedEntry& entry : entries) {
      CosNaming::Binding binding{{std::move(entry.name)}, entry.entry.type};
      (bl.size() < how_many ? bl : rest).push_back(std::move(binding));
    }
    bi = core_->make_iterator(std::move(rest));
  }

  std::string to_string(const CosNaming::Name& n) override { return naming::to_string(n); }

  CosNaming::Name to_name(const std::string& sn) override { return naming::to_name(sn); }

  std::string to_url(const std::string& addr, const std::string& sn) override {
    return naming::to_url(addr, sn);
  }

  ObjectRef resolve_str(const std::string& n) override { return resolve(naming::to_name(n)); }

  void bind_with_lease(const CosNaming::Name& n, const ObjectRef& obj, uint32_t seconds,
                       OrbExt::LeaseId& id) override {
    id = leased_put(n, obj, seconds, PutMode::bind);
  }

  void rebind_with_lease(const CosNaming::Name& n, const ObjectRef& obj, uint32_t seconds,
                         OrbExt::LeaseId& id) override {
    id = leased_put(n, obj, seconds, PutMode::rebind);
  }

  void renew(OrbExt::LeaseId id, uint32_t seconds) override {
    check_lease_seconds(seconds);
    if (!core_->store().renew(id, seconds)) {
      throw OrbExt::UnknownLease(id);
    }
  }

  void cancel(OrbExt::LeaseId id) override {
    std::optional<RemovedBinding> removed = core_->store().cancel(id);
    if (!removed) {
      throw OrbExt::UnknownLease(id);
    }
    logger()->info("lease {} cancelled: removed '{}' from context {}", id,
                   component_to_string(removed->name), removed->context);
    core_->notify(removed->context, removed->name, false);
  }

  void watch(const CosNaming::Name& prefix,
             const std::shared_ptr<OrbExt::NameWatcher>& watcher) override {
    if (!watcher) {
      throw BAD_PARAM(minor::kNilReference, CompletionStatus::no, "watch: the watcher is nil");
    }
    ContextId target = existing_context();
    if (!prefix.empty()) {
      CosNaming::Name as_parent = prefix;
      as_parent.push_back({});  // walk() stops before the last component
      Parent parent = walk(as_parent);
      if (parent.remote) {
        parent.rest.pop_back();
        throw NamingContext::CannotProceed(parent.remote, parent.rest);
      }
      target = parent.local;
    }
    core_->watch(target, prefix, watcher);
  }

  void unwatch(const std::shared_ptr<OrbExt::NameWatcher>& watcher) override {
    core_->unwatch(watcher);
  }

 private:
  /// This context, or OBJECT_NOT_EXIST when it was destroyed meanwhile.
  ContextId existing_context() const {
    if (!core_->store().has_context(context_)) {
      throw OBJECT_NOT_EXIST(minor::kObjectNotFound, CompletionStatus::no,
                             "naming context " + std::to_string(context_) + " was destroyed");
    }
    return context_;
  }

  /// Walks every component of `n` but the last, from this context.
  Parent walk(const CosNaming::Name& n) {
    if (n.empty()) {
      throw NamingContext::InvalidName();
    }
    ContextId current = existing_context();
    for (size_t i = 0; i + 1 < n.size(); ++i) {
      std::optional<Entry> entry = core_->store().find(current, n[i]);
      if (!entry) {
        throw NamingContext::NotFound(NotFoundReason::missing_node, tail(n, i));
      }
      if (entry->type != CosNaming::BindingType::ncontext) {
        throw NamingContext::NotFound(NotFoundReason::not_context, tail(n, i));
      }
      if (!entry->local_context) {
        auto remote = NamingContext::_unchecked_narrow(entry->object);
        if (!remote) {
          throw NamingContext::CannotProceed(core_->context_ref(current), tail(n, i));
        }
        return Parent{current, std::move(remote), tail(n, i + 1)};
      }
      if (!core_->store().has_context(*entry->local_context)) {
        // Bound to a context that was destroyed since.
        throw NamingContext::CannotProceed(core_->context_ref(current), tail(n, i));
      }
      current = *entry->local_context;
    }
    return Parent{current, nullptr, {}};
  }

  Entry context_entry(const std::shared_ptr<NamingContext>& nc) const {
    if (!nc) {
      throw BAD_PARAM(minor::kNilReference, CompletionStatus::no,
                      "bind_context: the naming context is nil");
    }
    Entry entry{CosNaming::BindingType::ncontext, core_->local_context_of(nc), nc};
    if (entry.local_context) {
      entry.object = nullptr;
    }
    return entry;
  }

  /// Stores the last component of `n` in `context`, raising what CosNaming prescribes.
  LeaseId put(ContextId context, const CosNaming::Name& n, Entry entry, PutMode mode) {
    CosNaming::BindingType type = entry.type;
    PutResult result = core_->store().put(context, n.back(), std::move(entry), mode);
    switch (result.outcome) {
      case PutOutcome::already_bound:
        throw NamingContext::AlreadyBound();
      case PutOutcome::type_conflict:
        throw NamingContext::NotFound(type == CosNaming::BindingType::nobject
                                          ? NotFoundReason::not_object
                                          : NotFoundReason::not_context,
                                      tail(n, n.size() - 1));
      case PutOutcome::no_context:
        throw NamingContext::CannotProceed(core_->context_ref(context_), n);
      case PutOutcome::stored:
        break;
    }
    if (logger()->should_log(spdlog::level::debug)) {
      // Checked first because the argument is formatted before debug() tests the level.
      logger()->debug("context {}: bound '{}'", context, component_to_string(n.back()));
    }
    core_->notify(context, n.back(), true);
    return result.lease;
  }

  LeaseId leased_put(const CosNaming::Name& n, const ObjectRef& obj, uint32_t seconds,
                     PutMode mode) {
    check_lease_seconds(seconds);
    Parent parent = walk(n);
    if (parent.remote) {
      // A lease lives in the service that granted it, so the caller must go there itself.
      throw NamingContext::CannotProceed(parent.remote, parent.rest);
    }
    Entry entry{CosNaming::BindingType::nobject, std::nullopt, obj, 0, seconds};
    return put(parent.local, n, std::move(entry), mode);
  }

  std::shared_ptr<NamingCore> core_;
  ContextId context_;
};

class IteratorServant final : public CosNaming::BindingIteratorServant {
 public:
  IteratorServant(std::shared_ptr<NamingCore> core, std::string key,
                  std::vector<CosNaming::Binding> bindings)
      : core_(std::move(core)), key_(std::move(key)), bindings_(std::move(bindings)) {}

  bool next_one(CosNaming::Binding& b) override {
    std::lock_guard lock(mutex_);
    if (next_ == bindings_.size()) {
      b = CosNaming::Binding{};
      return false;
    }
    b = bindings_[next_++];
    return true;
  }

  bool next_n(uint32_t how_many, CosNaming::BindingList& bl) override {
    if (how_many == 0) {
      throw BAD_PARAM(minor::kBadCount, CompletionStatus::no,
                      "next_n: how_many must be at least 1");
    }
    std::lock_guard lock(mutex_);
    bl.clear();
    while (bl.size() < how_many && next_ < bindings_.size()) {
      bl.push_back(bindings_[next_++]);
    }
    return !bl.empty();
  }

  void destroy() override { core_->retire_iterator(key_); }

 private:
  std::shared_ptr<NamingCore> core_;
  std::string key_;
  std::mutex mutex_;  // guards next_
  std::vector<CosNaming::Binding> bindings_;
  size_t next_ = 0;
};

}  // namespace

std::shared_ptr<Servant> make_context_servant(std::shared_ptr<NamingCore> core, ContextId context) {
  return std::make_shared<ContextServant>(std::move(core), context);
}

std::shared_ptr<Servant> make_iterator_servant(std::shared_ptr<NamingCore> core, std::string key,
                                               std::vector<CosNaming::Binding> bindings) {
  return std::make_shared<IteratorServant>(std::move(core), std::move(key), std::move(bindings));
}

}  // namespace orb::naming
