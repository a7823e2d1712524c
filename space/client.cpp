// SpaceClient and Transaction: thin wrappers that convert durations and
// optional results around the generated OrbSpace::Space proxy.
#include <orb/space/client.hpp>

#include <orb/orb.hpp>

#include "space_servant.hpp"

#include <atomic>

namespace orb::space {
namespace {

/// Time a blocking call's reply may take beyond its timeout.
constexpr Millis kReplyGrace = std::chrono::seconds(10);
/// Distinct timeouts that get a cached proxy; others get a fresh one.
constexpr size_t kMaxCachedProxies = 32;

/// Runs a notify callback when the space calls written().
class CallbackListener final : public ::OrbSpace::ListenerServant {
 public:
  explicit CallbackListener(std::function<void(const Tuple&)> callback)
      : callback_(std::move(callback)) {}
  void written(const Tuple& t) override { callback_(t); }

 private:
  std::function<void(const Tuple&)> callback_;
};

std::optional<Tuple> found_or_none(bool found, Tuple& tuple) {
  if (!found) {
    return std::nullopt;
  }
  return std::move(tuple);
}

}  // namespace

// ---------------------------------------------------------------------------
// Transaction

LeaseId Transaction::write(const Tuple& tuple, Millis lease) {
  LeaseId id = 0;
  client_->proxy_->txn_write(id_, tuple, to_wire(lease), id);
  return id;
}

LeaseId Transaction::write(std::initializer_list<FieldValue> values, Millis lease) {
  return write(make_tuple(values), lease);
}

std::optional<Tuple> Transaction::read(const Template& tmpl, Millis timeout) {
  Tuple tuple;
  bool found = client_->proxy_for(timeout)->txn_read(id_, tmpl, to_wire(timeout), tuple);
  return found_or_none(found, tuple);
}

std::optional<Tuple> Transaction::read(std::initializer_list<TemplateItem> items, Millis timeout) {
  return read(make_template(items), timeout);
}

std::optional<Tuple> Transaction::take(const Template& tmpl, Millis timeout) {
  Tuple tuple;
  bool found = client_->proxy_for(timeout)->txn_take(id_, tmpl, to_wire(timeout), tuple);
  return found_or_none(found, tuple);
}

std::optional<Tuple> Transaction::take(std::initializer_list<TemplateItem> items, Millis timeout) {
  return take(make_template(items), timeout);
}

void Transaction::commit() {
  client_->proxy_->commit(id_);
}

void Transaction::abort() {
  client_->proxy_->abort(id_);
}

// ---------------------------------------------------------------------------
// SpaceClient

SpaceClient::SpaceClient(Orb& orb, const ObjectRef& space)
    : orb_(orb),
      proxy_(::OrbSpace::Space::_unchecked_narrow(space)),
      reference_(orb.object_to_string(space)) {
  if (!proxy_) {
    throw BAD_PARAM(minor::kInvalidValue, CompletionStatus::no,
                    "SpaceClient: the space reference is nil");
  }
}

SpaceClient::~SpaceClient() {
  for (const std::string& key : listeners_) {
    orb_.adapter().deactivate(key);
  }
}

std::shared_ptr<::OrbSpace::Space> SpaceClient::proxy_for(Millis timeout) {
  if (timeout.count() <= 0) {
    return proxy_;
  }
  std::lock_guard lock(mutex_);
  auto cached = waiting_proxies_.find(timeout);
  if (cached != waiting_proxies_.end()) {
    return cached->second;
  }
  // A proxy of its own, so its deadline does not change other calls'.
  auto proxy = ::OrbSpace::Space::_unchecked_narrow(orb_.string_to_object(reference_));
  Millis longest = std::chrono::hours(24 * 365 * 10);
  proxy->_set_call_timeout(timeout >= longest - kReplyGrace ? longest : timeout + kReplyGrace);
  if (waiting_proxies_.size() < kMaxCachedProxies) {
    waiting_proxies_.emplace(timeout, proxy);
  }
  return proxy;
}

LeaseId SpaceClient::write(const Tuple& tuple, Millis lease) {
  LeaseId id = 0;
  proxy_->write(tuple, to_wire(lease), id);
  return id;
}

LeaseId SpaceClient::write(std::initializer_list<FieldValue> values, Millis lease) {
  return write(make_tuple(values), lease);
}

std::vector<LeaseId> SpaceClient::write_all(const std::vector<Tuple>& tuples, Millis lease) {
  ::OrbSpace::LeaseIdSeq ids;
  proxy_->write_all(tuples, to_wire(lease), ids);
  return ids;
}

std::optional<Tuple> SpaceClient::read(const Template& tmpl, Millis timeout) {
  Tuple tuple;
  bool found = proxy_for(timeout)->read(tmpl, to_wire(timeout), tuple);
  return found_or_none(found, tuple);
}

std::optional<Tuple> SpaceClient::read(std::initializer_list<TemplateItem> items, Millis timeout) {
  return read(make_template(items), timeout);
}

std::optional<Tuple> SpaceClient::take(const Template& tmpl, Millis timeout) {
  Tuple tuple;
  bool found = proxy_for(timeout)->take(tmpl, to_wire(timeout), tuple);
  return found_or_none(found, tuple);
}

std::optional<Tuple> SpaceClient::take(std::initializer_list<TemplateItem> items, Millis timeout) {
  return take(make_template(items), timeout);
}

std::optional<Tuple> SpaceClient::read_if_exists(const Template& tmpl) {
  Tuple tuple;
  bool found = proxy_->read_if_exists(tmpl, tuple);
  return found_or_none(found, tuple);
}

std::optional<Tuple> SpaceClient::take_if_exists(const Template& tmpl) {
  Tuple tuple;
  bool found = proxy_->take_if_exists(tmpl, tuple);
  return found_or_none(found, tuple);
}

std::vector<Tuple> SpaceClient::take_up_to(const Template& tmpl, size_t max_tuples,
                                           Millis timeout) {
  auto limit = static_cast<uint32_t>(std::min<size_t>(max_tuples, UINT32_MAX));
  return proxy_for(timeout)->take_up_to(tmpl, limit, to_wire(timeout));
}

uint64_t SpaceClient::count(const Template& tmpl) {
  return proxy_->count(tmpl);
}

std::vector<Tuple> SpaceClient::contents(size_t max_tuples) {
  return proxy_->contents(static_cast<uint32_t>(std::min<size_t>(max_tuples, UINT32_MAX)));
}

void SpaceClient::renew(LeaseId id, Millis lease) {
  proxy_->renew(id, to_wire(lease));
}

void SpaceClient::cancel(LeaseId id) {
  proxy_->cancel(id);
}

LeaseId SpaceClient::notify(const Template& tmpl, std::function<void(const Tuple&)> callback,
                            Millis lease) {
  static std::atomic<uint64_t> next_listener{1};
  std::string key = "space-listener-" + std::to_string(next_listener++);
  auto listener =
      orb_.adapter().activate(std::make_shared<CallbackListener>(std::move(callback)), key);
  {
    std::lock_guard lock(mutex_);
    listeners_.push_back(key);
  }
  return proxy_->notify(tmpl, listener, to_wire(lease));
}

Transaction SpaceClient::begin(Millis lease) {
  return Transaction(*this, proxy_->begin(to_wire(lease)));
}

std::optional<LeasedTuple> SpaceClient::take_leased(const Template& tmpl, Millis timeout,
                                                    Millis reservation) {
  LeasedTuple leased;
  bool found = proxy_for(timeout)->take_leased(tmpl, to_wire(timeout), to_wire(reservation),
                                               leased.tuple, leased.reservation);
  if (!found) {
    return std::nullopt;
  }
  return leased;
}

void SpaceClient::acknowledge(ReservationId reservation) {
  proxy_->acknowledge(reservation);
}

}  // namespace orb::space
