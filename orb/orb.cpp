// Orb and OrbCore: options, the connection cache, listening, initial
// references and shutdown.
#include <orb/orb.hpp>

#include <orb/client/binding.hpp>
#include <orb/detail/log.hpp>
#include <orb/detail/orb_core.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/corbaloc.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>
#include <orb/ior/shm_component.hpp>
#include <orb/minor.hpp>
#include <orb/transport/spin_budget.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

#include <malloc.h>

namespace orb {
namespace detail {
namespace {

/// ORB type id in our IORs ("ORB\0"). NOTE: not registered with the OMG.
constexpr uint32_t kOurOrbType = 0x4f524200;

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("orb");
  return instance;
}

/// Sets glibc's M_TOP_PAD for the process, so that freeing a large message
/// buffer leaves its pages mapped for the next one. Setting M_TOP_PAD also
/// freezes glibc's mmap threshold at 128 KiB. Every larger buffer would then
/// be mapped and unmapped on each call, so the threshold is set as well.
void keep_heap_slack(size_t bytes) {
  // AddressSanitizer's allocator replaces glibc's and refuses mallopt().
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  // glibc refuses thresholds above half its 64 MiB arena size on 64-bit hosts.
  constexpr size_t kHighestMmapThreshold = 32 * 1024 * 1024;
  size_t threshold = std::min(bytes, kHighestMmapThreshold);
  if (bytes > 0 && (::mallopt(M_TOP_PAD, static_cast<int>(bytes)) != 1 ||
                    ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(threshold)) != 1)) {
    logger()->warn(
        "-ORBMallocTopPad {}: mallopt(M_TOP_PAD or M_MMAP_THRESHOLD) failed; large messages "
        "may run slower",
        bytes);
  }
#else
  (void)bytes;
#endif
}

}  // namespace

OrbCore::OrbCore(OrbOptions options)
    : options_(std::move(options)), adapter_(*this), dispatcher_(make_dispatcher(*this)) {
  spdlog::set_level(spdlog::level::from_str(options_.log_level));
  keep_heap_slack(options_.malloc_top_pad);
  if (!options_.spin) {
    forbid_spinning();
  }
  if (!options_.listen.empty()) {
    start_listening();
  }
  // Clients need the loop too: asynchronous calls wait for replies on it.
  loop_.start(options_.threads);
}

OrbCore::~OrbCore() {
  shutdown(true);
}

void OrbCore::start_listening() {
  TcpServerLimits limits{options_.max_message_size, options_.max_connections,
                         options_.max_requests_per_connection, options_.idle_timeout};
  server_ = std::make_unique<TcpServer>(loop_, *dispatcher_, limits);
  for (const std::string& endpoint : options_.listen) {
    addresses_.push_back(server_->listen(endpoint));
  }
  if (options_.shm != "off" && !host_identity().empty()) {
    ShmServerLimits shm_limits{
        options_.shm_directory.empty() ? default_shm_directory() : options_.shm_directory,
        options_.shm_ring_size, options_.max_message_size, options_.max_connections,
        std::max<size_t>(2, options_.max_requests_per_connection)};
    shm_server_ = std::make_unique<ShmServer>(*dispatcher_, shm_limits);
    try {
      shm_socket_ = shm_server_->listen("iiop-" + addresses_.front().host + "-" +
                                        std::to_string(addresses_.front().port));
    } catch (const SystemException& error) {
      // Clients still reach this ORB over TCP.
      logger()->warn("not offering shared memory: {}", error.what());
      shm_server_.reset();
    }
  }
}

ObjectRef OrbCore::make_object(giop::IorData ior) {
  return std::make_shared<Object>(std::make_shared<Binding>(weak_from_this(), std::move(ior)));
}

