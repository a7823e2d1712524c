// omniORB benchmark server: serves one Bench object through omniORB's
// root POA, writes its IOR to the file named on the command line and runs
// until SIGTERM or SIGINT. The endpoint comes from omniORB's own option:
//   omni_bench_server IOR_FILE -ORBendPoint giop:tcp:127.0.0.1:PORT
//   omni_bench_server IOR_FILE -ORBendPoint giop:unix:/path/to/socket
#include "bench.hh"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <pthread.h>

namespace {

class BenchImpl final : public POA_Bench {
 public:
  void null_call() override {}
  CORBA::Long add(CORBA::Long a, CORBA::Long b) override { return a + b; }
  Octets* echo(const Octets& data) override { return new Octets(data); }
};

bool publish(const std::string& path, const char* ior) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << ior;
    if (!out) {
      return false;
    }
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Blocked before omniORB starts its threads; only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
    if (argc != 2) {
      std::cerr << "usage: omni_bench_server IOR_FILE -ORBendPoint giop:tcp:127.0.0.1:PORT\n";
      return 2;
    }
    CORBA::Object_var root = orb->resolve_initial_references("RootPOA");
    PortableServer::POA_var poa = PortableServer::POA::_narrow(root);
    PortableServer::Servant_var<BenchImpl> servant = new BenchImpl;
    PortableServer::ObjectId_var id = poa->activate_object(servant);
    CORBA::Object_var object = poa->id_to_reference(id);
    CORBA::String_var ior = orb->object_to_string(object);
    poa->the_POAManager()->activate();
    if (!publish(argv[1], ior)) {
      std::cerr << "omni_bench_server: cannot write " << argv[1] << "\n";
      return 1;
    }
    int received = 0;
    sigwait(&stop_signals, &received);
    orb->destroy();
  } catch (const CORBA::Exception& error) {
    std::cerr << "omni_bench_server: CORBA exception " << error._name() << "\n";
    return 1;
  }
  return 0;
}
