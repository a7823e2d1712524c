// IOR layer: IOR, IIOP profile and component round trips in both byte
// orders, hand-built golden encodings, a stringified IOR written by
// omniORB, and the positive and negative cases of the corbaloc: and
// corbaname: parsers with their exact error messages.
#include <orb/cdr/decoder.hpp>
#include <orb/ior/components.hpp>
#include <orb/ior/corbaloc.hpp>
#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>
#include <orb/minor.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace orb::ior {
namespace {

using Bytes = std::vector<uint8_t>;
using cdr::ByteOrder;

Bytes bytes_of(std::string_view text) {
  return {text.begin(), text.end()};
}

// Runs `body` and returns the exception of type E that it must raise.
template <class E, class Body>
std::optional<E> capture(Body&& body) {
  try {
    body();
  } catch (const E& error) {
    return error;
  }
  ADD_FAILURE() << "no exception of the expected type was raised";
  return std::nullopt;
}

IiopProfile sample_profile(IiopVersion version) {
  IiopProfile profile;
  profile.version = version;
  profile.host = "server.example.com";
  profile.port = 40123;
  profile.object_key = {0x00, 0xff, 'k', 'e', 'y', 0x10};
  if (version.minor >= 1) {
    profile.components.push_back(encode_component(OrbTypeComponent{kOmniOrbOrbType}));
    profile.components.push_back({0x12345678, {1, 2, 3}});
  }
  return profile;
}

class IorByteOrder : public ::testing::TestWithParam<ByteOrder> {};

TEST_P(IorByteOrder, EncapsulationRoundTrip) {
  Ior ior = make_ior("IDL:Bank/Account:1.0", sample_profile({1, 2}), GetParam());
  ior.profiles.push_back({0x4f424a00, {9, 8, 7, 6, 5}});

  Bytes encoded = encode_ior_encapsulation(ior, GetParam());
  EXPECT_EQ(encoded.at(0), static_cast<uint8_t>(GetParam()));
  EXPECT_EQ(decode_ior_encapsulation(encoded), ior);
}

TEST_P(IorByteOrder, StringRoundTrip) {
  Ior ior = make_ior("IDL:Bank/Account:1.0", sample_profile({1, 1}), GetParam());
  std::string text = to_string(ior, GetParam());
  EXPECT_EQ(text.substr(0, 4), "IOR:");
  EXPECT_EQ(text.find_first_of("ABCDEF"), std::string::npos) << "hex digits must be lowercase";
  EXPECT_EQ(parse_ior_string(text), ior);
}

TEST_P(IorByteOrder, NilRoundTrip) {
  Ior nil;
  Ior decoded = parse_ior_string(to_string(nil, GetParam()));
  EXPECT_TRUE(decoded.is_nil());
}

TEST_P(IorByteOrder, ProfileRoundTripAllVersions) {
  for (uint8_t minor_version : {0, 1, 2}) {
    SCOPED_TRACE("IIOP 1." + std::to_string(minor_version));
    IiopProfile profile = sample_profile({1, minor_version});
    giop::TaggedProfile tagged = encode_iiop_profile(profile, GetParam());
    EXPECT_EQ(tagged.tag, giop::kTagInternetIop);
    EXPECT_EQ(tagged.profile_data.at(0), static_cast<uint8_t>(GetParam()));
    EXPECT_EQ(decode_iiop_profile(tagged.profile_data), profile);
  }
}

TEST_P(IorByteOrder, ComponentsRoundTrip) {
  std::vector<Component> components = {
      OrbTypeComponent{kOmniOrbOrbType},
      CodeSetComponentInfo{{kCodeSetIso8859_1, {kCodeSetUtf8}},
                           {kCodeSetUtf16, {kCodeSetUtf16, kCodeSetUcs2Level1}}},
      CodeSetComponentInfo{{kCodeSetUtf8, {}}, {kCodeSetUtf16, {}}},
      AlternateIiopAddress{"::1", 2810},
      TaggedComponent{0x41545403, {0xde, 0xad}},
  };
  for (const Component& component : components) {
    TaggedComponent tagged = encode_component(component, GetParam());
    EXPECT_EQ(decode_component(tagged), component);
  }
}

INSTANTIATE_TEST_SUITE_P(BothOrders, IorByteOrder,
                         ::testing::Values(ByteOrder::big_endian, ByteOrder::little_endian),
                         [](const auto& info) {
                           return info.param == ByteOrder::big_endian ? "BigEndian"
                                                                      : "LittleEndian";
                         });

// A big-endian IOR with type id "IDL:Test:1.0" and one IIOP 1.0 profile
// for 127.0.0.1:2809 with object key "key". It is laid out by hand from the
// CDR rules: each ulong is aligned to 4 and the ushort to 2, counted from
// the byte-order octet of the enclosing encapsulation.
const char* const kGoldenIor =
    "IOR:"
    "00"                          // byte order: big-endian
    "000000"                      // padding to offset 4
    "0000000d"                    // type id length 13, NUL included
    "49444c3a546573743a312e3000"  // "IDL:Test:1.0\0"
    "000000"                      // padding to offset 24
    "00000001"                    // one profile
    "00000000"                    // TAG_INTERNET_IOP
    "0000001b"                    // profile data length 27
    "00"                          // profile byte order: big-endian
    "0100"                        // IIOP 1.0
    "00"                          // padding to offset 4
    "0000000a"                    // host length 10
    "3132372e302e302e3100"        // "127.0.0.1\0"
    "0af9"                        // port 2809
    "00000003"                    // object key length 3
    "6b6579";                     // "key"

TEST(IorGolden, HandBuiltBigEndian) {
  IiopProfile profile{{1, 0}, "127.0.0.1", 2809, bytes_of("key"), {}};
  Ior ior = make_ior("IDL:Test:1.0", profile, ByteOrder::big_endian);
  EXPECT_EQ(to_string(ior, ByteOrder::big_endian), kGoldenIor);

  Ior parsed = parse_ior_string(kGoldenIor);
  EXPECT_EQ(parsed.type_id, "IDL:Test:1.0");
  ASSERT_EQ(parsed.profiles.size(), 1U);
  std::optional<IiopProfile> decoded = find_iiop_profile(parsed);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, profile);
}

