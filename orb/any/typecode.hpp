// orb::TypeCode: the run-time description of an IDL type that travels with
// every `any` value, and its CDR form, including the indirections that
// recursive and repeated types use. Generated code builds one TypeCode per
// IDL type through the factories below.
#pragma once

#include <orb/cdr/decoder.hpp>
#include <orb/cdr/encoder.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace orb {

/// CORBA::TCKind, with the values the CDR form of a TypeCode carries.
enum class TCKind : uint32_t {
  tk_null = 0,
  tk_void = 1,
  tk_short = 2,
  tk_long = 3,
  tk_ushort = 4,
  tk_ulong = 5,
  tk_float = 6,
  tk_double = 7,
  tk_boolean = 8,
  tk_char = 9,
  tk_octet = 10,
  tk_any = 11,
  tk_TypeCode = 12,
  tk_Principal = 13,
  tk_objref = 14,
  tk_struct = 15,
  tk_union = 16,
  tk_enum = 17,
  tk_string = 18,
  tk_sequence = 19,
  tk_array = 20,
  tk_alias = 21,
  tk_except = 22,
  tk_longlong = 23,
  tk_ulonglong = 24,
  tk_longdouble = 25,
  tk_wchar = 26,
  tk_wstring = 27,
  tk_fixed = 28,
  tk_value = 29,
  tk_value_box = 30,
  tk_native = 31,
  tk_abstract_interface = 32,
  tk_local_interface = 33,
  tk_component = 34,
  tk_home = 35,
  tk_event = 36,
};

class TypeCode;
using TypeCodeRef = std::shared_ptr<const TypeCode>;

class TypeCode {
 public:
  /// A member of a struct, exception or union; `label` is the union case
  /// label converted to a 64-bit integer (enum labels by ordinal, booleans
  /// as 0 and 1) and unused for other kinds.
  struct Member {
    std::string name;
    TypeCodeRef type;
    int64_t label = 0;
  };

  /// Primitive kinds: null, void, the numbers, boolean, char, wchar, octet,
  /// any and TypeCode. Raises BAD_PARAM for a kind that has parameters.
  static TypeCodeRef basic(TCKind kind);
  static TypeCodeRef string(uint32_t bound = 0);
  static TypeCodeRef wstring(uint32_t bound = 0);
  static TypeCodeRef fixed(uint16_t digits, int16_t scale);
  static TypeCodeRef sequence(TypeCodeRef element, uint32_t bound = 0);
  static TypeCodeRef array(TypeCodeRef element, uint32_t length);
  static TypeCodeRef alias(std::string id, std::string name, TypeCodeRef original);
  static TypeCodeRef structure(std::string id, std::string name, std::vector<Member> members);
  static TypeCodeRef exception(std::string id, std::string name, std::vector<Member> members);
  /// `default_index` is the index of the default member, or -1 for none.
  static TypeCodeRef union_type(std::string id, std::string name, TypeCodeRef discriminator,
                                int32_t default_index, std::vector<Member> members);
  static TypeCodeRef enumeration(std::string id, std::string name,
                                 std::vector<std::string> enumerators);
  /// Interface kinds: tk_objref, tk_abstract_interface, tk_local_interface, tk_native.
  static TypeCodeRef interface(TCKind kind, std::string id, std::string name);
  /// A reference from inside a struct or union to that enclosing type, so
  /// a recursive type needs no cycle of shared pointers. It is encoded as
  /// an indirection to the enclosing TypeCode with the same id.
  static TypeCodeRef recursive(std::string id);

  TCKind kind() const noexcept { return kind_; }
  const std::string& id() const noexcept { return id_; }
  const std::string& name() const noexcept { return name_; }
  const std::vector<Member>& members() const noexcept { return members_; }
  const std::vector<std::string>& enumerators() const noexcept { return enumerators_; }
  /// Element type of a sequence or array, original type of an alias.
  const TypeCodeRef& content_type() const noexcept { return content_; }
  const TypeCodeRef& discriminator_type() const noexcept { return content_; }
  /// Bound of a string or sequence (0 is unbounded) or length of an array.
  uint32_t length() const noexcept { return length_; }
  int32_t default_index() const noexcept { return default_index_; }
  uint16_t fixed_digits() const noexcept { return fixed_digits_; }
  int16_t fixed_scale() const noexcept { return fixed_scale_; }
  bool is_recursive_reference() const noexcept { return recursive_; }

  /// Structural equality, names and repository ids included.
  bool equal(const TypeCode& other) const;

  /// Kind of a TypeCode is fixed at construction; use the factories.
  explicit TypeCode(TCKind kind) : kind_(kind) {}

 private:
  TCKind kind_;
  std::string id_;
  std::string name_;
  std::vector<Member> members_;
  std::vector<std::string> enumerators_;
  TypeCodeRef content_;
  uint32_t length_ = 0;
  int32_t default_index_ = -1;
  uint16_t fixed_digits_ = 0;
  int16_t fixed_scale_ = 0;
  bool recursive_ = false;

  friend class TypeCodeBuilder;
};

/// Writes the CDR form of a TypeCode, with indirections for recursive references.
void encode(cdr::Encoder& encoder, const TypeCode& type);
/// Reads a TypeCode, resolving indirections; nesting deeper than 64 levels
/// or an indirection that does not point back at a TypeCode raises MARSHAL.
TypeCodeRef decode_typecode(cdr::Decoder& decoder);

}  // namespace orb
