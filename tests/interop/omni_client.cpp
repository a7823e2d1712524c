// An omniORB client for the interop tests: reads an Interop::Tester IOR
// from the file named by the first argument, calls every operation and
// checks the results. Prints one "FAIL" line per failed check and exits
// with status 0 only when every check passed. Words after the file name
// leave checks out: "skip-long-double", and "narrow-only" for GIOP 1.0,
// which has no wide characters.
#include "interop.hh"
#include "interop_texts.hpp"

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>

namespace {

int failures = 0;

void check(bool ok, const std::string& description) {
  if (!ok) {
    ++failures;
    std::cout << "FAIL " << description << std::endl;
  }
}

#define ORB_CHECK(condition) check((condition), #condition)

/// The checks that the words after the IOR file name leave out.
struct Skips {
  bool long_double = false;
  bool wide = false;
};

void check_primitives(Interop::Tester_ptr tester, const Skips& skips) {
  ORB_CHECK(tester->echo_short(std::numeric_limits<CORBA::Short>::min()) ==
            std::numeric_limits<CORBA::Short>::min());
  ORB_CHECK(tester->echo_ushort(65535) == 65535);
  ORB_CHECK(tester->echo_long(std::numeric_limits<CORBA::Long>::min()) ==
            std::numeric_limits<CORBA::Long>::min());
  ORB_CHECK(tester->echo_ulong(4294967295U) == 4294967295U);
  ORB_CHECK(tester->echo_longlong(std::numeric_limits<CORBA::LongLong>::min()) ==
            std::numeric_limits<CORBA::LongLong>::min());
  ORB_CHECK(tester->echo_ulonglong(std::numeric_limits<CORBA::ULongLong>::max()) ==
            std::numeric_limits<CORBA::ULongLong>::max());
  ORB_CHECK(tester->echo_float(-1.25f) == -1.25f);
  ORB_CHECK(tester->echo_double(6.02214076e23) == 6.02214076e23);
  ORB_CHECK(tester->echo_boolean(true) == true);
  ORB_CHECK(tester->echo_boolean(false) == false);
  ORB_CHECK(tester->echo_char('A') == 'A');
  if (!skips.wide) {
    ORB_CHECK(tester->echo_wchar(L'\u00FC') == L'\u00FC');
    ORB_CHECK(tester->echo_wchar(L'\u20AC') == L'\u20AC');
  }
  ORB_CHECK(tester->echo_octet(0xFF) == 0xFF);
}

void check_long_double(Interop::Tester_ptr tester) {
  ORB_CHECK(tester->echo_longdouble(1.5L) == 1.5L);
  ORB_CHECK(tester->echo_longdouble(-0.1L) == -0.1L);
}

void check_strings(Interop::Tester_ptr tester, const Skips& skips) {
  CORBA::String_var echoed = tester->echo_string(interop::kLatinText);
  ORB_CHECK(std::strcmp(echoed, interop::kLatinText) == 0);
  CORBA::String_var empty = tester->echo_string("");
  ORB_CHECK(std::strcmp(empty, "") == 0);
  CORBA::String_var known = tester->known_text();
  ORB_CHECK(std::strcmp(known, interop::kLatinText) == 0);
  ORB_CHECK(tester->is_known_text(interop::kLatinText));
  if (skips.wide) {
    return;
  }

  CORBA::WString_var wide = tester->echo_wstring(interop::kWideText);
  ORB_CHECK(std::wstring(wide.in()) == interop::kWideText);
  CORBA::WString_var wide_empty = tester->echo_wstring(L"");
  ORB_CHECK(std::wstring(wide_empty.in()).empty());
  CORBA::WString_var wide_known = tester->known_wide_text();
  ORB_CHECK(std::wstring(wide_known.in()) == interop::kWideText);
  ORB_CHECK(tester->is_known_wide_text(interop::kWideText));
}

void check_constructed(Interop::Tester_ptr tester, const Skips& skips) {
  Interop::Record record;
  record.id = -7;
  record.name = CORBA::string_dup(interop::kLatinText);
  record.shade = Interop::green;
  record.data.length(3);
  record.data[0] = 0;
  record.data[1] = 0x80;
  record.data[2] = 0xFF;
  record.label = CORBA::wstring_dup(interop::kWideText);
  if (!skips.wide) {
    Interop::Record_var echoed = tester->echo_record(record);
    ORB_CHECK(echoed->id == -7);
    ORB_CHECK(std::strcmp(echoed->name, interop::kLatinText) == 0);
    ORB_CHECK(echoed->shade == Interop::green);
    ORB_CHECK(echoed->data.length() == 3 && echoed->data[1] == 0x80 && echoed->data[2] == 0xFF);
    ORB_CHECK(std::wstring(echoed->label.in()) == interop::kWideText);
  }

  ORB_CHECK(tester->next_color(Interop::blue) == Interop::red);
  ORB_CHECK(tester->next_color(Interop::red) == Interop::green);

  Interop::Octets octets;
  octets.length(256);
  for (CORBA::ULong i = 0; i < 256; ++i) {
    octets[i] = static_cast<CORBA::Octet>(i);
  }
  Interop::Octets_var echoed_octets = tester->echo_octets(octets);
  ORB_CHECK(echoed_octets->length() == 256 && echoed_octets[255] == 255 && echoed_octets[7] == 7);
  Interop::Octets_var no_octets = tester->echo_octets(Interop::Octets());
  ORB_CHECK(no_octets->length() == 0);

  Interop::Strings strings;
  strings.length(3);
  strings[0] = CORBA::string_dup("one");
  strings[1] = CORBA::string_dup(interop::kLatinText);
  strings[2] = CORBA::string_dup("");
  Interop::Strings_var reversed = tester->reverse_strings(strings);
  ORB_CHECK(reversed->length() == 3);
  if (reversed->length() == 3) {
    ORB_CHECK(std::strcmp(reversed[0], "") == 0);
    ORB_CHECK(std::strcmp(reversed[1], interop::kLatinText) == 0);
    ORB_CHECK(std::strcmp(reversed[2], "one") == 0);
  }
}

void check_exceptions(Interop::Tester_ptr tester) {
  try {
    tester->fail(interop::kLatinText, 42);
    ORB_CHECK(!"fail() raised nothing");
  } catch (const Interop::Failure& failure) {
    ORB_CHECK(std::strcmp(failure.reason, interop::kLatinText) == 0);
    ORB_CHECK(failure.code == 42);
    ORB_CHECK(failure.details.length() == 2 && std::strcmp(failure.details[1], "second") == 0);
  }
  try {
    tester->raise_bad_param(7, true);
    ORB_CHECK(!"raise_bad_param() raised nothing");
  } catch (const CORBA::BAD_PARAM& error) {
    ORB_CHECK(error.minor() == 7);
    ORB_CHECK(error.completed() == CORBA::COMPLETED_YES);
  }
  try {
    tester->raise_bad_param(8, false);
    ORB_CHECK(!"raise_bad_param() raised nothing");
  } catch (const CORBA::BAD_PARAM& error) {
    ORB_CHECK(error.minor() == 8);
    ORB_CHECK(error.completed() == CORBA::COMPLETED_NO);
  }
}

void check_calls(Interop::Tester_ptr tester) {
  tester->counter(31);
  ORB_CHECK(tester->counter() == 31);

  tester->post(5);
  // The oneway and the next call share a connection, but the server may
  // run them on different threads; wait a bounded time for it to land.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (tester->last_posted() != 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ORB_CHECK(tester->last_posted() == 5);

  CORBA::Long doubled = 0;
  CORBA::String_var text = CORBA::string_dup("hi");
  CORBA::Short count = 10;
  ORB_CHECK(tester->exchange(3, 4, doubled, text.inout(), count) == 7);
  ORB_CHECK(doubled == 6);
  ORB_CHECK(std::strcmp(text, "hi!") == 0);
  ORB_CHECK(count == 14);
}

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
    if (argc < 2) {
      std::cerr << "usage: omni_client IOR_FILE [skip-long-double] [narrow-only]\n";
      return 2;
    }
    Skips skips;
    for (int i = 2; i < argc; ++i) {
      skips.long_double |= std::string(argv[i]) == "skip-long-double";
      skips.wide |= std::string(argv[i]) == "narrow-only";
    }
    CORBA::Object_var object = orb->string_to_object(read_file(argv[1]).c_str());
    Interop::Tester_var tester = Interop::Tester::_narrow(object);
    if (CORBA::is_nil(tester)) {
      std::cout << "FAIL the reference is not an Interop::Tester\n";
      return 1;
    }
    check_primitives(tester, skips);
    if (!skips.long_double) {
      check_long_double(tester);
    }
    check_strings(tester, skips);
    check_constructed(tester, skips);
    check_exceptions(tester);
    check_calls(tester);
    orb->destroy();
  } catch (const CORBA::SystemException& error) {
    std::cout << "FAIL system exception " << error._name() << " minor " << error.minor()
              << " completed " << error.completed() << std::endl;
    return 1;
  } catch (const CORBA::Exception& error) {
    std::cout << "FAIL exception " << error._name() << std::endl;
    return 1;
  }
  std::cout << (failures == 0 ? "all checks passed" : "some checks failed") << std::endl;
  return failures == 0 ? 0 : 1;
}
