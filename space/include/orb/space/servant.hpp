// orb::space::SpaceService: serves a Backend, usually the embedded Engine,
// as the IDL interface OrbSpace::Space. It converts wire durations, puts
// back the tuples of a take whose reply could not be delivered
// (ServerRequest::on_reply_lost), and sends notify callbacks as oneway
// calls from a thread of its own so a slow listener never delays a write.
//
// A blocking read or take holds one server thread while it waits. One
// connection runs at most -ORBMaxRequestsPerConnection requests at once,
// so a client with that many blocked takes stalls its other calls.
#pragma once

#include <orb/space/backend.hpp>
#include <orb/space/engine.hpp>  // the backend most hosts serve

#include "space_servant.hpp"

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace orb {
class Orb;
}

namespace orb::space {

class SpaceService final : public ::OrbSpace::SpaceServant {
 public:
  /// Serves `backend`, which must outlive the service.
  explicit SpaceService(Backend& backend);
  /// Cancels the registrations made through this service and stops the
  /// notify thread; notifications still queued are dropped.
  ~SpaceService() override;

  void write(const Tuple& t, uint64_t lease_ms, LeaseId& lease) override;
  void write_all(const ::OrbSpace::TupleSeq& tuples, uint64_t lease_ms,
                 ::OrbSpace::LeaseIdSeq& leases) override;
  bool read(const Template& tmpl, uint64_t timeout_ms, Tuple& t) override;
  bool take(const Template& tmpl, uint64_t timeout_ms, Tuple& t) override;
  bool read_if_exists(const Template& tmpl, Tuple& t) override;
  bool take_if_exists(const Template& tmpl, Tuple& t) override;
  ::OrbSpace::TupleSeq take_up_to(const Template& tmpl, uint32_t max_tuples,
                                  uint64_t timeout_ms) override;
  uint64_t count(const Template& tmpl) override;
  ::OrbSpace::TupleSeq contents(uint32_t max_tuples) override;
  void renew(LeaseId lease, uint64_t lease_ms) override;
  void cancel(LeaseId lease) override;
  LeaseId notify(const Template& tmpl, const std::shared_ptr<::OrbSpace::Listener>& callback,
                 uint64_t lease_ms) override;
  TransactionId begin(uint64_t lease_ms) override;
  void txn_write(TransactionId txn, const Tuple& t, uint64_t lease_ms, LeaseId& lease) override;
  bool txn_read(TransactionId txn, const Template& tmpl, uint64_t timeout_ms, Tuple& t) override;
  bool txn_take(TransactionId txn, const Template& tmpl, uint64_t timeout_ms, Tuple& t) override;
  void commit(TransactionId txn) override;
  void abort(TransactionId txn) override;
  bool take_leased(const Template& tmpl, uint64_t timeout_ms, uint64_t reservation_ms, Tuple& t,
                   ReservationId& reservation) override;
  void acknowledge(ReservationId reservation) override;

 private:
  struct Outbox;

  std::vector<TakenTuple> take_and_guard(const Template& tmpl, size_t max_tuples,
                                         uint64_t timeout_ms);
  void send_notices();

  Backend& backend_;
  // Shared with the backend's notify callbacks, which may outlive the service.
  std::shared_ptr<Outbox> outbox_;
  std::thread notifier_;
};

/// Activates a SpaceService for `backend` on `orb` under the object key
/// `id` and returns its reference; `corbaloc::HOST:PORT/ID` names it too.
/// The backend must stay alive while the ORB serves.
std::shared_ptr<::OrbSpace::Space> serve_space(Orb& orb, Backend& backend,
                                               std::string id = "TupleSpace");

}  // namespace orb::space
