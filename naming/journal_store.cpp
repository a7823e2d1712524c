// JournalStore: the in-memory naming state, its journal records and the
// ordered group commit. A journal record is a byte-order octet followed by
// one or more changes; a change is a tag octet and the tag's fields in CDR.
#include <orb/naming/journal_store.hpp>

#include <orb/detail/log.hpp>
#include <orb/detail/orb_core.hpp>
#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <spdlog/spdlog.h>

#include <tuple>

namespace orb::naming {
namespace {

using Clock = std::chrono::steady_clock;

/// Change tags. Their numbers are on disk: never reuse or renumber one.
enum ChangeTag : uint8_t {
  kCreateContext = 1,   // ulonglong context
  kDestroyContext = 2,  // ulonglong context
  kBind = 3,            // ulonglong context, NameComponent, entry
  kUnbind = 4,          // ulonglong context, NameComponent
  kEndLease = 5,        // ulonglong lease (expired or cancelled)
  kLeaseSeconds = 6,    // ulonglong lease, ulong seconds
  kCounters = 7,        // ulonglong next context, ulonglong next lease (snapshots only)
};

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("naming");
  return instance;
}

void encode_entry(cdr::Encoder& encoder, const Entry& entry) {
  encoder.write_ulong(static_cast<uint32_t>(entry.type));
  encoder.write_boolean(entry.local_context.has_value());
  if (entry.local_context) {
    encoder.write_ulonglong(*entry.local_context);
  } else {
    cdr::encode(encoder, entry.object);
  }
  encoder.write_ulonglong(entry.lease);
  encoder.write_ulong(entry.lease_seconds);
}

Entry decode_entry(cdr::Decoder& decoder) {
  Entry entry;
  uint32_t type = decoder.read_ulong("binding type");
  if (type > static_cast<uint32_t>(CosNaming::BindingType::ncontext)) {
    decoder.fail(minor::kInvalidValue, "binding type", "value " + std::to_string(type));
  }
  entry.type = static_cast<CosNaming::BindingType>(type);
  if (decoder.read_boolean("local context flag")) {
    entry.local_context = decoder.read_ulonglong("local context");
  } else {
    cdr::decode_into(decoder, entry.object);
  }
  entry.lease = decoder.read_ulonglong("lease");
  entry.lease_seconds = decoder.read_ulong("lease seconds");
  return entry;
}

[[noreturn]] void raise_failed(const std::string& failure) {
  throw PERSIST_STORE(minor::kJournalIo, CompletionStatus::no,
                      "the naming journal failed earlier and accepts no changes: " + failure);
}

}  // namespace

bool JournalStore::ComponentLess::operator()(const CosNaming::NameComponent& a,
                                             const CosNaming::NameComponent& b) const noexcept {
  return std::tie(a.id, a.kind) < std::tie(b.id, b.kind);
}

JournalStore::JournalStore(JournalStoreOptions options, Orb& orb)
    : options_(std::move(options)), orb_(orb), journal_([this] {
        store::JournalOptions journal_options{options_.directory, options_.sync};
        journal_options.commit_delay = options_.commit_delay;
        return journal_options;
      }()) {
  contexts_[kRootContext];
}

JournalStore::~JournalStore() = default;

StoreRecovery JournalStore::recover() {
  std::lock_guard lock(mutex_);
  StoreRecovery recovery;
  recovery.journal =
      journal_.recover([this](std::span<const uint8_t> record) { apply_record(record); });
  recovery.contexts = contexts_.size();
  for (const auto& [id, bindings] : contexts_) {
    recovery.bindings += bindings.size();
  }
  recovery.leases = leases_.size();
  return recovery;
}

// ---- reading -------------------------------------------------------------

std::vector<ContextId> JournalStore::contexts() const {
  std::lock_guard lock(mutex_);
  std::vector<ContextId> ids;
  for (const auto& [id, bindings] : contexts_) {
    ids.push_back(id);
  }
  return ids;
}

bool JournalStore::has_context(ContextId context) const {
  std::lock_guard lock(mutex_);
  return contexts_.contains(context);
}

