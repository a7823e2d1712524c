// Engine operations: matching, handing tuples to waiting readers and
// takers, leases and their expiry, transactions and reservations. The
// journal side (records, recovery, compaction) is in engine_journal.cpp.
#include "engine_state.hpp"

#include <spdlog/spdlog.h>
#include <orb/detail/adaptive_mutex.hpp>
#include <orb/detail/log.hpp>

#include <algorithm>

namespace orb::space {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("space");
  return instance;
}

/// Waits longer than this are treated as forever, which keeps deadline
/// arithmetic far from overflow.
constexpr Millis kLongestWait = std::chrono::hours(24 * 365 * 100);

StoredTuple stored(LeaseId id, uint64_t expiry_ms, Tuple tuple) {
  StoredTuple item;
  item.id = id;
  item.expiry_ms = expiry_ms;
  item.t = std::move(tuple);
  return item;
}

Record change_record(std::vector<LeaseId> removed, std::vector<StoredTuple> added) {
  ::OrbSpaceStore::Change change;
  change.removed = std::move(removed);
  change.added = std::move(added);
  Record record;
  record.step(std::move(change));
  return record;
}

}  // namespace

Millis from_wire(uint64_t milliseconds) noexcept {
  if (milliseconds == ::OrbSpace::kForever ||
      milliseconds >= static_cast<uint64_t>(kLongestWait.count())) {
    return kForever;
  }
  return Millis(static_cast<Millis::rep>(milliseconds));
}

uint64_t to_wire(Millis duration) noexcept {
  if (duration == kForever) {
    return ::OrbSpace::kForever;
  }
  return duration.count() < 0 ? 0 : static_cast<uint64_t>(duration.count());
}

void deliver(Notices& notices) noexcept {
  for (auto& [registration, tuple] : notices) {
    try {
      registration->callback(tuple);
    } catch (const std::exception& error) {
      logger()->warn("notify callback failed: {}", error.what());
    }
  }
}

// ---------------------------------------------------------------------------
// State: time, ids, matching

Engine::State::State(EngineOptions engine_options) : options(std::move(engine_options)) {
  orb::detail::make_adaptive(mutex);
}

uint64_t Engine::State::now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

uint64_t Engine::State::expiry_after(Millis lease, const char* what) {
  if (lease.count() <= 0) {
    throw ::OrbSpace::InvalidArgument(std::string(what) + ": invalid lease of " +
                                      std::to_string(lease.count()) +
                                      " ms, the shortest lease is 1 ms");
  }
  if (lease >= kLongestWait) {
    return kNever;
  }
  return now_ms() + static_cast<uint64_t>(lease.count());
}

LeaseId Engine::State::allocate_id() {
  return next_id++;
}

void Engine::State::push_deadline(uint64_t expiry_ms, LeaseId id) {
  if (expiry_ms == kNever) {
    return;
  }
  bool earliest = deadlines.empty() || expiry_ms < deadlines.top().first;
  deadlines.emplace(expiry_ms, id);
  if (earliest) {
    deadlines_changed.notify_one();
  }
}

Entry* Engine::State::find_visible(const Template& tmpl) {
  uint64_t now = now_ms();
  Entry* found = nullptr;
  std::vector<Entry*> expired;
  index.for_each_match(tmpl, [&](Entry& entry) {
    if (entry.expiry_ms <= now) {
      expired.push_back(&entry);
      return true;
    }
    found = &entry;
    return false;
  });
  for (Entry* entry : expired) {
    index.erase(*entry);
    entries.erase(entry->id);
  }
  return found;
}

/// Gives a visible or newly visible entry to `request`, changing its state
/// by the kind of request. The entry must not be in the index.
void Engine::State::claim(Entry& entry, Waiter& request) {
  switch (request.kind) {
    case Waiter::Kind::read:
      request.tuple = entry.tuple;
      return;
    case Waiter::Kind::take:
      if (request.txn == 0) {
        entry.state = Entry::State::handed;
        request.id = entry.id;
      } else {
        entry.state = Entry::State::txn_taken;
        transactions.at(request.txn).taken.push_back(entry.id);
        request.tuple = entry.tuple;
      }
      return;
    case Waiter::Kind::reserve: {
      entry.state = Entry::State::reserved;
      ReservationId id = allocate_id();
      uint64_t expiry = expiry_after(request.reservation, "take_leased");
      reservations[id] = Reservation{entry.id, expiry};
      push_deadline(expiry, id);
      request.reservation_id = id;
      request.tuple = entry.tuple;
      return;
    }
  }
}

