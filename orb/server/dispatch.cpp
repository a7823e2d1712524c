// Request dispatch: decodes a Request, finds the servant by object key,
// answers the operations every object has (_is_a, _non_existent), runs the
// servant's upcall and encodes its outcome as a Reply: results, a user
// exception, or a system exception. C++ exceptions that are not CORBA
// exceptions become UNKNOWN and are logged with the operation's name.
#include <orb/detail/log.hpp>
#include <orb/detail/orb_core.hpp>
#include <orb/giop/messages.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/minor.hpp>

#include <spdlog/spdlog.h>

#include <optional>

namespace orb::detail {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("orb.giop");
  return instance;
}

/// The object key a request or locate request addresses.
std::string object_key(const giop::TargetAddress& target) {
  if (const auto* key = std::get_if<giop::KeyAddr>(&target)) {
    return {key->object_key.begin(), key->object_key.end()};
  }
  const giop::TaggedProfile* profile = nullptr;
  if (const auto* by_profile = std::get_if<giop::ProfileAddr>(&target)) {
    profile = &by_profile->profile;
  } else {
    const auto& reference = std::get<giop::ReferenceAddr>(target);
    if (reference.selected_profile_index < reference.ior.profiles.size()) {
      profile = &reference.ior.profiles[reference.selected_profile_index];
    }
  }
  if (profile == nullptr || profile->tag != giop::kTagInternetIop) {
    return {};
  }
  std::vector<uint8_t> key = ior::decode_iiop_profile(profile->profile_data).object_key;
  return {key.begin(), key.end()};
}

/// The char code set id of the request's CodeSets service context, or 0
/// when it has none. The context data is an encapsulation of
/// CONV_FRAME::CodeSetContext: char_data, then wchar_data.
uint32_t requested_char_code_set(const giop::ServiceContextList& contexts) {
  for (const giop::ServiceContext& context : contexts) {
    if (context.context_id != giop::kCodeSetsContext) {
      continue;
    }
    cdr::Decoder decoder(context.context_data, cdr::ByteOrder::big_endian);
    uint8_t order = decoder.read_octet("CodeSets context byte order");
    if (order > 1) {
      decoder.fail(minor::kInvalidValue, "CodeSets context byte order",
                   "value " + std::to_string(order) + " is neither 0 nor 1");
    }
    decoder.set_byte_order(static_cast<cdr::ByteOrder>(order));
    return decoder.read_ulong("CodeSets context char_data");
  }
  return 0;
}

/// The char transmission code set of a request: the one its CodeSets
/// context names, else the one an earlier request of the connection named,
/// else ISO-8859-1, which CORBA prescribes when the client names none (as
/// in GIOP 1.0). Raises CODESET_INCOMPATIBLE for a code set we cannot convert.
cdr::CharCodeSet char_code_set_of(const giop::RequestHeader& header,
                                  ServerConnectionState& connection) {
  uint32_t id = requested_char_code_set(header.service_context);
  if (id != 0) {
    connection.char_code_set.store(id);
  } else {
    id = connection.char_code_set.load();
  }
  if (id == 0 || id == ior::kCodeSetIso8859_1) {
    return cdr::CharCodeSet::iso8859_1;
  }
  if (id == ior::kCodeSetUtf8) {
    return cdr::CharCodeSet::utf8;
  }
  throw CODESET_INCOMPATIBLE(minor::kUnsupportedCodeSet, CompletionStatus::no,
                             "client " + connection.peer + " chose char code set " +
                                 std::to_string(id) +
                                 ", but this server converts only UTF-8 and ISO-8859-1");
}

giop::ReplyHeader reply_header(uint32_t request_id, giop::ReplyStatus status) {
  giop::ReplyHeader header;
  header.request_id = request_id;
  header.reply_status = status;
  return header;
}

/// Byte sequences from this size on that a skeleton gives up are sent from
/// where they lie instead of being copied into the reply.
constexpr size_t kKeptBlockBytes = 64 * 1024;

class Upcall final : public ServerRequest {
 public:
  Upcall(const giop::RequestHeader& header, giop::Version version, cdr::Decoder& arguments,
         std::function<void()>& on_reply_lost)
      : header_(header), version_(version), arguments_(arguments), on_lost_(on_reply_lost) {}

