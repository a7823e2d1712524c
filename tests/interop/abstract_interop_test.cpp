// An abstract interface between this ORB, through idlgen's stubs, and
// omniORB, through omniidl's, in both directions: omni_abstract_server runs
// as a child process on a loopback port, and our Registry and Tag servants
// run in this test process. A Named value crosses as a reference to either
// side's Tag and as nil, which omniORB writes as FALSE and the null value.
#include "abstract.hpp"
#include "abstract_servant.hpp"
#include "child_process.hpp"

#include <orb/orb.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using namespace std::chrono_literals;
using namespace AbstractInterop;
using orb::test::ChildProcess;
using orb::test::ScratchDir;

class TagImpl final : public TagServant {
 public:
  std::string label() override { return "our tag"; }
  int32_t number() override { return 7; }
};

class RegistryImpl final : public RegistryServant {
 public:
  std::string label_of(const std::shared_ptr<Named>& item) override {
    return item ? item->label() : "(nil)";
  }
  std::shared_ptr<Named> same_named(const std::shared_ptr<Named>& item) override { return item; }
  std::shared_ptr<Named> own_tag() override { return nullptr; }
  std::string relay(const std::shared_ptr<Registry>& other,
                    const std::shared_ptr<Named>& item) override {
    return other->label_of(item);
  }
};

class AbstractWithOmniOrb : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string ior_file = scratch_.file("omni_abstract_server.ior");
    std::string endpoint = "giop:tcp:127.0.0.1:" + std::to_string(orb::test::free_loopback_port());
    server_.emplace(
        std::vector<std::string>{ORB_OMNI_ABSTRACT_SERVER, ior_file, "-ORBendPoint", endpoint},
        scratch_.file("omni_abstract_server.log"));
    std::string ior = orb::test::wait_for_file(ior_file, *server_);
    ASSERT_FALSE(ior.empty()) << "omni_abstract_server wrote no IOR: "
                              << orb::test::read_text_file(
                                     scratch_.file("omni_abstract_server.log"));
    registry_ = Registry::narrow(orb_.string_to_object(ior));
    ASSERT_NE(registry_, nullptr);
    tag_ = Tag::_unchecked_narrow(orb_.adapter().activate(std::make_shared<TagImpl>(), "tag"));
  }

  static orb::OrbOptions options() {
    orb::OrbOptions options;
    options.log_level = "warn";
    options.call_timeout = 10s;
    options.listen = {"tcp://127.0.0.1:0"};
    return options;
  }

  ScratchDir scratch_;
  std::optional<ChildProcess> server_;
  orb::Orb orb_{options()};
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<Tag> tag_;
};

TEST_F(AbstractWithOmniOrb, OmniOrbCallsOurTagBack) {
  EXPECT_EQ(registry_->label_of(tag_), "our tag");
  std::shared_ptr<Named> back = registry_->same_named(tag_);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->label(), "our tag");
}

TEST_F(AbstractWithOmniOrb, NilCrossesBothWays) {
  EXPECT_EQ(registry_->label_of(nullptr), "(nil)");
  EXPECT_EQ(registry_->same_named(nullptr), nullptr);
}

TEST_F(AbstractWithOmniOrb, OmniOrbTagArrivesAsNamed) {
  std::shared_ptr<Named> named = registry_->own_tag();
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->label(), "omniORB tag");
  std::shared_ptr<Tag> tag = Tag::narrow(named);
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->number(), 11);
}

// omniORB calls our Registry with a Named argument: a reference to its own
// Tag, to ours, and nil.
TEST_F(AbstractWithOmniOrb, OurServerReadsOmniOrbArguments) {
  auto ours =
      Registry::_unchecked_narrow(orb_.adapter().activate(std::make_shared<RegistryImpl>(), "reg"));
  EXPECT_EQ(registry_->relay(ours, registry_->own_tag()), "omniORB tag");
  EXPECT_EQ(registry_->relay(ours, tag_), "our tag");
  EXPECT_EQ(registry_->relay(ours, nullptr), "(nil)");
}

}  // namespace
