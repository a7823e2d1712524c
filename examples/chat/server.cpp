// chat server: one Room under the object key "room". Everything said is
// sent to every other participant through the reference it joined with.
//   chat_server -ORBListen tcp://127.0.0.1:2811
#include "chat_servant.hpp"

#include <orb/orb.hpp>

#include <iostream>
#include <map>
#include <mutex>

namespace {

class RoomImpl final : public Chat::RoomServant {
 public:
  void join(const std::string& nickname,
            const std::shared_ptr<Chat::Participant>& member) override {
    std::lock_guard lock(mutex_);
    if (!members_.emplace(nickname, member).second) {
      throw Chat::NameTaken(nickname);
    }
    std::cout << nickname << " joined" << std::endl;
  }

  void leave(const std::string& nickname) override {
    std::lock_guard lock(mutex_);
    members_.erase(nickname);
    std::cout << nickname << " left" << std::endl;
  }

  uint32_t member_count() override {
    std::lock_guard lock(mutex_);
    return static_cast<uint32_t>(members_.size());
  }

  void say(const std::string& nickname, const std::string& text) override {
    std::map<std::string, std::shared_ptr<Chat::Participant>> members;
    {
      std::lock_guard lock(mutex_);
      members = members_;
    }
    // Calls go out without the lock held, so a slow member cannot block the room.
    for (const auto& [name, member] : members) {
      if (name == nickname) {
        continue;
      }
      try {
        member->receive(nickname, text);
      } catch (const orb::SystemException& error) {
        std::cout << "dropping " << name << ": " << error.what() << std::endl;
        std::lock_guard lock(mutex_);
        members_.erase(name);
      }
    }
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Chat::Participant>> members_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    orb::Orb orb(argc, argv);
    orb::ObjectRef room = orb.adapter().activate(std::make_shared<RoomImpl>(), "room");
    std::cout << orb.object_to_string(room) << std::endl;
    orb.run();
  } catch (const orb::SystemException& error) {
    std::cerr << "chat_server: " << error.what() << "\n";
    return 1;
  }
}
