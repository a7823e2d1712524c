// ClientConnection: one connection from this ORB to a server, over TCP or
// shared memory (a ByteStream), shared by every reference to that endpoint. Many calls may be in
// flight at once, matched to their replies by request id. There is no reader thread: the first
// caller that waits reads the socket on its own thread and hands other callers their replies, then
// passes the reader role on, so a call alone on its connection costs one write and one read on the
// caller's thread and no thread switch. An asynchronous call waits on no thread: while such calls
// are in flight and no caller reads, one task from the ORB's thread cache reads for all of them.
#pragma once

#include <orb/exception.hpp>
#include <orb/giop/framer.hpp>
#include <orb/giop/messages.hpp>
#include <orb/transport/byte_stream.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace orb::detail {

using Clock = std::chrono::steady_clock;

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  /// Function that receives an asynchronous call's reply, or the error that
  /// ended the call (then `reply` is null).
  using ReplyHandler = std::function<void(giop::Message* reply, std::exception_ptr error)>;
  /// Function that starts a task on another thread. It returns false when
  /// it cannot start one, such as after the ORB shut down.
  using TaskRunner = std::function<bool(std::function<void()> task)>;

  /// Takes over a connected stream to `peer` ("host:port" or a socket path).
  /// `run_task` serves asynchronous calls: it reads their replies and runs
  /// their handlers. Without it, asynchronous calls end with BAD_INV_ORDER.
  ClientConnection(std::unique_ptr<ByteStream> stream, std::string peer, size_t max_message_size,
                   TaskRunner run_task = {});
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  /// The peer, for messages and logs.
  const std::string& peer() const noexcept { return peer_; }
  /// "tcp" or "shm".
  const char* transport() const noexcept { return stream_->transport(); }
  uint32_t next_request_id();
  /// True after the connection failed or was closed; the cache then drops it.
  bool closed() const;
  /// False when the connection is closed, or when it is idle and the peer
  /// has closed it or sent something unasked (such as CloseConnection), so
  /// a new call must not be written into it. Such a connection is closed.
  /// Within 100 µs of the last reply it does not ask the stream.
  bool usable();
  /// True until the first reply arrives. Until then every request carries
  /// the CodeSets context, so a request that overtakes the first one on the
  /// wire still names its code sets.
  bool needs_code_sets_context() const;

  /// Sends a complete request and waits for the reply with `request_id`
  /// until `deadline`. Raises COMM_FAILURE (COMPLETED_MAYBE) when the
  /// connection fails after the request was written, TRANSIENT when it
  /// fails before, and TIMEOUT when the deadline passes; on a timeout a
  /// CancelRequest is sent.
  giop::Message call(uint32_t request_id, const giop::OutgoingMessage& request,
                     std::optional<Clock::time_point> deadline);
  /// Sends a complete request and returns once it is written. `handler`
  /// runs once, on a thread from the task runner, with the reply or with
  /// the error that call() would raise, a failed write included. Errors
  /// reach `handler`, not the caller.
  void call_async(uint32_t request_id, const giop::OutgoingMessage& request,
                  std::optional<Clock::time_point> deadline, ReplyHandler handler);
  /// Sends a request that expects no reply.
  void send_oneway(const giop::OutgoingMessage& request);
  /// Closes the socket; waiting callers get COMM_FAILURE.
  void close(const std::string& reason);

 private:
  struct Pending {
    std::optional<giop::Message> reply;
    std::exception_ptr error;
    // Asynchronous calls only: where the reply goes, and when it is due.
    ReplyHandler handler;
    std::optional<Clock::time_point> deadline;
    bool writing = false;  // call_async() still writes the request and ends a failed call itself
  };
  /// An asynchronous call that has ended, waiting for its handler to run.
  struct Completed {
    uint32_t request_id = 0;
    ReplyHandler handler;
    std::optional<giop::Message> reply;
    std::exception_ptr error;
    bool timed_out = false;  // send a CancelRequest after the handlers
  };

  void write_all(const giop::OutgoingMessage& message, bool request_sent_before);
  /// Reads and delivers messages until `finished()` holds, with the lock
  /// held for `finished` and released while reading. Returns false when
  /// `deadline` passes first. Asynchronous calls whose deadlines pass
  /// meanwhile end with TIMEOUT.
  bool read_until(const std::function<bool()>& finished, std::unique_lock<std::mutex>& lock,
                  std::optional<Clock::time_point> deadline);
  void deliver(giop::Message message);
  void fail_all(const std::exception_ptr& error);
  void send_cancel(uint32_t request_id);
  /// Returns the TIMEOUT of a call whose deadline passed with no reply.
  TIMEOUT deadline_passed(uint32_t request_id) const;
  /// Moves the pending asynchronous call `entry` to completed_.
  void complete(std::map<uint32_t, Pending>::iterator entry, std::optional<giop::Message> reply,
                std::exception_ptr error, bool timed_out);
  /// Ends the asynchronous calls whose deadline is before `now`; returns
  /// the earliest deadline of the others.
  std::optional<Clock::time_point> expire_async_calls(Clock::time_point now);
  /// Starts a reader task when asynchronous calls wait and no caller reads.
  /// Releases the lock for a moment.
  void ensure_async_reader(std::unique_lock<std::mutex>& lock);
  /// Body of the reader task that ensure_async_reader() starts.
  void read_for_async_calls();
  /// Releases the lock, hands the completed calls to one task that runs
  /// finish_calls(), and takes the lock back.
  void dispatch_completed(std::unique_lock<std::mutex>& lock);
  /// Starts `task` through the task runner; false when there is none, or
  /// it refuses or fails to start one.
  bool start_task(std::function<void()> task);
  /// Runs the handlers of `calls` in order, then sends the CancelRequests
  /// of those that timed out.
  void finish_calls(std::vector<Completed>& calls);

  std::unique_ptr<ByteStream> stream_;
  std::string peer_;
  giop::Framer framer_;  // used only by the thread holding the reader role

  std::mutex write_mutex_;  // serialises whole messages on the socket

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::map<uint32_t, Pending> pending_;
  bool reader_active_ = false;
  bool closed_ = false;
  bool reply_received_ = false;
  Clock::time_point last_reply_;  // when deliver() last handed out a reply
  std::exception_ptr failure_;
  uint32_t next_request_id_ = 1;
  TaskRunner run_task_;
  size_t async_calls_ = 0;             // asynchronous calls in pending_
  size_t async_deadlines_ = 0;         // those of them that have a deadline
  bool async_reader_started_ = false;  // a reader task is started and has not begun
  std::vector<Completed> completed_;
};

}  // namespace orb::detail
