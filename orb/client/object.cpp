// Invocation: Object's members and Binding. A call encodes a GIOP 1.2
// Request, sends it on the cached connection of the target's endpoint,
// waits for the reply and turns its status into a result or an exception.
#include <orb/client/binding.hpp>
#include <orb/detail/orb_core.hpp>
#include <orb/giop/messages.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/minor.hpp>
#include <orb/object.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace orb {
namespace detail {

Binding::Binding(std::weak_ptr<OrbCore> core, giop::IorData ior)
    : core_(std::move(core)), original_(ior), current_(std::move(ior)) {}

std::shared_ptr<OrbCore> Binding::core() const {
  std::shared_ptr<OrbCore> core = core_.lock();
  if (!core || core->is_shut_down()) {
    throw BAD_INV_ORDER(minor::kOrbShutDown, CompletionStatus::no,
                        "the reference's ORB has shut down, or it was decoded without an ORB");
  }
  return core;
}

namespace {

bool offers(const ior::CodeSetComponent& code_sets, uint32_t id) {
  return code_sets.native_code_set == id ||
         std::find(code_sets.conversion_code_sets.begin(), code_sets.conversion_code_sets.end(),
                   id) != code_sets.conversion_code_sets.end();
}

/// Picks the char transmission code set for a server: UTF-8, our native
/// set, when the server's native or conversion sets include it; otherwise
/// ISO-8859-1, which is also what a profile without code sets implies.
cdr::CharCodeSet negotiate_char_code_set(const ior::IiopProfile& profile) {
  std::optional<ior::CodeSetComponentInfo> code_sets = ior::find_code_sets(profile);
  if (code_sets && offers(code_sets->for_char_data, ior::kCodeSetUtf8)) {
    return cdr::CharCodeSet::utf8;
  }
  return cdr::CharCodeSet::iso8859_1;
}

}  // namespace

std::shared_ptr<const Binding::Target> Binding::target() const {
  std::lock_guard lock(mutex_);
  if (target_) {
    return target_;
  }
  std::optional<ior::IiopProfile> profile = ior::find_iiop_profile(current_);
  if (!profile) {
    throw INV_OBJREF(minor::kNoProfile, CompletionStatus::no,
                     "reference of type '" + current_.type_id + "' has no IIOP profile");
  }
  target_ = std::make_shared<const Target>(
      Target{profile->host, profile->port, profile->object_key, negotiate_char_code_set(*profile),
             ior::find_shm_endpoint(*profile), ior::find_code_sets(*profile).has_value()});
  return target_;
}

bool Binding::claim_code_set_query() {
  std::unique_lock lock(mutex_);
  code_set_query_ended_.wait(lock, [this] { return code_set_query_ != CodeSetQuery::running; });
  if (code_set_query_ == CodeSetQuery::replied) {
    return false;
  }
  code_set_query_ = CodeSetQuery::running;
  return true;
}

void Binding::end_code_set_query(bool replied) {
  {
    std::lock_guard lock(mutex_);
    code_set_query_ = replied ? CodeSetQuery::replied : CodeSetQuery::not_sent;
  }
  code_set_query_ended_.notify_all();
}

void Binding::learn_char_code_set(const std::shared_ptr<const Target>& target,
                                  cdr::CharCodeSet code_set) {
  std::lock_guard lock(mutex_);
  if (target_ != target) {
    return;
  }
  auto learned = std::make_shared<Target>(*target);
  learned->char_code_set = code_set;
  learned->code_sets_known = true;
  target_ = std::move(learned);
}

void Binding::forward(giop::IorData forward) {
  std::lock_guard lock(mutex_);
  current_ = std::move(forward);
  target_.reset();
}

std::chrono::milliseconds Binding::call_timeout() const {
  std::lock_guard lock(mutex_);
  return timeout_;
}

void Binding::set_call_timeout(std::chrono::milliseconds timeout) {
  std::lock_guard lock(mutex_);
  timeout_ = timeout;
}

namespace {

constexpr int kMaxForwards = 8;

/// The CodeSets service context: `char_code_set` for char data, UTF-16 for wchar data.
giop::ServiceContext code_sets_context(cdr::CharCodeSet char_code_set) {
  cdr::Encoder encoder(cdr::kNativeByteOrder);
  encoder.write_octet(static_cast<uint8_t>(cdr::kNativeByteOrder));
  encoder.write_ulong(char_code_set == cdr::CharCodeSet::utf8 ? ior::kCodeSetUtf8
                                                              : ior::kCodeSetIso8859_1);
  encoder.write_ulong(ior::kCodeSetUtf16);
  return giop::ServiceContext{giop::kCodeSetsContext, encoder.take_bytes()};
}

/// Byte blocks from this size on are sent from the caller's values instead
/// of being copied into the request: the call writes the request before it
/// returns, while those values are alive.
constexpr size_t kBorrowedBlockBytes = 64 * 1024;

giop::OutgoingMessage build_request(ClientConnection& connection, uint32_t request_id,
                                    const Binding::Target& target, std::string_view operation,
                                    bool response_expected, ArgumentWriter write) {
  giop::RequestHeader header;
  header.request_id = request_id;
  header.response_flags = response_expected ? giop::kResponseExpected : giop::kResponseNone;
  header.target = giop::KeyAddr{target.object_key};
  header.operation = operation;
  if (connection.needs_code_sets_context()) {
    header.service_context.push_back(code_sets_context(target.char_code_set));
  }
  giop::MessageWriter writer = giop::encode_request(giop::kGiop12, cdr::kNativeByteOrder, header);
  writer.encoder().set_char_code_set(target.char_code_set);
  writer.encoder().borrow_blocks_from(kBorrowedBlockBytes);
  write(writer.encoder());
  return writer.finish_borrowing();
}

std::optional<Clock::time_point> deadline_for(const Binding& binding, const OrbCore& core) {
  std::chrono::milliseconds timeout = binding.call_timeout();
  if (timeout.count() == 0) {
    timeout = core.options().call_timeout;
  }
  if (timeout.count() == 0) {
    return std::nullopt;
  }
  return Clock::now() + timeout;
}

[[noreturn]] void raise_user_exception(cdr::Decoder& body, std::span<const UserExceptionType> types,
                                       std::string_view operation) {
  std::string id = body.read_string(0, "user exception id");
  for (const UserExceptionType& type : types) {
    if (type.repository_id == id) {
      type.raise(body);
    }
  }
  throw UNKNOWN(minor::kUnlistedUserException, CompletionStatus::yes,
                "operation '" + std::string(operation) + "' raised '" + id +
                    "', which its raises clause does not list");
}

/// Raises the system exception in a reply, with a message that names the
/// server and the operation, which the wire form does not carry.
[[noreturn]] void raise_system_exception(cdr::Decoder& body, std::string_view operation,
                                         const std::string& peer) {
  std::unique_ptr<SystemException> received = giop::decode_system_exception(body);
  std::string message = "raised by " + peer + " for operation '" + std::string(operation) + "'";
  if (dynamic_cast<const BAD_OPERATION*>(received.get()) != nullptr) {
    message +=
        "; the object there has no such operation, so the reference names another object "
        "than intended, or client and server were built from different IDL";
  } else if (dynamic_cast<const OBJECT_NOT_EXIST*>(received.get()) != nullptr) {
    message += "; no object with the reference's key is active there";
  }
  make_system_exception(received->repository_id(), received->minor(), received->completed(),
                        std::move(message))
      ->raise();
  std::terminate();  // raise() always throws; the compiler cannot see through the virtual call
}

}  // namespace

namespace {

/// Asks the server, with a LocateRequest, for the code sets that the
/// target's profile does not name (a reference made from a corbaloc: URL).
/// This ORB's server replies on a connection that has not chosen code sets
/// yet with OBJECT_FORWARD to the object's full reference. Only the code
/// sets are taken from it: its address may not be reachable from here,
/// where the URL's was. Any other reply leaves ISO-8859-1, the default.
void query_code_sets(Binding& binding, const std::shared_ptr<const Binding::Target>& target,
                     ClientConnection& connection, std::optional<Clock::time_point> deadline) {
  giop::LocateRequestHeader header;
  header.request_id = connection.next_request_id();
  header.target = giop::KeyAddr{target->object_key};
  giop::Message reply = connection.call(
      header.request_id, giop::encode_locate_request(giop::kGiop12, cdr::kNativeByteOrder, header),
      deadline);
  giop::MessageReader reader(reply.bytes);
  giop::LocateReplyHeader answer = reader.read_locate_reply_header();
  if (answer.locate_status != giop::LocateStatus::OBJECT_FORWARD &&
      answer.locate_status != giop::LocateStatus::OBJECT_FORWARD_PERM) {
    return;
  }
  giop::IorData forward;
  giop::decode(reader.decoder(), forward);
  std::optional<ior::IiopProfile> profile = ior::find_iiop_profile(forward);
  if (profile && ior::find_code_sets(*profile)) {
    binding.learn_char_code_set(target, negotiate_char_code_set(*profile));
  }
}

/// Returns `current`, the binding's target, or the target after a code-set
/// query. When its profile names no code sets and `connection` has not
/// chosen them, the first call of the binding first queries the server with
/// query_code_sets(). Calls made meanwhile wait for its reply, and a call
/// after a failed query sends it again.
std::shared_ptr<const Binding::Target> target_with_code_sets(
    Binding& binding, OrbCore& core, std::shared_ptr<const Binding::Target> current,
    ClientConnection& connection) {
  if (current->code_sets_known || !connection.needs_code_sets_context()) {
    return current;
  }
  if (!binding.claim_code_set_query()) {
    return binding.target();  // another call's query has ended
  }
  try {
    query_code_sets(binding, current, connection, deadline_for(binding, core));
  } catch (...) {
    binding.end_code_set_query(false);
    throw;
  }
  binding.end_code_set_query(true);
  return binding.target();
}

}  // namespace

namespace {

/// Turns a reply into the call's outcome: hands a NO_EXCEPTION body to
/// `read` and returns true, raises the exception that the reply carries, or
/// points `binding` at a forwarded reference and returns false, so that the
/// call is sent again.
bool handle_reply(Binding& binding, OrbCore& core, const Binding::Target& target,
                  const std::string& peer, giop::Message& reply, std::string_view operation,
                  ResultReader read, std::span<const UserExceptionType> exceptions) {
  if (!reply.detached.empty()) {
    core.count_blocks_received(reply.detached.size());
  }
  giop::MessageReader reader(reply);
  reader.decoder().set_context(&core);
  giop::ReplyHeader header = reader.read_reply_header();
  cdr::Decoder& body = reader.decoder();
  body.set_char_code_set(target.char_code_set);
  switch (header.reply_status) {
    case giop::ReplyStatus::NO_EXCEPTION:
      read(body);
      return true;
    case giop::ReplyStatus::USER_EXCEPTION:
      raise_user_exception(body, exceptions, operation);
    case giop::ReplyStatus::SYSTEM_EXCEPTION:
      raise_system_exception(body, operation, peer);
    case giop::ReplyStatus::LOCATION_FORWARD:
    case giop::ReplyStatus::LOCATION_FORWARD_PERM: {
      giop::IorData forward;
      giop::decode(body, forward);
      binding.forward(std::move(forward));
      return false;
    }
    case giop::ReplyStatus::NEEDS_ADDRESSING_MODE:
      throw NO_IMPLEMENT(minor::kUnsupportedInVersion, CompletionStatus::no,
                         "server " + peer + " asked for another GIOP addressing mode");
  }
  throw MARSHAL(minor::kInvalidValue, CompletionStatus::maybe,
                "reply status " + std::to_string(static_cast<uint32_t>(header.reply_status)) +
                    " from " + peer);
}

[[noreturn]] void raise_forward_loop(std::string_view operation) {
  throw TRANSIENT(minor::kForwardLoop, CompletionStatus::no,
                  "operation '" + std::string(operation) + "' was forwarded more than " +
                      std::to_string(kMaxForwards) + " times");
}

}  // namespace

/// Runs one two-way call and hands the reply body to `read`. Follows
/// LOCATION_FORWARD replies up to kMaxForwards times.
void invoke(Binding& binding, std::string_view operation, ArgumentWriter write, ResultReader read,
            std::span<const UserExceptionType> exceptions) {
  std::shared_ptr<OrbCore> core = binding.core();
  // One deadline for the whole call: connecting, forwards and replies.
  std::optional<Clock::time_point> deadline = deadline_for(binding, *core);
  for (int forwards = 0; forwards <= kMaxForwards; ++forwards) {
    std::shared_ptr<const Binding::Target> current = binding.target();
    std::shared_ptr<ClientConnection> connection = core->connection_to(*current, deadline);
    current = target_with_code_sets(binding, *core, std::move(current), *connection);
    const Binding::Target& target = *current;
    uint32_t request_id = connection->next_request_id();
    giop::OutgoingMessage request =
        build_request(*connection, request_id, target, operation, true, write);
    core->count_call(*connection);
    giop::Message reply = connection->call(request_id, request, deadline);
    if (handle_reply(binding, *core, target, connection->peer(), reply, operation, read,
                     exceptions)) {
      return;
    }
  }
  raise_forward_loop(operation);
}

/// An asynchronous call: what it sends, and where its outcome goes.
struct AsyncCall {
  std::shared_ptr<Binding> binding;
  std::string operation;
  std::vector<UserExceptionType> exceptions;
  std::vector<uint8_t> arguments;  // the encoded body of the request
  std::function<void(cdr::Decoder* results, std::exception_ptr error)> completion;
  std::optional<Clock::time_point> deadline;  // of the whole call, forwards included
  int forwards = 0;
};

/// Sends `call` on the connection to its binding's target, without waiting
/// for the reply. Its completion runs once, with the results or the error.
void send_async(const std::shared_ptr<AsyncCall>& call) {
  try {
    std::shared_ptr<OrbCore> core = call->binding->core();
    std::shared_ptr<const Binding::Target> current = call->binding->target();
    std::shared_ptr<ClientConnection> connection = core->connection_to(*current, call->deadline);
    current = target_with_code_sets(*call->binding, *core, std::move(current), *connection);
    uint32_t request_id = connection->next_request_id();
    giop::OutgoingMessage request =
        build_request(*connection, request_id, *current, call->operation, true,
                      [&](cdr::Encoder& out) { out.write_octets(call->arguments); });
    core->count_call(*connection);
    connection->call_async(
        request_id, request, call->deadline,
        [call, current, peer = connection->peer(), weak_core = std::weak_ptr<OrbCore>(core)](
            giop::Message* reply, std::exception_ptr error) {
          if (error) {
            call->completion(nullptr, error);
            return;
          }
          try {
            std::shared_ptr<OrbCore> core = weak_core.lock();
            if (!core) {
              throw BAD_INV_ORDER(
                  minor::kOrbShutDown, CompletionStatus::maybe,
                  "the ORB was destroyed before the reply to '" + call->operation + "' was read");
            }
            bool done = handle_reply(
                *call->binding, *core, *current, peer, *reply, call->operation,
                [&](cdr::Decoder& in) { call->completion(&in, nullptr); }, call->exceptions);
            if (!done) {
              if (++call->forwards > kMaxForwards) {
                raise_forward_loop(call->operation);
              }
              send_async(call);
            }
          } catch (...) {
            call->completion(nullptr, std::current_exception());
          }
        });
  } catch (...) {
    call->completion(nullptr, std::current_exception());
  }
}

void send_oneway(Binding& binding, std::string_view operation, ArgumentWriter write) {
  std::shared_ptr<OrbCore> core = binding.core();
  std::shared_ptr<const Binding::Target> current = binding.target();
  std::shared_ptr<ClientConnection> connection = core->connection_to(*current);
  // A oneway request gets no reply to learn from, so the query precedes it.
  current = target_with_code_sets(binding, *core, std::move(current), *connection);
  const Binding::Target& target = *current;
  uint32_t request_id = connection->next_request_id();
  core->count_call(*connection);
  connection->send_oneway(build_request(*connection, request_id, target, operation, false, write));
}

void encode_object(cdr::Encoder& encoder, const Object* object) {
  if (object == nullptr) {
    giop::encode(encoder, giop::IorData{});
    return;
  }
  giop::encode(encoder, object->_ior());
}

ObjectRef decode_object(cdr::Decoder& decoder) {
  giop::IorData ior;
  giop::decode(decoder, ior);
  if (ior.is_nil()) {
    return nullptr;
  }
  if (auto* core = dynamic_cast<OrbCore*>(decoder.context())) {
    return core->make_object(std::move(ior));
  }
  return std::make_shared<Object>(std::make_shared<Binding>(std::weak_ptr<OrbCore>(), ior));
}

}  // namespace detail

