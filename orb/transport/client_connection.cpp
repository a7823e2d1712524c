// Client side of a GIOP connection: request ids, the reader role and the
// hand-off of replies. The bytes move through a ByteStream (TCP or shared
// memory); a call runs on the caller's thread, as the header explains.
#include <orb/transport/client_connection.hpp>

#include <orb/detail/log.hpp>
#include <orb/exception.hpp>
#include <orb/giop/messages.hpp>
#include <orb/minor.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <iterator>

namespace orb::detail {
namespace {

std::shared_ptr<spdlog::logger> connection_logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("orb.giop");
  return instance;
}

}  // namespace

ClientConnection::ClientConnection(std::unique_ptr<ByteStream> stream, std::string peer,
                                   size_t max_message_size, TaskRunner run_task)
    : stream_(std::move(stream)),
      peer_(std::move(peer)),
      framer_(max_message_size),
      run_task_(std::move(run_task)) {
  if (stream_->carries_block_notices()) {
    framer_.accept_block_notices();
  }
}

ClientConnection::~ClientConnection() = default;

uint32_t ClientConnection::next_request_id() {
  std::lock_guard lock(mutex_);
  return next_request_id_++;
}

bool ClientConnection::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool ClientConnection::usable() {
  std::lock_guard lock(mutex_);
  if (closed_) {
    return false;
  }
  if (reader_active_ || !pending_.empty()) {
    return true;
  }
  // A peer that replied this recently is almost surely still there, and
  // checking costs a poll() per call on TCP. A server closing in this
  // window makes the next call fail as a call in flight would.
  constexpr std::chrono::microseconds kRecentReply{100};
  if (Clock::now() - last_reply_ < kRecentReply) {
    return true;
  }
  if (!stream_->idle_peer_spoke()) {
    return true;
  }
  // Nothing is expected on an idle connection: this is end of stream, a
  // CloseConnection or a late reply to a cancelled call.
  stream_->shutdown();
  fail_all(
      std::make_exception_ptr(TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                                        "connection to " + peer_ + " was closed by the peer")));
  return false;
}

bool ClientConnection::needs_code_sets_context() const {
  std::lock_guard lock(mutex_);
  return !reply_received_;
}

void ClientConnection::write_all(const giop::OutgoingMessage& message, bool request_sent_before) {
  std::lock_guard lock(write_mutex_);
  size_t written = 0;
  std::string error;
  if (message.borrowed.empty()) {
    error = stream_->write_all(message.bytes, written);
  } else if (stream_->carries_block_notices()) {
    // The server receives the large blocks apart and decodes them without a copy.
    std::vector<uint8_t> notice = giop::encode_block_notice(message.block_ranges());
    std::vector<std::span<const uint8_t>> pieces = message.pieces();
    pieces.insert(pieces.begin(), notice);
    error = stream_->write_pieces(pieces, written);
    written = written > notice.size() ? written - notice.size() : 0;
  } else {
    error = stream_->write_pieces(message.pieces(), written);
  }
  if (error.empty()) {
    return;
  }
  std::string reason = "write to " + peer_ + " failed: " + error;
  close(reason);
  if (written == 0 && !request_sent_before) {
    throw TRANSIENT(minor::kConnectionLost, CompletionStatus::no, reason);
  }
  throw COMM_FAILURE(minor::kConnectionLost, CompletionStatus::maybe, reason);
}