std::shared_ptr<ClientConnection> OrbCore::cached_or_new(
    const std::string& key, const std::function<std::shared_ptr<ClientConnection>()>& connect) {
  {
    std::lock_guard lock(connections_mutex_);
    auto found = connections_.find(key);
    if (found != connections_.end() && found->second->usable()) {
      return found->second;
    }
  }
  if (!connect) {
    return nullptr;
  }
  // Connect outside the lock so one slow peer does not hold up calls to others.
  std::shared_ptr<ClientConnection> connection = connect();
  std::lock_guard lock(connections_mutex_);
  // shutdown() sets its flag before it closes the cached connections under
  // this lock, so a connection made meanwhile is closed either here or there.
  if (is_shut_down()) {
    connection->close("the ORB is shutting down");
    throw BAD_INV_ORDER(minor::kOrbShutDown, CompletionStatus::no,
                        "the ORB shut down while connecting to " + key);
  }
  auto [slot, inserted] = connections_.try_emplace(key, connection);
  if (!inserted) {
    if (slot->second->usable()) {
      return slot->second;  // another thread connected first; ours closes unused
    }
    slot->second = connection;
  }
  return connection;
}

std::chrono::milliseconds OrbCore::connect_timeout(std::optional<Clock::time_point> deadline,
                                                   const std::string& peer) const {
  if (!deadline) {
    return options_.connect_timeout;
  }
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
  if (left.count() <= 0) {
    throw TIMEOUT(minor::kCallTimedOut, CompletionStatus::no,
                  "the call's deadline passed before a connection to " + peer + " was made");
  }
  return std::min(options_.connect_timeout, left);
}

std::shared_ptr<ClientConnection> OrbCore::try_shm(const Binding::Target& target,
                                                   std::optional<Clock::time_point> deadline,
                                                   bool connect) {
  const std::string& path = target.shm->socket_path;
  std::function<std::shared_ptr<ClientConnection>()> connector;
  if (connect) {
    connector = [&] {
      auto connection =
          std::make_shared<ClientConnection>(connect_shm(path, connect_timeout(deadline, path)),
                                             path, options_.max_message_size, task_runner());
      ++shm_connections_;
      logger()->debug("connected to {}:{} through shared memory at {}", target.host, target.port,
                      path);
      return connection;
    };
  }
  try {
    return cached_or_new("shm:" + path, connector);
  } catch (const TIMEOUT&) {
    throw;  // the call's deadline passed; TCP would not connect in time either
  } catch (const SystemException& error) {
    if (options_.shm == "only") {
      throw;
    }
    std::lock_guard lock(connections_mutex_);
    if (shm_failures_.insert(path).second) {
      logger()->info("shared memory to {}:{} failed, using TCP: {}", target.host, target.port,
                     error.what());
    }
    return nullptr;
  }
}

std::shared_ptr<ClientConnection> OrbCore::connection_to(const Binding::Target& target,
                                                         std::optional<Clock::time_point> deadline,
                                                         bool connect) {
  bool same_host =
      target.shm && !host_identity().empty() && target.shm->host_identity == host_identity();
  if (options_.shm != "off" && same_host) {
    if (std::shared_ptr<ClientConnection> connection = try_shm(target, deadline, connect)) {
      return connection;
    }
  } else if (options_.shm == "only") {
    throw TRANSIENT(minor::kConnectFailed, CompletionStatus::no,
                    "-ORBShm only, but " + target.host + ":" + std::to_string(target.port) +
                        " offers no shared memory on this host");
  }
  std::string key =
      (target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host) + ":" +
      std::to_string(target.port);
  std::function<std::shared_ptr<ClientConnection>()> connector;
  if (connect) {
    connector = [&] {
      auto connection = std::make_shared<ClientConnection>(
          connect_tcp(target.host, target.port, connect_timeout(deadline, key)), key,
          options_.max_message_size, task_runner());
      ++tcp_connections_;
      logger()->debug("connected to {} over TCP", key);
      return connection;
    };
  }
  return cached_or_new(key, connector);
}