TEST(IorGolden, UppercaseHexAndPrefix) {
  std::string upper = kGoldenIor;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(parse_ior_string(upper), parse_ior_string(kGoldenIor));
  EXPECT_EQ(parse_ior_string("ior:" + std::string(kGoldenIor + 4)), parse_ior_string(kGoldenIor));
}

// The root context reference that omniNames 4.2.5 printed when started on
// 127.0.0.1:47123: little-endian, IIOP 1.2, with omniORB's ORB type, code
// sets and persistent id components.
const char* const kOmniNamesIor =
    "IOR:010000002b00000049444c3a6f6d672e6f72672f436f734e616d696e672f4e616d696e67436f6e74657874"
    "4578743a312e30000001000000000000006c000000010102000a0000003132372e302e302e310013b80b000000"
    "4e616d6553657276696365000300000000000000080000000100000000545441010000001c0000000100000001"
    "00010001000000010001050901010001000000090101000354544108000000de26136b010012d1";

TEST(IorGolden, OmniOrbRootContext) {
  Ior ior = parse_ior_string(kOmniNamesIor);
  EXPECT_EQ(ior.type_id, "IDL:omg.org/CosNaming/NamingContextExt:1.0");
  std::optional<IiopProfile> profile = find_iiop_profile(ior);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->version, (IiopVersion{1, 2}));
  EXPECT_EQ(profile->host, "127.0.0.1");
  EXPECT_EQ(profile->port, 47123);
  EXPECT_EQ(profile->object_key, bytes_of("NameService"));
  ASSERT_EQ(profile->components.size(), 3U);

  EXPECT_EQ(find_orb_type(*profile), kOmniOrbOrbType);
  CodeSetComponentInfo expected_code_sets{{kCodeSetIso8859_1, {kCodeSetUtf8}},
                                          {kCodeSetUtf16, {kCodeSetUtf16}}};
  EXPECT_EQ(find_code_sets(*profile), expected_code_sets);
  const TaggedComponent& persistent_id = profile->components[2];
  EXPECT_EQ(persistent_id.tag, 0x41545403U);
  EXPECT_EQ(decode_component(persistent_id), Component{persistent_id});

  // Re-encoding in omniORB's byte order reproduces its string exactly.
  EXPECT_EQ(to_string(ior, ByteOrder::little_endian), kOmniNamesIor);
  EXPECT_EQ(make_ior(ior.type_id, *profile, ByteOrder::little_endian), ior);
}

