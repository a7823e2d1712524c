// Tuples and templates of the tuple space in C++: short names for the
// generated IDL types, builders that turn plain C++ values into fields
// (`{"task", 42, 3.5}`), typed and full wildcards for templates
// (`{"task", any_of<int64_t>, any}`), matching, and text forms for tools
// and messages. The engine, the servant and the client all use these.
#pragma once

#include "space.hpp"

#include <orb/any/any.hpp>

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace orb::space {

using Field = ::OrbSpace::Field;
using FieldType = ::OrbSpace::FieldType;
using Tuple = ::OrbSpace::Tuple;
using TemplateField = ::OrbSpace::TemplateField;
using Template = ::OrbSpace::Template;
using LeaseId = ::OrbSpace::LeaseId;
using TransactionId = ::OrbSpace::TransactionId;
using ReservationId = ::OrbSpace::ReservationId;
using Bytes = ::OrbSpace::Bytes;

/// The field type that a C++ value of type T becomes.
template <class T>
constexpr FieldType field_type_of() noexcept {
  if constexpr (std::same_as<T, bool>) {
    return FieldType::type_boolean;
  } else if constexpr (std::integral<T>) {
    return FieldType::type_long_long;
  } else if constexpr (std::floating_point<T>) {
    return FieldType::type_double;
  } else if constexpr (std::same_as<T, Bytes>) {
    return FieldType::type_bytes;
  } else if constexpr (std::same_as<T, Any>) {
    return FieldType::type_any;
  } else {
    static_assert(std::convertible_to<T, std::string_view>, "no field type for this C++ type");
    return FieldType::type_string;
  }
}

/// A typed wildcard: matches any value of T's field type.
template <class T>
struct AnyOf {};
template <class T>
inline constexpr AnyOf<T> any_of{};

/// The full wildcard: matches any value of any type.
struct AnyValue {};
inline constexpr AnyValue any{};

/// One element of a tuple written as a braced list: converts from bool,
/// any integer (stored as long long), float or double, a string, Bytes,
/// an orb::Any or a ready Field.
class FieldValue {
 public:
  template <std::same_as<bool> B>
  FieldValue(B value) {  // NOLINT(google-explicit-constructor): braced tuple lists
    field_.boolean_value(value);
  }
  template <std::integral I>
  requires(!std::same_as<I, bool>) FieldValue(I value) {  // NOLINT(google-explicit-constructor)
    field_.long_value(static_cast<int64_t>(value));
  }
  template <std::floating_point F>
  FieldValue(F value) {  // NOLINT(google-explicit-constructor)
    field_.double_value(static_cast<double>(value));
  }
  FieldValue(const char* value) { field_.string_value(value); }                    // NOLINT
  FieldValue(std::string value) { field_.string_value(std::move(value)); }         // NOLINT
  FieldValue(std::string_view value) { field_.string_value(std::string(value)); }  // NOLINT
  FieldValue(Bytes value) { field_.bytes_value(std::move(value)); }                // NOLINT
  FieldValue(Any value) { field_.any_value(std::move(value)); }                    // NOLINT
  FieldValue(Field value) : field_(std::move(value)) {}                            // NOLINT

  const Field& field() const noexcept { return field_; }

 private:
  Field field_;
};

/// One element of a template written as a braced list: a value as in
/// FieldValue, `any_of<T>` or `any`.
class TemplateItem {
 public:
  template <class V>
  requires std::constructible_from<FieldValue, V> TemplateItem(
      V&& value) {  // NOLINT(google-explicit-constructor): braced template lists
    item_.value(FieldValue(std::forward<V>(value)).field());
  }
  template <class T>
  TemplateItem(AnyOf<T>) {  // NOLINT(google-explicit-constructor)
    item_.type(field_type_of<T>());
  }
  TemplateItem(AnyValue) { item_._default(); }  // NOLINT(google-explicit-constructor)
  TemplateItem(TemplateField item) : item_(std::move(item)) {}  // NOLINT

  const TemplateField& item() const noexcept { return item_; }

 private:
  TemplateField item_;
};

Tuple make_tuple(std::initializer_list<FieldValue> values);
Template make_template(std::initializer_list<TemplateItem> items);

/// A template field that matches exactly `value`, only values of `type`, or anything.
TemplateField exactly(Field value);
TemplateField of_type(FieldType type);
TemplateField anything();

/// True when `tmpl` has the tuple's length and each of its fields
/// matches the tuple's field at the same position.
bool matches(const Template& tmpl, const Tuple& tuple);
bool matches(const TemplateField& item, const Field& field);

/// The name of a field type as the tools print it: bool, int, double,
/// string, bytes, any.
std::string_view type_name(FieldType type) noexcept;

/// Text forms for messages and tools: `("task", 42, 3.5)` and
/// `("task", <int>, *)`. Strings are quoted with C escapes, bytes are
/// hex (`0x0aff`), any values show their TypeCode kind.
std::string to_string(const Field& field);
std::string to_string(const Tuple& tuple);
std::string to_string(const TemplateField& item);
std::string to_string(const Template& tmpl);

/// Reads a field in the text form above: true or false, an integer, a
/// number with a point or exponent or one of inf, -inf and nan (double), 0x
/// and hex digits (bytes), a string in double quotes with C escapes, or any
/// other word (a string).
/// Raises OrbSpace::InvalidArgument naming the text when it is malformed.
Field parse_field(std::string_view text);
/// Reads a template field: `*`, `<TYPE>` with a type_name(), or a field.
TemplateField parse_template_field(std::string_view text);

}  // namespace orb::space
