// long double <-> binary128. On x86-64 long double is the 80-bit extended
// format, so the conversion goes through __float128, which the compiler
// converts with correct rounding. Where long double already is binary128
// (AArch64, for example) the bytes are copied.
#include <orb/cdr/long_double.hpp>

#include <bit>
#include <cstring>
#include <limits>

namespace orb::cdr::detail {
namespace {

#if defined(__SIZEOF_FLOAT128__) && !defined(__aarch64__)
using Binary128 = __float128;
#else
static_assert(std::numeric_limits<long double>::digits == 113,
              "long double is neither binary128 nor convertible through __float128");
using Binary128 = long double;
#endif

static_assert(sizeof(Binary128) == 16);

}  // namespace

std::array<uint8_t, 16> to_binary128(long double v) noexcept {
  Binary128 quad = static_cast<Binary128>(v);
  std::array<uint8_t, 16> native{};
  std::memcpy(native.data(), &quad, 16);
  if constexpr (std::endian::native == std::endian::little) {
    std::array<uint8_t, 16> reversed{};
    for (size_t i = 0; i < 16; ++i) {
      reversed[i] = native[15 - i];
    }
    return reversed;
  }
  return native;
}

long double from_binary128(const std::array<uint8_t, 16>& bytes) noexcept {
  std::array<uint8_t, 16> native = bytes;
  if constexpr (std::endian::native == std::endian::little) {
    for (size_t i = 0; i < 16; ++i) {
      native[i] = bytes[15 - i];
    }
  }
  Binary128 quad;
  std::memcpy(&quad, native.data(), 16);
  return static_cast<long double>(quad);
}

}  // namespace orb::cdr::detail
