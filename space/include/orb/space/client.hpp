// orb::space::SpaceClient: the tuple space from a client's point of view,
// over the generated OrbSpace::Space proxy. Tuples and templates can be
// written as braced lists of C++ values:
//
//   orb::space::SpaceClient space(orb, orb.string_to_object("corbaloc::host:2809/Space"));
//   space.write({"task", int64_t{42}, 3.5}, 60s);
//   std::optional<Tuple> t = space.take({"task", any_of<int64_t>, any}, 5s);
//
// Timeouts and leases are std::chrono durations; kForever waits or lasts
// without end. A blocking call's reply deadline is its timeout plus a grace
// period, not the ORB's -ORBCallTimeout. Errors are the IDL's
// OrbSpace::UnknownLease and OrbSpace::InvalidArgument, or system
// exceptions (COMM_FAILURE, TIMEOUT, PERSIST_STORE...).
#pragma once

#include <orb/space/backend.hpp>
#include <orb/space/tuple.hpp>

#include "space.hpp"

#include <chrono>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace orb {
class Orb;
}

namespace orb::space {

class SpaceClient;

/// A transaction begun with SpaceClient::begin(). Ending it is up to the
/// caller: commit(), abort(), or letting its lease run out (which aborts).
class Transaction {
 public:
  TransactionId id() const noexcept { return id_; }

  LeaseId write(const Tuple& tuple, Millis lease = kForever);
  LeaseId write(std::initializer_list<FieldValue> values, Millis lease = kForever);
  std::optional<Tuple> read(const Template& tmpl, Millis timeout = Millis{0});
  std::optional<Tuple> read(std::initializer_list<TemplateItem> items, Millis timeout = Millis{0});
  std::optional<Tuple> take(const Template& tmpl, Millis timeout = Millis{0});
  std::optional<Tuple> take(std::initializer_list<TemplateItem> items, Millis timeout = Millis{0});
  void commit();
  void abort();

 private:
  friend class SpaceClient;
  Transaction(SpaceClient& client, TransactionId id) : client_(&client), id_(id) {}

  SpaceClient* client_;
  TransactionId id_;
};

/// A tuple taken with take_leased(), held until acknowledged.
struct LeasedTuple {
  Tuple tuple;
  ReservationId reservation = 0;
};

class SpaceClient {
 public:
  /// A client of the space `space` refers to, calling through `orb`.
  SpaceClient(Orb& orb, const ObjectRef& space);
  /// Deactivates the listeners that notify() activated.
  ~SpaceClient();
  SpaceClient(const SpaceClient&) = delete;
  SpaceClient& operator=(const SpaceClient&) = delete;

  LeaseId write(const Tuple& tuple, Millis lease = kForever);
  LeaseId write(std::initializer_list<FieldValue> values, Millis lease = kForever);
  std::vector<LeaseId> write_all(const std::vector<Tuple>& tuples, Millis lease = kForever);

  /// A copy of a matching tuple, waiting up to `timeout`; nothing on timeout.
  std::optional<Tuple> read(const Template& tmpl, Millis timeout = Millis{0});
  std::optional<Tuple> read(std::initializer_list<TemplateItem> items, Millis timeout = Millis{0});
  /// Removes a matching tuple, waiting up to `timeout`; nothing on timeout.
  std::optional<Tuple> take(const Template& tmpl, Millis timeout = Millis{0});
  std::optional<Tuple> take(std::initializer_list<TemplateItem> items, Millis timeout = Millis{0});
  std::optional<Tuple> read_if_exists(const Template& tmpl);
  std::optional<Tuple> take_if_exists(const Template& tmpl);
  /// Up to `max_tuples` matching tuples, waiting up to `timeout` for the first.
  std::vector<Tuple> take_up_to(const Template& tmpl, size_t max_tuples,
                                Millis timeout = Millis{0});
  uint64_t count(const Template& tmpl);
  /// Up to `max_tuples` visible tuples of any shape, oldest first.
  std::vector<Tuple> contents(size_t max_tuples);

  void renew(LeaseId id, Millis lease);
  void cancel(LeaseId id);

  /// Calls `callback` with each matching tuple written from now until the
  /// lease ends. The ORB must listen (-ORBListen), since the space calls
  /// back; the callback runs on one of its server threads.
  LeaseId notify(const Template& tmpl, std::function<void(const Tuple&)> callback,
                 Millis lease = kForever);

  Transaction begin(Millis lease);

  /// take() whose tuple returns to the space unless acknowledge() follows
  /// within `reservation`; for takers that must not lose a tuple if they die.
  std::optional<LeasedTuple> take_leased(const Template& tmpl, Millis timeout, Millis reservation);
  void acknowledge(ReservationId reservation);

  /// The proxy itself, for calls this class does not wrap.
  const std::shared_ptr<::OrbSpace::Space>& proxy() const noexcept { return proxy_; }

 private:
  friend class Transaction;
  /// A proxy whose reply deadline suits a call that may wait `timeout`.
  std::shared_ptr<::OrbSpace::Space> proxy_for(Millis timeout);

  Orb& orb_;
  std::shared_ptr<::OrbSpace::Space> proxy_;
  std::string reference_;  // stringified, for proxies with their own deadline

  std::mutex mutex_;  // guards waiting_proxies_ and listeners_
  std::map<Millis, std::shared_ptr<::OrbSpace::Space>> waiting_proxies_;
  std::vector<std::string> listeners_;  // object keys of the activated listeners
};

}  // namespace orb::space
