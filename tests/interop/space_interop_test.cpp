// The tuple space served by this ORB and used by an omniORB client built
// from space.idl with omniidl: write, read, take, count, cancel with its
// user exception, and a notify callback into the client's own POA.
#include "child_process.hpp"

#include <orb/orb.hpp>
#include <orb/space/servant.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace {

using namespace std::chrono_literals;

TEST(SpaceInterop, OmniOrbClientWritesReadsTakesAndHearsNotify) {
  orb::test::ScratchDir scratch;
  orb::space::Engine engine;
  orb::OrbOptions options;
  options.listen = {"tcp://127.0.0.1:0"};
  options.log_level = "warn";
  orb::Orb server(options);
  std::string ior_file = scratch.file("space.ior");
  std::ofstream(ior_file) << server.object_to_string(orb::space::serve_space(server, engine))
                          << '\n';

  std::string endpoint = "giop:tcp:127.0.0.1:" + std::to_string(orb::test::free_loopback_port());
  std::string log = scratch.file("client.log");
  orb::test::ChildProcess client({ORB_OMNI_SPACE_CLIENT, ior_file, "-ORBendPoint", endpoint}, log);
  std::optional<int> status = client.wait_for_exit(30s);
  ASSERT_TRUE(status) << "the omniORB client did not finish";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << orb::test::read_text_file(log);
  EXPECT_EQ(orb::test::read_text_file(log), "finished with 0 failures\n");
  EXPECT_EQ(engine.size(), 0u);
}

}  // namespace
