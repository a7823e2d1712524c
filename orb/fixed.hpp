// orb::Fixed<Digits, Scale>: the IDL type fixed<d, s>, a decimal number of
// at most Digits significant digits of which Scale follow the point. It is
// exact: the value is kept as an integer count of 10^-Scale units, which a
// 128-bit integer holds for the 31 digits IDL allows. On the wire it is
// packed BCD as CDR defines it: two digits per octet, the sign in the last
// half-octet, no alignment.
#pragma once

#include <orb/any/any.hpp>
#include <orb/cdr/codec.hpp>
#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace orb {

/// The integer type that holds a fixed-point value scaled by 10^Scale.
__extension__ typedef __int128 FixedInt;

namespace detail {

constexpr FixedInt pow10(unsigned exponent) {
  FixedInt value = 1;
  for (unsigned i = 0; i < exponent; ++i) {
    value *= 10;
  }
  return value;
}

/// Raises DATA_CONVERSION unless |scaled| has at most `digits` digits.
constexpr FixedInt check_fixed_digits(FixedInt scaled, unsigned digits) {
  FixedInt limit = pow10(digits);
  if (scaled >= limit || scaled <= -limit) {
    throw DATA_CONVERSION(
        minor::kFixedOverflow, CompletionStatus::no,
        "fixed<" + std::to_string(digits) + ">: value has more digits than the type holds");
  }
  return scaled;
}

/// Parses "[+-]digits[.digits][d|D]" into a value scaled by 10^scale.
/// Fraction digits beyond `scale` are truncated, as CORBA converts to a
/// smaller scale; too many integer digits raise DATA_CONVERSION and text
/// that is no decimal number raises BAD_PARAM.
inline FixedInt parse_fixed(std::string_view text, unsigned digits, unsigned scale) {
  std::string_view original = text;
  bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    text.remove_prefix(1);
  }
  if (!text.empty() && (text.back() == 'd' || text.back() == 'D')) {
    text.remove_suffix(1);
  }
  FixedInt scaled = 0;
  unsigned fraction = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      throw BAD_PARAM(minor::kBadFixedText, CompletionStatus::no,
                      "fixed: '" + std::string(original) + "' is not a decimal number");
    }
    seen_digit = true;
    if (seen_point && fraction == scale) {
      continue;  // truncated
    }
    fraction += seen_point ? 1 : 0;
    scaled = check_fixed_digits(scaled * 10 + (c - '0'), digits);
  }
  if (!seen_digit) {
    throw BAD_PARAM(minor::kBadFixedText, CompletionStatus::no,
                    "fixed: '" + std::string(original) + "' is not a decimal number");
  }
  scaled = check_fixed_digits(scaled * pow10(scale - fraction), digits);
  return negative ? -scaled : scaled;
}

/// Formats a scaled value with exactly `scale` digits after the point.
inline std::string format_fixed(FixedInt scaled, unsigned scale) {
  bool negative = scaled < 0;
  __extension__ unsigned __int128 magnitude =
      negative ? -static_cast<unsigned __int128>(scaled) : scaled;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (digits.size() <= scale) {
    digits.insert(0, scale + 1 - digits.size(), '0');
  }
  if (scale > 0) {
    digits.insert(digits.size() - scale, ".");
  }
  return negative ? "-" + digits : digits;
}

/// Writes `scaled` as packed BCD of `digits` digits.
inline void encode_fixed(cdr::Encoder& encoder, FixedInt scaled, unsigned digits) {
  std::array<uint8_t, 16> bytes{};
  size_t count = (digits + 2) / 2;
  bool negative = scaled < 0;
  __extension__ unsigned __int128 magnitude =
      negative ? -static_cast<unsigned __int128>(scaled) : scaled;
  // Half-octets from the last: the sign, then the digits from the lowest.
  size_t nibble = count * 2 - 1;
  bytes[nibble / 2] = negative ? 0x0d : 0x0c;
  while (nibble-- > 0) {
    auto digit = static_cast<uint8_t>(magnitude % 10);
    magnitude /= 10;
    bytes[nibble / 2] |= nibble % 2 == 0 ? static_cast<uint8_t>(digit << 4) : digit;
  }
  encoder.write_octets(std::span<const uint8_t>(bytes.data(), count));
}

