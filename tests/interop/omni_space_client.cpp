// An omniORB client of the tuple space for the interop tests: reads an
// OrbSpace::Space IOR from the file named by the first argument, registers
// a Listener served by its own POA, writes a tuple with every field type,
// reads and takes it, and waits for the notify callback. Prints one "FAIL"
// line per failed check, then the number of failures, and exits with
// status 0 only when all passed.
// Start it with -ORBendPoint giop:tcp:127.0.0.1:PORT for the listener.
#include "space.hh"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const std::string& description) {
  if (!ok) {
    ++failures;
    std::cout << "FAIL " << description << std::endl;
  }
}

#define ORB_CHECK(condition) check((condition), #condition)

/// Counts the written() callbacks and keeps the last tuple.
class Listener final : public POA_OrbSpace::Listener {
 public:
  void written(const OrbSpace::Tuple& t) override {
    std::lock_guard<std::mutex> lock(mutex_);
    last_ = t;
    ++calls_;
    changed_.notify_all();
  }

  bool wait_for_call(std::chrono::seconds limit, OrbSpace::Tuple& tuple) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, limit, [this] { return calls_ > 0; })) {
      return false;
    }
    tuple = last_;
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  OrbSpace::Tuple last_;
  int calls_ = 0;
};

OrbSpace::Tuple sample_tuple() {
  OrbSpace::Tuple tuple;
  tuple.length(6);
  tuple[0].string_value("omni");
  tuple[1].long_value(42);
  tuple[2].double_value(2.5);
  tuple[3].boolean_value(true);
  OrbSpace::Bytes bytes;
  bytes.length(2);
  bytes[0] = 0x0a;
  bytes[1] = 0xff;
  tuple[4].bytes_value(bytes);
  CORBA::Any any;
  any <<= static_cast<CORBA::Long>(-7);
  tuple[5].any_value(any);
  return tuple;
}

/// ("omni", <int>, *, *, *, *)
OrbSpace::Template sample_template() {
  OrbSpace::Template tmpl;
  tmpl.length(6);
  OrbSpace::Field first;
  first.string_value("omni");
  tmpl[0].value(first);
  tmpl[1].type(OrbSpace::type_long_long);
  for (CORBA::ULong i = 2; i < 6; ++i) {
    tmpl[i]._default();
  }
  return tmpl;
}

bool same_tuple(const OrbSpace::Tuple& a) {
  CORBA::Long any_value = 0;
  return a.length() == 6 && std::strcmp(a[0].string_value(), "omni") == 0 &&
         a[1].long_value() == 42 && a[2].double_value() == 2.5 && a[3].boolean_value() &&
         a[4].bytes_value().length() == 2 && a[4].bytes_value()[1] == 0xff &&
         (a[5].any_value() >>= any_value) && any_value == -7;
}

void run(CORBA::ORB_ptr orb, OrbSpace::Space_ptr space) {
  CORBA::Object_var root = orb->resolve_initial_references("RootPOA");
  PortableServer::POA_var poa = PortableServer::POA::_narrow(root);
  // Servant_var drops the creation reference when run() returns. The POA keeps
  // its own until orb->destroy() deactivates the listener, which deletes it.
  PortableServer::Servant_var<Listener> listener = new Listener;
  PortableServer::ObjectId_var id = poa->activate_object(listener);
  CORBA::Object_var listener_object = poa->id_to_reference(id);
  OrbSpace::Listener_var listener_ref = OrbSpace::Listener::_narrow(listener_object);
  PortableServer::POAManager_var manager = poa->the_POAManager();
  manager->activate();

  CORBA::ULongLong registration = space->notify(sample_template(), listener_ref, 60000);
  CORBA::ULongLong lease = 0;
  space->write(sample_tuple(), OrbSpace::kForever, lease);
  ORB_CHECK(lease != 0);
  ORB_CHECK(space->count(sample_template()) == 1);

  OrbSpace::Tuple_var read;
  ORB_CHECK(space->read(sample_template(), 0, read.out()));
  ORB_CHECK(same_tuple(read.in()));
  OrbSpace::Tuple_var taken;
  ORB_CHECK(space->take(sample_template(), 1000, taken.out()));
  ORB_CHECK(same_tuple(taken.in()));
  OrbSpace::Tuple_var none;
  ORB_CHECK(!space->take_if_exists(sample_template(), none.out()));

  OrbSpace::Tuple notified;
  ORB_CHECK(listener->wait_for_call(std::chrono::seconds(5), notified));
  ORB_CHECK(same_tuple(notified));
  space->cancel(registration);
  try {
    space->cancel(registration);
    check(false, "a second cancel raised nothing");
  } catch (const OrbSpace::UnknownLease& error) {
    ORB_CHECK(error.id == registration);
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
    if (argc != 2) {
      std::cerr << "usage: omni_space_client IOR_FILE -ORBendPoint giop:tcp:127.0.0.1:PORT\n";
      return 2;
    }
    std::ifstream file(argv[1]);
    std::string ior;
    std::getline(file, ior);
    CORBA::Object_var object = orb->string_to_object(ior.c_str());
    OrbSpace::Space_var space = OrbSpace::Space::_narrow(object);
    if (CORBA::is_nil(space)) {
      std::cout << "FAIL the reference is not an OrbSpace::Space" << std::endl;
      return 1;
    }
    run(orb, space);
    orb->destroy();
    std::cout << "finished with " << failures << " failures" << std::endl;
  } catch (const CORBA::Exception& error) {
    std::cout << "FAIL exception " << error._name() << std::endl;
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
