// SpaceService: the IDL operations of OrbSpace::Space on top of a Backend.
#include <orb/space/servant.hpp>

#include <orb/detail/log.hpp>
#include <orb/orb.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>

namespace orb::space {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("space");
  return instance;
}

/// Asks the ORB to give `taken` back to the backend if this reply is lost.
void guard_reply(Backend& backend, std::vector<TakenTuple> taken) {
  ServerRequest* request = current_request();
  if (request == nullptr || taken.empty()) {
    return;  // called directly, not through the ORB
  }
  request->on_reply_lost([&backend, taken = std::move(taken)]() mutable {
    logger()->info("reply of a take did not reach its client; returning {} tuple(s)", taken.size());
    backend.restore(std::move(taken));
  });
}

}  // namespace

/// Notifications waiting for the notify thread.
struct SpaceService::Outbox {
  struct Notice {
    std::shared_ptr<::OrbSpace::Listener> listener;
    LeaseId registration = 0;
    Tuple tuple;
  };

  std::mutex mutex;  // guards everything below
  std::condition_variable changed;
  std::deque<Notice> notices;
  std::set<LeaseId> registrations;  // made through the service and not known to be over
  bool stopping = false;

  void post(Notice notice) {
    {
      std::lock_guard lock(mutex);
      if (stopping) {
        return;
      }
      notices.push_back(std::move(notice));
    }
    changed.notify_one();
  }
};

SpaceService::SpaceService(Backend& backend)
    : backend_(backend), outbox_(std::make_shared<Outbox>()) {
  notifier_ = std::thread([this] { send_notices(); });
}

SpaceService::~SpaceService() {
  std::set<LeaseId> registrations;
  {
    std::lock_guard lock(outbox_->mutex);
    outbox_->stopping = true;
    registrations = std::move(outbox_->registrations);
  }
  outbox_->changed.notify_one();
  notifier_.join();
  for (LeaseId id : registrations) {
    try {
      backend_.cancel(id);
    } catch (const ::OrbSpace::UnknownLease&) {
      // It expired meanwhile.
    }
  }
}

void SpaceService::write(const Tuple& t, uint64_t lease_ms, LeaseId& lease) {
  lease = backend_.write(t, from_wire(lease_ms));
}

void SpaceService::write_all(const ::OrbSpace::TupleSeq& tuples, uint64_t lease_ms,
                             ::OrbSpace::LeaseIdSeq& leases) {
  leases = backend_.write_all(tuples, from_wire(lease_ms));
}

bool SpaceService::read(const Template& tmpl, uint64_t timeout_ms, Tuple& t) {
  std::optional<Tuple> found = backend_.read(tmpl, from_wire(timeout_ms));
  if (found) {
    t = std::move(*found);
  }
  return found.has_value();
}

std::vector<TakenTuple> SpaceService::take_and_guard(const Template& tmpl, size_t max_tuples,
                                                     uint64_t timeout_ms) {
  std::vector<TakenTuple> taken = backend_.take_up_to(tmpl, max_tuples, from_wire(timeout_ms));
  guard_reply(backend_, taken);
  return taken;
}

bool SpaceService::take(const Template& tmpl, uint64_t timeout_ms, Tuple& t) {
  std::vector<TakenTuple> taken = take_and_guard(tmpl, 1, timeout_ms);
  if (taken.empty()) {
    return false;
  }
  t = std::move(taken.front().tuple);
  return true;
}

bool SpaceService::read_if_exists(const Template& tmpl, Tuple& t) {
  return read(tmpl, 0, t);
}

bool SpaceService::take_if_exists(const Template& tmpl, Tuple& t) {
  return take(tmpl, 0, t);
}

::OrbSpace::TupleSeq SpaceService::take_up_to(const Template& tmpl, uint32_t max_tuples,
                                              uint64_t timeout_ms) {
  ::OrbSpace::TupleSeq tuples;
  for (TakenTuple& taken : take_and_guard(tmpl, max_tuples, timeout_ms)) {
    tuples.push_back(std::move(taken.tuple));
  }
  return tuples;
}

uint64_t SpaceService::count(const Template& tmpl) {
  return backend_.count(tmpl);
}

::OrbSpace::TupleSeq SpaceService::contents(uint32_t max_tuples) {
  return backend_.contents(max_tuples);
}

