// Conversion between the host's long double and the 16-byte IEEE 754
// binary128 value that CDR puts on the wire.
#pragma once

#include <array>
#include <cstdint>

namespace orb::cdr::detail {

/// The binary128 bytes of `v`, most significant byte first.
std::array<uint8_t, 16> to_binary128(long double v) noexcept;
/// The host value nearest to a binary128 given most significant byte first.
long double from_binary128(const std::array<uint8_t, 16>& bytes) noexcept;

}  // namespace orb::cdr::detail
