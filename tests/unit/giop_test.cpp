// GIOP layer: the 12-byte header and its checks, every message header in
// every version and byte order, golden byte vectors worked out by hand from
// the GIOP chapter of CORBA 3.0, and the framer's cutting, reassembly and
// rejections.
#include <orb/cdr/codec.hpp>
#include <orb/giop/framer.hpp>
#include <orb/giop/messages.hpp>
#include <orb/minor.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace orb::giop {
namespace {

using Bytes = std::vector<uint8_t>;
using cdr::ByteOrder;

// Runs `action` and returns the DecodeError it raises, or nothing (and a
// test failure) when it raises none.
template <class Action>
std::optional<cdr::DecodeError> decode_error_of(Action&& action) {
  try {
    action();
  } catch (const cdr::DecodeError& error) {
    return error;
  }
  ADD_FAILURE() << "no cdr::DecodeError was raised";
  return std::nullopt;
}

Bytes header_bytes(std::initializer_list<uint8_t> bytes) {
  return Bytes(bytes);
}

// ---------------------------------------------------------------------------
// Header

TEST(GiopMessageWriter, BorrowedBodySendsTheSameBytes) {
  Bytes large(100000, 0x5a);
  RequestHeader header;
  header.request_id = 7;
  header.response_flags = kResponseExpected;
  header.target = KeyAddr{Bytes{1, 2, 3}};
  header.operation = "echo";
  auto encode = [&](bool borrow) {
    MessageWriter writer = encode_request(kGiop12, ByteOrder::little_endian, header);
    if (borrow) {
      writer.encoder().borrow_blocks_from(64 * 1024);
    }
    cdr::encode_sequence(writer.encoder(), large);
    writer.encoder().write_ulong(1);
    return writer;
  };
  Bytes copied = encode(false).finish();
  OutgoingMessage borrowed = encode(true).finish_borrowing();
  ASSERT_EQ(borrowed.borrowed.size(), 1U);
  Bytes joined;
  for (std::span<const uint8_t> piece : borrowed.pieces()) {
    joined.insert(joined.end(), piece.begin(), piece.end());
  }
  EXPECT_EQ(joined, copied);
  EXPECT_EQ(encode(true).finish(), copied);
}

TEST(GiopHeader, RoundTripsEveryTypeVersionAndOrder) {
  for (Version version : {kGiop10, kGiop11, kGiop12}) {
    for (ByteOrder order : {ByteOrder::big_endian, ByteOrder::little_endian}) {
      for (uint8_t type = 0; type <= 7; ++type) {
        auto message_type = static_cast<MessageType>(type);
        if (version == kGiop10 && message_type == MessageType::Fragment) {
          continue;
        }
        Header header{version, order, may_be_fragmented(version, message_type), message_type,
                      0x01020304};
        auto bytes = encode_header(header);
        EXPECT_EQ(decode_header(bytes), header) << to_string(version) << " type " << int(type);
      }
    }
  }
}

TEST(GiopHeader, EncodesFieldsAtTheirOffsets) {
  Header header{kGiop12, ByteOrder::little_endian, true, MessageType::Reply, 0x0A0B0C0D};
  auto bytes = encode_header(header);
  Bytes expected{'G', 'I', 'O', 'P', 1, 2, 0x03, 0x01, 0x0D, 0x0C, 0x0B, 0x0A};
  EXPECT_EQ(Bytes(bytes.begin(), bytes.end()), expected);

  header = {kGiop10, ByteOrder::big_endian, false, MessageType::CloseConnection, 0x0A0B0C0D};
  bytes = encode_header(header);
  expected = {'G', 'I', 'O', 'P', 1, 0, 0x00, 0x05, 0x0A, 0x0B, 0x0C, 0x0D};
  EXPECT_EQ(Bytes(bytes.begin(), bytes.end()), expected);
}

TEST(GiopHeader, RejectsBadMagic) {
  Bytes bytes = header_bytes({'G', 'E', 'T', ' ', 1, 2, 0, 0, 0, 0, 0, 0});
  auto error = decode_error_of([&] { decode_header(bytes); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMagic);
  EXPECT_EQ(error->offset(), 0U);
  EXPECT_NE(std::string(error->what()).find("47 45 54 20"), std::string::npos) << error->what();
}

TEST(GiopHeader, RejectsUnsupportedVersions) {
  for (auto [major, minor_version] : {std::pair{1, 3}, std::pair{2, 0}, std::pair{0, 9}}) {
    Bytes bytes = header_bytes(
        {'G', 'I', 'O', 'P', uint8_t(major), uint8_t(minor_version), 0, 0, 0, 0, 0, 0});
    auto error = decode_error_of([&] { decode_header(bytes); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->minor(), minor::kBadVersion);
    EXPECT_EQ(error->offset(), 4U);
    std::string version_text = std::to_string(major) + "." + std::to_string(minor_version);
    EXPECT_NE(std::string(error->what()).find("version " + version_text), std::string::npos)
        << error->what();
  }
}

TEST(GiopHeader, RejectsGiop10ByteOrderAboveOne) {
  Bytes bytes = header_bytes({'G', 'I', 'O', 'P', 1, 0, 2, 0, 0, 0, 0, 0});
  auto error = decode_error_of([&] { decode_header(bytes); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFlags);
  EXPECT_EQ(error->offset(), 6U);
  EXPECT_NE(std::string(error->what()).find("value 2 is neither 0 nor 1"), std::string::npos)
      << error->what();
}

TEST(GiopHeader, RejectsReservedFlagBits) {
  for (uint8_t flags : {0x04, 0x80, 0x09}) {
    Bytes bytes = header_bytes({'G', 'I', 'O', 'P', 1, 1, flags, 0, 0, 0, 0, 0});
    auto error = decode_error_of([&] { decode_header(bytes); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->minor(), minor::kBadFlags);
    EXPECT_EQ(error->offset(), 6U);
    EXPECT_NE(std::string(error->what()).find("reserved bits"), std::string::npos) << error->what();
  }
}

TEST(GiopHeader, RejectsUnknownMessageType) {
  Bytes bytes = header_bytes({'G', 'I', 'O', 'P', 1, 2, 0, 8, 0, 0, 0, 0});
  auto error = decode_error_of([&] { decode_header(bytes); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMessageType);
  EXPECT_EQ(error->offset(), 7U);
  EXPECT_NE(std::string(error->what()).find("value 8"), std::string::npos) << error->what();
}

TEST(GiopHeader, RejectsFragmentInGiop10) {
  Bytes bytes = header_bytes({'G', 'I', 'O', 'P', 1, 0, 0, 7, 0, 0, 0, 0});
  auto error = decode_error_of([&] { decode_header(bytes); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMessageType);
  EXPECT_EQ(error->offset(), 7U);
  EXPECT_NE(std::string(error->what()).find("GIOP 1.0"), std::string::npos) << error->what();
}

TEST(GiopHeader, RejectsMoreFragmentsOnUnfragmentableTypes) {
  // CancelRequest never fragments; LocateRequest only from GIOP 1.2.
  for (auto [minor_version, type] : {std::pair{2, 2}, std::pair{1, 3}, std::pair{2, 5}}) {
    Bytes bytes = header_bytes(
        {'G', 'I', 'O', 'P', 1, uint8_t(minor_version), 0x02, uint8_t(type), 0, 0, 0, 0});
    auto error = decode_error_of([&] { decode_header(bytes); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->minor(), minor::kBadFragment);
    EXPECT_EQ(error->offset(), 6U);
  }
  Bytes locate_12 = header_bytes({'G', 'I', 'O', 'P', 1, 2, 0x02, 3, 0, 0, 0, 0});
  EXPECT_TRUE(decode_header(locate_12).more_fragments);
}

TEST(GiopHeader, RejectsShortInput) {
  Bytes bytes = header_bytes({'G', 'I', 'O', 'P', 1, 2, 0});
  auto error = decode_error_of([&] { decode_header(bytes); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kTruncated);
}

TEST(GiopHeader, EncodeRejectsWhatTheVersionLacks) {
  try {
    encode_header({kGiop10, ByteOrder::big_endian, true, MessageType::Request, 0});
    FAIL() << "more_fragments in GIOP 1.0 was encoded";
  } catch (const BAD_PARAM& error) {
    EXPECT_EQ(error.minor(), minor::kUnsupportedInVersion);
  }
  try {
    encode_header({kGiop10, ByteOrder::big_endian, false, MessageType::Fragment, 0});
    FAIL() << "a GIOP 1.0 Fragment was encoded";
  } catch (const BAD_PARAM& error) {
    EXPECT_EQ(error.minor(), minor::kUnsupportedInVersion);
  }
  try {
    encode_header({Version{1, 3}, ByteOrder::big_endian, false, MessageType::Request, 0});
    FAIL() << "GIOP 1.3 was encoded";
  } catch (const BAD_PARAM& error) {
    EXPECT_EQ(error.minor(), minor::kBadVersion);
  }
}

// ---------------------------------------------------------------------------
// Message round trips in every version and byte order

struct VersionAndOrder {
  Version version;
  ByteOrder order;
};

std::string case_name(const ::testing::TestParamInfo<VersionAndOrder>& info) {
  return "Giop1" + std::to_string(info.param.version.minor) +
         (info.param.order == ByteOrder::big_endian ? "Big" : "Little");
}

class GiopRoundTrip : public ::testing::TestWithParam<VersionAndOrder> {
 protected:
  Version version() const { return GetParam().version; }
  ByteOrder order() const { return GetParam().order; }
  bool is_12() const { return version() >= kGiop12; }

  static ServiceContextList contexts() {
    return {{kCodeSetsContext, {0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x09}}, {0x4f4d0042, {}}};
  }
  static IorData sample_ior() {
    return {"IDL:Bank/Account:1.0", {{kTagInternetIop, {0, 1, 2, 0, 0, 0, 4, 'h', 'o', 's'}}}};
  }
};

INSTANTIATE_TEST_SUITE_P(AllVersions, GiopRoundTrip,
                         ::testing::Values(VersionAndOrder{kGiop10, ByteOrder::big_endian},
                                           VersionAndOrder{kGiop10, ByteOrder::little_endian},
                                           VersionAndOrder{kGiop11, ByteOrder::big_endian},
                                           VersionAndOrder{kGiop11, ByteOrder::little_endian},
                                           VersionAndOrder{kGiop12, ByteOrder::big_endian},
                                           VersionAndOrder{kGiop12, ByteOrder::little_endian}),
                         case_name);

TEST_P(GiopRoundTrip, RequestWithObjectKeyAndBody) {
  RequestHeader sent;
  sent.request_id = 0xA1B2C3D4;
  sent.response_flags = kResponseExpected;
  sent.target = KeyAddr{{'k', 'e', 'y', 0, 0xFF}};
  sent.operation = "withdraw";
  sent.service_context = contexts();
  if (!is_12()) {
    sent.requesting_principal = {'p', 'r'};
  }
  MessageWriter writer = encode_request(version(), order(), sent);
  writer.encoder().write_octet(0x7E);
  writer.encoder().write_double(-2.5);
  Bytes bytes = writer.finish();

  MessageReader reader(bytes);
  EXPECT_EQ(reader.header().version, version());
  EXPECT_EQ(reader.header().byte_order, order());
  EXPECT_EQ(reader.header().type, MessageType::Request);
  EXPECT_EQ(reader.header().body_size, bytes.size() - kHeaderSize);
  EXPECT_EQ(reader.read_request_header(), sent);
  if (is_12()) {
    EXPECT_EQ(reader.decoder().position() % 8, 0U);
  }
  EXPECT_EQ(reader.decoder().read_octet(), 0x7E);
  EXPECT_EQ(reader.decoder().read_double(), -2.5);
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST_P(GiopRoundTrip, OnewayRequest) {
  RequestHeader sent;
  sent.request_id = 3;
  sent.response_flags = kResponseNone;
  sent.target = KeyAddr{{1}};
  sent.operation = "notify";
  Bytes bytes = encode_request(version(), order(), sent).finish();
  MessageReader reader(bytes);
  RequestHeader received = reader.read_request_header();
  EXPECT_FALSE(received.response_expected());
  EXPECT_EQ(received, sent);
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST_P(GiopRoundTrip, RequestWithProfileAndReferenceTargets) {
  ProfileAddr profile{{kTagInternetIop, {1, 2, 3}}};
  ReferenceAddr reference{1, sample_ior()};
  for (const TargetAddress& target : {TargetAddress(profile), TargetAddress(reference)}) {
    RequestHeader sent;
    sent.request_id = 11;
    sent.target = target;
    sent.operation = "_is_a";
    if (!is_12()) {
      EXPECT_THROW(encode_request(version(), order(), sent), BAD_PARAM);
      continue;
    }
    MessageWriter writer = encode_request(version(), order(), sent);
    writer.encoder().write_string("IDL:Bank/Account:1.0");
    Bytes bytes = writer.finish();
    MessageReader reader(bytes);
    EXPECT_EQ(reader.read_request_header(), sent);
    EXPECT_EQ(reader.decoder().read_string(), "IDL:Bank/Account:1.0");
  }
}

TEST_P(GiopRoundTrip, ReplyWithEveryStatus) {
  uint32_t last = is_12() ? 5 : 3;
  for (uint32_t status = 0; status <= 5; ++status) {
    ReplyHeader sent{77 + status, static_cast<ReplyStatus>(status), contexts()};
    if (status > last) {
      EXPECT_THROW(encode_reply(version(), order(), sent), BAD_PARAM) << "status " << status;
      continue;
    }
    MessageWriter writer = encode_reply(version(), order(), sent);
    writer.encoder().write_longlong(-5);
    Bytes bytes = writer.finish();
    MessageReader reader(bytes);
    EXPECT_EQ(reader.read_reply_header(), sent);
    EXPECT_EQ(reader.decoder().read_longlong(), -5);
    EXPECT_TRUE(reader.decoder().at_end());
  }
}

TEST_P(GiopRoundTrip, ReplyCarryingSystemException) {
  MessageWriter writer =
      encode_reply(version(), order(), {9, ReplyStatus::SYSTEM_EXCEPTION, contexts()});
  encode_system_exception(writer.encoder(), TRANSIENT(0x4f4d0002, CompletionStatus::maybe, "x"));
  Bytes bytes = writer.finish();

  MessageReader reader(bytes);
  EXPECT_EQ(reader.read_reply_header().reply_status, ReplyStatus::SYSTEM_EXCEPTION);
  std::unique_ptr<SystemException> exception = decode_system_exception(reader.decoder());
  ASSERT_NE(dynamic_cast<TRANSIENT*>(exception.get()), nullptr) << exception->what();
  EXPECT_EQ(exception->minor(), 0x4f4d0002U);
  EXPECT_EQ(exception->completed(), CompletionStatus::maybe);
  EXPECT_TRUE(exception->message().empty());
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST_P(GiopRoundTrip, ReplyCarryingForwardReference) {
  MessageWriter writer = encode_reply(version(), order(), {4, ReplyStatus::LOCATION_FORWARD, {}});
  encode(writer.encoder(), sample_ior());
  Bytes bytes = writer.finish();
  MessageReader reader(bytes);
  EXPECT_EQ(reader.read_reply_header().reply_status, ReplyStatus::LOCATION_FORWARD);
  IorData forward;
  decode(reader.decoder(), forward);
  EXPECT_EQ(forward, sample_ior());
}

TEST_P(GiopRoundTrip, CancelRequest) {
  Bytes bytes = encode_cancel_request(version(), order(), {0xDEADBEEF});
  EXPECT_EQ(bytes.size(), kHeaderSize + 4);
  MessageReader reader(bytes);
  EXPECT_EQ(reader.read_cancel_request_header().request_id, 0xDEADBEEFU);
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST_P(GiopRoundTrip, LocateRequestWithEachTarget) {
  std::vector<TargetAddress> targets{KeyAddr{{'N', 'a', 'm', 'e'}},
                                     ProfileAddr{{kTagInternetIop, {9}}},
                                     ReferenceAddr{0, sample_ior()}};
  for (const TargetAddress& target : targets) {
    LocateRequestHeader sent{21, target};
    if (!is_12() && target.index() != 0) {
      EXPECT_THROW(encode_locate_request(version(), order(), sent), BAD_PARAM);
      continue;
    }
    Bytes bytes = encode_locate_request(version(), order(), sent);
    MessageReader reader(bytes);
    EXPECT_EQ(reader.read_locate_request_header(), sent);
    EXPECT_TRUE(reader.decoder().at_end());
  }
}

TEST_P(GiopRoundTrip, LocateReplyWithEveryStatus) {
  uint32_t last = is_12() ? 5 : 2;
  for (uint32_t status = 0; status <= 5; ++status) {
    LocateReplyHeader sent{500 + status, static_cast<LocateStatus>(status)};
    if (status > last) {
      EXPECT_THROW(encode_locate_reply(version(), order(), sent), BAD_PARAM);
      continue;
    }
    MessageWriter writer = encode_locate_reply(version(), order(), sent);
    if (sent.locate_status == LocateStatus::OBJECT_FORWARD) {
      encode(writer.encoder(), sample_ior());
    } else if (sent.locate_status == LocateStatus::LOC_NEEDS_ADDRESSING_MODE) {
      writer.encoder().write_short(kReferenceAddr);
    }
    Bytes bytes = writer.finish();
    MessageReader reader(bytes);
    EXPECT_EQ(reader.read_locate_reply_header(), sent);
    if (sent.locate_status == LocateStatus::OBJECT_FORWARD) {
      IorData forward;
      decode(reader.decoder(), forward);
      EXPECT_EQ(forward, sample_ior());
    } else if (sent.locate_status == LocateStatus::LOC_NEEDS_ADDRESSING_MODE) {
      EXPECT_EQ(reader.decoder().read_short(), kReferenceAddr);
    }
    EXPECT_TRUE(reader.decoder().at_end());
  }
}

TEST_P(GiopRoundTrip, CloseConnectionAndMessageErrorHaveNoBody) {
  Bytes close = encode_close_connection(version(), order());
  Bytes error = encode_message_error(version(), order());
  ASSERT_EQ(close.size(), kHeaderSize);
  ASSERT_EQ(error.size(), kHeaderSize);
  EXPECT_EQ(MessageReader(close).header().type, MessageType::CloseConnection);
  EXPECT_EQ(MessageReader(error).header().type, MessageType::MessageError);
  EXPECT_EQ(MessageReader(close).header().byte_order, order());
}

TEST_P(GiopRoundTrip, Fragment) {
  if (version() == kGiop10) {
    EXPECT_THROW(encode_fragment(version(), order(), {1}), BAD_PARAM);
    return;
  }
  MessageWriter writer = encode_fragment(version(), order(), {0x1234});
  writer.set_more_fragments(true);
  writer.encoder().write_ulong(0xCAFEF00D);
  Bytes bytes = writer.finish();
  EXPECT_EQ(bytes.size(), kHeaderSize + (is_12() ? 8 : 4));

  MessageReader reader(bytes);
  EXPECT_TRUE(reader.header().more_fragments);
  if (is_12()) {
    EXPECT_EQ(reader.read_fragment_header().request_id, 0x1234U);
  } else {
    EXPECT_THROW(reader.read_fragment_header(), BAD_PARAM);
  }
  EXPECT_EQ(reader.decoder().read_ulong(), 0xCAFEF00DU);
}

// ---------------------------------------------------------------------------
// Golden byte vectors

TEST(GiopGolden, Giop12RequestLittleEndianPadsBodyToEight) {
  RequestHeader header;
  header.request_id = 5;
  header.response_flags = kResponseExpected;
  header.target = KeyAddr{{'k', 'e', 'y'}};
  header.operation = "add";
  MessageWriter writer = encode_request(kGiop12, ByteOrder::little_endian, header);
  writer.encoder().write_double(1.5);
  Bytes expected{
      'G', 'I', 'O', 'P', 1,   2,   0x01, 0x00, 44, 0, 0, 0,  // header, body of 44 bytes
      5,   0,   0,   0,                                       // 12: request id
      3,   0,   0,   0,                                       // 16: response flags, 3 reserved
      0,   0,                                                 // 20: KeyAddr
      0,   0,                                                 // 22: padding to 4
      3,   0,   0,   0,   'k', 'e', 'y',                      // 24: object key
      0,                                                      // 31: padding to 4
      4,   0,   0,   0,   'a', 'd', 'd',  0,                  // 32: operation
      0,   0,   0,   0,                                       // 40: no service contexts
      0,   0,   0,   0,                                       // 44: body padding to 8
      0,   0,   0,   0,   0,   0,   0xF8, 0x3F,               // 48: double 1.5
  };
  Bytes bytes = writer.finish();
  EXPECT_EQ(bytes, expected);

  MessageReader reader(expected);
  EXPECT_EQ(reader.read_request_header(), header);
  EXPECT_EQ(reader.decoder().read_double(), 1.5);
}

TEST(GiopGolden, Giop12RequestWithoutBodyEndsAfterHeader) {
  RequestHeader header;
  header.request_id = 5;
  header.target = KeyAddr{{'k', 'e', 'y'}};
  header.operation = "add";
  Bytes bytes = encode_request(kGiop12, ByteOrder::little_endian, header).finish();
  ASSERT_EQ(bytes.size(), 44U);
  EXPECT_EQ(bytes[8], 32);

  // A peer that pads anyway is accepted too.
  Bytes padded = bytes;
  padded.insert(padded.end(), 4, 0);
  padded[8] = 36;
  MessageReader reader(padded);
  EXPECT_EQ(reader.read_request_header(), header);
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST(GiopGolden, Giop10RequestBigEndian) {
  RequestHeader header;
  header.request_id = 7;
  header.target = KeyAddr{{'o', 'k'}};
  header.operation = "ping";
  MessageWriter writer = encode_request(kGiop10, ByteOrder::big_endian, header);
  writer.encoder().write_ulong(42);
  Bytes expected{
      'G', 'I', 'O', 'P', 1,   0,   0x00, 0x00, 0, 0, 0, 40,  // header, body of 40 bytes
      0,   0,   0,   0,                                       // 12: no service contexts
      0,   0,   0,   7,                                       // 16: request id
      1,                                                      // 20: response_expected
      0,   0,   0,                                            // 21: padding to 4
      0,   0,   0,   2,   'o', 'k',                           // 24: object key
      0,   0,                                                 // 30: padding to 4
      0,   0,   0,   5,   'p', 'i', 'n',  'g',  0,            // 32: operation
      0,   0,   0,                                            // 41: padding to 4
      0,   0,   0,   0,                                       // 44: empty principal
      0,   0,   0,   42,                                      // 48: body, no extra alignment
  };
  EXPECT_EQ(writer.finish(), expected);

  MessageReader reader(expected);
  EXPECT_EQ(reader.read_request_header(), header);
  EXPECT_EQ(reader.decoder().read_ulong(), 42U);
}

TEST(GiopGolden, Giop12ReplyWithSystemException) {
  MessageWriter writer =
      encode_reply(kGiop12, ByteOrder::little_endian, {7, ReplyStatus::SYSTEM_EXCEPTION, {}});
  encode_system_exception(writer.encoder(), OBJECT_NOT_EXIST(0x4f4d0001, CompletionStatus::no));
  std::string id = "IDL:omg.org/CORBA/OBJECT_NOT_EXIST:1.0";
  ASSERT_EQ(id.size(), 38U);
  Bytes expected{
      'G', 'I', 'O', 'P', 1, 2, 0x01, 0x01, 64, 0, 0, 0,  // header, body of 64 bytes
      7,   0,   0,   0,                                   // 12: request id
      2,   0,   0,   0,                                   // 16: SYSTEM_EXCEPTION
      0,   0,   0,   0,                                   // 20: no service contexts
      39,  0,   0,   0,                                   // 24: body (already at 8): id length
  };
  expected.insert(expected.end(), id.begin(), id.end());  // 28: repository id
  expected.push_back(0);                                  // 66: its NUL
  expected.push_back(0);                                  // 67: padding to 4
  for (uint8_t byte : {0x01, 0x00, 0x4D, 0x4F,            // 68: minor 0x4f4d0001
                       0x01, 0x00, 0x00, 0x00}) {         // 72: COMPLETED_NO
    expected.push_back(byte);
  }
  EXPECT_EQ(writer.finish(), expected);

  MessageReader reader(expected);
  EXPECT_EQ(reader.read_reply_header().request_id, 7U);
  auto exception = decode_system_exception(reader.decoder());
  EXPECT_NE(dynamic_cast<OBJECT_NOT_EXIST*>(exception.get()), nullptr);
  EXPECT_EQ(exception->minor(), 0x4f4d0001U);
  EXPECT_EQ(exception->completed(), CompletionStatus::no);
}

TEST(GiopGolden, Giop12LocateReplyForwardBigEndian) {
  MessageWriter writer =
      encode_locate_reply(kGiop12, ByteOrder::big_endian, {9, LocateStatus::OBJECT_FORWARD});
  encode(writer.encoder(), IorData{"IDL:A:1.0", {{kTagInternetIop, {0xAB, 0xCD}}}});
  // The body follows the header unpadded, as omniORB 4.2 reads it.
  Bytes expected{
      'G', 'I', 'O', 'P', 1,    2,    0x00, 0x04, 0,   0,   0,   38,  // header, body of 38 bytes
      0,   0,   0,   9,                                               // 12: request id
      0,   0,   0,   2,                                               // 16: OBJECT_FORWARD
      0,   0,   0,   10,  'I',  'D',  'L',  ':',  'A', ':', '1', '.', '0', 0,  // 20: type id
      0,   0,                                                                  // 34: padding to 4
      0,   0,   0,   1,                                                        // 36: one profile
      0,   0,   0,   0,                // 40: TAG_INTERNET_IOP
      0,   0,   0,   2,   0xAB, 0xCD,  // 44: profile data
  };
  EXPECT_EQ(writer.finish(), expected);

  // Read unpadded, and padded to 8 as other writers may send it.
  Bytes padded = expected;
  padded.insert(padded.begin() + 20, 4, 0);
  padded[11] = 42;
  for (const Bytes& bytes : {expected, padded}) {
    MessageReader reader(bytes);
    EXPECT_EQ(reader.read_locate_reply_header().locate_status, LocateStatus::OBJECT_FORWARD);
    IorData forward;
    decode(reader.decoder(), forward);
    EXPECT_EQ(forward.type_id, "IDL:A:1.0");
    EXPECT_TRUE(reader.decoder().at_end());
  }
}

// ---------------------------------------------------------------------------
// Message decode errors

Bytes message_with_body(Version version, ByteOrder order, MessageType type, const Bytes& body) {
  MessageWriter writer(version, order, type);
  writer.encoder().write_octets(body);
  return writer.finish();
}

TEST(GiopMessageErrors, SizeFieldMustMatchTheBytes) {
  Bytes bytes = encode_cancel_request(kGiop12, ByteOrder::big_endian, {1});
  bytes.push_back(0);
  auto error = decode_error_of([&] { MessageReader reader(bytes); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMessageSize);
  EXPECT_EQ(error->offset(), 8U);
  EXPECT_NE(std::string(error->what()).find("announces 4 body bytes but 5 follow"),
            std::string::npos)
      << error->what();
}

TEST(GiopMessageErrors, ReplyStatusBeyondTheVersion) {
  Bytes giop11 = message_with_body(kGiop11, ByteOrder::big_endian, MessageType::Reply,
                                   {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4});
  auto error = decode_error_of([&] { MessageReader(giop11).read_reply_header(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), 20U);
  EXPECT_NE(std::string(error->what()).find("value 4 is not a GIOP 1.1 reply status"),
            std::string::npos)
      << error->what();

  Bytes giop12 = message_with_body(kGiop12, ByteOrder::big_endian, MessageType::Reply,
                                   {0, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0});
  error = decode_error_of([&] { MessageReader(giop12).read_reply_header(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->offset(), 16U);
}

TEST(GiopMessageErrors, LocateStatusBeyondTheVersion) {
  Bytes bytes = message_with_body(kGiop10, ByteOrder::little_endian, MessageType::LocateReply,
                                  {1, 0, 0, 0, 3, 0, 0, 0});
  auto error = decode_error_of([&] { MessageReader(bytes).read_locate_reply_header(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), 16U);
}

TEST(GiopMessageErrors, UnknownAddressingDisposition) {
  Bytes bytes = message_with_body(kGiop12, ByteOrder::big_endian, MessageType::LocateRequest,
                                  {0, 0, 0, 1, 0, 3, 0, 0});
  auto error = decode_error_of([&] { MessageReader(bytes).read_locate_request_header(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), 16U);
  EXPECT_NE(std::string(error->what()).find("value 3"), std::string::npos) << error->what();
}

TEST(GiopMessageErrors, ResponseFlagsOutsideZeroOneThree) {
  Bytes bytes = message_with_body(kGiop12, ByteOrder::big_endian, MessageType::Request,
                                  {0, 0, 0, 1, 2, 0, 0, 0});
  auto error = decode_error_of([&] { MessageReader(bytes).read_request_header(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), 16U);
}

TEST(GiopMessageErrors, CompletionStatusAboveTwo) {
  cdr::Encoder encoder(ByteOrder::big_endian);
  encoder.write_string("IDL:omg.org/CORBA/MARSHAL:1.0");
  encoder.write_ulong(1);
  encoder.write_ulong(3);
  Bytes bytes = encoder.take_bytes();
  cdr::Decoder decoder(bytes, ByteOrder::big_endian);
  auto error = decode_error_of([&] { decode_system_exception(decoder); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kInvalidValue);
  EXPECT_EQ(error->offset(), bytes.size() - 4);
  EXPECT_NE(std::string(error->what()).find("completion status"), std::string::npos);
}

TEST(GiopMessageErrors, UnknownExceptionIdBecomesUnknown) {
  cdr::Encoder encoder(ByteOrder::little_endian);
  encoder.write_string("IDL:example.com/Vendor/ODD:1.0");
  encoder.write_ulong(17);
  encoder.write_ulong(0);
  Bytes bytes = encoder.take_bytes();
  cdr::Decoder decoder(bytes, ByteOrder::little_endian);
  auto exception = decode_system_exception(decoder);
  EXPECT_NE(dynamic_cast<UNKNOWN*>(exception.get()), nullptr);
  EXPECT_EQ(exception->minor(), 17U);
  EXPECT_EQ(exception->completed(), CompletionStatus::yes);
}

TEST(GiopMessageErrors, TruncatedRequestHeader) {
  RequestHeader header;
  header.target = KeyAddr{{1, 2, 3}};
  header.operation = "op";
  Bytes bytes = encode_request(kGiop11, ByteOrder::big_endian, header).finish();
  bytes.resize(bytes.size() - 3);
  bytes[11] = static_cast<uint8_t>(bytes.size() - kHeaderSize);
  auto error = decode_error_of([&] { MessageReader(bytes).read_request_header(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kTruncated);
}

TEST(GiopMessageErrors, ReadingTheWrongHeaderIsBadParam) {
  Bytes bytes = encode_cancel_request(kGiop12, ByteOrder::big_endian, {1});
  MessageReader reader(bytes);
  try {
    reader.read_reply_header();
    FAIL() << "a CancelRequest was read as a Reply";
  } catch (const BAD_PARAM& error) {
    EXPECT_EQ(error.minor(), minor::kWrongMessageType);
    EXPECT_NE(std::string(error.what()).find("is a CancelRequest"), std::string::npos);
  }
}

TEST(GiopMessageErrors, Giop10DecoderRejectsWideCharacters) {
  Bytes bytes = message_with_body(kGiop10, ByteOrder::big_endian, MessageType::Reply,
                                  {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 'a'});
  MessageReader reader(bytes);
  reader.read_reply_header();
  auto error = decode_error_of([&] { reader.decoder().read_wchar(); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kWideCharInGiop10);
}

// ---------------------------------------------------------------------------
// Framer

constexpr size_t kMax = 1 << 20;

Bytes sample_request(Version version, ByteOrder order, uint32_t request_id, size_t body_octets) {
  RequestHeader header;
  header.request_id = request_id;
  header.target = KeyAddr{{'o', 'b', 'j'}};
  header.operation = "transfer";
  MessageWriter writer = encode_request(version, order, header);
  for (size_t i = 0; i < body_octets; ++i) {
    writer.encoder().write_octet(static_cast<uint8_t>(i * 7 + request_id));
  }
  return writer.finish();
}

// Splits a complete message into its first piece (the original header with
// more-fragments set) and Fragment messages, cutting the body at `cuts`.
std::vector<Bytes> split_into_fragments(const Bytes& whole, const std::vector<size_t>& cuts,
                                        uint32_t request_id) {
  Header header = decode_header(whole);
  std::span<const uint8_t> body = std::span(whole).subspan(kHeaderSize);
  std::vector<Bytes> pieces;
  size_t start = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    size_t end = i < cuts.size() ? cuts[i] : body.size();
    MessageWriter writer = i == 0
                               ? MessageWriter(header.version, header.byte_order, header.type)
                               : encode_fragment(header.version, header.byte_order, {request_id});
    writer.encoder().write_octets(body.subspan(start, end - start));
    writer.set_more_fragments(i < cuts.size());
    pieces.push_back(writer.finish());
    start = end;
  }
  return pieces;
}

std::vector<Message> drain(Framer& framer) {
  std::vector<Message> messages;
  while (std::optional<Message> message = framer.next()) {
    messages.push_back(std::move(*message));
  }
  return messages;
}

// Feeds `bytes` and returns the MARSHAL it raises, or nothing (and a test
// failure) when it raises none.
std::optional<MARSHAL> framing_error(Framer& framer, const Bytes& bytes) {
  try {
    framer.feed(bytes);
  } catch (const MARSHAL& error) {
    return error;
  }
  ADD_FAILURE() << "feeding " << bytes.size() << " bytes raised no MARSHAL";
  return std::nullopt;
}

bool mentions(const SystemException& error, const std::string& text) {
  return std::string(error.what()).find(text) != std::string::npos;
}

// ---- block notices ----

/// An echo-like Request whose body is a long, a large sequence<octet> and
/// a double, and the notice that announces its block.
struct NoticedRequest {
  Bytes large;
  Bytes notice;
  Bytes message;
};

NoticedRequest noticed_request(size_t size) {
  NoticedRequest request;
  request.large.resize(size);
  for (size_t i = 0; i < size; ++i) {
    request.large[i] = static_cast<uint8_t>(i * 13);
  }
  RequestHeader header;
  header.request_id = 5;
  header.response_flags = kResponseExpected;
  header.target = KeyAddr{Bytes{1, 2, 3}};
  header.operation = "echo";
  MessageWriter writer = encode_request(kGiop12, cdr::kNativeByteOrder, header);
  writer.encoder().borrow_blocks_from(64 * 1024);
  writer.encoder().write_long(-3);
  cdr::encode_sequence(writer.encoder(), request.large);
  writer.encoder().write_double(0.25);
  OutgoingMessage outgoing = writer.finish_borrowing();
  std::vector<BlockRange> ranges = outgoing.block_ranges();
  request.notice = encode_block_notice(ranges);
  for (std::span<const uint8_t> piece : outgoing.pieces()) {
    request.message.insert(request.message.end(), piece.begin(), piece.end());
  }
  return request;
}

TEST(GiopFramer, NoticedBlockArrivesApartAndDecodesWithoutACopy) {
  NoticedRequest request = noticed_request(70001);
  Bytes stream = encode_block_notice({});  // the notice without blocks, sent first on a connection
  stream.insert(stream.end(), request.notice.begin(), request.notice.end());
  stream.insert(stream.end(), request.message.begin(), request.message.end());
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}, stream.size()}) {
    Framer framer(kMax);
    framer.accept_block_notices();
    for (size_t at = 0; at < stream.size(); at += chunk) {
      framer.feed(std::span(stream).subspan(at, std::min(chunk, stream.size() - at)));
    }
    EXPECT_TRUE(framer.peer_sent_notice());
    std::vector<Message> messages = drain(framer);
    ASSERT_EQ(messages.size(), 1U) << "chunk " << chunk;
    Message& message = messages[0];
    ASSERT_EQ(message.detached.size(), 1U);
    EXPECT_EQ(message.bytes.size() + request.large.size(), request.message.size());
    const uint8_t* block = message.detached[0].bytes.data();

    MessageReader reader(message);
    EXPECT_EQ(reader.read_request_header().operation, "echo");
    EXPECT_EQ(reader.decoder().read_long(), -3);
    Bytes decoded;
    cdr::decode_sequence(reader.decoder(), decoded);
    EXPECT_EQ(decoded.data(), block);
    EXPECT_EQ(decoded, request.large);
    EXPECT_EQ(reader.decoder().read_double(), 0.25);
    EXPECT_TRUE(reader.decoder().at_end());
  }
}

TEST(GiopFramer, NoticesAreAFramingErrorUnlessAccepted) {
  Framer framer(kMax);
  std::optional<MARSHAL> error = framing_error(framer, encode_block_notice({}));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMagic);
}

TEST(GiopFramer, RejectsNoticesThatDoNotFitTheirMessage) {
  NoticedRequest request = noticed_request(65536);
  uint64_t total = request.message.size();
  std::vector<std::vector<BlockRange>> bad = {
      {{4, 100}},                           // over the GIOP header
      {{total - 10, 11}},                   // past the end
      {{100, 0}},                           // empty
      {{200, 100}, {250, 100}},             // overlapping
      {{300, 10}, {100, 10}},               // out of order
      std::vector<BlockRange>(65, {0, 1}),  // too many
  };
  for (const std::vector<BlockRange>& ranges : bad) {
    Framer framer(kMax);
    framer.accept_block_notices();
    Bytes stream = encode_block_notice(ranges);
    stream.insert(stream.end(), request.message.begin(), request.message.end());
    std::optional<MARSHAL> error = framing_error(framer, stream);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->minor(), minor::kBadBlockNotice) << error->what();
  }

  Framer twice(kMax);
  twice.accept_block_notices();
  Bytes stream = request.notice;
  stream.insert(stream.end(), request.notice.begin(), request.notice.end());
  std::optional<MARSHAL> error = framing_error(twice, stream);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadBlockNotice);

  Framer before_close(kMax);
  before_close.accept_block_notices();
  stream = encode_block_notice(std::vector<BlockRange>{{12, 1}});
  Bytes close = encode_close_connection(kGiop12, cdr::kNativeByteOrder);
  stream.insert(stream.end(), close.begin(), close.end());
  error = framing_error(before_close, stream);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadBlockNotice);
}

TEST(GiopFramer, MoreBlocksThanNoticeLimit) {
  // A request may borrow any number of blocks. Its notice names at most
  // kMaxNoticeBlocks of them, and the others travel inside the message.
  RequestHeader header;
  header.request_id = 6;
  header.response_flags = kResponseExpected;
  header.target = KeyAddr{Bytes{4}};
  header.operation = "store_all";
  MessageWriter writer = encode_request(kGiop12, cdr::kNativeByteOrder, header);
  writer.encoder().borrow_blocks_from(16);
  std::vector<Bytes> blocks;
  for (size_t i = 0; i < Framer::kMaxNoticeBlocks + 3; ++i) {
    blocks.emplace_back(16 + i, static_cast<uint8_t>(i));
  }
  cdr::encode_sequence(writer.encoder(), blocks);
  writer.encoder().write_ulong(12345);
  OutgoingMessage outgoing = writer.finish_borrowing();
  ASSERT_EQ(outgoing.borrowed.size(), blocks.size());
  Bytes stream = encode_block_notice(outgoing.block_ranges());
  for (std::span<const uint8_t> piece : outgoing.pieces()) {
    stream.insert(stream.end(), piece.begin(), piece.end());
  }

  Framer framer(kMax);
  framer.accept_block_notices();
  framer.feed(stream);
  std::vector<Message> messages = drain(framer);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].detached.size(), Framer::kMaxNoticeBlocks);
  MessageReader reader(messages[0]);
  EXPECT_EQ(reader.read_request_header().operation, "store_all");
  std::vector<Bytes> decoded;
  cdr::decode_sequence(reader.decoder(), decoded);
  EXPECT_EQ(decoded, blocks);
  EXPECT_EQ(reader.decoder().read_ulong(), 12345U);
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST(GiopFramer, ReplyHeaderPeekKeepsBlocks) {
  // The client's reader thread reads each reply's header to find its
  // waiting call, and that call then reads the message again from the
  // start. A notice that names a service context's data must not make the
  // second read fail.
  Bytes context(200);
  for (size_t i = 0; i < context.size(); ++i) {
    context[i] = static_cast<uint8_t>(i * 3);
  }
  ReplyHeader header{9, ReplyStatus::NO_EXCEPTION, {ServiceContext{77, context}}};
  MessageWriter writer = encode_reply(kGiop12, cdr::kNativeByteOrder, header);
  writer.encoder().write_long(-5);
  Bytes reply = writer.finish();
  // After the GIOP header: request id, status, count, context id, length.
  Bytes stream = encode_block_notice(std::vector<BlockRange>{{32, context.size()}});
  stream.insert(stream.end(), reply.begin(), reply.end());
  Framer framer(kMax);
  framer.accept_block_notices();
  framer.feed(stream);
  std::vector<Message> messages = drain(framer);
  ASSERT_EQ(messages.size(), 1U);
  ASSERT_EQ(messages[0].detached.size(), 1U);

  {
    MessageReader peek(messages[0], false);
    EXPECT_EQ(peek.read_reply_header(), header);
  }
  EXPECT_EQ(messages[0].detached[0].bytes.size(), context.size());
  MessageReader reader(messages[0]);
  EXPECT_EQ(reader.read_reply_header(), header);
  EXPECT_EQ(reader.decoder().read_long(), -5);
  EXPECT_TRUE(reader.decoder().at_end());
}

TEST(GiopFramer, ByteAtATime) {
  std::vector<Bytes> sent{
      sample_request(kGiop12, ByteOrder::little_endian, 1, 13),
      encode_reply(kGiop10, ByteOrder::big_endian, {1, ReplyStatus::NO_EXCEPTION, {}}).finish(),
      encode_close_connection(kGiop11, ByteOrder::big_endian),
  };
  Framer framer(kMax);
  std::vector<Message> received;
  for (const Bytes& message : sent) {
    for (size_t i = 0; i < message.size(); ++i) {
      framer.feed(std::span(message).subspan(i, 1));
      if (i + 1 < message.size()) {
        EXPECT_FALSE(framer.next().has_value()) << "message complete before its last byte";
      }
    }
    std::vector<Message> now = drain(framer);
    received.insert(received.end(), now.begin(), now.end());
  }
  ASSERT_EQ(received.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(received[i].bytes, sent[i]);
    EXPECT_EQ(received[i].header, decode_header(sent[i]));
  }
}

TEST(GiopFramer, SeveralMessagesInOneFeed) {
  std::vector<Bytes> sent{
      sample_request(kGiop11, ByteOrder::big_endian, 1, 5),
      encode_cancel_request(kGiop12, ByteOrder::little_endian, {1}),
      encode_message_error(kGiop12, ByteOrder::big_endian),
      sample_request(kGiop10, ByteOrder::little_endian, 2, 0),
  };
  Bytes stream;
  for (const Bytes& message : sent) {
    stream.insert(stream.end(), message.begin(), message.end());
  }
  Bytes partial = sample_request(kGiop12, ByteOrder::big_endian, 3, 8);
  stream.insert(stream.end(), partial.begin(), partial.begin() + 20);

  Framer framer(kMax);
  framer.feed(stream);
  std::vector<Message> received = drain(framer);
  ASSERT_EQ(received.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(received[i].bytes, sent[i]);
  }

  framer.feed(std::span(partial).subspan(20));
  std::optional<Message> last = framer.next();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->bytes, partial);
}

TEST(GiopFramer, RejectsHugeSizeAfterHeaderOnly) {
  Framer framer(kMax);
  Bytes header{'G', 'I', 'O', 'P', 1, 2, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};
  framer.feed(std::span(header).first(11));
  auto error = framing_error(framer, Bytes{header.back()});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kMessageTooLarge);
  EXPECT_TRUE(mentions(*error,
                       "GIOP 1.2 Request of 4294967307 bytes exceeds the maximum "
                       "message size of 1048576 bytes"))
      << error->what();
}

TEST(GiopFramer, RejectsBadMagicAtHeader) {
  Framer framer(kMax);
  std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  auto error = framing_error(framer, Bytes(http.begin(), http.end()));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMagic);
}

TEST(GiopFramer, RejectsUnknownVersionAtHeader) {
  Framer framer(kMax);
  auto error = framing_error(framer, {'G', 'I', 'O', 'P', 1, 3, 0, 0, 0, 0, 0, 4});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadVersion);
}

TEST(GiopFramer, FailureIsSticky) {
  Framer framer(kMax);
  ASSERT_TRUE(framing_error(framer, {'X', 'I', 'O', 'P', 1, 2, 0, 0, 0, 0, 0, 0}));
  auto again = framing_error(framer, encode_close_connection(kGiop12, ByteOrder::big_endian));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->minor(), minor::kBadMagic);
  EXPECT_FALSE(framer.next().has_value());
}

TEST(GiopFramer, MaxSizeExactlyAtLimit) {
  Bytes message = sample_request(kGiop12, ByteOrder::big_endian, 4, 21);
  Framer at_limit(message.size());
  at_limit.feed(message);
  std::optional<Message> received = at_limit.next();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->bytes, message);

  Framer below_limit(message.size() - 1);
  auto error = framing_error(below_limit, message);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kMessageTooLarge);
}

TEST(GiopFramer, JoinsGiop11FragmentChain) {
  Bytes whole = sample_request(kGiop11, ByteOrder::little_endian, 9, 30);
  // GIOP 1.1 fragment data is aligned relative to its own fragment; octets
  // have no alignment, so any cut keeps the body intact.
  std::vector<Bytes> pieces = split_into_fragments(whole, {40, 45, 47}, 0);
  ASSERT_EQ(pieces.size(), 4U);

  Framer framer(kMax);
  for (size_t i = 0; i < pieces.size(); ++i) {
    framer.feed(pieces[i]);
    if (i + 1 < pieces.size()) {
      EXPECT_EQ(framer.partial_messages(), 1U);
      EXPECT_FALSE(framer.next().has_value());
    }
  }
  std::optional<Message> joined = framer.next();
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->bytes, whole);
  EXPECT_FALSE(joined->header.more_fragments);
  EXPECT_EQ(joined->header.body_size, whole.size() - kHeaderSize);
  EXPECT_EQ(framer.partial_messages(), 0U);

  MessageReader reader(joined->bytes);
  EXPECT_EQ(reader.read_request_header().request_id, 9U);
}

TEST(GiopFramer, JoinsInterleavedGiop12Fragments) {
  Bytes first = sample_request(kGiop12, ByteOrder::big_endian, 1, 40);
  Bytes second = sample_request(kGiop12, ByteOrder::big_endian, 2, 70);
  // Every piece but the last is a multiple of 8 bytes: 12 + 36 and 16 + 8.
  std::vector<Bytes> a = split_into_fragments(first, {36, 44}, 1);
  std::vector<Bytes> b = split_into_fragments(second, {20, 68}, 2);

  Framer framer(kMax);
  for (const Bytes* piece : {&a[0], &b[0], &a[1], &b[1]}) {
    framer.feed(*piece);
  }
  EXPECT_EQ(framer.partial_messages(), 2U);
  EXPECT_FALSE(framer.next().has_value());

  framer.feed(b[2]);
  std::optional<Message> joined_second = framer.next();
  ASSERT_TRUE(joined_second.has_value());
  EXPECT_EQ(joined_second->bytes, second);
  EXPECT_EQ(framer.partial_messages(), 1U);

  framer.feed(a[2]);
  std::optional<Message> joined_first = framer.next();
  ASSERT_TRUE(joined_first.has_value());
  EXPECT_EQ(joined_first->bytes, first);
  EXPECT_EQ(joined_first->header.body_size, first.size() - kHeaderSize);
}

TEST(GiopFramer, JoinsFragmentedGiop12Reply) {
  MessageWriter writer =
      encode_reply(kGiop12, ByteOrder::little_endian, {6, ReplyStatus::NO_EXCEPTION, {}});
  for (uint64_t value = 0; value < 6; ++value) {
    writer.encoder().write_ulonglong(value * 0x0101010101010101ULL);
  }
  Bytes whole = writer.finish();
  std::vector<Bytes> pieces = split_into_fragments(whole, {12, 28}, 6);

  Framer framer(kMax);
  for (const Bytes& piece : pieces) {
    framer.feed(piece);
  }
  std::optional<Message> joined = framer.next();
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->bytes, whole);
  MessageReader reader(joined->bytes);
  EXPECT_EQ(reader.read_reply_header().request_id, 6U);
  for (uint64_t value = 0; value < 6; ++value) {
    EXPECT_EQ(reader.decoder().read_ulonglong(), value * 0x0101010101010101ULL);
  }
}

TEST(GiopFramer, RejectsFragmentWithoutMessage) {
  Framer giop11(kMax);
  auto error = framing_error(giop11, encode_fragment(kGiop11, ByteOrder::big_endian, {}).finish());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "GIOP 1.1 Fragment continues no message")) << error->what();

  Framer giop12(kMax);
  giop12.feed(
      split_into_fragments(sample_request(kGiop12, ByteOrder::big_endian, 1, 40), {36}, 1)[0]);
  error = framing_error(giop12, encode_fragment(kGiop12, ByteOrder::big_endian, {2}).finish());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "request id 2 continues no message")) << error->what();
}

TEST(GiopFramer, RejectsFragmentOfAnotherVersion) {
  Framer framer(kMax);
  framer.feed(
      split_into_fragments(sample_request(kGiop11, ByteOrder::big_endian, 3, 30), {20}, 0)[0]);
  auto error = framing_error(framer, encode_fragment(kGiop12, ByteOrder::big_endian, {3}).finish());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "in progress is a GIOP 1.1 Request")) << error->what();

  Framer other(kMax);
  other.feed(
      split_into_fragments(sample_request(kGiop12, ByteOrder::big_endian, 3, 40), {36}, 3)[0]);
  error = framing_error(other, encode_fragment(kGiop11, ByteOrder::big_endian, {}).finish());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "in progress are GIOP 1.2")) << error->what();
}

