// The naming service over TCP between two ORBs in one process: every
// CosNaming operation with the exact fields of its exceptions, binding
// iterators, contexts on another server, the OrbExt leases and watchers,
// and the client helpers (root_context, rebind, corbaname:, LeaseKeeper).
#include <orb/ior/iiop_profile.hpp>
#include <orb/minor.hpp>
#include <orb/naming/client.hpp>
#include <orb/naming/names.hpp>
#include <orb/naming/service.hpp>

#include "OrbExt_servant.hpp"
#include "child_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace orb::naming {
namespace {

using namespace std::chrono_literals;
using CosNaming::BindingType;
using CosNaming::Name;
using CosNaming::NamingContext;
using NotFoundReason = NamingContext::NotFoundReason;

/// An ORB that serves a naming service from a scratch directory.
struct NamingServer {
  explicit NamingServer(const std::filesystem::path& directory)
      : orb(make_options()),
        naming(open_naming_service(orb, JournalStoreOptions{directory, false},
                                   NamingServiceOptions{50ms, 1000})) {}
  static OrbOptions make_options() {
    OrbOptions options;
    options.listen = {"tcp://127.0.0.1:0"};
    return options;
  }
  std::string url() { return orb.object_to_string(naming.service->root()); }

  Orb orb;
  PersistentNamingService naming;
};

/// Runs `call` and returns the NotFound it raises; fails the test when it raises none.
template <class Call>
NamingContext::NotFound not_found(Call call) {
  try {
    call();
  } catch (const NamingContext::NotFound& error) {
    return error;
  }
  ADD_FAILURE() << "no NotFound raised";
  return {};
}

class NamingServiceTest : public ::testing::Test {
 protected:
  NamingServiceTest() : server_(scratch_.path() / "a") {
    OrbOptions options;
    options.initial_references["NameService"] = server_.url();
    client_ = std::make_unique<Orb>(options);
    root_ = root_context(*client_);
  }

  ObjectRef object(const std::string& key) {
    return client_->string_to_object("corbaloc::127.0.0.1:1/" + key);
  }
  std::string ior(const ObjectRef& reference) { return client_->object_to_string(reference); }
  Name name(std::string_view text) { return to_name(text); }