giop::Message ClientConnection::call(uint32_t request_id, const giop::OutgoingMessage& request,
                                     std::optional<Clock::time_point> deadline) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      throw TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                      "connection to " + peer_ + " is closed");
    }
    pending_[request_id] = Pending{};
  }
  try {
    write_all(request, false);
  } catch (...) {
    std::lock_guard lock(mutex_);
    pending_.erase(request_id);
    throw;
  }

  std::unique_lock lock(mutex_);
  auto replied = [&] {
    const Pending& mine = pending_.at(request_id);
    return mine.reply || mine.error;
  };
  while (true) {
    auto entry = pending_.find(request_id);
    if (entry->second.reply) {
      giop::Message reply = std::move(*entry->second.reply);
      pending_.erase(entry);
      return reply;
    }
    if (entry->second.error) {
      std::exception_ptr error = entry->second.error;
      pending_.erase(entry);
      std::rethrow_exception(error);
    }
    bool in_time = true;
    if (!reader_active_) {
      reader_active_ = true;
      in_time = read_until(replied, lock, deadline);
      reader_active_ = false;
      changed_.notify_all();  // another waiter may take the reader role
      ensure_async_reader(lock);
      dispatch_completed(lock);
    } else if (deadline) {
      in_time = changed_.wait_until(lock, *deadline) == std::cv_status::no_timeout ||
                Clock::now() < *deadline;
    } else {
      changed_.wait(lock);
    }
    entry = pending_.find(request_id);
    if (!in_time && !entry->second.reply && !entry->second.error) {
      pending_.erase(entry);
      lock.unlock();
      send_cancel(request_id);
      throw deadline_passed(request_id);
    }
  }
}

void ClientConnection::call_async(uint32_t request_id, const giop::OutgoingMessage& request,
                                  std::optional<Clock::time_point> deadline, ReplyHandler handler) {
  std::unique_lock lock(mutex_);
  if (closed_ || !run_task_) {
    std::exception_ptr error =
        closed_ ? std::make_exception_ptr(TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                                                    "connection to " + peer_ + " is closed"))
                : std::make_exception_ptr(BAD_INV_ORDER(
                      minor::kOrbShutDown, CompletionStatus::no,
                      "connection to " + peer_ + " has no thread for asynchronous calls"));
    completed_.push_back(Completed{request_id, std::move(handler), std::nullopt, error, false});
    dispatch_completed(lock);
    return;
  }
  Pending& pending = pending_[request_id];
  pending.handler = std::move(handler);
  pending.deadline = deadline;
  pending.writing = true;
  ++async_calls_;
  async_deadlines_ += deadline ? 1 : 0;
  lock.unlock();

  std::exception_ptr write_error;
  try {
    write_all(request, false);
  } catch (...) {
    // A system exception, or anything else, such as bad_alloc: either way
    // this call ends below with it, and its entry leaves the table.
    write_error = std::current_exception();
  }
  lock.lock();
  auto entry = pending_.find(request_id);
  if (entry != pending_.end()) {  // else its reply came during the write
    entry->second.writing = false;
    // A failed write closes the connection and leaves this call to end
    // here, with the write's error, which shows whether any of it went out.
    if (write_error || entry->second.error) {
      complete(entry, std::nullopt, write_error ? write_error : entry->second.error, false);
    } else {
      ensure_async_reader(lock);
    }
  }
  dispatch_completed(lock);
}

bool ClientConnection::read_until(const std::function<bool()>& finished,
                                  std::unique_lock<std::mutex>& lock,
                                  std::optional<Clock::time_point> deadline) {
  // Every read returns within this time, even one begun before any
  // asynchronous call was made, so that the deadline of a call made during
  // the read is seen soon after it passes.
  constexpr std::chrono::milliseconds kReadSlice{50};
  std::array<uint8_t, 64 * 1024> buffer;
  while (true) {
    Clock::time_point now = Clock::now();
    Clock::time_point wake = now + kReadSlice;
    if (std::optional<Clock::time_point> due = expire_async_calls(now)) {
      wake = std::min(wake, *due);
    }
    if (deadline) {
      wake = std::min(wake, *deadline);
    }
    dispatch_completed(lock);
    if (finished()) {
      return true;
    }
    lock.unlock();
    std::vector<giop::Message> messages;
    std::string failure;
    try {
      ByteStream::ReadResult read = stream_->read_into(
          [this](std::span<const uint8_t> bytes) { framer_.feed(bytes); }, buffer, wake);
      if (read.timed_out) {
        lock.lock();
        if (deadline && Clock::now() >= *deadline) {
          return false;
        }
        continue;
      }
      if (!read.error.empty()) {
        failure = "connection to " + peer_ + ": " + read.error;
      }
      while (std::optional<giop::Message> message = framer_.next()) {
        messages.push_back(std::move(*message));
      }
    } catch (const SystemException& error) {
      failure = "malformed message from " + peer_ + ": " + error.what();
    }
    lock.lock();
    for (giop::Message& message : messages) {
      deliver(std::move(message));
    }
    if (!failure.empty() && closed_) {
      // close() ended the calls and shut the stream, which ended this read:
      // not the peer's doing, so nothing to warn about.
      connection_logger()->debug("read ended after the close: {}", failure);
    } else if (!failure.empty()) {
      connection_logger()->warn("{}", failure);
      stream_->shutdown();
      fail_all(std::make_exception_ptr(
          COMM_FAILURE(minor::kConnectionLost, CompletionStatus::maybe, failure)));
    }
  }
}

