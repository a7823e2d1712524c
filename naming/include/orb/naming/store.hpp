// NameStore: the state of a naming service (its contexts, their bindings
// and the leases on bindings) behind a narrow interface, so the servants
// stay the same whether the state lives in a local journal (JournalStore)
// or in a distributed engine such as etcd, whose transactions, leases and
// watches cover what this interface needs. Each mutating call is atomic
// and durable when it returns; name traversal and the CORBA exceptions are
// the servant's business, not the store's.
#pragma once

#include "CosNaming.hpp"

#include <orb/object.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace orb::naming {

/// Identifies a naming context of this service; the root is kRootContext.
using ContextId = uint64_t;
inline constexpr ContextId kRootContext = 0;

/// Identifies a leased binding; 0 means "no lease".
using LeaseId = uint64_t;

/// Maximum length of a lease: one day.
inline constexpr uint32_t kMaxLeaseSeconds = 86400;

/// Target of one name in a context.
struct Entry {
  CosNaming::BindingType type = CosNaming::BindingType::nobject;
  /// Set for a context of this service; `object` is then unused, since
  /// the service makes the reference from the id.
  std::optional<ContextId> local_context;
  /// The bound reference when `local_context` is not set; may be nil.
  ObjectRef object;
  LeaseId lease = 0;
  /// Length of the lease; 0 for a binding that never expires.
  uint32_t lease_seconds = 0;
};

struct NamedEntry {
  CosNaming::NameComponent name;
  Entry entry;
};

/// A binding that a lease expiry or cancellation removed.
struct RemovedBinding {
  ContextId context = kRootContext;
  CosNaming::NameComponent name;
  LeaseId lease = 0;
};

/// Whether put() may replace an existing binding: never (bind) or when it
/// has the same binding type (rebind, rebind_context).
enum class PutMode { bind, rebind };

enum class PutOutcome {
  stored,
  already_bound,  // PutMode::bind and the name is bound
  type_conflict,  // PutMode::rebind and the name is bound to the other binding type
  no_context,     // the context does not exist (it was destroyed)
};

struct PutResult {
  PutOutcome outcome = PutOutcome::stored;
  /// The new lease when the entry asked for one (lease_seconds > 0).
  LeaseId lease = 0;
};

enum class DestroyOutcome { destroyed, not_empty, no_context };

class NameStore {
 public:
  virtual ~NameStore() = default;

  /// Every existing context, the root first.
  virtual std::vector<ContextId> contexts() const = 0;
  virtual bool has_context(ContextId context) const = 0;
  /// The binding of `name` in `context`, if any.
  virtual std::optional<Entry> find(ContextId context,
                                    const CosNaming::NameComponent& name) const = 0;
  /// Every binding of `context`, ordered by id and then kind.
  virtual std::vector<NamedEntry> list(ContextId context) const = 0;

  /// Creates an empty context and returns its id, never one used before.
  virtual ContextId create_context() = 0;
  /// Removes an empty context. Bindings to it elsewhere stay, dangling, as
  /// CosNaming prescribes.
  virtual DestroyOutcome destroy_context(ContextId context) = 0;

  /// Binds `name` in `context`. The entry's `lease` is ignored: an entry
  /// with lease_seconds > 0 gets a new lease. A replaced binding loses
  /// its lease.
  virtual PutResult put(ContextId context, const CosNaming::NameComponent& name, Entry entry,
                        PutMode mode) = 0;
  /// Removes the binding and returns what it was bound to, if it existed.
  virtual std::optional<Entry> remove(ContextId context, const CosNaming::NameComponent& name) = 0;

  /// Restarts the lease's clock with `seconds`; false when it is unknown
  /// (expired, cancelled, or never granted).
  virtual bool renew(LeaseId lease, uint32_t seconds) = 0;
  /// Ends the lease and removes its binding; nothing when it is unknown.
  virtual std::optional<RemovedBinding> cancel(LeaseId lease) = 0;
  /// Removes every binding whose lease has run out and returns them.
  virtual std::vector<RemovedBinding> expire_leases() = 0;
};

}  // namespace orb::naming