  test::ScratchDir scratch_;
  NamingServer server_;
  std::unique_ptr<Orb> client_;
  std::shared_ptr<CosNaming::NamingContextExt> root_;
};

TEST_F(NamingServiceTest, RootAdvertisesStandardType) {
  EXPECT_EQ(server_.naming.service->root()->_ior().type_id,
            "IDL:omg.org/CosNaming/NamingContextExt:1.0");
  EXPECT_TRUE(root_->_is_a("IDL:omg.org/CosNaming/NamingContext:1.0"));
  EXPECT_TRUE(OrbExt::LeasedNamingContext::narrow(root_) != nullptr);
}

TEST_F(NamingServiceTest, BindResolveRebindUnbind) {
  root_->bind(name("a.k"), object("one"));
  EXPECT_EQ(ior(root_->resolve(name("a.k"))), ior(object("one")));
  EXPECT_THROW(root_->bind(name("a.k"), object("two")), NamingContext::AlreadyBound);
  root_->rebind(name("a.k"), object("two"));
  EXPECT_EQ(ior(root_->resolve(name("a.k"))), ior(object("two")));
  root_->unbind(name("a.k"));
  NamingContext::NotFound error = not_found([&] { root_->resolve(name("a.k")); });
  EXPECT_EQ(error.why, NotFoundReason::missing_node);
  EXPECT_EQ(error.rest_of_name, name("a.k"));
}

TEST_F(NamingServiceTest, MissingNodeRestOfName) {
  root_->bind_new_context(name("a"));
  NamingContext::NotFound error = not_found([&] { root_->resolve(name("a/b/c")); });
  EXPECT_EQ(error.why, NotFoundReason::missing_node);
  EXPECT_EQ(error.rest_of_name, name("b/c"));

  error = not_found([&] { root_->bind(name("x/y/z"), object("o")); });
  EXPECT_EQ(error.why, NotFoundReason::missing_node);
  EXPECT_EQ(error.rest_of_name, name("x/y/z"));

  error = not_found([&] { root_->unbind(name("a/missing")); });
  EXPECT_EQ(error.why, NotFoundReason::missing_node);
  EXPECT_EQ(error.rest_of_name, name("missing"));
}

TEST_F(NamingServiceTest, NotContextAndNotObject) {
  root_->bind(name("obj"), object("o"));
  root_->bind_new_context(name("ctx"));

  NamingContext::NotFound error = not_found([&] { root_->resolve(name("obj/x")); });
  EXPECT_EQ(error.why, NotFoundReason::not_context);
  EXPECT_EQ(error.rest_of_name, name("obj/x"));

  error = not_found([&] { root_->rebind(name("ctx"), object("o")); });
  EXPECT_EQ(error.why, NotFoundReason::not_object);
  EXPECT_EQ(error.rest_of_name, name("ctx"));

  auto context = root_->new_context();
  error = not_found([&] { root_->rebind_context(name("obj"), context); });
  EXPECT_EQ(error.why, NotFoundReason::not_context);
  EXPECT_EQ(error.rest_of_name, name("obj"));
}

TEST_F(NamingServiceTest, EmptyNameIsInvalid) {
  EXPECT_THROW(root_->bind({}, object("o")), NamingContext::InvalidName);
  EXPECT_THROW(root_->rebind({}, object("o")), NamingContext::InvalidName);
  EXPECT_THROW(root_->resolve({}), NamingContext::InvalidName);
  EXPECT_THROW(root_->unbind({}), NamingContext::InvalidName);
  EXPECT_THROW(root_->bind_new_context({}), NamingContext::InvalidName);
  EXPECT_THROW(root_->bind_context({}, root_), NamingContext::InvalidName);
  EXPECT_THROW(root_->to_string({}), NamingContext::InvalidName);
  EXPECT_THROW(root_->to_name("a//b"), NamingContext::InvalidName);
  EXPECT_THROW(root_->resolve_str(""), NamingContext::InvalidName);
}

TEST_F(NamingServiceTest, ContextsNestAndBindByReference) {
  auto a = root_->bind_new_context(name("a"));
  EXPECT_THROW(root_->bind_new_context(name("a")), NamingContext::AlreadyBound);
  a->bind(name("leaf"), object("leaf"));
  EXPECT_EQ(ior(root_->resolve(name("a/leaf"))), ior(object("leaf")));

  auto loose = root_->new_context();
  root_->bind_context(name("a/b"), loose);
  root_->bind(name("a/b/deep.kind"), object("deep"));
  EXPECT_EQ(ior(loose->resolve(name("deep.kind"))), ior(object("deep")));
  EXPECT_EQ(ior(root_->resolve_str("a/b/deep.kind")), ior(object("deep")));
  EXPECT_THROW(root_->bind_context(name("a/b"), loose), NamingContext::AlreadyBound);

  auto other = root_->new_context();
  root_->rebind_context(name("a/b"), other);
  EXPECT_THROW(root_->resolve(name("a/b/deep.kind")), NamingContext::NotFound);
}

TEST_F(NamingServiceTest, DestroyNeedsEmptyContext) {
  auto a = root_->bind_new_context(name("a"));
  a->bind(name("x"), object("x"));
  EXPECT_THROW(a->destroy(), NamingContext::NotEmpty);
  a->unbind(name("x"));
  a->destroy();
  EXPECT_THROW(a->resolve(name("x")), OBJECT_NOT_EXIST);

  // The binding of the destroyed context stays, dangling, as CosNaming has it.
  try {
    root_->resolve(name("a/x"));
    ADD_FAILURE() << "no CannotProceed raised";
  } catch (const NamingContext::CannotProceed& error) {
    EXPECT_EQ(ior(error.cxt), ior(root_));
    EXPECT_EQ(error.rest_of_name, name("a/x"));
  }
  EXPECT_THROW(root_->destroy(), NO_PERMISSION);
}

TEST_F(NamingServiceTest, ListWithIterator) {
  for (int i = 0; i < 5; ++i) {
    root_->bind(name("o" + std::to_string(i)), object("o"));
  }
  root_->bind_new_context(name("ctx.dir"));

  CosNaming::BindingList first;
  std::shared_ptr<CosNaming::BindingIterator> iterator;
  root_->list(2, first, iterator);
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0].binding_name, name("ctx.dir"));
  EXPECT_EQ(first[0].binding_type, BindingType::ncontext);
  EXPECT_EQ(first[1].binding_name, name("o0"));
  EXPECT_EQ(first[1].binding_type, BindingType::nobject);
  ASSERT_NE(iterator, nullptr);

  CosNaming::Binding one;
  EXPECT_TRUE(iterator->next_one(one));
  EXPECT_EQ(one.binding_name, name("o1"));
  CosNaming::BindingList rest;
  EXPECT_THROW(iterator->next_n(0, rest), BAD_PARAM);
  EXPECT_TRUE(iterator->next_n(10, rest));
  ASSERT_EQ(rest.size(), 3U);
  EXPECT_EQ(rest[2].binding_name, name("o4"));
  EXPECT_FALSE(iterator->next_n(10, rest));
  EXPECT_TRUE(rest.empty());
  EXPECT_FALSE(iterator->next_one(one));
  iterator->destroy();
  EXPECT_THROW(iterator->next_one(one), OBJECT_NOT_EXIST);

  CosNaming::BindingList all;
  root_->list(100, all, iterator);
  EXPECT_EQ(all.size(), 6U);
  EXPECT_EQ(iterator, nullptr);
}

