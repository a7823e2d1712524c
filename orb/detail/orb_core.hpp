// OrbCore: the state behind orb::Orb, shared with the references and
// connections that must reach it. References hold it weakly, so a proxy
// that outlives its ORB gets BAD_INV_ORDER instead of a dangling pointer.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/client/binding.hpp>
#include <orb/giop/iop.hpp>
#include <orb/object.hpp>
#include <orb/options.hpp>
#include <orb/server/adapter.hpp>
#include <orb/statistics.hpp>
#include <orb/transport/client_connection.hpp>
#include <orb/transport/event_loop.hpp>
#include <orb/transport/shm.hpp>
#include <orb/transport/tcp_server.hpp>
#include <orb/transport/thread_cache.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

namespace orb::detail {

class OrbCore : public std::enable_shared_from_this<OrbCore>, public cdr::DecodeContext {
 public:
  explicit OrbCore(OrbOptions options);
  ~OrbCore() override;

  const OrbOptions& options() const noexcept { return options_; }
  ObjectAdapter& adapter() noexcept { return adapter_; }
  EventLoop& loop() noexcept { return loop_; }
  /// Runs `task`, which may wait for a reply, on a thread of its own from a
  /// cache, so that waiting calls never hold the event loop's threads.
  /// Returns false, dropping the task, once the ORB is shut down.
  bool run_waiting_task(std::function<void()> task) { return waiting_tasks_.run(std::move(task)); }
  /// Runs `send` (an asynchronous call's connect and write, which raises
  /// nothing) on this thread when `may_run_here` and no earlier send
  /// waits, and else after the earlier ones, in order, on one cached
  /// thread. So calls that one thread makes go out in the order it made
  /// them, also while the first of them waits for a connection.
  void send_in_order(std::function<void()> send, bool may_run_here);

  /// Binds `ior` to this ORB as a proxy of type Object.
  ObjectRef make_object(giop::IorData ior);
  /// A cached connection to the target, connecting when there is none or
  /// the cached one is no longer usable: through shared memory when the
  /// target offers it on this host and -ORBShm allows, else over TCP.
  /// Connecting takes at most -ORBConnectTimeout, and ends at `deadline`
  /// (a call's) if that comes first. With `connect` false, returns nullptr
  /// instead of connecting.
  std::shared_ptr<ClientConnection> connection_to(
      const Binding::Target& target, std::optional<Clock::time_point> deadline = std::nullopt,
      bool connect = true);
  /// Counts of connections opened and calls made per transport.
  TransportStatistics statistics() const;
  void count_call(const ClientConnection& connection);
  /// Counts the detached blocks of a reply (see TransportStatistics).
  void count_blocks_received(size_t blocks);

  // Server side, used by ObjectAdapter.
  bool listening() const noexcept { return !addresses_.empty(); }
  /// The IOR of an object served here under `key`.
  giop::IorData make_local_ior(std::string_view type_id, const std::string& key) const;
  std::shared_mutex& servants_mutex() noexcept { return servants_mutex_; }
  std::map<std::string, std::shared_ptr<Servant>, std::less<>>& servants() noexcept {
    return servants_;
  }

  using NameResolver = std::function<ObjectRef(const ObjectRef&, const std::string&)>;
  void set_name_resolver(NameResolver resolver);
  /// The resolver for corbaname: URLs; empty until one is set.
  NameResolver name_resolver() const;

  void run();
  void shutdown(bool wait_for_completion);
  bool is_shut_down() const;

 private:
  void start_listening();

  OrbOptions options_;
  ObjectAdapter adapter_;
  EventLoop loop_;
  ThreadCache waiting_tasks_;
  /// Runs the queued sends of send_in_order() until none is left.
  void drain_sends();
  std::mutex sends_mutex_;  // guards the two below
  std::deque<std::function<void()>> queued_sends_;
  bool draining_sends_ = false;
  std::unique_ptr<RequestHandler> dispatcher_;
  std::unique_ptr<TcpServer> server_;
  std::unique_ptr<ShmServer> shm_server_;
  std::string shm_socket_;                // empty when this ORB offers no shared memory
  std::vector<ListenAddress> addresses_;  // written once in the constructor

  std::shared_mutex servants_mutex_;  // guards servants_
  std::map<std::string, std::shared_ptr<Servant>, std::less<>> servants_;

  /// Returns the usable connection cached under `key`, or else the one
  /// that `connect` makes (nullptr when `connect` is empty).
  std::shared_ptr<ClientConnection> cached_or_new(
      const std::string& key, const std::function<std::shared_ptr<ClientConnection>()>& connect);
  std::shared_ptr<ClientConnection> try_shm(const Binding::Target& target,
                                            std::optional<Clock::time_point> deadline,
                                            bool connect);
  /// -ORBConnectTimeout, or the time left before `deadline` when less.
  /// Raises TIMEOUT when the deadline has passed.
  std::chrono::milliseconds connect_timeout(std::optional<Clock::time_point> deadline,
                                            const std::string& peer) const;
  /// Starts connections' tasks (replies of asynchronous calls) on waiting_tasks_.
  ClientConnection::TaskRunner task_runner();

  std::mutex connections_mutex_;  // guards connections_ and shm_failures_
  std::map<std::string, std::shared_ptr<ClientConnection>> connections_;
  std::set<std::string> shm_failures_;  // socket paths whose failure was logged

  std::atomic<uint64_t> tcp_connections_{0};
  std::atomic<uint64_t> shm_connections_{0};
  std::atomic<uint64_t> tcp_calls_{0};
  std::atomic<uint64_t> shm_calls_{0};
  std::atomic<uint64_t> shm_blocks_received_{0};

  mutable std::mutex state_mutex_;  // guards shut_down_ and name_resolver_
  std::condition_variable shut_down_changed_;
  bool shut_down_ = false;
  NameResolver name_resolver_;
};

/// Creates the RequestHandler that dispatches requests to the servants of `core`.
std::unique_ptr<RequestHandler> make_dispatcher(OrbCore& core);

}  // namespace orb::detail