TEST(GiopFramer, RejectsReassembledSizeAboveMax) {
  Bytes whole = sample_request(kGiop12, ByteOrder::big_endian, 1, 64);
  std::vector<Bytes> pieces = split_into_fragments(whole, {36, 52}, 1);
  Framer framer(pieces[0].size() + 12);  // 60: each piece fits, the joined 64 bytes do not
  framer.feed(pieces[0]);
  auto error = framing_error(framer, pieces[1]);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kMessageTooLarge);
  EXPECT_TRUE(mentions(*error, "fragmented GIOP 1.2 Request grows to 64 bytes")) << error->what();
}

TEST(GiopFramer, RejectsGiop10Fragments) {
  Framer flags(kMax);
  auto error = framing_error(flags, {'G', 'I', 'O', 'P', 1, 0, 0x02, 0, 0, 0, 0, 0});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFlags);

  Framer fragment(kMax);
  error = framing_error(fragment, {'G', 'I', 'O', 'P', 1, 0, 0x00, 7, 0, 0, 0, 0});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadMessageType);
}

TEST(GiopFramer, LimitsMessagesInReassembly) {
  Framer framer(kMax, 2);
  for (uint32_t id = 1; id <= 2; ++id) {
    framer.feed(
        split_into_fragments(sample_request(kGiop12, ByteOrder::big_endian, id, 40), {36}, id)[0]);
  }
  EXPECT_EQ(framer.partial_messages(), 2U);
  Bytes third =
      split_into_fragments(sample_request(kGiop12, ByteOrder::big_endian, 3, 40), {36}, 3)[0];
  auto error = framing_error(framer, third);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kTooManyFragmentedMessages);
  EXPECT_TRUE(mentions(*error, "limit of 2 messages")) << error->what();
}