TEST_F(NamingServiceTest, StringOperations) {
  Name escaped{{"a/b", "c.d"}, {"e\\", ""}};
  EXPECT_EQ(root_->to_string(escaped), "a\\/b.c\\.d/e\\\\");
  EXPECT_EQ(root_->to_name("a\\/b.c\\.d/e\\\\"), escaped);
  EXPECT_EQ(root_->to_url(":127.0.0.1:2809", "a b/c"), "corbaname::127.0.0.1:2809#a%20b/c");
  EXPECT_THROW(root_->to_url("bogus", "a"), CosNaming::NamingContextExt::InvalidAddress);

  Name single{{"a/b", "c.d"}};
  root_->bind(single, object("escaped"));
  EXPECT_EQ(ior(root_->resolve_str("a\\/b.c\\.d")), ior(object("escaped")));
}

TEST_F(NamingServiceTest, WalksIntoAnotherServer) {
  NamingServer other(scratch_.path() / "b");
  auto remote = NamingContext::_unchecked_narrow(client_->string_to_object(other.url()));
  remote->bind(name("there"), object("there"));

  root_->bind_new_context(name("local"));
  root_->bind_context(name("local/remote"), remote);
  EXPECT_EQ(ior(root_->resolve(name("local/remote/there"))), ior(object("there")));

  root_->bind(name("local/remote/new"), object("new"));
  EXPECT_EQ(ior(remote->resolve(name("new"))), ior(object("new")));
  root_->bind_new_context(name("local/remote/sub"));
  root_->bind(name("local/remote/sub/leaf"), object("leaf"));
  EXPECT_EQ(ior(remote->resolve(name("sub/leaf"))), ior(object("leaf")));

  NamingContext::NotFound error = not_found([&] { root_->resolve(name("local/remote/none")); });
  EXPECT_EQ(error.why, NotFoundReason::missing_node);
  EXPECT_EQ(error.rest_of_name, name("none"));  // relative to the context that raised it

  auto leased = OrbExt::LeasedNamingContext::narrow(root_);
  try {
    OrbExt::LeaseId id = 0;
    leased->bind_with_lease(name("local/remote/x"), object("x"), 5, id);
    ADD_FAILURE() << "no CannotProceed raised";
  } catch (const NamingContext::CannotProceed& error) {
    EXPECT_EQ(ior(error.cxt), ior(remote));
    EXPECT_EQ(error.rest_of_name, name("x"));
  }
}