  std::string_view operation() const noexcept override { return header_.operation; }
  cdr::Decoder& arguments() noexcept override { return arguments_; }
  cdr::Encoder& results() override {
    writer_.emplace(
        giop::encode_reply(version_, cdr::kNativeByteOrder,
                           reply_header(header_.request_id, giop::ReplyStatus::NO_EXCEPTION)));
    writer_->encoder().set_char_code_set(arguments_.char_code_set());
    writer_->encoder().keep_blocks_from(kKeptBlockBytes);
    return writer_->encoder();
  }

  void on_reply_lost(std::function<void()> action) override { on_lost_ = std::move(action); }

  /// The NO_EXCEPTION reply, with a body only if results() was called.
  giop::OutgoingMessage finish_reply() {
    if (!writer_) {
      results();
    }
    return writer_->finish_borrowing();
  }

 private:
  const giop::RequestHeader& header_;
  giop::Version version_;
  cdr::Decoder& arguments_;
  std::optional<giop::MessageWriter> writer_;
  std::function<void()>& on_lost_;  // outlives the upcall, which may end by an exception
};

thread_local ServerRequest* current = nullptr;

/// Makes a request the current one of this thread for the scope's lifetime.
class CurrentRequestScope {
 public:
  explicit CurrentRequestScope(ServerRequest& request) noexcept : previous_(current) {
    current = &request;
  }
  ~CurrentRequestScope() { current = previous_; }
  CurrentRequestScope(const CurrentRequestScope&) = delete;
  CurrentRequestScope& operator=(const CurrentRequestScope&) = delete;

 private:
  ServerRequest* previous_;
};

class Dispatcher final : public RequestHandler {
 public:
  explicit Dispatcher(OrbCore& core) : core_(core) {}

  HandledRequest handle(giop::Message& message, ServerConnectionState& connection) override {
    try {
      giop::MessageReader reader(message);
      reader.decoder().set_context(&core_);
      if (reader.header().type == giop::MessageType::LocateRequest) {
        return {locate(reader, connection), nullptr};
      }
      return request(reader, connection);
    } catch (const SystemException& error) {
      // The request header itself was undecodable, so there is no request id to reply to.
      logger()->warn("dropping undecodable request from {}: {}", connection.peer, error.what());
      return {};
    }
  }

 private:
  std::shared_ptr<Servant> find(const std::string& key) {
    std::shared_lock lock(core_.servants_mutex());
    auto found = core_.servants().find(key);
    return found == core_.servants().end() ? nullptr : found->second;
  }

  /// Builds the reply to a LocateRequest. The first on a connection that has not chosen
  /// its code sets, for an object that exists, gets OBJECT_FORWARD to the
  /// object's full reference. A client that knows it only by a corbaloc:
  /// URL (no code sets) learns from it that this server takes UTF-8, where
  /// it would otherwise send ISO-8859-1, the default.
  std::vector<uint8_t> locate(giop::MessageReader& reader, ServerConnectionState& connection) {
    giop::LocateRequestHeader header = reader.read_locate_request_header();
    giop::Version version = reader.header().version;
    giop::LocateReplyHeader reply;
    reply.request_id = header.request_id;
    std::string key = object_key(header.target);
    std::shared_ptr<Servant> servant = find(key);
    bool forward = servant && connection.char_code_set.load() == 0 &&
                   !connection.code_sets_forwarded.exchange(true);
    reply.locate_status = !servant  ? giop::LocateStatus::UNKNOWN_OBJECT
                          : forward ? giop::LocateStatus::OBJECT_FORWARD
                                    : giop::LocateStatus::OBJECT_HERE;
    giop::MessageWriter writer = giop::encode_locate_reply(version, cdr::kNativeByteOrder, reply);
    if (forward) {
      giop::encode(writer.encoder(), core_.make_local_ior(servant->_interface_id(), key));
    }
    return writer.finish();
  }

