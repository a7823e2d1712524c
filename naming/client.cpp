// Client helpers of the naming service: root context, string names,
// rebinding with intermediate contexts, corbaname: and LeaseKeeper.
#include <orb/naming/client.hpp>

#include <orb/detail/log.hpp>
#include <orb/minor.hpp>
#include <orb/naming/names.hpp>

#include <spdlog/spdlog.h>

namespace orb::naming {
namespace {

using CosNaming::NamingContext;

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("naming");
  return instance;
}

/// Creates every context named by a proper prefix of `name` that is missing.
void create_parents(const std::shared_ptr<NamingContext>& context, const CosNaming::Name& name) {
  CosNaming::Name prefix;
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    prefix.push_back(name[i]);
    try {
      context->bind_new_context(prefix);
    } catch (const NamingContext::AlreadyBound&) {
      // Bound already; if to an object, the final rebind reports not_context.
    }
  }
}

/// Runs `operation` and, when it fails because a context on the way is
/// missing, creates the missing contexts and runs it once more.
template <class Operation>
auto with_parents(const std::shared_ptr<NamingContext>& context, const CosNaming::Name& name,
                  Operation operation) {
  try {
    return operation();
  } catch (const NamingContext::NotFound& error) {
    if (error.why != NamingContext::NotFoundReason::missing_node ||
        error.rest_of_name.size() <= 1) {
      throw;
    }
  }
  create_parents(context, name);
  return operation();
}

}  // namespace

std::shared_ptr<CosNaming::NamingContextExt> root_context(Orb& orb) {
  enable_corbaname(orb);
  ObjectRef object = orb.resolve_initial_references("NameService");
  auto root = CosNaming::NamingContextExt::narrow(object);
  if (!root) {
    throw BAD_PARAM(minor::kNilReference, CompletionStatus::no,
                    "the NameService initial reference is not a naming context");
  }
  return root;
}

void enable_corbaname(Orb& orb) {
  orb.set_name_resolver([](const ObjectRef& context, const std::string& name) {
    return resolve_str(NamingContext::_unchecked_narrow(context), name);
  });
}

ObjectRef resolve_str(const std::shared_ptr<NamingContext>& context, std::string_view name) {
  // resolve() with a locally parsed name works with naming services that
  // predate NamingContextExt, and a bad name fails without a round trip.
  return context->resolve(to_name(name));
}

ObjectRef resolve_str(Orb& orb, std::string_view name) {
  return resolve_str(root_context(orb), name);
}

void rebind(const std::shared_ptr<NamingContext>& context, std::string_view name,
            const ObjectRef& object) {
  CosNaming::Name parsed = to_name(name);
  with_parents(context, parsed, [&] { context->rebind(parsed, object); });
}

// ---- LeaseKeeper ---------------------------------------------------------

LeaseKeeper::LeaseKeeper(const std::shared_ptr<NamingContext>& context, std::string name,
                         ObjectRef object, std::chrono::seconds lease)
    : context_(OrbExt::LeasedNamingContext::narrow(context)),
      name_(to_name(name)),
      object_(std::move(object)),
      seconds_(static_cast<uint32_t>(lease.count())) {
  if (!context_) {
    throw BAD_PARAM(
        minor::kNilReference, CompletionStatus::no,
        "LeaseKeeper for '" + name +
            "': the naming context does not offer leases (OrbExt::LeasedNamingContext)");
  }
  bind();
  thread_ = std::thread([this] { renew_until_stopped(); });
}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  thread_.join();
  try {
    context_->cancel(lease());
  } catch (const Exception& error) {
    // The lease runs out on its own; nothing is left to clean up here.
    logger()->debug("cancelling lease {} of '{}' failed: {}", lease(), to_string(name_),
                    error.what());
  }
}

OrbExt::LeaseId LeaseKeeper::lease() const {
  std::lock_guard lock(mutex_);
  return lease_;
}

void LeaseKeeper::bind() {
  OrbExt::LeaseId lease = 0;
  with_parents(context_, name_,
               [&] { context_->rebind_with_lease(name_, object_, seconds_, lease); });
  std::lock_guard lock(mutex_);
  lease_ = lease;
}

void LeaseKeeper::renew_until_stopped() {
  // A third of the lease leaves two more tries when one renewal is lost.
  auto period = std::chrono::milliseconds(seconds_ * 1000 / 3);
  std::unique_lock lock(mutex_);
  while (!stop_requested_.wait_for(lock, period, [this] { return stopping_; })) {
    OrbExt::LeaseId lease = lease_;
    lock.unlock();
    try {
      try {
        context_->renew(lease, seconds_);
      } catch (const OrbExt::UnknownLease&) {
        logger()->warn("lease {} of '{}' was lost; binding the name again", lease,
                       to_string(name_));
        bind();
      }
    } catch (const Exception& error) {
      logger()->warn("renewing the lease of '{}' failed, retrying in {} ms: {}", to_string(name_),
                     period.count(), error.what());
    }
    lock.lock();
  }
}

}  // namespace orb::naming
