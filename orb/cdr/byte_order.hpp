// Byte order of a CDR stream and the swaps that convert to and from it.
#pragma once

#include <bit>
#include <cstdint>

namespace orb::cdr {

/// The value of the byte-order flag in GIOP headers and encapsulations.
enum class ByteOrder : uint8_t { big_endian = 0, little_endian = 1 };

inline constexpr ByteOrder kNativeByteOrder =
    std::endian::native == std::endian::little ? ByteOrder::little_endian : ByteOrder::big_endian;

inline constexpr uint16_t byte_swap(uint16_t v) noexcept {
  return static_cast<uint16_t>((v >> 8) | (v << 8));
}
inline constexpr uint32_t byte_swap(uint32_t v) noexcept {
  return __builtin_bswap32(v);
}
inline constexpr uint64_t byte_swap(uint64_t v) noexcept {
  return __builtin_bswap64(v);
}

}  // namespace orb::cdr
