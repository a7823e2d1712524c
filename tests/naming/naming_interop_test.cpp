// Naming interop with omniORB, run live on loopback: omniORB's nameclt
// binds, lists, resolves and unbinds in our orbd; our server registers in
// omniNames and our client resolves and calls it there; an omniORB client
// resolves our server's object through our orbd and calls it.
#include <orb/ior/iiop_profile.hpp>
#include <orb/minor.hpp>
#include <orb/naming/client.hpp>
#include <orb/naming/names.hpp>

#include "child_process.hpp"
#include "naming_echo.hpp"
#include "naming_echo_servant.hpp"

#include <gtest/gtest.h>

namespace orb::naming {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::ScratchDir;

class EchoImpl final : public NamingEcho::EchoServant {
 public:
  std::string reply(const std::string& text) override { return "echo: " + text; }
};

class NamingInteropTest : public ::testing::Test {
 protected:
  NamingInteropTest() : port_(test::free_loopback_port()) {}

  std::string url() const {
    return "corbaloc::127.0.0.1:" + std::to_string(port_) + "/NameService";
  }

  /// Starts orbd on port_ and waits until it serves.
  void start_orbd() {
    std::string ior_file = scratch_.file("orbd.ior");
    server_process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{ORB_ORBD, "--listen", "tcp://127.0.0.1:" + std::to_string(port_),
                                 "--data-dir", scratch_.file("orbd"), "--ior-file", ior_file},
        scratch_.file("orbd.log"));
    ASSERT_FALSE(test::wait_for_file(ior_file, *server_process_).empty())
        << test::read_text_file(scratch_.file("orbd.log"));
  }

  /// Starts omniNames on port_ and waits until it accepts calls.
  void start_omninames() {
    server_process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{ORB_OMNINAMES, "-start", std::to_string(port_), "-datadir",
                                 scratch_.path().string(), "-ORBendPoint",
                                 "giop:tcp:127.0.0.1:" + std::to_string(port_)},
        scratch_.file("omninames.log"));
    Orb probe(client_options());
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        // omniNames accepts connections a moment before its root context exists.
        if (!probe.resolve_initial_references("NameService")->_non_existent()) {
          return;
        }
      } catch (const SystemException&) {
        // not listening yet
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "omniNames did not start: " << test::read_text_file(scratch_.file("omninames.log"));
  }

  OrbOptions client_options() const {
    OrbOptions options;
    options.initial_references["NameService"] = url();
    options.call_timeout = 5000ms;
    return options;
  }

  /// Runs an omniORB program; returns its exit status and output.
  std::pair<int, std::string> run(std::vector<std::string> command) {
    std::string output = scratch_.file("program.out");
    ChildProcess child(command, output);
    std::optional<int> status = child.wait_for_exit(10s);
    int code = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
    return {code, test::read_text_file(output)};
  }
  std::pair<int, std::string> nameclt(std::vector<std::string> arguments) {
    std::vector<std::string> command{ORB_NAMECLT, "-ORBInitRef", "NameService=" + url()};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run(command);
  }

  /// Host, port and object key of a stringified reference, to compare
  /// references that two ORBs stringified differently.
  static std::string address_of(Orb& orb, std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.pop_back();
    }
    std::optional<ior::IiopProfile> profile =
        ior::find_iiop_profile(orb.string_to_object(text)->_ior());
    if (!profile) {
      return "(no IIOP profile)";
    }
    return profile->host + ":" + std::to_string(profile->port) + "/" +
           std::string(profile->object_key.begin(), profile->object_key.end());
  }

  ScratchDir scratch_;
  uint16_t port_;
  std::unique_ptr<ChildProcess> server_process_;
};

TEST_F(NamingInteropTest, NameclTWorksAgainstOrbd) {
  start_orbd();
  Orb orb(client_options());
  std::string object = orb.object_to_string(orb.string_to_object(url()));

  EXPECT_EQ(nameclt({"bind_new_context", "ctx.dir"}).first, 0);
  auto bound = nameclt({"bind", "ctx.dir/obj.kind", object});
  EXPECT_EQ(bound.first, 0) << bound.second;
  auto listed = nameclt({"list", "ctx.dir"});
  EXPECT_EQ(listed.first, 0);
  EXPECT_NE(listed.second.find("obj.kind"), std::string::npos) << listed.second;
  auto resolved = nameclt({"resolve", "ctx.dir/obj.kind"});
  EXPECT_EQ(resolved.first, 0) << resolved.second;
  EXPECT_EQ(address_of(orb, resolved.second), address_of(orb, object));

  // Our client resolves what nameclt bound.
  auto root = root_context(orb);
  EXPECT_EQ(address_of(orb, orb.object_to_string(root->resolve_str("ctx.dir/obj.kind"))),
            address_of(orb, object));

  EXPECT_EQ(nameclt({"unbind", "ctx.dir/obj.kind"}).first, 0);
  EXPECT_THROW(root->resolve_str("ctx.dir/obj.kind"), CosNaming::NamingContext::NotFound);
  EXPECT_NE(nameclt({"resolve", "ctx.dir/obj.kind"}).first, 0);
  EXPECT_EQ(nameclt({"remove_context", "ctx.dir"}).first, 0);
  EXPECT_THROW(root->resolve_str("ctx.dir"), CosNaming::NamingContext::NotFound);
}

TEST_F(NamingInteropTest, OurServerRegistersInOmniNames) {
  start_omninames();
  OrbOptions server_options = client_options();
  server_options.listen = {"tcp://127.0.0.1:0"};
  Orb server(server_options);
  auto echo = server.adapter().activate(std::make_shared<EchoImpl>(), "echo");
  auto omni_root = root_context(server);
  rebind(omni_root, "ours/echo.obj", echo);

  // A LeaseKeeper needs our extension, which omniNames lacks.
  try {
    LeaseKeeper keeper(omni_root, "ours/leased", echo, 5s);
    ADD_FAILURE() << "no BAD_PARAM raised";
  } catch (const BAD_PARAM& error) {
    EXPECT_EQ(error.minor(), minor::kNilReference);
  }

  Orb client(client_options());
  auto found = NamingEcho::Echo::narrow(resolve_str(client, "ours/echo.obj"));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->reply("hi"), "echo: hi");
  EXPECT_EQ(
      NamingEcho::Echo::narrow(client.string_to_object("corbaname::127.0.0.1:" +
                                                       std::to_string(port_) + "#ours/echo.obj"))
          ->reply("url"),
      "echo: url");
}

TEST_F(NamingInteropTest, OmniClientCallsThroughOrbd) {
  start_orbd();
  OrbOptions server_options = client_options();
  server_options.listen = {"tcp://127.0.0.1:0"};
  Orb server(server_options);
  auto echo = server.adapter().activate(std::make_shared<EchoImpl>(), "echo");
  rebind(root_context(server), "services/echo.obj", echo);

  auto result = run({ORB_OMNI_ECHO_CLIENT, "-ORBInitRef", "NameService=" + url(),
                     "services/echo.obj", "from omniORB"});
  EXPECT_EQ(result, std::make_pair(0, std::string("echo: from omniORB\n")));
}

}  // namespace
}  // namespace orb::naming