TIMEOUT ClientConnection::deadline_passed(uint32_t request_id) const {
  return TIMEOUT(minor::kCallTimedOut, CompletionStatus::maybe,
                 "no reply from " + peer_ + " for request " + std::to_string(request_id) +
                     " before the deadline");
}

void ClientConnection::complete(std::map<uint32_t, Pending>::iterator entry,
                                std::optional<giop::Message> reply, std::exception_ptr error,
                                bool timed_out) {
  completed_.push_back(Completed{entry->first, std::move(entry->second.handler), std::move(reply),
                                 std::move(error), timed_out});
  async_deadlines_ -= entry->second.deadline ? 1 : 0;
  --async_calls_;
  pending_.erase(entry);
}

std::optional<Clock::time_point> ClientConnection::expire_async_calls(Clock::time_point now) {
  std::optional<Clock::time_point> earliest;
  if (async_deadlines_ == 0) {
    return earliest;
  }
  for (auto entry = pending_.begin(); entry != pending_.end();) {
    auto next = std::next(entry);
    const std::optional<Clock::time_point>& due = entry->second.deadline;
    if (entry->second.handler && due && !entry->second.writing) {
      if (*due <= now) {
        complete(entry, std::nullopt, std::make_exception_ptr(deadline_passed(entry->first)), true);
      } else if (!earliest || *due < *earliest) {
        earliest = due;
      }
    }
    entry = next;
  }
  return earliest;
}

void ClientConnection::ensure_async_reader(std::unique_lock<std::mutex>& lock) {
  if (async_calls_ == 0 || reader_active_ || async_reader_started_ || closed_) {
    return;
  }
  async_reader_started_ = true;
  // Unlocked, because the runner may hold the last reference to the ORB,
  // whose destruction closes this connection.
  lock.unlock();
  bool started = start_task([self = shared_from_this()] { self->read_for_async_calls(); });
  lock.lock();
  if (started) {
    return;
  }
  async_reader_started_ = false;
  std::exception_ptr error = std::make_exception_ptr(
      BAD_INV_ORDER(minor::kOrbShutDown, CompletionStatus::maybe,
                    "no thread reads the replies from " + peer_ + ": the ORB has shut down"));
  for (auto entry = pending_.begin(); entry != pending_.end();) {
    auto next = std::next(entry);
    if (entry->second.handler) {
      complete(entry, std::nullopt, error, false);
    }
    entry = next;
  }
}

void ClientConnection::read_for_async_calls() {
  std::unique_lock lock(mutex_);
  async_reader_started_ = false;
  if (reader_active_ || closed_) {
    return;  // the active reader, or the close, ends the waiting calls
  }
  reader_active_ = true;
  // A closed connection has ended every call but those still writing,
  // which end themselves.
  read_until([this] { return async_calls_ == 0 || closed_; }, lock, std::nullopt);
  reader_active_ = false;
  changed_.notify_all();  // a synchronous caller may take the reader role
  dispatch_completed(lock);
}

void ClientConnection::dispatch_completed(std::unique_lock<std::mutex>& lock) {
  if (completed_.empty()) {
    return;
  }
  auto done = std::make_shared<std::vector<Completed>>();
  done->swap(completed_);
  lock.unlock();
  // One task ends all the calls that ended together, because a task each
  // would start a thread per reply of a burst, parked a minute afterwards.
  auto run = [done, self = shared_from_this()] { self->finish_calls(*done); };
  // After the ORB shut down no task starts, and the calls end here.
  if (!start_task(run)) {
    run();
  }
  lock.lock();
}