void OrbCore::send_in_order(std::function<void()> send, bool may_run_here) {
  {
    std::lock_guard lock(sends_mutex_);
    if (!may_run_here || draining_sends_ || !queued_sends_.empty()) {
      queued_sends_.push_back(std::move(send));
      if (draining_sends_) {
        return;  // the draining thread takes it
      }
      draining_sends_ = true;
      send = nullptr;
    }
  }
  if (send) {
    send();
    return;
  }
  if (!run_waiting_task([self = shared_from_this()] { self->drain_sends(); })) {
    drain_sends();  // shut down: each send fails at once through its completion
  }
}

void OrbCore::drain_sends() {
  while (true) {
    std::function<void()> send;
    {
      std::lock_guard lock(sends_mutex_);
      if (queued_sends_.empty()) {
        draining_sends_ = false;
        return;
      }
      send = std::move(queued_sends_.front());
      queued_sends_.pop_front();
    }
    send();
  }
}

ClientConnection::TaskRunner OrbCore::task_runner() {
  // Weak, so that a connection kept alive by its reader task does not keep the ORB alive.
  return [weak = weak_from_this()](std::function<void()> task) {
    std::shared_ptr<OrbCore> core = weak.lock();
    return core && core->run_waiting_task(std::move(task));
  };
}

TransportStatistics OrbCore::statistics() const {
  return TransportStatistics{tcp_connections_.load(), shm_connections_.load(), tcp_calls_.load(),
                             shm_calls_.load(), shm_blocks_received_.load()};
}

void OrbCore::count_call(const ClientConnection& connection) {
  ++(std::string_view(connection.transport()) == "shm" ? shm_calls_ : tcp_calls_);
}

void OrbCore::count_blocks_received(size_t blocks) {
  shm_blocks_received_ += blocks;
}

giop::IorData OrbCore::make_local_ior(std::string_view type_id, const std::string& key) const {
  ior::IiopProfile profile;
  profile.version = {1, 2};
  profile.host = addresses_.front().host;
  profile.port = addresses_.front().port;
  profile.object_key.assign(key.begin(), key.end());
  profile.components.push_back(
      ior::encode_component(ior::OrbTypeComponent{kOurOrbType}, cdr::kNativeByteOrder));
  ior::CodeSetComponentInfo code_sets{{ior::kCodeSetUtf8, {ior::kCodeSetIso8859_1}},
                                      {ior::kCodeSetUtf16, {}}};
  profile.components.push_back(ior::encode_component(code_sets, cdr::kNativeByteOrder));
  if (!shm_socket_.empty()) {
    profile.components.push_back(ior::encode_shm_endpoint(
        ior::ShmEndpoint{host_identity(), shm_socket_}, cdr::kNativeByteOrder));
  }
  for (size_t i = 1; i < addresses_.size(); ++i) {
    profile.components.push_back(ior::encode_component(
        ior::AlternateIiopAddress{addresses_[i].host, addresses_[i].port}, cdr::kNativeByteOrder));
  }
  return ior::make_ior(std::string(type_id), profile);
}

void OrbCore::run() {
  std::unique_lock lock(state_mutex_);
  shut_down_changed_.wait(lock, [this] { return shut_down_; });
}

void OrbCore::shutdown(bool wait_for_completion) {
  {
    std::lock_guard lock(state_mutex_);
    if (shut_down_) {
      return;
    }
    shut_down_ = true;
  }
  shut_down_changed_.notify_all();
  if (server_) {
    server_->close();
  }
  if (shm_server_) {
    shm_server_->close();
  }
  {
    std::lock_guard lock(connections_mutex_);
    for (auto& [key, connection] : connections_) {
      connection->close("the ORB is shutting down");
    }
    connections_.clear();
  }
  if (wait_for_completion) {
    if (server_) {
      server_->wait();
    }
    // The connections are closed, so waiting asynchronous calls end now.
    waiting_tasks_.stop();
    loop_.stop();
  }
  logger()->debug("ORB shut down");
}

void OrbCore::set_name_resolver(NameResolver resolver) {
  std::lock_guard lock(state_mutex_);
  name_resolver_ = std::move(resolver);
}

OrbCore::NameResolver OrbCore::name_resolver() const {
  std::lock_guard lock(state_mutex_);
  return name_resolver_;
}