void SpaceService::renew(LeaseId lease, uint64_t lease_ms) {
  backend_.renew(lease, from_wire(lease_ms));
}

void SpaceService::cancel(LeaseId lease) {
  backend_.cancel(lease);
}

LeaseId SpaceService::notify(const Template& tmpl,
                             const std::shared_ptr<::OrbSpace::Listener>& callback,
                             uint64_t lease_ms) {
  if (!callback) {
    throw ::OrbSpace::InvalidArgument("notify: the listener reference is nil");
  }
  // The callback learns its registration id once notify() has returned it.
  auto registration = std::make_shared<std::atomic<LeaseId>>(0);
  LeaseId id = backend_.notify(
      tmpl,
      [outbox = outbox_, callback, registration](const Tuple& tuple) {
        outbox->post(Outbox::Notice{callback, registration->load(), tuple});
      },
      from_wire(lease_ms));
  registration->store(id);
  std::lock_guard lock(outbox_->mutex);
  outbox_->registrations.insert(id);
  return id;
}

TransactionId SpaceService::begin(uint64_t lease_ms) {
  return backend_.begin(from_wire(lease_ms));
}

void SpaceService::txn_write(TransactionId txn, const Tuple& t, uint64_t lease_ms, LeaseId& lease) {
  lease = backend_.txn_write(txn, t, from_wire(lease_ms));
}

bool SpaceService::txn_read(TransactionId txn, const Template& tmpl, uint64_t timeout_ms,
                            Tuple& t) {
  std::optional<Tuple> found = backend_.txn_read(txn, tmpl, from_wire(timeout_ms));
  if (found) {
    t = std::move(*found);
  }
  return found.has_value();
}

bool SpaceService::txn_take(TransactionId txn, const Template& tmpl, uint64_t timeout_ms,
                            Tuple& t) {
  // A lost reply needs no action: the transaction holds the tuple and
  // returns it when it aborts or expires.
  std::optional<Tuple> found = backend_.txn_take(txn, tmpl, from_wire(timeout_ms));
  if (found) {
    t = std::move(*found);
  }
  return found.has_value();
}

void SpaceService::commit(TransactionId txn) {
  backend_.commit(txn);
}

void SpaceService::abort(TransactionId txn) {
  backend_.abort(txn);
}

bool SpaceService::take_leased(const Template& tmpl, uint64_t timeout_ms, uint64_t reservation_ms,
                               Tuple& t, ReservationId& reservation) {
  auto held = backend_.take_leased(tmpl, from_wire(timeout_ms), from_wire(reservation_ms));
  if (!held) {
    return false;
  }
  t = std::move(held->first);
  reservation = held->second;
  if (ServerRequest* request = current_request()) {
    // No need to wait for the reservation to run out.
    request->on_reply_lost([this, id = held->second] {
      try {
        backend_.cancel(id);
      } catch (const ::OrbSpace::UnknownLease&) {
        // It ran out already and the tuple is back.
      }
    });
  }
  return true;
}

void SpaceService::acknowledge(ReservationId reservation) {
  backend_.acknowledge(reservation);
}

void SpaceService::send_notices() {
  Outbox& outbox = *outbox_;
  std::unique_lock lock(outbox.mutex);
  while (true) {
    outbox.changed.wait(lock, [&] { return outbox.stopping || !outbox.notices.empty(); });
    if (outbox.stopping) {
      return;
    }
    Outbox::Notice notice = std::move(outbox.notices.front());
    outbox.notices.pop_front();
    lock.unlock();
    try {
      notice.listener->written(notice.tuple);
    } catch (const SystemException& error) {
      // A listener that cannot be reached is gone, so stop calling it.
      logger()->info("notify registration {}: listener call failed ({}); cancelling it",
                     notice.registration, error.what());
      try {
        backend_.cancel(notice.registration);
      } catch (const ::OrbSpace::UnknownLease&) {
        // Cancelled or expired meanwhile.
      }
    }
    lock.lock();
  }
}

std::shared_ptr<::OrbSpace::Space> serve_space(Orb& orb, Backend& backend, std::string id) {
  return orb.adapter().activate(std::make_shared<SpaceService>(backend), std::move(id));
}

}  // namespace orb::space