/// Offers an entry that is about to become visible to the waiters, oldest
/// first: every matching reader gets a copy, the first matching taker gets
/// the entry. Returns true when a taker got it.
bool Engine::State::hand_over(Entry& entry) {
  for (auto it = waiters.begin(); it != waiters.end();) {
    Waiter& waiter = **it;
    if (!matches(*waiter.tmpl, entry.tuple)) {
      ++it;
      continue;
    }
    claim(entry, waiter);
    waiter.done = true;
    waiter.ready.notify_one();
    it = waiters.erase(it);
    if (waiter.kind != Waiter::Kind::read) {
      return true;
    }
  }
  return false;
}

/// Claims the first waiter that `tuple` would go to when it is a plain
/// take. The write then journals the tuple as added and removed in one
/// record, and the taker replies after that record's sync with no record of
/// its own. Any other first match (a reader, a transaction, a reservation)
/// gets the tuple once it is visible, as before. Returns null when no
/// waiter is claimed.
Waiter* Engine::State::give_early(const Tuple& tuple) {
  for (auto it = waiters.begin(); it != waiters.end(); ++it) {
    Waiter& waiter = **it;
    if (!matches(*waiter.tmpl, tuple)) {
      continue;
    }
    if (waiter.kind != Waiter::Kind::take || waiter.txn != 0) {
      return nullptr;
    }
    waiters.erase(it);
    waiter.done = true;
    waiter.journaling = true;
    waiter.taken_by_write = true;
    return &waiter;
  }
  return nullptr;
}

/// Completes a give_early() once the write's record is stored. A tuple
/// whose lease ended meanwhile is dropped, as make_visible() drops it, and
/// the taker waits on.
void Engine::State::settle_early(Waiter& taker, StoredTuple& item) {
  if (item.expiry_ms <= now_ms()) {
    requeue(taker);
    return;
  }
  taker.id = item.id;
  taker.expiry_ms = item.expiry_ms;
  taker.tuple = std::move(item.t);
  taker.journaling = false;
  taker.ready.notify_one();
}

/// Undoes a give_early(): the taker waits again, first in the queue, where
/// its arrival put it before anyone still queued.
void Engine::State::requeue(Waiter& taker) {
  taker.done = false;
  taker.journaling = false;
  taker.taken_by_write = false;
  if (waits_stopped) {
    taker.cancelled = true;
  } else {
    taker.position = waiters.insert(waiters.begin(), &taker);
  }
  taker.ready.notify_one();
}

void Engine::State::make_visible(Entry& entry) {
  if (entry.expiry_ms <= now_ms()) {
    entries.erase(entry.id);
    return;
  }
  if (hand_over(entry)) {
    return;
  }
  entry.state = Entry::State::visible;
  index.insert(entry);
  push_deadline(entry.expiry_ms, entry.id);
}

/// Serves a transactional request from the transaction's own writes.
bool Engine::State::serve_from_pending(Transaction& txn, Waiter& request) {
  uint64_t now = now_ms();
  for (auto it = txn.writes.begin(); it != txn.writes.end(); ++it) {
    if (it->expiry_ms <= now || !matches(*request.tmpl, it->t)) {
      continue;
    }
    request.tuple = it->t;
    if (request.kind == Waiter::Kind::take) {
      txn.writes.erase(it);
    }
    return true;
  }
  return false;
}

