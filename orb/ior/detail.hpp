// Helpers shared by the IOR layer's sources: opening and writing the
// stand-alone encapsulations that profiles and components carry, and
// quoting untrusted text for error messages. Not part of the public API.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orb::ior::detail {

/// Returns a decoder over `data`, an encapsulation without its length
/// prefix, positioned after the byte-order octet and set to that order.
/// Error offsets count from the byte-order octet. Raises cdr::DecodeError
/// when the data is empty or the octet is neither 0 nor 1.
cdr::Decoder open_encapsulation(std::span<const uint8_t> data, std::string_view what);

/// Builds an encapsulation without its length prefix: the byte-order octet
/// followed by whatever `body(cdr::Encoder&)` writes.
template <class Body>
std::vector<uint8_t> make_encapsulation(cdr::ByteOrder order, Body&& body) {
  cdr::Encoder encoder(order, 0);
  encoder.write_octet(static_cast<uint8_t>(order));
  body(encoder);
  return encoder.take_bytes();
}

/// Raises cdr::DecodeError unless `decoder` has consumed all of its data.
void expect_end(const cdr::Decoder& decoder, std::string_view what);

/// Quotes `text` for an error message: printable ASCII as is, other bytes
/// as \xNN, and text beyond `max_length` bytes cut off with "...".
std::string quote(std::string_view text, size_t max_length = 200);

}  // namespace orb::ior::detail
