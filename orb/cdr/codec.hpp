// Codec<T>: how one C++ type of the IDL mapping is encoded and decoded.
// The library specialises it for the primitives, std::string,
// std::wstring, std::vector (sequence) and std::array (array); idlgen
// specialises it for every struct, union, enum and exception it emits.
// `min_wire_size` is the fewest bytes a value can take on the wire, which
// the decoder uses to reject sequence lengths that cannot fit.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace orb::cdr {

template <class T>
struct Codec;

#define ORB_CDR_SCALAR_CODEC(TYPE, SIZE, WRITE, READ)         \
  template <>                                                 \
  struct Codec<TYPE> {                                        \
    static constexpr size_t min_wire_size = SIZE;             \
    static void encode(Encoder& e, TYPE v) { e.WRITE(v); }    \
    static void decode(Decoder& d, TYPE& v) { v = d.READ(); } \
  };

ORB_CDR_SCALAR_CODEC(bool, 1, write_boolean, read_boolean)
ORB_CDR_SCALAR_CODEC(char, 1, write_char, read_char)
ORB_CDR_SCALAR_CODEC(uint8_t, 1, write_octet, read_octet)
ORB_CDR_SCALAR_CODEC(int16_t, 2, write_short, read_short)
ORB_CDR_SCALAR_CODEC(uint16_t, 2, write_ushort, read_ushort)
ORB_CDR_SCALAR_CODEC(int32_t, 4, write_long, read_long)
ORB_CDR_SCALAR_CODEC(uint32_t, 4, write_ulong, read_ulong)
ORB_CDR_SCALAR_CODEC(int64_t, 8, write_longlong, read_longlong)
ORB_CDR_SCALAR_CODEC(uint64_t, 8, write_ulonglong, read_ulonglong)
ORB_CDR_SCALAR_CODEC(float, 4, write_float, read_float)
ORB_CDR_SCALAR_CODEC(double, 8, write_double, read_double)
ORB_CDR_SCALAR_CODEC(long double, 16, write_long_double, read_long_double)
ORB_CDR_SCALAR_CODEC(wchar_t, 1, write_wchar, read_wchar)
#undef ORB_CDR_SCALAR_CODEC

/// An unbounded string; bounded strings are written by generated code
/// through Encoder::write_string with the bound.
template <>
struct Codec<std::string> {
  static constexpr size_t min_wire_size = 5;  // length and NUL
  static void encode(Encoder& e, const std::string& v) { e.write_string(v); }
  static void decode(Decoder& d, std::string& v) { v = d.read_string(); }
};

template <>
struct Codec<std::wstring> {
  static constexpr size_t min_wire_size = 4;
  static void encode(Encoder& e, const std::wstring& v) { e.write_wstring(v); }
  static void decode(Decoder& d, std::wstring& v) { v = d.read_wstring(); }
};

template <class T>
concept BlockCopyable = std::is_arithmetic_v<T> && !std::is_same_v<T, bool> &&
                        !std::is_same_v<T, wchar_t> && !std::is_same_v<T, long double>;

/// Writes a sequence with an optional bound (0 means unbounded).
template <class T>
void encode_sequence(Encoder& e, const std::vector<T>& v, uint32_t bound = 0) {
  e.write_length(v.size(), bound, "sequence");
  if constexpr (BlockCopyable<T>) {
    e.write_array(v.data(), v.size());
  } else {
    for (const T& element : v) {
      Codec<T>::encode(e, element);
    }
  }
}

template <class T>
void decode_sequence(Decoder& d, std::vector<T>& v, uint32_t bound = 0) {
  uint32_t length = d.read_length(Codec<T>::min_wire_size, bound, "sequence");
  if constexpr (std::is_same_v<T, uint8_t>) {
    if (d.take_detached_block(length, v)) {
      return;
    }
  }
  v.clear();
  if constexpr (BlockCopyable<T> && sizeof(T) == 1) {
    // One pass over the bytes: resize() would zero them before the copy.
    std::span<const uint8_t> bytes = d.read_octets(length, "sequence element");
    const T* first = reinterpret_cast<const T*>(bytes.data());
    v.assign(first, first + length);
  } else if constexpr (BlockCopyable<T>) {
    v.resize(length);
    d.read_array(v.data(), v.size(), "sequence element");
  } else {
    v.reserve(length);
    for (uint32_t i = 0; i < length; ++i) {
      if constexpr (std::is_same_v<T, bool>) {
        v.push_back(d.read_boolean());  // std::vector<bool> has no bool& elements
      } else {
        Codec<T>::decode(d, v.emplace_back());
      }
    }
  }
}

template <class T>
struct Codec<std::vector<T>> {
  static constexpr size_t min_wire_size = 4;
  static void encode(Encoder& e, const std::vector<T>& v) { encode_sequence(e, v); }
  static void decode(Decoder& d, std::vector<T>& v) { decode_sequence(d, v); }
};

template <class T, size_t N>
struct Codec<std::array<T, N>> {
  static constexpr size_t min_wire_size = N * Codec<T>::min_wire_size;
  static void encode(Encoder& e, const std::array<T, N>& v) {
    if constexpr (BlockCopyable<T>) {
      e.write_array(v.data(), N);
    } else {
      for (const T& element : v) {
        Codec<T>::encode(e, element);
      }
    }
  }
  static void decode(Decoder& d, std::array<T, N>& v) {
    if constexpr (BlockCopyable<T>) {
      d.read_array(v.data(), N, "array");
    } else {
      for (T& element : v) {
        Codec<T>::decode(d, element);
      }
    }
  }
};

template <class T>
void encode(Encoder& e, const T& v) {
  Codec<T>::encode(e, v);
}

template <class T>
T decode(Decoder& d) {
  T v{};
  Codec<T>::decode(d, v);
  return v;
}

}  // namespace orb::cdr