TEST(GiopFramer, RejectsGiop12FragmentNotMultipleOfEight) {
  Framer first_piece(kMax);
  Bytes whole = sample_request(kGiop12, ByteOrder::big_endian, 1, 40);
  auto error = framing_error(first_piece, split_into_fragments(whole, {35}, 1)[0]);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "multiple of 8")) << error->what();

  Framer middle_piece(kMax);
  std::vector<Bytes> pieces = split_into_fragments(whole, {36, 39}, 1);
  middle_piece.feed(pieces[0]);
  error = framing_error(middle_piece, pieces[1]);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
}

TEST(GiopFramer, RejectsDuplicateGiop12RequestId) {
  Framer framer(kMax);
  Bytes first =
      split_into_fragments(sample_request(kGiop12, ByteOrder::big_endian, 8, 40), {36}, 8)[0];
  framer.feed(first);
  auto error = framing_error(framer, first);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "request id 8")) << error->what();
}

TEST(GiopFramer, RejectsSecondFragmentedGiop11Message) {
  Framer framer(kMax);
  Bytes first =
      split_into_fragments(sample_request(kGiop11, ByteOrder::big_endian, 8, 30), {20}, 0)[0];
  framer.feed(first);
  auto error = framing_error(framer, first);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "cannot interleave")) << error->what();
}