bool OrbCore::is_shut_down() const {
  std::lock_guard lock(state_mutex_);
  return shut_down_;
}

}  // namespace detail

namespace {

/// The object a corbaname: URL names: its naming context, or what the
/// name resolves to there.
ObjectRef resolve_corbaname(Orb& orb, const ior::Corbaname& url, std::string_view text) {
  const ior::Corbaloc& location = url.naming_context;
  ObjectRef context = location.rir ? orb.resolve_initial_references(std::string(
                                         location.object_key.begin(), location.object_key.end()))
                                   : orb.core().make_object(ior::to_ior(location));
  if (url.name.empty()) {
    return context;
  }
  detail::OrbCore::NameResolver resolver = orb.core().name_resolver();
  if (!resolver) {
    throw NO_IMPLEMENT(minor::kNoNameResolver, CompletionStatus::no,
                       "cannot resolve the name in '" + std::string(text) +
                           "': no name resolver is installed; link orb::naming and call "
                           "orb::naming::enable_corbaname(orb)");
  }
  return resolver(context, url.name);
}

}  // namespace

Orb::Orb(int& argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  OrbOptions options = parse_options(arguments, process_environment());
  // parse_options() has checked that every -ORB option has its value; drop both.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]).starts_with("-ORB")) {
      ++i;
      continue;
    }
    argv[kept++] = argv[i];
  }
  argc = kept;
  core_ = std::make_shared<detail::OrbCore>(std::move(options));
}

Orb::Orb(OrbOptions options) : core_(std::make_shared<detail::OrbCore>(std::move(options))) {}

Orb::~Orb() {
  core_->shutdown(true);
}

void Orb::run() {
  core_->run();
}

void Orb::shutdown(bool wait_for_completion) {
  core_->shutdown(wait_for_completion);
}

ObjectRef Orb::string_to_object(std::string_view text) {
  std::string scheme(text.substr(0, text.find(':') + 1));
  for (char& c : scheme) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (scheme == "corbaloc:") {
    ior::Corbaloc location = ior::parse_corbaloc(text);
    if (location.rir) {
      return resolve_initial_references(
          std::string(location.object_key.begin(), location.object_key.end()));
    }
    return core_->make_object(ior::to_ior(location));
  }
  if (scheme == "corbaname:") {
    return resolve_corbaname(*this, ior::parse_corbaname(text), text);
  }
  if (scheme != "ior:") {
    std::string shown(text.substr(0, 80));
    throw BAD_PARAM(minor::kBadSchemeName, CompletionStatus::no,
                    "object reference '" + shown + (text.size() > 80 ? "...'" : "'") +
                        ": expected a stringified IOR (IOR:...), a corbaloc: URL or a "
                        "corbaname: URL");
  }
  giop::IorData ior = ior::parse_ior_string(text);
  return ior.is_nil() ? nullptr : core_->make_object(std::move(ior));
}

void Orb::set_name_resolver(NameResolver resolver) {
  core_->set_name_resolver(std::move(resolver));
}

std::string Orb::object_to_string(const ObjectRef& object) const {
  return ior::to_string(object ? object->_ior() : giop::IorData{});
}

ObjectRef Orb::resolve_initial_references(std::string_view name) {
  const OrbOptions& options = core_->options();
  auto found = options.initial_references.find(std::string(name));
  if (found != options.initial_references.end()) {
    return string_to_object(found->second);
  }
  if (!options.default_initial_reference.empty()) {
    return string_to_object(options.default_initial_reference + "/" + std::string(name));
  }
  throw BAD_PARAM(minor::kBadOption, CompletionStatus::no,
                  "no initial reference named '" + std::string(name) +
                      "'; configure it with -ORBInitRef " + std::string(name) + "=URL");
}

TransportStatistics Orb::statistics() const {
  return core_->statistics();
}

ObjectAdapter& Orb::adapter() {
  return core_->adapter();
}

const OrbOptions& Orb::options() const noexcept {
  return core_->options();
}

}  // namespace orb