bool ClientConnection::start_task(std::function<void()> task) {
  if (!run_task_) {
    return false;
  }
  try {
    return run_task_(std::move(task));
  } catch (const std::exception& error) {
    // Such as std::system_error when no thread can be created.
    connection_logger()->warn("no task started for the connection to {}: {}", peer_, error.what());
    return false;
  }
}

void ClientConnection::finish_calls(std::vector<Completed>& calls) {
  for (Completed& call : calls) {
    try {
      call.handler(call.reply ? &*call.reply : nullptr, call.error);
    } catch (const std::exception& error) {
      connection_logger()->error("handler of request {} to {} raised: {}", call.request_id, peer_,
                                 error.what());
    }
  }
  // The CancelRequests are sent here, after the handlers and off the
  // reader, because one may wait for a large write that waits for the
  // server, and the server may wait for the reader to read its replies.
  for (const Completed& call : calls) {
    if (call.timed_out) {
      send_cancel(call.request_id);
    }
  }
}

void ClientConnection::deliver(giop::Message message) {
  uint32_t request_id = 0;
  try {
    // The waiting call reads the message again, so this reader leaves the blocks in it.
    giop::MessageReader reader(message, false);
    switch (reader.header().type) {
      case giop::MessageType::Reply:
        request_id = reader.read_reply_header().request_id;
        reply_received_ = true;
        break;
      case giop::MessageType::LocateReply:
        request_id = reader.read_locate_reply_header().request_id;
        break;
      case giop::MessageType::CloseConnection:
        // The server processed none of the pending requests, so they may be retried.
        connection_logger()->debug("{} closed the connection", peer_);
        stream_->shutdown();
        fail_all(std::make_exception_ptr(TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                                                   peer_ + " closed the connection")));
        return;
      default:
        connection_logger()->warn("unexpected GIOP message type {} from {}; closing",
                                  static_cast<int>(reader.header().type), peer_);
        stream_->shutdown();
        fail_all(std::make_exception_ptr(COMM_FAILURE(
            minor::kConnectionLost, CompletionStatus::maybe, "protocol error from " + peer_)));
        return;
    }
  } catch (const SystemException& error) {
    connection_logger()->warn("undecodable reply from {}: {}", peer_, error.what());
    return;
  }
  auto entry = pending_.find(request_id);
  if (entry == pending_.end()) {
    connection_logger()->debug("reply {} from {} has no waiting call (cancelled)", request_id,
                               peer_);
    return;
  }
  last_reply_ = Clock::now();
  if (entry->second.handler) {
    complete(entry, std::move(message), nullptr, false);
    return;
  }
  entry->second.reply = std::move(message);
  changed_.notify_all();
}

void ClientConnection::fail_all(const std::exception_ptr& error) {
  closed_ = true;
  failure_ = error;
  for (auto entry = pending_.begin(); entry != pending_.end();) {
    auto next = std::next(entry);
    if (entry->second.handler && !entry->second.writing) {
      complete(entry, std::nullopt, error, false);
    } else if (!entry->second.reply) {
      entry->second.error = error;
    }
    entry = next;
  }
  changed_.notify_all();
}

void ClientConnection::send_cancel(uint32_t request_id) {
  try {
    write_all(giop::encode_cancel_request(giop::kGiop12, cdr::kNativeByteOrder,
                                          giop::CancelRequestHeader{request_id}),
              true);
  } catch (const SystemException& error) {
    connection_logger()->debug("CancelRequest {} to {} not sent: {}", request_id, peer_,
                               error.what());
  }
}

void ClientConnection::send_oneway(const giop::OutgoingMessage& request) {
  if (closed()) {
    throw TRANSIENT(minor::kConnectionLost, CompletionStatus::no,
                    "connection to " + peer_ + " is closed");
  }
  write_all(request, false);
}

void ClientConnection::close(const std::string& reason) {
  std::unique_lock lock(mutex_);
  if (closed_) {
    return;
  }
  connection_logger()->debug("closing connection to {}: {}", peer_, reason);
  stream_->shutdown();
  fail_all(std::make_exception_ptr(
      COMM_FAILURE(minor::kConnectionLost, CompletionStatus::maybe, reason)));
  dispatch_completed(lock);
}

}  // namespace orb::detail