std::optional<Entry> JournalStore::find(ContextId context,
                                        const CosNaming::NameComponent& name) const {
  std::lock_guard lock(mutex_);
  auto bindings = contexts_.find(context);
  if (bindings == contexts_.end()) {
    return std::nullopt;
  }
  auto found = bindings->second.find(name);
  if (found == bindings->second.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::vector<NamedEntry> JournalStore::list(ContextId context) const {
  std::lock_guard lock(mutex_);
  std::vector<NamedEntry> entries;
  auto bindings = contexts_.find(context);
  if (bindings != contexts_.end()) {
    for (const auto& [name, entry] : bindings->second) {
      entries.push_back(NamedEntry{name, entry});
    }
  }
  return entries;
}

uint64_t JournalStore::generation() const {
  return journal_.generation();
}

uint64_t JournalStore::journal_bytes() const {
  return journal_.journal_bytes();
}

// ---- changing ------------------------------------------------------------

ContextId JournalStore::create_context() {
  std::unique_lock lock(mutex_);
  if (!failure_.empty()) {
    raise_failed(failure_);
  }
  ContextId id = next_context_;
  apply_context(id);
  begin_change(kCreateContext).write_ulonglong(id);
  commit(lock, end_change());
  return id;
}

DestroyOutcome JournalStore::destroy_context(ContextId context) {
  std::unique_lock lock(mutex_);
  if (!failure_.empty()) {
    raise_failed(failure_);
  }
  auto found = contexts_.find(context);
  if (found == contexts_.end()) {
    return DestroyOutcome::no_context;
  }
  if (!found->second.empty()) {
    return DestroyOutcome::not_empty;
  }
  apply_destroy(context);
  begin_change(kDestroyContext).write_ulonglong(context);
  commit(lock, end_change());
  return DestroyOutcome::destroyed;
}

PutResult JournalStore::put(ContextId context, const CosNaming::NameComponent& name, Entry entry,
                            PutMode mode) {
  std::unique_lock lock(mutex_);
  if (!failure_.empty()) {
    raise_failed(failure_);
  }
  auto bindings = contexts_.find(context);
  if (bindings == contexts_.end()) {
    return PutResult{PutOutcome::no_context, 0};
  }
  auto existing = bindings->second.find(name);
  if (existing != bindings->second.end()) {
    if (mode == PutMode::bind) {
      return PutResult{PutOutcome::already_bound, 0};
    }
    if (existing->second.type != entry.type) {
      return PutResult{PutOutcome::type_conflict, 0};
    }
  }
  entry.lease = entry.lease_seconds > 0 ? next_lease_ : 0;
  apply_bind(context, name, entry);
  cdr::Encoder& change = begin_change(kBind);
  change.write_ulonglong(context);
  cdr::encode(change, name);
  encode_entry(change, entry);
  commit(lock, end_change());
  return PutResult{PutOutcome::stored, entry.lease};
}

std::optional<Entry> JournalStore::remove(ContextId context, const CosNaming::NameComponent& name) {
  std::unique_lock lock(mutex_);
  if (!failure_.empty()) {
    raise_failed(failure_);
  }
  auto bindings = contexts_.find(context);
  if (bindings == contexts_.end()) {
    return std::nullopt;
  }
  auto found = bindings->second.find(name);
  if (found == bindings->second.end()) {
    return std::nullopt;
  }
  Entry removed = found->second;
  apply_remove(context, name);
  cdr::Encoder& change = begin_change(kUnbind);
  change.write_ulonglong(context);
  cdr::encode(change, name);
  commit(lock, end_change());
  return removed;
}

bool JournalStore::renew(LeaseId lease, uint32_t seconds) {
  std::unique_lock lock(mutex_);
  auto found = leases_.find(lease);
  if (found == leases_.end()) {
    return false;
  }
  found->second.expiry = Clock::now() + std::chrono::seconds(seconds);
  if (found->second.seconds == seconds) {
    return true;  // only lengths are journaled, so a plain renewal costs no write
  }
  if (!failure_.empty()) {
    raise_failed(failure_);
  }
  found->second.seconds = seconds;
  contexts_[found->second.context][found->second.name].lease_seconds = seconds;
  cdr::Encoder& change = begin_change(kLeaseSeconds);
  change.write_ulonglong(lease);
  change.write_ulong(seconds);
  commit(lock, end_change());
  return true;
}

std::optional<RemovedBinding> JournalStore::cancel(LeaseId lease) {
  std::unique_lock lock(mutex_);
  if (!failure_.empty()) {
    raise_failed(failure_);
  }
  std::optional<RemovedBinding> removed = end_lease(lease);
  if (removed) {
    commit(lock, pending_sequence_);
  }
  return removed;
}

std::vector<RemovedBinding> JournalStore::expire_leases() {
  std::unique_lock lock(mutex_);
  if (!failure_.empty()) {
    return {};  // the journal cannot record the expiry; the bindings stay until restart
  }
  Clock::time_point now = Clock::now();
  std::vector<LeaseId> due;
  for (const auto& [id, lease] : leases_) {
    if (lease.expiry <= now) {
      due.push_back(id);
    }
  }
  std::vector<RemovedBinding> removed;
  for (LeaseId id : due) {
    removed.push_back(*end_lease(id));
  }
  if (!removed.empty()) {
    commit(lock, pending_sequence_);
  }
  return removed;
}

std::optional<RemovedBinding> JournalStore::end_lease(LeaseId lease) {
  auto found = leases_.find(lease);
  if (found == leases_.end()) {
    return std::nullopt;
  }
  RemovedBinding removed{found->second.context, found->second.name, lease};
  apply_remove(removed.context, removed.name);
  begin_change(kEndLease).write_ulonglong(lease);
  end_change();
  return removed;
}

// ---- applying changes ----------------------------------------------------

void JournalStore::apply_context(ContextId context) {
  contexts_[context];
  next_context_ = std::max(next_context_, context + 1);
}

void JournalStore::apply_destroy(ContextId context) {
  contexts_.erase(context);
}

void JournalStore::apply_bind(ContextId context, const CosNaming::NameComponent& name,
                              const Entry& entry) {
  Bindings& bindings = contexts_[context];
  auto existing = bindings.find(name);
  if (existing != bindings.end() && existing->second.lease != 0) {
    leases_.erase(existing->second.lease);
  }
  bindings[name] = entry;
  if (entry.lease != 0) {
    leases_[entry.lease] = LeaseState{context, name, entry.lease_seconds,
                                      Clock::now() + std::chrono::seconds(entry.lease_seconds)};
    next_lease_ = std::max(next_lease_, entry.lease + 1);
  }
}

void JournalStore::apply_remove(ContextId context, const CosNaming::NameComponent& name) {
  auto bindings = contexts_.find(context);
  if (bindings == contexts_.end()) {
    return;
  }
  auto found = bindings->second.find(name);
  if (found == bindings->second.end()) {
    return;
  }
  if (found->second.lease != 0) {
    leases_.erase(found->second.lease);
  }
  bindings->second.erase(found);
}

void JournalStore::apply_record(std::span<const uint8_t> record) {
  cdr::Decoder decoder(record, cdr::ByteOrder::big_endian);
  decoder.set_context(&orb_.core());
  uint8_t order = decoder.read_octet("record byte order");
  if (order > 1) {
    decoder.fail(minor::kInvalidValue, "record byte order", "value " + std::to_string(order));
  }
  decoder.set_byte_order(static_cast<cdr::ByteOrder>(order));
  while (!decoder.at_end()) {
    apply_change(decoder);
  }
}

void JournalStore::apply_change(cdr::Decoder& decoder) {
  uint8_t tag = decoder.read_octet("change tag");
  switch (tag) {
    case kCreateContext:
      apply_context(decoder.read_ulonglong("context"));
      return;
    case kDestroyContext:
      apply_destroy(decoder.read_ulonglong("context"));
      return;
    case kBind: {
      ContextId context = decoder.read_ulonglong("context");
      auto name = cdr::decode<CosNaming::NameComponent>(decoder);
      apply_bind(context, name, decode_entry(decoder));
      return;
    }
    case kUnbind: {
      ContextId context = decoder.read_ulonglong("context");
      apply_remove(context, cdr::decode<CosNaming::NameComponent>(decoder));
      return;
    }
    case kEndLease: {
      auto lease = leases_.find(decoder.read_ulonglong("lease"));
      if (lease != leases_.end()) {
        apply_remove(lease->second.context, CosNaming::NameComponent(lease->second.name));
      }
      return;
    }
    case kLeaseSeconds: {
      LeaseId id = decoder.read_ulonglong("lease");
      uint32_t seconds = decoder.read_ulong("lease seconds");
      auto lease = leases_.find(id);
      if (lease != leases_.end()) {
        lease->second.seconds = seconds;
        lease->second.expiry = Clock::now() + std::chrono::seconds(seconds);
        contexts_[lease->second.context][lease->second.name].lease_seconds = seconds;
      }
      return;
    }
    case kCounters:
      next_context_ = std::max(next_context_, decoder.read_ulonglong("next context"));
      next_lease_ = std::max(next_lease_, decoder.read_ulonglong("next lease"));
      return;
    default:
      decoder.fail(minor::kInvalidValue, "change tag", "unknown tag " + std::to_string(tag));
  }
}

// ---- committing ----------------------------------------------------------

cdr::Encoder& JournalStore::begin_change(uint8_t tag) {
  if (pending_.size() == 0) {
    pending_.write_octet(static_cast<uint8_t>(cdr::kNativeByteOrder));
  }
  pending_.write_octet(tag);
  return pending_;
}

uint64_t JournalStore::end_change() {
  return ++pending_sequence_;
}

void JournalStore::commit(std::unique_lock<std::mutex>& lock, uint64_t sequence) {
  while (durable_sequence_ < sequence) {
    if (!failure_.empty()) {
      raise_failed(failure_);
    }
    if (writing_) {
      committed_.wait(lock);
      continue;
    }
    // This caller writes every queued change, its own among them, as one record.
    writing_ = true;
    std::vector<uint8_t> batch = pending_.take_bytes();
    pending_ = cdr::Encoder();
    uint64_t last = pending_sequence_;
    lock.unlock();
    std::string error;
    try {
      journal_.append(batch);
    } catch (const SystemException& failure) {
      error = failure.message();
    }
    lock.lock();
    writing_ = false;
    if (error.empty()) {
      durable_sequence_ = last;
    } else {
      // Memory now contains changes the disk lacks, and accepting more would widen the gap.
      failure_ = error;
      logger()->error("naming journal append failed, refusing further changes: {}", error);
    }
    committed_.notify_all();
  }
  compact_if_due();
}

void JournalStore::compact_if_due() {
  if (writing_ || pending_.size() != 0 || journal_.journal_bytes() <= options_.compact_bytes) {
    return;
  }
  try {
    journal_.compact([this](const store::RecordSink& emit) { write_snapshot(emit); });
  } catch (const SystemException& error) {
    // Journal::compact() switches generations only after the snapshot is durable, so the
    // old generation is still complete. The next commit tries again.
    logger()->error("naming journal compaction failed: {}", error.what());
  }
}

void JournalStore::write_snapshot(const store::RecordSink& emit) const {
  auto emit_change = [&emit](uint8_t tag, auto&& write_fields) {
    cdr::Encoder record;
    record.write_octet(static_cast<uint8_t>(cdr::kNativeByteOrder));
    record.write_octet(tag);
    write_fields(record);
    emit(record.bytes());
  };
  emit_change(kCounters, [this](cdr::Encoder& e) {
    e.write_ulonglong(next_context_);
    e.write_ulonglong(next_lease_);
  });
  for (const auto& [id, bindings] : contexts_) {
    if (id != kRootContext) {
      emit_change(kCreateContext, [id = id](cdr::Encoder& e) { e.write_ulonglong(id); });
    }
  }
  for (const auto& [id, bindings] : contexts_) {
    for (const auto& [name, entry] : bindings) {
      emit_change(kBind, [&, id = id](cdr::Encoder& e) {
        e.write_ulonglong(id);
        cdr::encode(e, name);
        encode_entry(e, entry);
      });
    }
  }
}

}  // namespace orb::naming