Object::Object(std::shared_ptr<detail::Binding> binding) noexcept : binding_(std::move(binding)) {}

Object::~Object() = default;

const giop::IorData& Object::_ior() const noexcept {
  return binding_->ior();
}

void Object::_set_call_timeout(std::chrono::milliseconds timeout) {
  binding_->set_call_timeout(timeout);
}

bool Object::_is_a(std::string_view repository_id) const {
  if (repository_id == _repository_id || repository_id == _ior().type_id) {
    return true;
  }
  bool result = false;
  _orb_invoke(
      "_is_a", [&](cdr::Encoder& out) { out.write_string(repository_id); },
      [&](cdr::Decoder& in) { result = in.read_boolean(); }, {});
  return result;
}

bool Object::_non_existent() const {
  bool result = false;
  try {
    _orb_invoke(
        "_non_existent", [](cdr::Encoder&) {},
        [&](cdr::Decoder& in) { result = in.read_boolean(); }, {});
  } catch (const OBJECT_NOT_EXIST&) {
    return true;
  }
  return result;
}

void Object::_orb_invoke(std::string_view operation, ArgumentWriter write, ResultReader read,
                         std::span<const UserExceptionType> exceptions) const {
  detail::invoke(*binding_, operation, write, read, exceptions);
}

void Object::_orb_send_oneway(std::string_view operation, ArgumentWriter write) const {
  detail::send_oneway(*binding_, operation, write);
}