/// Queues `request` and waits up to `timeout` for a match; false on
/// timeout or when the engine stops. Raises UnknownLease when the
/// request's transaction ends meanwhile.
bool Engine::State::wait(std::unique_lock<std::mutex>& lock, Waiter& request, Millis timeout) {
  if (timeout.count() <= 0 || waits_stopped) {
    return false;
  }
  request.position = waiters.insert(waiters.end(), &request);
  bool forever = timeout >= kLongestWait;
  auto deadline = std::chrono::steady_clock::now() + (forever ? Millis(0) : timeout);
  // A tuple given early counts as taken in time even when its record is
  // stored after the deadline.
  while ((!request.done || request.journaling) && !request.cancelled) {
    if (forever || request.done) {
      request.ready.wait(lock);
    } else if (request.ready.wait_until(lock, deadline) == std::cv_status::timeout &&
               !request.done && !request.cancelled) {
      waiters.erase(request.position);
      return false;
    }
  }
  if (request.cancelled && request.txn != 0 && !waits_stopped) {
    throw ::OrbSpace::UnknownLease(request.txn);
  }
  return request.done;
}

void Engine::State::cancel_waiters(TransactionId txn) {
  for (auto it = waiters.begin(); it != waiters.end();) {
    Waiter& waiter = **it;
    if (waiter.txn != txn) {
      ++it;
      continue;
    }
    waiter.cancelled = true;
    waiter.ready.notify_one();
    it = waiters.erase(it);
  }
}

Transaction& Engine::State::transaction(TransactionId txn) {
  auto found = transactions.find(txn);
  if (found == transactions.end() || found->second.expiry_ms <= now_ms()) {
    throw ::OrbSpace::UnknownLease(txn);
  }
  return found->second;
}

/// Puts entries that a transaction or reservation held back into the space.
void Engine::State::return_taken(const std::vector<LeaseId>& ids) {
  for (LeaseId id : ids) {
    auto found = entries.find(id);
    if (found != entries.end()) {
      make_visible(found->second);
    }
  }
}

void Engine::State::collect_notices(const Tuple& tuple, Notices& notices) {
  uint64_t now = now_ms();
  for (auto& [id, registration] : registrations) {
    if (registration->expiry_ms > now && matches(registration->tmpl, tuple)) {
      notices.emplace_back(registration, tuple);
    }
  }
}

// ---------------------------------------------------------------------------
// State: lease expiry

/// Ends whatever `id` names if its lease has run out; stale deadlines of
/// renewed or finished leases find nothing to do.
void Engine::State::expire(LeaseId id) {
  uint64_t now = now_ms();
  if (auto entry = entries.find(id); entry != entries.end()) {
    // Only visible tuples expire here; a held one is checked when it returns.
    if (entry->second.state == Entry::State::visible && entry->second.expiry_ms <= now) {
      index.erase(entry->second);
      entries.erase(entry);
    }
  } else if (auto registration = registrations.find(id); registration != registrations.end()) {
    if (registration->second->expiry_ms <= now) {
      registrations.erase(registration);
    }
  } else if (auto txn = transactions.find(id); txn != transactions.end()) {
    if (txn->second.expiry_ms <= now) {
      logger()->debug("transaction {} expired; aborting it", id);
      std::vector<LeaseId> taken = std::move(txn->second.taken);
      transactions.erase(txn);
      cancel_waiters(id);
      return_taken(taken);
    }
  } else if (auto reservation = reservations.find(id); reservation != reservations.end()) {
    if (reservation->second.expiry_ms <= now) {
      LeaseId entry_id = reservation->second.entry;
      reservations.erase(reservation);
      return_taken({entry_id});
    }
  }
}

void Engine::State::sweep() {
  std::unique_lock lock(mutex);
  while (!stopping) {
    if (deadlines.empty()) {
      deadlines_changed.wait(lock);
      continue;
    }
    auto [expiry_ms, id] = deadlines.top();
    uint64_t now = now_ms();
    if (expiry_ms <= now) {
      deadlines.pop();
      expire(id);
      continue;
    }
    // An expiry read from a journal may lie beyond what a system_clock
    // time point can hold (year 2262); waking again later is harmless.
    uint64_t until_ms = std::min(expiry_ms, now + static_cast<uint64_t>(kLongestWait.count()));
    auto when = std::chrono::system_clock::time_point(Millis(static_cast<Millis::rep>(until_ms)));
    deadlines_changed.wait_until(lock, when);
  }
}

// ---------------------------------------------------------------------------
// Engine

