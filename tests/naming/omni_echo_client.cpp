// An omniORB client for the naming interop tests: resolves NAME through
// the NameService initial reference (-ORBInitRef NameService=URL), narrows
// it to NamingEcho::Echo, calls reply(TEXT) and prints the result. Exit
// status 0 on success, 1 with a message on any failure.
//
// usage: omni_echo_client -ORBInitRef NameService=URL NAME TEXT
#include "naming_echo.hh"

#include <iostream>

int main(int argc, char** argv) {
  try {
    CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
    if (argc != 3) {
      std::cerr << "usage: omni_echo_client -ORBInitRef NameService=URL NAME TEXT\n";
      return 2;
    }
    CORBA::Object_var object = orb->resolve_initial_references("NameService");
    CosNaming::NamingContextExt_var root = CosNaming::NamingContextExt::_narrow(object);
    if (CORBA::is_nil(root)) {
      std::cerr << "NameService is not a NamingContextExt\n";
      return 1;
    }
    CORBA::Object_var target = root->resolve_str(argv[1]);
    NamingEcho::Echo_var echo = NamingEcho::Echo::_narrow(target);
    if (CORBA::is_nil(echo)) {
      std::cerr << argv[1] << " is not a NamingEcho::Echo\n";
      return 1;
    }
    CORBA::String_var result = echo->reply(argv[2]);
    std::cout << result.in() << std::endl;
    orb->destroy();
    return 0;
  } catch (const CosNaming::NamingContext::NotFound&) {
    std::cerr << "not found: " << argv[1] << "\n";
  } catch (const CORBA::Exception& error) {
    std::cerr << "CORBA exception: " << error._name() << "\n";
  }
  return 1;
}