TEST(IorString, MissingPrefix) {
  auto error = capture<BAD_PARAM>([] { parse_ior_string("corbaloc::h/k"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadSchemeName);
  EXPECT_EQ(error->message(),
            "parse stringified IOR \"corbaloc::h/k\": it does not start with \"IOR:\"");
}

TEST(IorString, OddDigitCount) {
  auto error = capture<MARSHAL>([] { parse_ior_string("IOR:000"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadIor);
  EXPECT_EQ(error->message(),
            "parse stringified IOR \"IOR:000\": odd number of hex digits (3), so the last "
            "octet at offset 6 is incomplete");
}

TEST(IorString, NonHexDigit) {
  auto error = capture<MARSHAL>([] { parse_ior_string("IOR:00g0"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadIor);
  EXPECT_EQ(error->message(),
            "parse stringified IOR \"IOR:00g0\": character \"g\" at offset 6 is not a hex digit");
}

TEST(IorString, TrailingNewlineRejected) {
  std::string text = std::string(kGoldenIor) + "\n";
  auto error = capture<MARSHAL>([&] { parse_ior_string(text); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadIor);
  EXPECT_NE(error->message().find("character \"\\x0a\" at offset " +
                                  std::to_string(text.size() - 1) + " is not a hex digit"),
            std::string::npos)
      << error->message();
}

TEST(IorString, NoDigits) {
  auto error = capture<MARSHAL>([] { parse_ior_string("IOR:"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadIor);
  EXPECT_EQ(error->message(), "parse stringified IOR \"IOR:\": no hex digits follow \"IOR:\"");
}

TEST(IorString, TruncatedEncapsulation) {
  std::string text(kGoldenIor);
  text.resize(text.size() - 2);  // drop the last octet of the object key
  auto error = capture<cdr::DecodeError>([&] { parse_ior_string(text); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kLengthTooLarge);
  EXPECT_EQ(error->offset(), 32U);  // the profile data length
  EXPECT_EQ(error->message(),
            "decode profile data at offset 32: length 27 exceeds the 26 bytes left");
}

TEST(IorString, BadByteOrderOctet) {
  auto error = capture<cdr::DecodeError>([] { parse_ior_string("IOR:02000000"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), 0U);
  EXPECT_EQ(error->message(),
            "decode IOR encapsulation at offset 0: byte-order octet 2 is neither 0 nor 1");
}

TEST(IorString, BytesAfterIor) {
  std::string text = std::string(kGoldenIor) + "00";
  auto error = capture<cdr::DecodeError>([&] { parse_ior_string(text); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), 63U);
  EXPECT_EQ(error->message(),
            "decode IOR encapsulation at offset 63: 1 unexpected byte after its last field");
}

TEST(IiopProfileCodec, Version10HasNoComponentField) {
  IiopProfile profile{{1, 0}, "h", 1, {7}, {}};
  giop::TaggedProfile tagged = encode_iiop_profile(profile, ByteOrder::big_endian);
  // octet, version, pad, host "h\0", port, key length and key: no component count.
  Bytes expected = {0, 1, 0, 0, 0, 0, 0, 2, 'h', 0, 0, 1, 0, 0, 0, 1, 7};
  EXPECT_EQ(tagged.profile_data, expected);
}

TEST(IiopProfileCodec, Version10WithComponentsRejected) {
  IiopProfile profile = sample_profile({1, 1});
  profile.version = {1, 0};
  auto error = capture<BAD_PARAM>([&] { encode_iiop_profile(profile); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kUnencodable);
  EXPECT_EQ(error->message(),
            "encode IIOP 1.0 profile: version 1.0 cannot carry its 2 tagged components");
}

TEST(IiopProfileCodec, MajorVersionTwoRejected) {
  Bytes data = {0, 2, 0};
  auto error = capture<cdr::DecodeError>([&] { decode_iiop_profile(data); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadVersion);
  EXPECT_EQ(error->offset(), 1U);
  EXPECT_EQ(error->message(),
            "decode IIOP version at offset 1: major version 2 is not 1, the only IIOP major "
            "version");
}

TEST(IiopProfileCodec, TrailingBytesRejectedUpTo12) {
  Bytes data = encode_iiop_profile(sample_profile({1, 2}), ByteOrder::big_endian).profile_data;
  size_t end = data.size();
  data.push_back(0);
  auto error = capture<cdr::DecodeError>([&] { decode_iiop_profile(data); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), end);
}

TEST(IiopProfileCodec, TrailingBytesSkippedAfter12) {
  IiopProfile profile = sample_profile({1, 2});
  profile.version.minor = 3;
  Bytes data = encode_iiop_profile(profile, ByteOrder::big_endian).profile_data;
  data.insert(data.end(), {1, 2, 3, 4});
  EXPECT_EQ(decode_iiop_profile(data), profile);
}

TEST(IiopProfileCodec, TruncatedComponents) {
  // Layout of this 1.1 profile: component count at 44, the first component
  // at 48 to 63, the second one's tag at 64, data length 3 at 68, data at 72.
  Bytes data = encode_iiop_profile(sample_profile({1, 1}), ByteOrder::little_endian).profile_data;
  ASSERT_EQ(data.size(), 75U);

  Bytes cut_in_first(data.begin(), data.begin() + 60);
  auto count_error = capture<cdr::DecodeError>([&] { decode_iiop_profile(cut_in_first); });
  ASSERT_TRUE(count_error);
  EXPECT_EQ(count_error->minor(), minor::kLengthTooLarge);
  EXPECT_EQ(count_error->offset(), 44U);
  EXPECT_EQ(count_error->expected(), "tagged components");

  Bytes cut_in_second(data.begin(), data.begin() + 73);
  auto data_error = capture<cdr::DecodeError>([&] { decode_iiop_profile(cut_in_second); });
  ASSERT_TRUE(data_error);
  EXPECT_EQ(data_error->minor(), minor::kLengthTooLarge);
  EXPECT_EQ(data_error->offset(), 68U);
  EXPECT_EQ(data_error->expected(), "component data");
}

TEST(IiopProfileCodec, FindSkipsOtherProfiles) {
  Ior ior;
  ior.profiles.push_back({giop::kTagMultipleComponents, {0, 0, 0, 0, 0}});
  EXPECT_FALSE(find_iiop_profile(ior).has_value());

  IiopProfile first = sample_profile({1, 2});
  IiopProfile second = sample_profile({1, 0});
  ior.profiles.push_back(encode_iiop_profile(first));
  ior.profiles.push_back(encode_iiop_profile(second));
  EXPECT_EQ(find_iiop_profile(ior), first);
}

TEST(ComponentCodec, CodeSetsGoldenBigEndian) {
  CodeSetComponentInfo info{{kCodeSetIso8859_1, {kCodeSetUtf8}}, {kCodeSetUtf16, {}}};
  TaggedComponent tagged = encode_component(info, ByteOrder::big_endian);
  Bytes expected = {
      0,    0,    0,    0,     // byte order and padding
      0x00, 0x01, 0x00, 0x01,  // char native: ISO-8859-1
      0,    0,    0,    1,     // one conversion code set
      0x05, 0x01, 0x00, 0x01,  // UTF-8
      0x00, 0x01, 0x01, 0x09,  // wchar native: UTF-16
      0,    0,    0,    0,     // no conversion code sets
  };
  EXPECT_EQ(tagged.tag, kTagCodeSets);
  EXPECT_EQ(tagged.component_data, expected);
}

TEST(ComponentCodec, OrbTypeGoldenLittleEndian) {
  TaggedComponent tagged =
      encode_component(OrbTypeComponent{kOmniOrbOrbType}, ByteOrder::little_endian);
  EXPECT_EQ(tagged.tag, kTagOrbType);
  EXPECT_EQ(tagged.component_data, (Bytes{1, 0, 0, 0, 0x00, 0x54, 0x54, 0x41}));
}

TEST(ComponentCodec, ImpossibleConversionCount) {
  TaggedComponent tagged{kTagCodeSets, {0, 0, 0, 0, 0, 1, 0, 1, 0xff, 0xff, 0xff, 0xff}};
  auto error = capture<cdr::DecodeError>([&] { decode_component(tagged); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kLengthTooLarge);
  EXPECT_EQ(error->offset(), 8U);
}

TEST(ComponentCodec, TrailingBytesRejected) {
  TaggedComponent tagged{kTagOrbType, {0, 0, 0, 0, 0x41, 0x54, 0x54, 0x00, 0}};
  auto error = capture<cdr::DecodeError>([&] { decode_component(tagged); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message(),
            "decode TAG_ORB_TYPE component at offset 8: 1 unexpected byte after its last field");
}

TEST(ComponentCodec, EmptyDataRejected) {
  auto error = capture<cdr::DecodeError>([] { decode_component({kTagAlternateIiopAddress, {}}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kTruncated);
}

TEST(ComponentCodec, FindHelpers) {
  IiopProfile profile = sample_profile({1, 2});
  EXPECT_EQ(find_orb_type(profile), kOmniOrbOrbType);
  EXPECT_FALSE(find_code_sets(profile).has_value());
  EXPECT_TRUE(find_alternate_addresses(profile).empty());

  profile.components.push_back(encode_component(AlternateIiopAddress{"10.0.0.1", 1}));
  profile.components.push_back(encode_component(AlternateIiopAddress{"10.0.0.2", 2}));
  std::vector<AlternateIiopAddress> expected = {{"10.0.0.1", 1}, {"10.0.0.2", 2}};
  EXPECT_EQ(find_alternate_addresses(profile), expected);
}

// corbaloc and corbaname parsing.

TEST(Corbaloc, DefaultsToIiop10AndPort2809) {
  Corbaloc location = parse_corbaloc("corbaloc::host.example.com/NameService");
  EXPECT_FALSE(location.rir);
  ASSERT_EQ(location.addresses.size(), 1U);
  EXPECT_EQ(location.addresses[0].version, (IiopVersion{1, 0}));
  EXPECT_EQ(location.addresses[0].host, "host.example.com");
  EXPECT_EQ(location.addresses[0].port, 2809);
  EXPECT_EQ(location.object_key, bytes_of("NameService"));
}

TEST(Corbaloc, VersionPrefixAndPort) {
  Corbaloc location = parse_corbaloc("corbaloc:iiop:1.2@192.168.1.7:1234/a/b");
  ASSERT_EQ(location.addresses.size(), 1U);
  EXPECT_EQ(location.addresses[0], (IiopAddress{{1, 2}, "192.168.1.7", 1234}));
  EXPECT_EQ(location.object_key, bytes_of("a/b"));
}

TEST(Corbaloc, Ipv6WithAndWithoutPort) {
  Corbaloc location = parse_corbaloc("corbaloc::[::1]:2810,iiop:1.1@[fe80::1:2]/Key");
  ASSERT_EQ(location.addresses.size(), 2U);
  EXPECT_EQ(location.addresses[0], (IiopAddress{{1, 0}, "::1", 2810}));
  EXPECT_EQ(location.addresses[1], (IiopAddress{{1, 1}, "fe80::1:2", 2809}));
}

TEST(Corbaloc, SeveralAddresses) {
  Corbaloc location =
      parse_corbaloc("corbaloc::primary.example:110,:1.2@backup.example:120,iiop:third/Dev/NS");
  std::vector<IiopAddress> expected = {
      {{1, 0}, "primary.example", 110}, {{1, 2}, "backup.example", 120}, {{1, 0}, "third", 2809}};
  EXPECT_EQ(location.addresses, expected);
  EXPECT_EQ(location.object_key, bytes_of("Dev/NS"));
}

TEST(Corbaloc, EscapesDecodeToOctets) {
  Corbaloc location = parse_corbaloc("corbaloc::h/a%2Fb%2f%00%FFz");
  EXPECT_EQ(location.object_key, (Bytes{'a', '/', 'b', '/', 0x00, 0xff, 'z'}));
}

TEST(Corbaloc, EmptyKey) {
  EXPECT_TRUE(parse_corbaloc("corbaloc::h/").object_key.empty());
}

TEST(Corbaloc, Rir) {
  Corbaloc location = parse_corbaloc("corbaloc:rir:/NameService");
  EXPECT_TRUE(location.rir);
  EXPECT_TRUE(location.addresses.empty());
  EXPECT_EQ(location.object_key, bytes_of("NameService"));
}

TEST(Corbaloc, SchemeAndProtocolIgnoreCase) {
  Corbaloc location = parse_corbaloc("CorbaLoc:IIOP:h:1/k");
  EXPECT_EQ(location.addresses.at(0), (IiopAddress{{1, 0}, "h", 1}));
}

TEST(Corbaloc, FormatRoundTrip) {
  Corbaloc location;
  location.addresses = {{{1, 0}, "a.example", 2809}, {{1, 2}, "::1", 9}, {{1, 1}, "10.1.2.3", 7}};
  location.object_key = {'N', 0, '/', ' ', '%', 0xc3, 0xa9, '#'};
  std::string url = to_string(location);
  EXPECT_EQ(url,
            "corbaloc:iiop:a.example:2809,iiop:1.2@[::1]:9,iiop:1.1@10.1.2.3:7/"
            "N%00/%20%25%C3%A9%23");
  EXPECT_EQ(parse_corbaloc(url), location);

  Corbaloc rir{true, {}, bytes_of("NameService")};
  EXPECT_EQ(to_string(rir), "corbaloc:rir:/NameService");
  EXPECT_EQ(parse_corbaloc(to_string(rir)), rir);
}

TEST(Corbaloc, FormatRejectsInvalidHost) {
  Corbaloc location{false, {{{1, 0}, "bad/host", 1}}, {}};
  auto error = capture<BAD_PARAM>([&] { to_string(location); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kUnencodable);
  EXPECT_EQ(error->message(),
            "format corbaloc URL: host \"bad/host\" is not a DNS name or IP address");
}

TEST(Corbaloc, ToIorOneProfilePerAddress) {
  Corbaloc location = parse_corbaloc("corbaloc::a:1,:1.2@[::1]:2/Key");
  Ior ior = to_ior(location);
  EXPECT_EQ(ior.type_id, "");
  ASSERT_EQ(ior.profiles.size(), 2U);
  EXPECT_EQ(decode_iiop_profile(ior.profiles[0].profile_data),
            (IiopProfile{{1, 0}, "a", 1, bytes_of("Key"), {}}));
  EXPECT_EQ(decode_iiop_profile(ior.profiles[1].profile_data),
            (IiopProfile{{1, 2}, "::1", 2, bytes_of("Key"), {}}));
}

TEST(Corbaloc, ToIorRejectsRir) {
  auto error = capture<BAD_PARAM>([] { to_ior(parse_corbaloc("corbaloc:rir:/X")); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kUnencodable);
}

TEST(Corbaname, DefaultKeyAndName) {
  Corbaname name = parse_corbaname("corbaname::ns.example:2809#a.kind/b");
  ASSERT_EQ(name.naming_context.addresses.size(), 1U);
  EXPECT_EQ(name.naming_context.addresses[0], (IiopAddress{{1, 0}, "ns.example", 2809}));
  EXPECT_EQ(name.naming_context.object_key, bytes_of("NameService"));
  EXPECT_EQ(name.name, "a.kind/b");
}

TEST(Corbaname, ExplicitKeyAndEscapedName) {
  Corbaname name = parse_corbaname("corbaname:iiop:1.2@h:5/Ctx%2F1#x%20y%5C.z");
  EXPECT_EQ(name.naming_context.object_key, bytes_of("Ctx/1"));
  EXPECT_EQ(name.name, "x y\\.z");
}

TEST(Corbaname, NoKeyNoName) {
  Corbaname name = parse_corbaname("corbaname::h");
  EXPECT_EQ(name.naming_context.object_key, bytes_of("NameService"));
  EXPECT_EQ(name.name, "");
  EXPECT_EQ(parse_corbaname("corbaname::h/").naming_context.object_key, bytes_of("NameService"));
}

TEST(Corbaname, Rir) {
  Corbaname name = parse_corbaname("corbaname:rir:#dir/obj");
  EXPECT_TRUE(name.naming_context.rir);
  EXPECT_EQ(name.naming_context.object_key, bytes_of("NameService"));
  EXPECT_EQ(name.name, "dir/obj");
}

TEST(Corbaname, FormatRoundTrip) {
  Corbaname name{{false, {{{1, 2}, "::1", 2809}}, bytes_of("Root Ctx")}, "a b/c#d"};
  std::string url = to_string(name);
  EXPECT_EQ(url, "corbaname:iiop:1.2@[::1]:2809/Root%20Ctx#a%20b/c%23d");
  EXPECT_EQ(parse_corbaname(url), name);
}

TEST(Corbaname, FormatRejectsEmptyKey) {
  Corbaname name{{true, {}, {}}, "x"};
  auto error = capture<BAD_PARAM>([&] { to_string(name); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kUnencodable);
}

struct BadUrl {
  const char* url;
  bool corbaname;
  uint32_t minor;
  const char* problem;  // the message after "parse <scheme> URL "<url>": "
};

class CorbalocRejects : public ::testing::TestWithParam<BadUrl> {};

TEST_P(CorbalocRejects, WithMinorAndMessage) {
  const BadUrl& bad = GetParam();
  auto error = capture<BAD_PARAM>(
      [&] { bad.corbaname ? (void)parse_corbaname(bad.url) : (void)parse_corbaloc(bad.url); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), bad.minor);
  std::string scheme = bad.corbaname ? "corbaname" : "corbaloc";
  EXPECT_EQ(error->message(),
            "parse " + scheme + " URL \"" + bad.url + "\": " + std::string(bad.problem));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CorbalocRejects,
    ::testing::Values(
        BadUrl{"corbaloc::h/%4", false, minor::kBadUrl,
               "offset 12: escape \"%4\" in the object key is not '%' followed by two hex digits"},
        BadUrl{"corbaloc::h/%zz", false, minor::kBadUrl,
               "offset 12: escape \"%zz\" in the object key is not '%' followed by two hex "
               "digits"},
        BadUrl{"corbaloc::h/a b", false, minor::kBadUrl,
               "offset 13: character \" \" in the object key must be written as a %xx escape"},
        BadUrl{"corbaloc::/Key", false, minor::kBadAddress, "offset 10: empty host"},
        BadUrl{"corbaloc::h:99999/k", false, minor::kBadAddress,
               "offset 12: port \"99999\" is out of range; use 1 to 65535"},
        BadUrl{"corbaloc::h:0/k", false, minor::kBadAddress,
               "offset 12: port \"0\" is out of range; use 1 to 65535"},
        BadUrl{"corbaloc::h:/k", false, minor::kBadAddress, "offset 12: empty port after ':'"},
        BadUrl{"corbaloc::h:12a/k", false, minor::kBadAddress,
               "offset 12: port \"12a\" is not a decimal number"},
        BadUrl{"corbaloc::host:2809", false, minor::kBadUrl,
               "offset 19: missing '/' before the object key"},
        BadUrl{"http://example.com/k", false, minor::kBadSchemeName,
               "offset 0: scheme \"http\" is not \"corbaloc\""},
        BadUrl{"corbaloc", false, minor::kBadSchemeName,
               "offset 0: missing scheme; expected \"corbaloc:\""},
        BadUrl{"corbaloc::h#x", true, minor::kBadSchemeName,
               "offset 0: scheme \"corbaloc\" is not \"corbaname\""},
        BadUrl{"corbaloc:rir:,:h/k", false, minor::kBadUrl,
               "offset 9: \"rir:\" cannot be combined with other addresses"},
        BadUrl{"corbaloc::h,rir:/k", false, minor::kBadUrl,
               "offset 9: \"rir:\" cannot be combined with other addresses"},
        BadUrl{"corbaloc:rir:,rir:/k", false, minor::kBadUrl,
               "offset 14: \"rir:\" appears more than once"},
        BadUrl{"corbaloc:rir:h/k", false, minor::kBadAddress,
               "offset 13: \"rir:\" takes no host or port"},
        BadUrl{"corbaloc:ssliop:h/k", false, minor::kBadAddress,
               "offset 9: protocol \"ssliop\" is not supported; use \"iiop\" or \"rir\""},
        BadUrl{"corbaloc:h/k", false, minor::kBadAddress,
               "offset 9: address \"h\" has no protocol; write \"iiop:h\" or \"rir:\""},
        BadUrl{"corbaloc::h,/k", false, minor::kBadAddress, "offset 12: empty address"},
        BadUrl{"corbaloc:/k", false, minor::kBadAddress, "offset 9: empty address"},
        BadUrl{"corbaloc::[::1/k", false, minor::kBadAddress,
               "offset 10: IPv6 address has no closing ']'"},
        BadUrl{"corbaloc::[::g]/k", false, minor::kBadAddress,
               "offset 11: invalid IPv6 address \"::g\""},
        BadUrl{"corbaloc::[]/k", false, minor::kBadAddress, "offset 11: invalid IPv6 address \"\""},
        BadUrl{"corbaloc::[::1]x/k", false, minor::kBadAddress,
               "offset 15: unexpected \"x\" after the host"},
        BadUrl{"corbaloc::ho$t/k", false, minor::kBadAddress,
               "offset 10: invalid host \"ho$t\"; a host is a DNS name, an IPv4 address or an "
               "IPv6 address in brackets"},
        BadUrl{"corbaloc::2.0@h/k", false, minor::kBadAddress,
               "offset 10: IIOP version 2.0 is not supported; use 1.0 to 1.2"},
        BadUrl{"corbaloc::1.3@h/k", false, minor::kBadAddress,
               "offset 10: IIOP version 1.3 is not supported; use 1.0 to 1.2"},
        BadUrl{"corbaloc::1@h/k", false, minor::kBadAddress,
               "offset 10: version \"1\" is not <major>.<minor>"},
        BadUrl{"corbaloc::1.x@h/k", false, minor::kBadAddress,
               "offset 12: version number \"x\" is not a decimal number from 0 to 255"},
        BadUrl{"corbaloc::1.256@h/k", false, minor::kBadAddress,
               "offset 12: version number 256 exceeds 255"},
        BadUrl{"corbaname::h#a%2", true, minor::kBadUrl,
               "offset 14: escape \"%2\" in the name is not '%' followed by two hex digits"},
        BadUrl{"corbaname::h/k#a#b", true, minor::kBadUrl,
               "offset 16: character \"#\" in the name must be written as a %xx escape"},
        BadUrl{"corbaname:iiop:h,rir:#x", true, minor::kBadUrl,
               "offset 10: \"rir:\" cannot be combined with other addresses"},
        BadUrl{"corbaname::h:65536#x", true, minor::kBadAddress,
               "offset 13: port \"65536\" is out of range; use 1 to 65535"}));

TEST(Corbaloc, ControlCharacterQuotedInMessage) {
  auto error = capture<BAD_PARAM>([] { parse_corbaloc("corbaloc::h/a\x01"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadUrl);
  EXPECT_EQ(error->message(),
            "parse corbaloc URL \"corbaloc::h/a\\x01\": offset 13: character \"\\x01\" in the "
            "object key must be written as a %xx escape");
}

TEST(Corbaloc, NonAsciiHostRejected) {
  auto error = capture<BAD_PARAM>([] { parse_corbaloc("corbaloc::h\xc3\xa9/k"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadAddress);
  EXPECT_EQ(error->message(),
            "parse corbaloc URL \"corbaloc::h\\xc3\\xa9/k\": offset 10: invalid host "
            "\"h\\xc3\\xa9\"; a host is a DNS name, an IPv4 address or an IPv6 address in "
            "brackets");
}

TEST(Corbaloc, LongUrlCutInMessage) {
  std::string url = "corbaloc::h/" + std::string(300, 'k') + " ";
  auto error = capture<BAD_PARAM>([&] { parse_corbaloc(url); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message(), "parse corbaloc URL \"" + url.substr(0, 200) + "\"...: offset " +
                                  std::to_string(url.size() - 1) +
                                  ": character \" \" in the object key must be written as a %xx "
                                  "escape");
}

}  // namespace
}  // namespace orb::ior