Engine::Engine(EngineOptions options) : state_(std::make_unique<State>(std::move(options))) {
  if (!state_->options.data_directory.empty()) {
    state_->recover();
  }
  state_->sweeper = std::thread([state = state_.get()] { state->sweep(); });
}

Engine::~Engine() {
  stop_waiting();
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    state_->deadlines_changed.notify_one();
  }
  state_->sweeper.join();
}

void Engine::stop_waiting() {
  std::lock_guard lock(state_->mutex);
  state_->waits_stopped = true;
  for (Waiter* waiter : state_->waiters) {
    waiter->cancelled = true;
    waiter->ready.notify_one();
  }
  state_->waiters.clear();
}

LeaseId Engine::write(Tuple tuple, Millis lease) {
  std::vector<Tuple> tuples;
  tuples.push_back(std::move(tuple));
  return write_all(std::move(tuples), lease).front();
}

std::vector<LeaseId> Engine::write_all(std::vector<Tuple> tuples, Millis lease) {
  uint64_t expiry = State::expiry_after(lease, "write");
  std::vector<LeaseId> ids;
  Notices notices;
  {
    std::shared_lock gate(state_->gate);
    std::vector<StoredTuple> added;
    std::vector<LeaseId> handed_ids;
    std::vector<Waiter*> takers(tuples.size(), nullptr);  // by position, from give_early()
    {
      std::lock_guard lock(state_->mutex);
      // Once one tuple goes the usual way, the later ones follow it, so
      // that the tuples reach the waiters in the order written.
      bool early = true;
      for (size_t i = 0; i < tuples.size(); ++i) {
        ids.push_back(state_->allocate_id());
        takers[i] = early ? state_->give_early(tuples[i]) : nullptr;
        early = takers[i] != nullptr;
        if (takers[i] != nullptr) {
          handed_ids.push_back(ids.back());
        }
        added.push_back(stored(ids.back(), expiry, std::move(tuples[i])));
      }
    }
    Record record = change_record(std::move(handed_ids), std::move(added));
    try {
      state_->append(record);
    } catch (...) {
      // The write did not happen; the takers it served wait on, in order.
      std::lock_guard lock(state_->mutex);
      for (auto taker = takers.rbegin(); taker != takers.rend(); ++taker) {
        if (*taker != nullptr) {
          state_->requeue(**taker);
        }
      }
      throw;
    }
    std::lock_guard lock(state_->mutex);
    std::vector<StoredTuple>& items = record.step().added;
    for (size_t i = 0; i < takers.size() && takers[i] != nullptr; ++i) {
      state_->collect_notices(items[i].t, notices);
    }
    // Backwards, so that takers put back in the queue keep their order.
    for (size_t i = takers.size(); i-- > 0;) {
      if (takers[i] != nullptr) {
        state_->settle_early(*takers[i], items[i]);
      }
    }
    for (size_t i = 0; i < takers.size(); ++i) {
      if (takers[i] != nullptr) {
        continue;
      }
      StoredTuple& item = items[i];
      Entry& entry = state_->entries[item.id];
      entry.id = item.id;
      entry.expiry_ms = item.expiry_ms;
      entry.tuple = std::move(item.t);
      state_->collect_notices(entry.tuple, notices);
      state_->make_visible(entry);
    }
  }
  deliver(notices);
  state_->maybe_compact();
  return ids;
}

std::optional<Tuple> Engine::read(const Template& tmpl, Millis timeout) {
  std::unique_lock lock(state_->mutex);
  if (Entry* entry = state_->find_visible(tmpl)) {
    return entry->tuple;
  }
  Waiter request;
  request.tmpl = &tmpl;
  if (!state_->wait(lock, request, timeout)) {
    return std::nullopt;
  }
  return std::move(request.tuple);
}

std::optional<TakenTuple> Engine::take(const Template& tmpl, Millis timeout) {
  std::vector<TakenTuple> taken = take_up_to(tmpl, 1, timeout);
  if (taken.empty()) {
    return std::nullopt;
  }
  return std::move(taken.front());
}

