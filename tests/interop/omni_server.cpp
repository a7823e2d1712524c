// An omniORB server for the interop tests: serves Interop::Tester and
// writes its IOR to the file named by the first argument, then runs until
// it is killed. Start it with -ORBendPoint giop:tcp:127.0.0.1:PORT.
// Narrow strings here are ISO-8859-1, omniORB's native char code set; wide
// strings are UTF-16 units, omniORB's native wchar code set.
#include "interop.hh"
#include "interop_texts.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace {

class TesterImpl final : public POA_Interop::Tester {
 public:
  CORBA::Short echo_short(CORBA::Short v) override { return v; }
  CORBA::UShort echo_ushort(CORBA::UShort v) override { return v; }
  CORBA::Long echo_long(CORBA::Long v) override { return v; }
  CORBA::ULong echo_ulong(CORBA::ULong v) override { return v; }
  CORBA::LongLong echo_longlong(CORBA::LongLong v) override { return v; }
  CORBA::ULongLong echo_ulonglong(CORBA::ULongLong v) override { return v; }
  CORBA::Float echo_float(CORBA::Float v) override { return v; }
  CORBA::Double echo_double(CORBA::Double v) override { return v; }
  CORBA::LongDouble echo_longdouble(CORBA::LongDouble v) override { return v; }
  CORBA::Boolean echo_boolean(CORBA::Boolean v) override { return v; }
  CORBA::Char echo_char(CORBA::Char v) override { return v; }
  CORBA::WChar echo_wchar(CORBA::WChar v) override { return v; }
  CORBA::Octet echo_octet(CORBA::Octet v) override { return v; }
  char* echo_string(const char* v) override { return CORBA::string_dup(v); }
  CORBA::WChar* echo_wstring(const CORBA::WChar* v) override { return CORBA::wstring_dup(v); }

  Interop::Record* echo_record(const Interop::Record& v) override { return new Interop::Record(v); }
  Interop::Color next_color(Interop::Color v) override {
    return static_cast<Interop::Color>((static_cast<int>(v) + 1) % 3);
  }
  Interop::Octets* echo_octets(const Interop::Octets& v) override { return new Interop::Octets(v); }
  Interop::Strings* reverse_strings(const Interop::Strings& v) override {
    auto* result = new Interop::Strings;
    result->length(v.length());
    for (CORBA::ULong i = 0; i < v.length(); ++i) {
      (*result)[i] = CORBA::string_dup(v[v.length() - 1 - i]);
    }
    return result;
  }

  CORBA::Long counter() override { return counter_; }
  void counter(CORBA::Long v) override { counter_ = v; }

  char* known_text() override { return CORBA::string_dup(interop::kLatinText); }
  CORBA::WChar* known_wide_text() override { return CORBA::wstring_dup(interop::kWideText); }
  CORBA::Boolean is_known_text(const char* v) override {
    return std::string(v) == interop::kLatinText;
  }
  CORBA::Boolean is_known_wide_text(const CORBA::WChar* v) override {
    return std::wstring(v) == interop::kWideText;
  }

  void fail(const char* reason, CORBA::Long code) override {
    Interop::Strings details;
    details.length(2);
    details[0] = CORBA::string_dup("first");
    details[1] = CORBA::string_dup("second");
    throw Interop::Failure(reason, code, details);
  }
  void raise_bad_param(CORBA::ULong minor, CORBA::Boolean completed) override {
    throw CORBA::BAD_PARAM(minor, completed ? CORBA::COMPLETED_YES : CORBA::COMPLETED_NO);
  }

  void post(CORBA::Long value) override { posted_ = value; }
  CORBA::Long last_posted() override { return posted_; }

  CORBA::Long exchange(CORBA::Long a, CORBA::Long b, CORBA::Long& doubled, char*& text,
                       CORBA::Short& count) override {
    doubled = 2 * a;
    std::string appended = std::string(text) + "!";
    CORBA::string_free(text);
    text = CORBA::string_dup(appended.c_str());
    count = static_cast<CORBA::Short>(count + b);
    return a + b;
  }

 private:
  CORBA::Long counter_ = 0;
  CORBA::Long posted_ = 0;
};

/// Writes the IOR beside its final name and renames it, so a reader never
/// sees half a file.
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
  try {
    CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
    if (argc != 2) {
      std::cerr << "usage: omni_server IOR_FILE -ORBendPoint giop:tcp:127.0.0.1:PORT\n";
      return 2;
    }
    CORBA::Object_var root = orb->resolve_initial_references("RootPOA");
    PortableServer::POA_var poa = PortableServer::POA::_narrow(root);
    PortableServer::Servant_var<TesterImpl> servant = new TesterImpl;
    PortableServer::ObjectId_var id = poa->activate_object(servant);
    CORBA::Object_var object = poa->id_to_reference(id);
    CORBA::String_var ior = orb->object_to_string(object);
    poa->the_POAManager()->activate();
    if (!publish(argv[1], ior)) {
      std::cerr << "omni_server: cannot write " << argv[1] << "\n";
      return 1;
    }
    orb->run();
    orb->destroy();
  } catch (const CORBA::Exception& error) {
    std::cerr << "omni_server: CORBA exception " << error._name() << "\n";
    return 1;
  }
  return 0;
}