TEST(GiopFramer, RejectsFragmentInOtherByteOrder) {
  Framer framer(kMax);
  Bytes whole = sample_request(kGiop12, ByteOrder::big_endian, 1, 40);
  framer.feed(split_into_fragments(whole, {36}, 1)[0]);
  MessageWriter swapped = encode_fragment(kGiop12, ByteOrder::little_endian, {1});
  swapped.encoder().write_octet(0);
  auto error = framing_error(framer, swapped.finish());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
  EXPECT_TRUE(mentions(*error, "byte order")) << error->what();
}

TEST(GiopFramer, CancelRequestDropsPartialMessage) {
  Framer framer(kMax);
  Bytes whole = sample_request(kGiop12, ByteOrder::little_endian, 5, 40);
  std::vector<Bytes> pieces = split_into_fragments(whole, {36}, 5);
  framer.feed(pieces[0]);
  framer.feed(encode_cancel_request(kGiop12, ByteOrder::little_endian, {5}));
  EXPECT_EQ(framer.partial_messages(), 0U);
  std::optional<Message> cancel = framer.next();
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->header.type, MessageType::CancelRequest);

  auto error = framing_error(framer, pieces[1]);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->minor(), minor::kBadFragment);
}

TEST(GiopFramer, Giop11CancelFindsIdAfterServiceContexts) {
  Framer framer(kMax);
  Bytes whole = sample_request(kGiop11, ByteOrder::big_endian, 0x0102, 30);
  framer.feed(split_into_fragments(whole, {20}, 0)[0]);
  framer.feed(encode_cancel_request(kGiop11, ByteOrder::big_endian, {0x0103}));
  EXPECT_EQ(framer.partial_messages(), 1U);
  framer.feed(encode_cancel_request(kGiop11, ByteOrder::big_endian, {0x0102}));
  EXPECT_EQ(framer.partial_messages(), 0U);
  EXPECT_EQ(drain(framer).size(), 2U);
}

TEST(GiopFramer, ControlMessagesPassDuringReassembly) {
  Framer framer(kMax);
  Bytes whole = sample_request(kGiop12, ByteOrder::big_endian, 1, 40);
  std::vector<Bytes> pieces = split_into_fragments(whole, {36}, 1);
  framer.feed(pieces[0]);
  framer.feed(encode_close_connection(kGiop12, ByteOrder::big_endian));
  framer.feed(encode_message_error(kGiop12, ByteOrder::big_endian));
  framer.feed(pieces[1]);
  std::vector<Message> received = drain(framer);
  ASSERT_EQ(received.size(), 3U);
  EXPECT_EQ(received[0].header.type, MessageType::CloseConnection);
  EXPECT_EQ(received[1].header.type, MessageType::MessageError);
  EXPECT_EQ(received[2].bytes, whole);
}

}  // namespace
}  // namespace orb::giop