std::vector<TakenTuple> Engine::take_up_to(const Template& tmpl, size_t max_tuples,
                                           Millis timeout) {
  std::vector<LeaseId> ids;
  std::optional<TakenTuple> from_write;  // already journaled as taken
  {
    std::unique_lock lock(state_->mutex);
    Waiter request;
    request.tmpl = &tmpl;
    request.kind = Waiter::Kind::take;
    auto claim_more = [&] {
      while (ids.size() + (from_write ? 1 : 0) < max_tuples) {
        Entry* entry = state_->find_visible(tmpl);
        if (entry == nullptr) {
          return;
        }
        state_->index.erase(*entry);
        state_->claim(*entry, request);
        ids.push_back(request.id);
      }
    };
    claim_more();
    if (ids.empty() && max_tuples > 0) {
      if (!state_->wait(lock, request, timeout)) {
        return {};
      }
      if (request.taken_by_write) {
        from_write = TakenTuple{request.id, request.expiry_ms, std::move(request.tuple)};
      } else {
        ids.push_back(request.id);
      }
      claim_more();
    }
  }
  std::vector<TakenTuple> taken;
  if (from_write) {
    taken.push_back(std::move(*from_write));
  }
  if (ids.empty()) {
    return taken;
  }
  std::shared_lock gate(state_->gate);
  try {
    state_->remove_durably(ids);
  } catch (...) {
    // remove_durably() put `ids` back; a tuple given by a write is taken.
    if (!taken.empty()) {
      return taken;
    }
    throw;
  }
  std::lock_guard lock(state_->mutex);
  for (LeaseId id : ids) {
    auto found = state_->entries.find(id);
    taken.push_back({id, found->second.expiry_ms, std::move(found->second.tuple)});
    state_->entries.erase(found);
  }
  return taken;
}

void Engine::restore(std::vector<TakenTuple> taken) {
  {
    std::shared_lock gate(state_->gate);
    std::vector<StoredTuple> added;
    for (TakenTuple& item : taken) {
      added.push_back(stored(item.id, item.expiry_ms, std::move(item.tuple)));
    }
    Record record = change_record({}, std::move(added));
    state_->append(record);
    std::lock_guard lock(state_->mutex);
    for (StoredTuple& item : record.step().added) {
      if (state_->entries.contains(item.id)) {
        continue;  // restored already: the tuple is in the space
      }
      Entry& entry = state_->entries[item.id];
      entry.id = item.id;
      entry.expiry_ms = item.expiry_ms;
      entry.tuple = std::move(item.t);
      state_->make_visible(entry);
    }
  }
  state_->maybe_compact();
}

uint64_t Engine::count(const Template& tmpl) {
  std::lock_guard lock(state_->mutex);
  uint64_t now = State::now_ms();
  uint64_t matching = 0;
  state_->index.for_each_match(tmpl, [&](Entry& entry) {
    matching += entry.expiry_ms > now ? 1 : 0;
    return true;
  });
  return matching;
}

std::vector<Tuple> Engine::contents(size_t max_tuples) {
  std::lock_guard lock(state_->mutex);
  uint64_t now = State::now_ms();
  std::vector<const Entry*> visible;
  for (const auto& [id, entry] : state_->entries) {
    if (entry.state == Entry::State::visible && entry.expiry_ms > now) {
      visible.push_back(&entry);
    }
  }
  std::sort(visible.begin(), visible.end(),
            [](const Entry* a, const Entry* b) { return a->id < b->id; });
  std::vector<Tuple> tuples;
  for (size_t i = 0; i < visible.size() && i < max_tuples; ++i) {
    tuples.push_back(visible[i]->tuple);
  }
  return tuples;
}