void Object::_orb_invoke_async_raw(std::string_view operation, ArgumentWriter write,
                                   std::span<const UserExceptionType> exceptions,
                                   Completion completion) const {
  // The arguments are encoded now, while the caller's values are alive. A
  // GIOP 1.2 request body starts 8-aligned, so bytes encoded from offset 0
  // have the same padding there.
  std::shared_ptr<detail::OrbCore> core = binding_->core();
  std::optional<detail::Clock::time_point> deadline = detail::deadline_for(*binding_, *core);
  std::shared_ptr<const detail::Binding::Target> target = binding_->target();
  if (!target->code_sets_known) {
    // The text is encoded here, so the code sets are queried first. A failed
    // query (or connection) fails the call through `completion`.
    try {
      std::shared_ptr<detail::ClientConnection> connection = core->connection_to(*target, deadline);
      target = detail::target_with_code_sets(*binding_, *core, std::move(target), *connection);
    } catch (const SystemException&) {
      completion(nullptr, std::current_exception());
      return;
    }
  }
  cdr::Encoder arguments(cdr::kNativeByteOrder);
  arguments.set_char_code_set(target->char_code_set);
  write(arguments);
  auto call = std::make_shared<detail::AsyncCall>(
      detail::AsyncCall{binding_, std::string(operation),
                        std::vector<UserExceptionType>(exceptions.begin(), exceptions.end()),
                        arguments.take_bytes(), std::move(completion), deadline});
  // With a connection at hand, the request is written on this thread.
  // Connecting could take up to -ORBConnectTimeout, so a cached thread
  // does it instead, and later calls queue behind it to keep their order.
  // No thread waits for the reply.
  std::shared_ptr<detail::ClientConnection> connected;
  try {
    connected = core->connection_to(*target, std::nullopt, false);
  } catch (const SystemException&) {
    // send_async() raises it again and hands it to the completion.
  }
  core->send_in_order([call] { detail::send_async(call); }, connected != nullptr);
}

}  // namespace orb