TEST_F(NamingServiceTest, LeasedBindingExpires) {
  auto leased = OrbExt::LeasedNamingContext::narrow(root_);
  ASSERT_NE(leased, nullptr);
  OrbExt::LeaseId id = 0;
  leased->bind_with_lease(name("leased"), object("o"), 1, id);
  root_->bind(name("plain"), object("p"));
  EXPECT_NE(id, 0U);
  EXPECT_THROW(leased->bind_with_lease(name("leased"), object("o"), 1, id),
               NamingContext::AlreadyBound);
  EXPECT_THROW(leased->bind_with_lease(name("bad"), object("o"), 0, id), BAD_PARAM);

  std::this_thread::sleep_for(1500ms);
  EXPECT_THROW(root_->resolve(name("leased")), NamingContext::NotFound);
  EXPECT_EQ(ior(root_->resolve(name("plain"))), ior(object("p")));
  try {
    leased->renew(id, 1);
    ADD_FAILURE() << "no UnknownLease raised";
  } catch (const OrbExt::UnknownLease& error) {
    EXPECT_EQ(error.id, id);
  }
}

TEST_F(NamingServiceTest, RenewAndCancelLease) {
  auto leased = OrbExt::LeasedNamingContext::narrow(root_);
  OrbExt::LeaseId id = 0;
  leased->rebind_with_lease(name("leased"), object("o"), 1, id);
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(400ms);
    leased->renew(id, 1);
  }
  EXPECT_EQ(ior(root_->resolve(name("leased"))), ior(object("o")));
  leased->cancel(id);
  EXPECT_THROW(root_->resolve(name("leased")), NamingContext::NotFound);
  EXPECT_THROW(leased->cancel(id), OrbExt::UnknownLease);
}

/// Records the notices it receives.
class RecordingWatcher final : public OrbExt::NameWatcherServant {
 public:
  void bound(const Name& n) override { record("+" + to_string(n)); }
  void unbound(const Name& n) override { record("-" + to_string(n)); }

  /// Waits up to `timeout` for `count` notices and returns them.
  std::vector<std::string> wait_for(size_t count, std::chrono::milliseconds timeout = 2s) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return notices_.size() >= count; });
    return notices_;
  }

 private:
  void record(std::string notice) {
    std::lock_guard lock(mutex_);
    notices_.push_back(std::move(notice));
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> notices_;
};

TEST_F(NamingServiceTest, WatchersHearBindsAndUnbinds) {
  OrbOptions options;
  options.listen = {"tcp://127.0.0.1:0"};
  Orb watcher_orb(options);
  auto watcher = std::make_shared<RecordingWatcher>();
  auto reference = OrbExt::NameWatcher::_unchecked_narrow(
      watcher_orb.adapter().activate(std::static_pointer_cast<Servant>(watcher), "watcher"));

  auto leased = OrbExt::LeasedNamingContext::narrow(root_);
  root_->bind_new_context(name("dir"));
  leased->watch(name("dir"), reference);
  EXPECT_THROW(leased->watch(name("none"), reference), NamingContext::NotFound);

  root_->bind(name("dir/a"), object("a"));
  root_->bind(name("elsewhere"), object("e"));  // not in the watched context
  root_->unbind(name("dir/a"));
  OrbExt::LeaseId id = 0;
  leased->bind_with_lease(name("dir/leased"), object("l"), 1, id);
  // Oneway notices may be dispatched out of order by the watcher's ORB.
  std::vector<std::string> notices = watcher->wait_for(4);
  std::sort(notices.begin(), notices.end());
  std::vector<std::string> expected = {"+dir/a", "+dir/leased", "-dir/a", "-dir/leased"};
  EXPECT_EQ(notices, expected);

  leased->unwatch(reference);
  root_->bind(name("dir/b"), object("b"));
  EXPECT_EQ(watcher->wait_for(5, 300ms).size(), 4U);
}