/// Reads packed BCD of `digits` digits; a half-octet that is no digit, a
/// sign other than 0xC or 0xD, or a value too long raises MARSHAL.
inline FixedInt decode_fixed(cdr::Decoder& decoder, unsigned digits) {
  size_t count = (digits + 2) / 2;
  size_t offset = decoder.absolute_position();
  std::span<const uint8_t> bytes = decoder.read_octets(count, "fixed");
  FixedInt value = 0;
  for (size_t nibble = 0; nibble + 1 < count * 2; ++nibble) {
    unsigned digit = nibble % 2 == 0 ? bytes[nibble / 2] >> 4 : bytes[nibble / 2] & 0x0f;
    if (digit > 9) {
      cdr::Decoder::fail_at(offset, minor::kInvalidValue, "fixed",
                            "half-octet " + std::to_string(digit) + " is not a decimal digit");
    }
    value = value * 10 + digit;
  }
  unsigned sign = bytes[count - 1] & 0x0f;
  if (sign != 0x0c && sign != 0x0d) {
    cdr::Decoder::fail_at(offset, minor::kInvalidValue, "fixed",
                          "sign half-octet " + std::to_string(sign) + " is neither 0xC nor 0xD");
  }
  if (value >= pow10(digits)) {
    cdr::Decoder::fail_at(offset, minor::kInvalidValue, "fixed",
                          "the value has more than " + std::to_string(digits) + " digits");
  }
  return sign == 0x0d ? -value : value;
}

}  // namespace detail

template <unsigned Digits, unsigned Scale>
class Fixed {
  static_assert(Digits >= 1 && Digits <= 31, "fixed<d, s> has 1 to 31 digits");
  static_assert(Scale <= Digits, "fixed<d, s> needs s <= d");

 public:
  static constexpr unsigned digits = Digits;
  static constexpr unsigned scale = Scale;

  /// Zero.
  constexpr Fixed() noexcept = default;
  /// An integer; DATA_CONVERSION when it has more than Digits - Scale digits.
  constexpr explicit Fixed(int64_t value)
      : value_(detail::check_fixed_digits(value * detail::pow10(Scale), Digits)) {}
  /// Parses decimal text such as "-12.50" or "3.14d"; see detail::parse_fixed.
  explicit Fixed(std::string_view text) : value_(detail::parse_fixed(text, Digits, Scale)) {}

  /// The value whose count of 10^-Scale units is `scaled`: from_scaled(150)
  /// of Fixed<3, 2> is 1.50.
  static constexpr Fixed from_scaled(FixedInt scaled) {
    Fixed fixed;
    fixed.value_ = detail::check_fixed_digits(scaled, Digits);
    return fixed;
  }
  /// The value in units of 10^-Scale.
  constexpr FixedInt scaled_value() const noexcept { return value_; }

  /// Decimal text with exactly Scale digits after the point: "-12.50".
  std::string to_string() const { return detail::format_fixed(value_, Scale); }

  friend constexpr bool operator==(const Fixed&, const Fixed&) = default;
  friend constexpr std::strong_ordering operator<=>(const Fixed& a, const Fixed& b) noexcept {
    return a.value_ <=> b.value_;
  }

  /// Sums and differences keep the type; one that does not fit raises
  /// DATA_CONVERSION.
  constexpr Fixed operator+(const Fixed& other) const { return from_scaled(value_ + other.value_); }
  constexpr Fixed operator-(const Fixed& other) const { return from_scaled(value_ - other.value_); }
  constexpr Fixed operator-() const noexcept { return raw(-value_); }

 private:
  static constexpr Fixed raw(FixedInt scaled) noexcept {
    Fixed fixed;
    fixed.value_ = scaled;
    return fixed;
  }

  FixedInt value_ = 0;
};

namespace cdr {
template <unsigned Digits, unsigned Scale>
struct Codec<Fixed<Digits, Scale>> {
  static constexpr size_t min_wire_size = (Digits + 2) / 2;
  static void encode(Encoder& e, const Fixed<Digits, Scale>& v) {
    ::orb::detail::encode_fixed(e, v.scaled_value(), Digits);
  }
  static void decode(Decoder& d, Fixed<Digits, Scale>& v) {
    v = Fixed<Digits, Scale>::from_scaled(::orb::detail::decode_fixed(d, Digits));
  }
};
}  // namespace cdr

template <unsigned Digits, unsigned Scale>
struct TypeCodeOf<Fixed<Digits, Scale>> {
  static TypeCodeRef get() {
    static const TypeCodeRef type = TypeCode::fixed(Digits, Scale);
    return type;
  }
};

}  // namespace orb