  HandledRequest request(giop::MessageReader& reader, ServerConnectionState& connection) {
    giop::RequestHeader header = reader.read_request_header();
    giop::Version version = reader.header().version;
    const std::string& peer = connection.peer;
    giop::OutgoingMessage reply;
    std::function<void()> on_reply_lost;
    try {
      reader.decoder().set_char_code_set(char_code_set_of(header, connection));
      reply = upcall(header, version, reader.decoder(), on_reply_lost);
    } catch (const UserException& error) {
      reply = user_exception_reply(header, version, reader.decoder().char_code_set(), error);
    } catch (const SystemException& error) {
      reply = system_exception_reply(header, version, error);
    } catch (const std::exception& error) {
      logger()->error("operation '{}' from {} failed with a non-CORBA exception: {}",
                      header.operation, peer, error.what());
      reply = system_exception_reply(header, version,
                                     UNKNOWN(minor::kServantFailed, CompletionStatus::maybe,
                                             "servant raised a C++ exception"));
    } catch (...) {
      logger()->error("operation '{}' from {} failed with an exception of unknown type",
                      header.operation, peer);
      reply = system_exception_reply(header, version,
                                     UNKNOWN(minor::kServantFailed, CompletionStatus::maybe,
                                             "servant raised a C++ exception"));
    }
    if (!header.response_expected()) {
      return {};
    }
    if (on_reply_lost) {
      // The transport calls the action and must not see it throw.
      on_reply_lost = [action = std::move(on_reply_lost), operation = header.operation, peer] {
        try {
          action();
        } catch (const std::exception& error) {
          logger()->error("reply-lost action of '{}' for {} failed: {}", operation, peer,
                          error.what());
        }
      };
    }
    return {std::move(reply), std::move(on_reply_lost)};
  }

  /// Runs the upcall and returns its reply; `on_reply_lost` receives the
  /// servant's action for an undelivered reply, even when it then raised.
  giop::OutgoingMessage upcall(const giop::RequestHeader& header, giop::Version version,
                               cdr::Decoder& arguments, std::function<void()>& on_reply_lost) {
    std::string key = object_key(header.target);
    std::shared_ptr<Servant> servant = find(key);
    if (!servant) {
      throw OBJECT_NOT_EXIST(minor::kObjectNotFound, CompletionStatus::no,
                             "no object with key '" + key + "'");
    }
    Upcall call(header, version, arguments, on_reply_lost);
    CurrentRequestScope scope(call);
    if (header.operation == "_is_a") {
      std::string id = arguments.read_string(0, "_is_a repository id");
      call.results().write_boolean(servant->_is_a(id));
    } else if (header.operation == "_non_existent" || header.operation == "_not_existent") {
      call.results().write_boolean(false);
    } else if (!servant->_orb_dispatch(call)) {
      throw BAD_OPERATION(minor::kUnknownOperation, CompletionStatus::no,
                          "interface " + std::string(servant->_interface_id()) +
                              " has no operation '" + header.operation + "'");
    }
    return call.finish_reply();
  }

  static std::vector<uint8_t> user_exception_reply(const giop::RequestHeader& header,
                                                   giop::Version version,
                                                   cdr::CharCodeSet char_code_set,
                                                   const UserException& error) {
    giop::MessageWriter writer =
        giop::encode_reply(version, cdr::kNativeByteOrder,
                           reply_header(header.request_id, giop::ReplyStatus::USER_EXCEPTION));
    writer.encoder().set_char_code_set(char_code_set);
    writer.encoder().write_string(error.repository_id());
    error._orb_encode_members(writer.encoder());
    return writer.finish();
  }

  static std::vector<uint8_t> system_exception_reply(const giop::RequestHeader& header,
                                                     giop::Version version,
                                                     const SystemException& error) {
    giop::MessageWriter writer =
        giop::encode_reply(version, cdr::kNativeByteOrder,
                           reply_header(header.request_id, giop::ReplyStatus::SYSTEM_EXCEPTION));
    giop::encode_system_exception(writer.encoder(), error);
    return writer.finish();
  }

  OrbCore& core_;
};

}  // namespace

}  // namespace orb::detail

namespace orb {

ServerRequest* current_request() noexcept {
  return detail::current;
}

}  // namespace orb

namespace orb::detail {

std::unique_ptr<RequestHandler> make_dispatcher(OrbCore& core) {
  return std::make_unique<Dispatcher>(core);
}

}  // namespace orb::detail