TEST_F(NamingServiceTest, RebindHelperCreatesContexts) {
  rebind(root_, "x/y/z.kind", object("z"));
  EXPECT_EQ(ior(root_->resolve(name("x/y/z.kind"))), ior(object("z")));
  rebind(root_, "x/y/z.kind", object("z2"));
  EXPECT_EQ(ior(resolve_str(root_, "x/y/z.kind")), ior(object("z2")));
  root_->bind(name("file"), object("f"));
  NamingContext::NotFound error = not_found([&] { rebind(root_, "file/under", object("u")); });
  EXPECT_EQ(error.why, NotFoundReason::not_context);
}

TEST_F(NamingServiceTest, CorbanameResolvesThroughContext) {
  rebind(root_, "a/b.k", object("ab"));
  std::optional<ior::IiopProfile> profile = ior::find_iiop_profile(root_->_ior());
  ASSERT_TRUE(profile);
  std::string address = ":127.0.0.1:" + std::to_string(profile->port);
  EXPECT_EQ(ior(client_->string_to_object("corbaname:" + address + "#a/b.k")), ior(object("ab")));
  EXPECT_EQ(ior(client_->string_to_object(root_->to_url(address, "a/b.k"))), ior(object("ab")));
  EXPECT_EQ(ior(client_->string_to_object("corbaname:rir:#a/b.k")), ior(object("ab")));
  EXPECT_THROW(client_->string_to_object("corbaname:" + address + "#a/none"),
               NamingContext::NotFound);

  Orb plain{OrbOptions{}};  // no resolver installed
  try {
    plain.string_to_object("corbaname:" + address + "#a/b.k");
    ADD_FAILURE() << "no NO_IMPLEMENT raised";
  } catch (const NO_IMPLEMENT& error) {
    EXPECT_EQ(error.minor(), minor::kNoNameResolver);
  }
}

TEST_F(NamingServiceTest, LeaseKeeperRenewsThenCancels) {
  {
    LeaseKeeper keeper(root_, "svc/alive.srv", object("alive"), 1s);
    EXPECT_NE(keeper.lease(), 0U);
    std::this_thread::sleep_for(2500ms);  // more than two leases
    EXPECT_EQ(ior(root_->resolve(name("svc/alive.srv"))), ior(object("alive")));
  }
  EXPECT_THROW(root_->resolve(name("svc/alive.srv")), NamingContext::NotFound);
}

TEST_F(NamingServiceTest, LeaseKeeperRebindsLostLease) {
  LeaseKeeper keeper(root_, "svc", object("svc"), 1s);
  OrbExt::LeaseId first = keeper.lease();
  OrbExt::LeasedNamingContext::narrow(root_)->cancel(first);  // as if it had lapsed
  std::this_thread::sleep_for(1200ms);
  EXPECT_NE(keeper.lease(), first);
  EXPECT_EQ(ior(root_->resolve(name("svc"))), ior(object("svc")));
}

TEST_F(NamingServiceTest, StateSurvivesRestart) {
  rebind(root_, "kept/ctx/obj", object("kept"));
  std::string kept = ior(object("kept"));
  std::string context_ior = ior(root_->resolve(name("kept/ctx")));
  uint16_t port = ior::find_iiop_profile(root_->_ior())->port;
  client_.reset();
  server_.naming.service.reset();
  server_.naming.store.reset();
  server_.orb.shutdown(true);

  OrbOptions options;
  options.listen = {"tcp://127.0.0.1:" + std::to_string(port)};
  Orb restarted(options);
  PersistentNamingService naming =
      open_naming_service(restarted, JournalStoreOptions{scratch_.path() / "a", false});
  EXPECT_EQ(naming.recovery.contexts, 3U);
  OrbOptions client_options;
  client_options.initial_references["NameService"] =
      "corbaloc::127.0.0.1:" + std::to_string(port) + "/NameService";
  Orb client(client_options);
  auto root = root_context(client);
  EXPECT_EQ(client.object_to_string(root->resolve(name("kept/ctx/obj"))), kept);
  // A context reference from before the restart still works.
  auto context = NamingContext::_unchecked_narrow(client.string_to_object(context_ior));
  EXPECT_EQ(client.object_to_string(context->resolve(name("obj"))), kept);
}

}  // namespace
}  // namespace orb::naming