void Engine::renew(LeaseId id, Millis lease) {
  uint64_t expiry = State::expiry_after(lease, "renew");
  std::shared_lock gate(state_->gate);
  std::unique_lock lock(state_->mutex);
  uint64_t now = State::now_ms();
  if (auto entry = state_->entries.find(id); entry != state_->entries.end()) {
    if (entry->second.expiry_ms <= now || entry->second.state == Entry::State::handed) {
      throw ::OrbSpace::UnknownLease(id);
    }
    lock.unlock();
    ::OrbSpaceStore::Renewal renewal;
    renewal.id = id;
    renewal.expiry_ms = expiry;
    Record record;
    record.extension(renewal);
    state_->append(record);
    lock.lock();
    if (entry = state_->entries.find(id); entry != state_->entries.end()) {
      entry->second.expiry_ms = expiry;
      state_->push_deadline(expiry, id);
    }
    return;
  }
  uint64_t* current = nullptr;
  if (auto found = state_->registrations.find(id); found != state_->registrations.end()) {
    current = &found->second->expiry_ms;
  } else if (auto txn = state_->transactions.find(id); txn != state_->transactions.end()) {
    current = &txn->second.expiry_ms;
  } else if (auto held = state_->reservations.find(id); held != state_->reservations.end()) {
    current = &held->second.expiry_ms;
  }
  if (current == nullptr || *current <= now) {
    throw ::OrbSpace::UnknownLease(id);
  }
  *current = expiry;
  state_->push_deadline(expiry, id);
}

void Engine::cancel(LeaseId id) {
  {
    std::unique_lock lock(state_->mutex);
    if (state_->registrations.erase(id) > 0) {
      return;
    }
    if (state_->transactions.contains(id)) {
      lock.unlock();
      abort(id);
      return;
    }
    if (auto held = state_->reservations.find(id); held != state_->reservations.end()) {
      LeaseId entry = held->second.entry;
      state_->reservations.erase(held);
      state_->return_taken({entry});
      return;
    }
    auto entry = state_->entries.find(id);
    if (entry == state_->entries.end() || entry->second.state != Entry::State::visible ||
        entry->second.expiry_ms <= State::now_ms()) {
      throw ::OrbSpace::UnknownLease(id);
    }
    state_->index.erase(entry->second);
    entry->second.state = Entry::State::handed;
  }
  std::shared_lock gate(state_->gate);
  state_->remove_durably({id});
  std::lock_guard lock(state_->mutex);
  state_->entries.erase(id);
}

LeaseId Engine::notify(Template tmpl, NotifyCallback callback, Millis lease) {
  uint64_t expiry = State::expiry_after(lease, "notify");
  auto registration = std::make_shared<Registration>();
  registration->tmpl = std::move(tmpl);
  registration->callback = std::move(callback);
  registration->expiry_ms = expiry;
  std::lock_guard lock(state_->mutex);
  LeaseId id = state_->allocate_id();
  state_->registrations.emplace(id, std::move(registration));
  state_->push_deadline(expiry, id);
  return id;
}

TransactionId Engine::begin(Millis lease) {
  uint64_t expiry = State::expiry_after(lease, "begin");
  std::lock_guard lock(state_->mutex);
  TransactionId id = state_->allocate_id();
  state_->transactions[id].expiry_ms = expiry;
  state_->push_deadline(expiry, id);
  return id;
}

LeaseId Engine::txn_write(TransactionId txn, Tuple tuple, Millis lease) {
  uint64_t expiry = State::expiry_after(lease, "txn_write");
  std::lock_guard lock(state_->mutex);
  Transaction& transaction = state_->transaction(txn);
  LeaseId id = state_->allocate_id();
  StoredTuple item = stored(id, expiry, std::move(tuple));
  // Blocked requests of the same transaction see its writes at once.
  for (auto it = state_->waiters.begin(); it != state_->waiters.end();) {
    Waiter& waiter = **it;
    if (waiter.txn != txn || !matches(*waiter.tmpl, item.t)) {
      ++it;
      continue;
    }
    waiter.tuple = item.t;
    waiter.done = true;
    waiter.ready.notify_one();
    it = state_->waiters.erase(it);
    if (waiter.kind == Waiter::Kind::take) {
      return id;
    }
  }
  transaction.writes.push_back(std::move(item));
  return id;
}

std::optional<Tuple> Engine::txn_read(TransactionId txn, const Template& tmpl, Millis timeout) {
  std::unique_lock lock(state_->mutex);
  Waiter request;
  request.tmpl = &tmpl;
  request.txn = txn;
  if (state_->serve_from_pending(state_->transaction(txn), request)) {
    return std::move(request.tuple);
  }
  if (Entry* entry = state_->find_visible(tmpl)) {
    return entry->tuple;
  }
  if (!state_->wait(lock, request, timeout)) {
    return std::nullopt;
  }
  return std::move(request.tuple);
}

