// Any, and the TypeCode-guided copy of a value between two CDR streams.
// The copy reads every item through the bounds-checked decoder, so a value
// that does not match its TypeCode fails with MARSHAL, and nesting (any
// inside any, recursive types) is limited to kMaxDepth levels.
#include <orb/any/any.hpp>

#include <orb/giop/iop.hpp>
#include <orb/minor.hpp>

#include <vector>

namespace orb {
namespace {

constexpr int kMaxDepth = 128;

class ValueCopier {
 public:
  ValueCopier(cdr::Decoder& from, cdr::Encoder& to) : from_(from), to_(to) {}

  void copy(const TypeCode& type) {
    if (++depth_ > kMaxDepth) {
      from_.fail(minor::kTypeCodeTooDeep, "value",
                 "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    if (type.is_recursive_reference()) {
      copy(resolve(type.id()));
    } else if (!copy_primitive(type.kind())) {
      copy_constructed(type);
    }
    --depth_;
  }

 private:
  const TypeCode& resolve(const std::string& id) {
    for (auto it = enclosing_.rbegin(); it != enclosing_.rend(); ++it) {
      if ((*it)->id() == id) {
        return **it;
      }
    }
    from_.fail(minor::kBadIndirection, "value",
               "recursive TypeCode '" + id + "' is outside its enclosing type");
  }

  bool copy_primitive(TCKind kind) {
    switch (kind) {
      case TCKind::tk_null:
      case TCKind::tk_void:
        return true;
      case TCKind::tk_short:
        to_.write_short(from_.read_short());
        return true;
      case TCKind::tk_ushort:
        to_.write_ushort(from_.read_ushort());
        return true;
      case TCKind::tk_long:
        to_.write_long(from_.read_long());
        return true;
      case TCKind::tk_ulong:
        to_.write_ulong(from_.read_ulong());
        return true;
      case TCKind::tk_longlong:
        to_.write_longlong(from_.read_longlong());
        return true;
      case TCKind::tk_ulonglong:
        to_.write_ulonglong(from_.read_ulonglong());
        return true;
      case TCKind::tk_float:
        to_.write_float(from_.read_float());
        return true;
      case TCKind::tk_double:
        to_.write_double(from_.read_double());
        return true;
      case TCKind::tk_longdouble:
        to_.write_long_double(from_.read_long_double());
        return true;
      case TCKind::tk_boolean:
        to_.write_boolean(from_.read_boolean());
        return true;
      case TCKind::tk_char:
        to_.write_char(from_.read_char());
        return true;
      case TCKind::tk_octet:
        to_.write_octet(from_.read_octet());
        return true;
      case TCKind::tk_wchar:
        to_.write_wchar(from_.read_wchar());
        return true;
      default:
        return false;
    }
  }

  void copy_constructed(const TypeCode& type) {
    switch (type.kind()) {
      case TCKind::tk_string:
        to_.write_string(from_.read_string(type.length()));
        return;
      case TCKind::tk_wstring:
        to_.write_wstring(from_.read_wstring(type.length()));
        return;
      case TCKind::tk_fixed:
        copy_fixed(type);
        return;
      case TCKind::tk_sequence:
        copy_sequence(type);
        return;
      case TCKind::tk_array:
        copy_array(type);
        return;
      case TCKind::tk_alias:
        copy(*type.content_type());
        return;
      case TCKind::tk_struct:
      case TCKind::tk_except:
        copy_members(type);
        return;
      case TCKind::tk_union:
        copy_union(type);
        return;
      case TCKind::tk_enum:
        copy_enum(type);
        return;
      default:
        copy_other(type);
        return;
    }
  }

  void copy_other(const TypeCode& type) {
    switch (type.kind()) {
      case TCKind::tk_objref: {
        giop::IorData ior;
        giop::decode(from_, ior);
        giop::encode(to_, ior);
        return;
      }
      case TCKind::tk_abstract_interface: {
        // TRUE and a reference, or FALSE and a value, of which only the null value is read.
        bool is_reference = from_.read_boolean("abstract interface discriminator");
        to_.write_boolean(is_reference);
        if (is_reference) {
          giop::IorData ior;
          giop::decode(from_, ior);
          giop::encode(to_, ior);
          return;
        }
        size_t start = from_.absolute_position();
        uint32_t tag = from_.read_ulong("value tag");
        if (tag != 0) {
          cdr::Decoder::fail_at(start, minor::kValueTypeUnsupported, "abstract interface",
                                "a value type (tag " + std::to_string(tag) +
                                    ") where this ORB reads only object references");
        }
        to_.write_ulong(0);
        return;
      }
      case TCKind::tk_TypeCode:
        encode(to_, *decode_typecode(from_));
        return;
      case TCKind::tk_any: {
        TypeCodeRef inner = decode_typecode(from_);
        encode(to_, *inner);
        std::vector<const TypeCode*> outer = std::exchange(enclosing_, {});
        copy(*inner);
        enclosing_ = std::move(outer);
        return;
      }
      default:
        from_.fail(minor::kUnsupportedTypeCode, "value",
                   "values of TypeCode kind " + std::to_string(static_cast<uint32_t>(type.kind())) +
                       " cannot be copied");
    }
  }

  void copy_array(const TypeCode& type) {
    for (uint32_t i = 0; i < type.length(); ++i) {
      size_t start = from_.absolute_position();
      copy(*type.content_type());
      if (from_.absolute_position() == start) {
        // The element type has no bytes on the wire (null, void, empty
        // structs), so the other elements read and write nothing either.
        return;
      }
    }
  }

  void copy_fixed(const TypeCode& type) {
    // Packed decimal: two digits per octet, the sign in the last half-octet.
    size_t octets = type.fixed_digits() / 2 + 1;
    to_.write_octets(from_.read_octets(octets, "fixed"));
  }

  void copy_sequence(const TypeCode& type) {
    const TypeCode& element = *type.content_type();
    if (element.kind() == TCKind::tk_octet) {
      to_.write_octet_sequence(from_.read_octet_sequence(type.length()));
      return;
    }
    uint32_t count = from_.read_length(1, type.length(), "sequence");
    to_.write_ulong(count);
    for (uint32_t i = 0; i < count; ++i) {
      copy(element);
    }
  }

  void copy_members(const TypeCode& type) {
    enclosing_.push_back(&type);
    for (const TypeCode::Member& member : type.members()) {
      copy(*member.type);
    }
    enclosing_.pop_back();
  }

  uint32_t copy_enum(const TypeCode& type) {
    from_.align(4, "enum");
    size_t start = from_.absolute_position();
    uint32_t value = from_.read_ulong("enum");
    if (value >= type.enumerators().size()) {
      cdr::Decoder::fail_at(start, minor::kInvalidValue, "enum",
                            "value " + std::to_string(value) + " is beyond the " +
                                std::to_string(type.enumerators().size()) + " enumerators of " +
                                type.id());
    }
    to_.write_ulong(value);
    return value;
  }

  void copy_union(const TypeCode& type) {
    enclosing_.push_back(&type);
    const TypeCode* discriminator = type.discriminator_type().get();
    while (discriminator->kind() == TCKind::tk_alias) {
      discriminator = discriminator->content_type().get();
    }
    int64_t label = copy_discriminator(*discriminator);
    const TypeCode::Member* chosen = nullptr;
    for (size_t i = 0; i < type.members().size(); ++i) {
      if (static_cast<int32_t>(i) != type.default_index() && type.members()[i].label == label) {
        chosen = &type.members()[i];
        break;
      }
    }
    if (chosen == nullptr && type.default_index() >= 0) {
      chosen = &type.members()[static_cast<size_t>(type.default_index())];
    }
    if (chosen != nullptr) {
      copy(*chosen->type);
    }
    enclosing_.pop_back();
  }

  int64_t copy_discriminator(const TypeCode& discriminator) {
    switch (discriminator.kind()) {
      case TCKind::tk_enum:
        return copy_enum(discriminator);
      case TCKind::tk_boolean: {
        bool value = from_.read_boolean();
        to_.write_boolean(value);
        return value ? 1 : 0;
      }
      case TCKind::tk_char: {
        char value = from_.read_char();
        to_.write_char(value);
        return static_cast<uint8_t>(value);
      }
      default:
        return copy_integer_discriminator(discriminator);
    }
  }

  int64_t copy_integer_discriminator(const TypeCode& discriminator) {
    switch (discriminator.kind()) {
      case TCKind::tk_short: {
        int16_t value = from_.read_short();
        to_.write_short(value);
        return value;
      }
      case TCKind::tk_ushort: {
        uint16_t value = from_.read_ushort();
        to_.write_ushort(value);
        return value;
      }
      case TCKind::tk_long: {
        int32_t value = from_.read_long();
        to_.write_long(value);
        return value;
      }
      case TCKind::tk_ulong: {
        uint32_t value = from_.read_ulong();
        to_.write_ulong(value);
        return value;
      }
      case TCKind::tk_longlong: {
        int64_t value = from_.read_longlong();
        to_.write_longlong(value);
        return value;
      }
      case TCKind::tk_ulonglong: {
        uint64_t value = from_.read_ulonglong();
        to_.write_ulonglong(value);
        return static_cast<int64_t>(value);
      }
      case TCKind::tk_wchar: {
        wchar_t value = from_.read_wchar();
        to_.write_wchar(value);
        return value;
      }
      default:
        from_.fail(minor::kInvalidTypeCode, "union discriminator",
                   "kind " + std::to_string(static_cast<uint32_t>(discriminator.kind())) +
                       " cannot discriminate a union");
    }
  }

  cdr::Decoder& from_;
  cdr::Encoder& to_;
  std::vector<const TypeCode*> enclosing_;
  int depth_ = 0;
};

}  // namespace

void copy_value(const TypeCode& type, cdr::Decoder& from, cdr::Encoder& to) {
  ValueCopier(from, to).copy(type);
}

Any::Any() : type_(TypeCode::basic(TCKind::tk_null)) {}

void Any::encode(cdr::Encoder& encoder) const {
  orb::encode(encoder, *type_);
  cdr::Decoder stored(value_, cdr::kNativeByteOrder);
  stored.set_giop_minor(cdr::kDefaultGiopMinor);
  copy_value(*type_, stored, encoder);
}

void Any::decode(cdr::Decoder& decoder) {
  TypeCodeRef type = decode_typecode(decoder);
  cdr::Encoder stored(cdr::kNativeByteOrder);
  copy_value(*type, decoder, stored);
  type_ = std::move(type);
  value_ = stored.take_bytes();
}

bool Any::operator==(const Any& other) const {
  return type_->equal(*other.type_) && value_ == other.value_;
}

}  // namespace orb
