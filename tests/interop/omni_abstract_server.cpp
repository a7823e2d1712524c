// An omniORB server for the abstract interface interop test: serves an
// AbstractInterop::Registry and writes its IOR to the file named by the
// first argument, then runs until it is killed. Start it with
// -ORBendPoint giop:tcp:127.0.0.1:PORT.
#include "abstract.hh"

#include <fstream>
#include <iostream>
#include <string>

namespace {

class TagImpl final : public POA_AbstractInterop::Tag {
 public:
  char* label() override { return CORBA::string_dup("omniORB tag"); }
  CORBA::Long number() override { return 11; }
};

class RegistryImpl final : public POA_AbstractInterop::Registry {
 public:
  explicit RegistryImpl(AbstractInterop::Tag_ptr tag)
      : tag_(AbstractInterop::Tag::_duplicate(tag)) {}

  char* label_of(AbstractInterop::Named_ptr item) override {
    if (CORBA::is_nil(item)) {
      return CORBA::string_dup("(nil)");
    }
    return item->label();
  }
  AbstractInterop::Named_ptr same_named(AbstractInterop::Named_ptr item) override {
    return AbstractInterop::Named::_duplicate(item);
  }
  AbstractInterop::Named_ptr own_tag() override {
    return AbstractInterop::Tag::_duplicate(tag_.in());
  }
  char* relay(AbstractInterop::Registry_ptr other, AbstractInterop::Named_ptr item) override {
    return other->label_of(item);
  }

 private:
  AbstractInterop::Tag_var tag_;
};

}  // namespace

int main(int argc, char** argv) {
  CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
  if (argc != 2) {
    std::cerr << "usage: omni_abstract_server IOR_FILE -ORBendPoint giop:tcp:127.0.0.1:PORT\n";
    return 2;
  }
  CORBA::Object_var root = orb->resolve_initial_references("RootPOA");
  PortableServer::POA_var poa = PortableServer::POA::_narrow(root);
  PortableServer::Servant_var<TagImpl> tag_servant = new TagImpl;
  PortableServer::ObjectId_var tag_id = poa->activate_object(tag_servant);
  CORBA::Object_var tag_object = poa->id_to_reference(tag_id);
  AbstractInterop::Tag_var tag = AbstractInterop::Tag::_narrow(tag_object);
  PortableServer::Servant_var<RegistryImpl> registry = new RegistryImpl(tag);
  PortableServer::ObjectId_var registry_id = poa->activate_object(registry);
  CORBA::Object_var registry_object = poa->id_to_reference(registry_id);
  CORBA::String_var ior = orb->object_to_string(registry_object);
  {
    std::string temporary = std::string(argv[1]) + ".tmp";
    std::ofstream(temporary) << ior.in();
    std::rename(temporary.c_str(), argv[1]);
  }
  PortableServer::POAManager_var manager = poa->the_POAManager();
  manager->activate();
  orb->run();
  orb->destroy();
  return 0;
}