std::optional<Tuple> Engine::txn_take(TransactionId txn, const Template& tmpl, Millis timeout) {
  std::unique_lock lock(state_->mutex);
  Waiter request;
  request.tmpl = &tmpl;
  request.kind = Waiter::Kind::take;
  request.txn = txn;
  if (state_->serve_from_pending(state_->transaction(txn), request)) {
    return std::move(request.tuple);
  }
  if (Entry* entry = state_->find_visible(tmpl)) {
    state_->index.erase(*entry);
    state_->claim(*entry, request);
    return std::move(request.tuple);
  }
  if (!state_->wait(lock, request, timeout)) {
    return std::nullopt;
  }
  return std::move(request.tuple);
}

void Engine::commit(TransactionId txn) {
  Notices notices;
  {
    std::shared_lock gate(state_->gate);
    Transaction transaction;
    {
      std::lock_guard lock(state_->mutex);
      transaction = std::move(state_->transaction(txn));
      state_->transactions.erase(txn);
      state_->cancel_waiters(txn);
    }
    uint64_t now = State::now_ms();
    std::erase_if(transaction.writes,
                  [now](const StoredTuple& item) { return item.expiry_ms <= now; });
    Record record = change_record(transaction.taken, std::move(transaction.writes));
    try {
      state_->append(record);
    } catch (...) {
      std::lock_guard lock(state_->mutex);
      state_->return_taken(transaction.taken);
      throw;
    }
    std::lock_guard lock(state_->mutex);
    for (LeaseId id : transaction.taken) {
      state_->entries.erase(id);
    }
    for (StoredTuple& item : record.step().added) {
      Entry& entry = state_->entries[item.id];
      entry.id = item.id;
      entry.expiry_ms = item.expiry_ms;
      entry.tuple = std::move(item.t);
      state_->collect_notices(entry.tuple, notices);
      state_->make_visible(entry);
    }
  }
  deliver(notices);
  state_->maybe_compact();
}

void Engine::abort(TransactionId txn) {
  std::lock_guard lock(state_->mutex);
  std::vector<LeaseId> taken = std::move(state_->transaction(txn).taken);
  state_->transactions.erase(txn);
  state_->cancel_waiters(txn);
  state_->return_taken(taken);
}

std::optional<std::pair<Tuple, ReservationId>> Engine::take_leased(const Template& tmpl,
                                                                   Millis timeout,
                                                                   Millis reservation) {
  State::expiry_after(reservation, "take_leased");  // rejects 0 ms before anything is taken
  std::unique_lock lock(state_->mutex);
  Waiter request;
  request.tmpl = &tmpl;
  request.kind = Waiter::Kind::reserve;
  request.reservation = reservation;
  if (Entry* entry = state_->find_visible(tmpl)) {
    state_->index.erase(*entry);
    state_->claim(*entry, request);
  } else if (!state_->wait(lock, request, timeout)) {
    return std::nullopt;
  }
  return std::make_pair(std::move(request.tuple), request.reservation_id);
}

void Engine::acknowledge(ReservationId reservation) {
  std::shared_lock gate(state_->gate);
  LeaseId entry = 0;
  {
    std::lock_guard lock(state_->mutex);
    auto held = state_->reservations.find(reservation);
    if (held == state_->reservations.end() || held->second.expiry_ms <= State::now_ms()) {
      throw ::OrbSpace::UnknownLease(reservation);
    }
    entry = held->second.entry;
    state_->reservations.erase(held);
    state_->entries.at(entry).state = Entry::State::handed;
  }
  state_->remove_durably({entry});
  std::lock_guard lock(state_->mutex);
  state_->entries.erase(entry);
}

size_t Engine::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->index.size();
}

size_t Engine::waiting() const {
  std::lock_guard lock(state_->mutex);
  return state_->waiters.size();
}

store::RecoveryReport Engine::recovery() const {
  return state_->recovery;
}

}  // namespace orb::space
