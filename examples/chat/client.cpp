// chat client: joins a room, waits until it has --members members, says
// each --say line, prints what the others say until it has heard --expect
// messages (or 10 s pass), then leaves.
//   chat_client corbaloc::127.0.0.1:2811/room alice --members 2 --say "hi all" --expect 1
// The client is a server too: it listens on a free loopback port for the
// room's calls to its Participant object.
#include "chat_servant.hpp"

#include <orb/orb.hpp>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

class ParticipantImpl final : public Chat::ParticipantServant {
 public:
  void receive(const std::string& sender, const std::string& text) override {
    std::lock_guard lock(mutex_);
    std::cout << "[" << sender << "] " << text << std::endl;
    ++received_;
    changed_.notify_all();
  }

  bool wait_for(size_t count, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return received_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t received_ = 0;
};

struct Arguments {
  std::string room;
  std::string nickname;
  std::vector<std::string> lines;
  size_t expect = 0;
  size_t members = 1;
};

bool parse(int argc, char** argv, Arguments& arguments) {
  if (argc < 3) {
    return false;
  }
  arguments.room = argv[1];
  arguments.nickname = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--say") {
      arguments.lines.emplace_back(argv[i + 1]);
    } else if (flag == "--members") {
      arguments.members = std::stoul(argv[i + 1]);
    } else if (flag == "--expect") {
      arguments.expect = std::stoul(argv[i + 1]);
    } else {
      return false;
    }
  }
  return (argc - 3) % 2 == 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    orb::OrbOptions options;
    std::vector<std::string> rest(argv, argv + argc);
    options = orb::parse_options(rest, orb::process_environment());
    if (options.listen.empty()) {
      options.listen = {"tcp://127.0.0.1:0"};  // for the room's callbacks
    }
    std::vector<char*> plain;
    for (std::string& argument : rest) {
      plain.push_back(argument.data());
    }
    Arguments arguments;
    if (!parse(static_cast<int>(plain.size()), plain.data(), arguments)) {
      std::cerr << "usage: chat_client ROOM NICKNAME [--members COUNT] [--say TEXT]... "
                   "[--expect COUNT]\n";
      return 2;
    }

    orb::Orb orb(options);
    auto room = Chat::Room::narrow(orb.string_to_object(arguments.room));
    if (!room) {
      std::cerr << "chat_client: " << arguments.room << " is not a Chat::Room\n";
      return 1;
    }
    auto me = std::make_shared<ParticipantImpl>();
    room->join(arguments.nickname, Chat::Participant::_unchecked_narrow(
                                       orb.adapter().activate(me, arguments.nickname)));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (room->member_count() < arguments.members &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (const std::string& line : arguments.lines) {
      room->say(arguments.nickname, line);
    }
    bool heard_all = me->wait_for(arguments.expect, std::chrono::seconds(10));
    room->leave(arguments.nickname);
    if (!heard_all) {
      std::cerr << "chat_client: heard fewer than " << arguments.expect << " messages in 10 s\n";
      return 1;
    }
  } catch (const Chat::NameTaken& error) {
    std::cerr << "chat_client: the nickname " << error.nickname << " is taken\n";
    return 1;
  } catch (const orb::SystemException& error) {
    std::cerr << "chat_client: " << error.what() << "\n";
    return 1;
  }
}
