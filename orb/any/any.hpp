// orb::Any: a value of any IDL type together with its TypeCode. The value
// is kept in CDR form (native byte order, GIOP 1.2 rules) and copied item
// by item, guided by the TypeCode, when it is marshalled or unmarshalled,
// so alignment and byte order always fit the stream it is written into.
#pragma once

#include <orb/any/typecode.hpp>
#include <orb/cdr/codec.hpp>
#include <orb/exception.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace orb {

/// The TypeCode of a C++ type of the IDL mapping. The library specialises
/// it for the primitives and standard containers; idlgen for each named type.
template <class T>
struct TypeCodeOf;

#define ORB_BASIC_TYPECODE_OF(TYPE, KIND)                            \
  template <>                                                        \
  struct TypeCodeOf<TYPE> {                                          \
    static TypeCodeRef get() {                                       \
      static const TypeCodeRef type = TypeCode::basic(TCKind::KIND); \
      return type;                                                   \
    }                                                                \
  };
ORB_BASIC_TYPECODE_OF(bool, tk_boolean)
ORB_BASIC_TYPECODE_OF(char, tk_char)
ORB_BASIC_TYPECODE_OF(wchar_t, tk_wchar)
ORB_BASIC_TYPECODE_OF(uint8_t, tk_octet)
ORB_BASIC_TYPECODE_OF(int16_t, tk_short)
ORB_BASIC_TYPECODE_OF(uint16_t, tk_ushort)
ORB_BASIC_TYPECODE_OF(int32_t, tk_long)
ORB_BASIC_TYPECODE_OF(uint32_t, tk_ulong)
ORB_BASIC_TYPECODE_OF(int64_t, tk_longlong)
ORB_BASIC_TYPECODE_OF(uint64_t, tk_ulonglong)
ORB_BASIC_TYPECODE_OF(float, tk_float)
ORB_BASIC_TYPECODE_OF(double, tk_double)
ORB_BASIC_TYPECODE_OF(long double, tk_longdouble)
#undef ORB_BASIC_TYPECODE_OF

template <>
struct TypeCodeOf<std::string> {
  static TypeCodeRef get() {
    static const TypeCodeRef type = TypeCode::string();
    return type;
  }
};

template <>
struct TypeCodeOf<std::wstring> {
  static TypeCodeRef get() {
    static const TypeCodeRef type = TypeCode::wstring();
    return type;
  }
};

template <class T>
struct TypeCodeOf<std::vector<T>> {
  static TypeCodeRef get() {
    static const TypeCodeRef type = TypeCode::sequence(TypeCodeOf<T>::get());
    return type;
  }
};

template <class T, size_t N>
struct TypeCodeOf<std::array<T, N>> {
  static TypeCodeRef get() {
    static const TypeCodeRef type = TypeCode::array(TypeCodeOf<T>::get(), N);
    return type;
  }
};

class Any {
 public:
  /// An empty any, of TypeCode tk_null.
  Any();

  template <class T>
  static Any from(const T& value) {
    Any any;
    any.insert(value);
    return any;
  }

  /// Replaces the contents with `value` and the TypeCode of T.
  template <class T>
  void insert(const T& value) {
    cdr::Encoder encoder(cdr::kNativeByteOrder);
    cdr::Codec<T>::encode(encoder, value);
    type_ = TypeCodeOf<T>::get();
    value_ = encoder.take_bytes();
  }

  /// Stores `value` if the contents have the TypeCode of T; returns false otherwise.
  template <class T>
  bool extract(T& value) const {
    if (!type_->equal(*TypeCodeOf<T>::get())) {
      return false;
    }
    cdr::Decoder decoder(value_, cdr::kNativeByteOrder);
    cdr::Codec<T>::decode(decoder, value);
    return true;
  }

  const TypeCodeRef& type() const noexcept { return type_; }

  /// Writes the TypeCode and then the value, as an `any` travels in CDR.
  void encode(cdr::Encoder& encoder) const;
  /// Reads a TypeCode and the value it describes, checking both as hostile input.
  void decode(cdr::Decoder& decoder);

  /// Equal TypeCodes and equal value bytes.
  bool operator==(const Any& other) const;

 private:
  TypeCodeRef type_;
  std::vector<uint8_t> value_;
};

namespace cdr {
template <>
struct Codec<Any> {
  static constexpr size_t min_wire_size = 4;  // a TypeCode kind
  static void encode(Encoder& e, const Any& v) { v.encode(e); }
  static void decode(Decoder& d, Any& v) { v.decode(d); }
};
}  // namespace cdr

template <>
struct TypeCodeOf<Any> {
  static TypeCodeRef get() {
    static const TypeCodeRef type = TypeCode::basic(TCKind::tk_any);
    return type;
  }
};

/// Copies one value described by `type` from `from` to `to`, item by item.
/// Used for any values and by tools that relay data they have no C++ type for.
void copy_value(const TypeCode& type, cdr::Decoder& from, cdr::Encoder& to);

}  // namespace orb
