// Fuzz target for the CDR decoder. The first byte picks the byte order and
// the GIOP version's wide-character rules; each following byte picks the
// next item to decode from the rest of the input. A decode either raises
// orb::MARSHAL or DATA_CONVERSION, or yields a value that must encode and
// decode back to itself.
#include <orb/cdr/codec.hpp>

#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

using orb::cdr::ByteOrder;
using orb::cdr::Decoder;
using orb::cdr::Encoder;

template <class T>
void check_round_trip(const T& value, ByteOrder order, uint8_t giop_minor) {
  Encoder encoder(order);
  encoder.set_giop_minor(giop_minor);
  orb::cdr::encode(encoder, value);
  Decoder decoder(encoder.bytes(), order);
  decoder.set_giop_minor(giop_minor);
  if (orb::cdr::decode<T>(decoder) != value || !decoder.at_end()) {
    std::abort();
  }
}

void decode_one(Decoder& decoder, uint8_t selector, ByteOrder order, uint8_t giop_minor) {
  switch (selector % 12) {
    case 0:
      check_round_trip(decoder.read_string(), order, giop_minor);
      break;
    case 1:
      check_round_trip(decoder.read_wstring(), order, giop_minor);
      break;
    case 2:
      check_round_trip(orb::cdr::decode<std::vector<uint8_t>>(decoder), order, giop_minor);
      break;
    case 3:
      check_round_trip(orb::cdr::decode<std::vector<std::string>>(decoder), order, giop_minor);
      break;
    case 4:
      check_round_trip(orb::cdr::decode<std::vector<int64_t>>(decoder), order, giop_minor);
      break;
    case 5:
      check_round_trip(decoder.read_wchar(), order, giop_minor);
      break;
    case 6:
      decoder.read_long_double();
      break;
    case 7:
      check_round_trip(decoder.read_boolean(), order, giop_minor);
      break;
    case 8: {
      Decoder inner = decoder.read_encapsulation();
      check_round_trip(inner.read_string(), inner.byte_order(), giop_minor);
      break;
    }
    case 9:
      check_round_trip(orb::cdr::decode<std::array<uint16_t, 3>>(decoder), order, giop_minor);
      break;
    case 10:
      check_round_trip(orb::cdr::decode<std::vector<std::vector<int16_t>>>(decoder), order,
                       giop_minor);
      break;
    default:
      check_round_trip(decoder.read_ulonglong(), order, giop_minor);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  ByteOrder order = (data[0] & 1) != 0 ? ByteOrder::little_endian : ByteOrder::big_endian;
  auto giop_minor = static_cast<uint8_t>((data[0] >> 1) % 3);
  // The selectors are the first quarter of the rest; the decoder reads the remainder.
  size_t selectors = 1 + (size - 1) / 4;
  std::span<const uint8_t> payload(data + 1 + selectors, size - 1 - selectors);
  Decoder decoder(payload, order);
  decoder.set_giop_minor(giop_minor);
  try {
    for (size_t i = 0; i < selectors && !decoder.at_end(); ++i) {
      decode_one(decoder, data[1 + i], order, giop_minor);
    }
  } catch (const orb::MARSHAL&) {
  } catch (const orb::DATA_CONVERSION&) {
  }
  return 0;
}
