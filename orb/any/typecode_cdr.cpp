// CDR encoding and decoding of TypeCodes, with indirections both ways.
// Decoding treats its input as hostile: counts are checked against the
// bytes left, nesting is limited, and an indirection must point back at
// the kind field of a TypeCode already being read in the same stream.
#include <orb/any/typecode.hpp>

#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <map>
#include <string>
#include <vector>

namespace orb {
namespace {

constexpr uint32_t kIndirectionMarker = 0xFFFFFFFF;
constexpr int kMaxNesting = 64;

/// The kind of the type an alias chain ends at.
const TypeCode& unaliased(const TypeCode& type) {
  const TypeCode* current = &type;
  while (current->kind() == TCKind::tk_alias) {
    current = current->content_type().get();
  }
  return *current;
}

bool has_encapsulated_parameters(TCKind kind) {
  switch (kind) {
    case TCKind::tk_objref:
    case TCKind::tk_struct:
    case TCKind::tk_union:
    case TCKind::tk_enum:
    case TCKind::tk_sequence:
    case TCKind::tk_array:
    case TCKind::tk_alias:
    case TCKind::tk_except:
    case TCKind::tk_native:
    case TCKind::tk_abstract_interface:
    case TCKind::tk_local_interface:
      return true;
    default:
      return false;
  }
}

void write_label(cdr::Encoder& encoder, const TypeCode& discriminator, int64_t label) {
  switch (unaliased(discriminator).kind()) {
    case TCKind::tk_short:
      encoder.write_short(static_cast<int16_t>(label));
      break;
    case TCKind::tk_ushort:
      encoder.write_ushort(static_cast<uint16_t>(label));
      break;
    case TCKind::tk_long:
      encoder.write_long(static_cast<int32_t>(label));
      break;
    case TCKind::tk_ulong:
    case TCKind::tk_enum:
      encoder.write_ulong(static_cast<uint32_t>(label));
      break;
    case TCKind::tk_longlong:
      encoder.write_longlong(label);
      break;
    case TCKind::tk_ulonglong:
      encoder.write_ulonglong(static_cast<uint64_t>(label));
      break;
    case TCKind::tk_char:
      encoder.write_char(static_cast<char>(label));
      break;
    case TCKind::tk_wchar:
      encoder.write_wchar(static_cast<wchar_t>(label));
      break;
    case TCKind::tk_boolean:
      encoder.write_boolean(label != 0);
      break;
    default:
      throw BAD_PARAM(minor::kInvalidTypeCode, CompletionStatus::no,
                      "encode TypeCode: union discriminator of kind " +
                          std::to_string(static_cast<uint32_t>(discriminator.kind())) +
                          " cannot carry labels");
  }
}

class TypeCodeWriter {
 public:
  explicit TypeCodeWriter(cdr::Encoder& encoder) : encoder_(encoder) {}

  void write(const TypeCode& type) {
    encoder_.align(4);
    if (type.is_recursive_reference()) {
      write_indirection(type.id());
      return;
    }
    size_t start = encoder_.size();
    encoder_.write_ulong(static_cast<uint32_t>(type.kind()));
    switch (type.kind()) {
      case TCKind::tk_string:
      case TCKind::tk_wstring:
        encoder_.write_ulong(type.length());
        return;
      case TCKind::tk_fixed:
        encoder_.write_ushort(type.fixed_digits());
        encoder_.write_short(type.fixed_scale());
        return;
      default:
        break;
    }
    if (!has_encapsulated_parameters(type.kind())) {
      return;
    }
    enclosing_.emplace_back(type.id(), start);
    cdr::Encoder::EncapsulationMark mark = encoder_.begin_encapsulation(encoder_.byte_order());
    write_parameters(type);
    encoder_.end_encapsulation(mark);
    enclosing_.pop_back();
  }

 private:
  void write_indirection(const std::string& id) {
    for (auto it = enclosing_.rbegin(); it != enclosing_.rend(); ++it) {
      if (it->first == id && !id.empty()) {
        encoder_.write_ulong(kIndirectionMarker);
        size_t at = encoder_.size();
        encoder_.write_long(
            static_cast<int32_t>(static_cast<int64_t>(it->second) - static_cast<int64_t>(at)));
        return;
      }
    }
    throw BAD_PARAM(
        minor::kInvalidTypeCode, CompletionStatus::no,
        "encode TypeCode: recursive reference to '" + id + "' outside any TypeCode with that id");
  }

  void write_members(const TypeCode& type) {
    encoder_.write_ulong(static_cast<uint32_t>(type.members().size()));
    for (const TypeCode::Member& member : type.members()) {
      encoder_.write_string(member.name);
      write(*member.type);
    }
  }

  void write_union(const TypeCode& type) {
    write(*type.discriminator_type());
    encoder_.write_long(type.default_index());
    encoder_.write_ulong(static_cast<uint32_t>(type.members().size()));
    for (size_t i = 0; i < type.members().size(); ++i) {
      const TypeCode::Member& member = type.members()[i];
      if (static_cast<int32_t>(i) == type.default_index()) {
        encoder_.write_octet(0);  // the default member's label is the octet 0
      } else {
        write_label(encoder_, *type.discriminator_type(), member.label);
      }
      encoder_.write_string(member.name);
      write(*member.type);
    }
  }

  void write_parameters(const TypeCode& type) {
    switch (type.kind()) {
      case TCKind::tk_sequence:
      case TCKind::tk_array:
        write(*type.content_type());
        encoder_.write_ulong(type.length());
        return;
      default:
        break;
    }
    encoder_.write_string(type.id());
    encoder_.write_string(type.name());
    switch (type.kind()) {
      case TCKind::tk_struct:
      case TCKind::tk_except:
        write_members(type);
        break;
      case TCKind::tk_union:
        write_union(type);
        break;
      case TCKind::tk_enum:
        encoder_.write_ulong(static_cast<uint32_t>(type.enumerators().size()));
        for (const std::string& name : type.enumerators()) {
          encoder_.write_string(name);
        }
        break;
      case TCKind::tk_alias:
        write(*type.content_type());
        break;
      default:
        break;  // interface kinds: id and name only
    }
  }

  cdr::Encoder& encoder_;
  std::vector<std::pair<std::string, size_t>> enclosing_;
};

class TypeCodeReader {
 public:
  TypeCodeRef read(cdr::Decoder& decoder) {
    if (depth_ >= kMaxNesting) {
      decoder.fail(minor::kTypeCodeTooDeep, "TypeCode",
                   "nested deeper than " + std::to_string(kMaxNesting) + " levels");
    }
    ++depth_;
    TypeCodeRef type = read_one(decoder);
    --depth_;
    return type;
  }

 private:
  struct Seen {
    std::string id;
    TypeCodeRef type;  // null while it is still being read
  };

  TypeCodeRef read_one(cdr::Decoder& decoder) {
    decoder.align(4, "TypeCode kind");
    size_t start = decoder.absolute_position();
    uint32_t raw_kind = decoder.read_ulong("TypeCode kind");
    if (raw_kind == kIndirectionMarker) {
      return read_indirection(decoder);
    }
    auto kind = static_cast<TCKind>(raw_kind);
    switch (kind) {
      case TCKind::tk_string:
        return TypeCode::string(decoder.read_ulong("string bound"));
      case TCKind::tk_wstring:
        return TypeCode::wstring(decoder.read_ulong("wstring bound"));
      case TCKind::tk_fixed: {
        uint16_t digits = decoder.read_ushort("fixed digits");
        return TypeCode::fixed(digits, decoder.read_short("fixed scale"));
      }
      default:
        break;
    }
    if (has_encapsulated_parameters(kind)) {
      cdr::Decoder parameters = decoder.read_encapsulation("TypeCode parameters");
      TypeCodeRef type = read_complex(kind, start, parameters);
      seen_[start].type = type;
      return type;
    }
    if (raw_kind > static_cast<uint32_t>(TCKind::tk_event)) {
      decoder.fail(minor::kInvalidValue, "TypeCode kind",
                   "kind " + std::to_string(raw_kind) + " is not a TCKind");
    }
    if (kind >= TCKind::tk_value) {
      decoder.fail(
          minor::kUnsupportedTypeCode, "TypeCode kind",
          "kind " + std::to_string(raw_kind) + " (value types and components) is not supported");
    }
    return TypeCode::basic(kind);
  }

  TypeCodeRef read_indirection(cdr::Decoder& decoder) {
    size_t at = decoder.absolute_position();
    int32_t offset = decoder.read_long("TypeCode indirection");
    int64_t target = static_cast<int64_t>(at) + offset;
    auto found = offset < -4 && target >= 0 ? seen_.find(static_cast<size_t>(target)) : seen_.end();
    if (found == seen_.end()) {
      decoder.fail(minor::kBadIndirection, "TypeCode indirection",
                   "offset " + std::to_string(offset) + " does not point at an enclosing TypeCode");
    }
    if (found->second.type) {
      return found->second.type;
    }
    return TypeCode::recursive(found->second.id);
  }

  TypeCodeRef read_complex(TCKind kind, size_t start, cdr::Decoder& decoder) {
    if (kind == TCKind::tk_sequence || kind == TCKind::tk_array) {
      seen_[start] = Seen{};
      TypeCodeRef element = read(decoder);
      uint32_t length =
          decoder.read_ulong(kind == TCKind::tk_array ? "array length" : "sequence bound");
      return kind == TCKind::tk_array ? TypeCode::array(element, length)
                                      : TypeCode::sequence(element, length);
    }
    std::string id = decoder.read_string(0, "TypeCode id");
    std::string name = decoder.read_string(0, "TypeCode name");
    seen_[start] = Seen{id, nullptr};
    switch (kind) {
      case TCKind::tk_struct:
      case TCKind::tk_except: {
        std::vector<TypeCode::Member> members = read_members(decoder);
        return kind == TCKind::tk_struct
                   ? TypeCode::structure(std::move(id), std::move(name), std::move(members))
                   : TypeCode::exception(std::move(id), std::move(name), std::move(members));
      }
      case TCKind::tk_union:
        return read_union(std::move(id), std::move(name), decoder);
      case TCKind::tk_enum:
        return TypeCode::enumeration(std::move(id), std::move(name), read_enumerators(decoder));
      case TCKind::tk_alias:
        return TypeCode::alias(std::move(id), std::move(name), read(decoder));
      default:
        return TypeCode::interface(kind, std::move(id), std::move(name));
    }
  }

  std::vector<TypeCode::Member> read_members(cdr::Decoder& decoder) {
    // A member is at least a name (5 bytes) and a kind (4 bytes).
    uint32_t count = decoder.read_length(9, 0, "struct members");
    std::vector<TypeCode::Member> members(count);
    for (TypeCode::Member& member : members) {
      member.name = decoder.read_string(0, "member name");
      member.type = read(decoder);
    }
    return members;
  }

  std::vector<std::string> read_enumerators(cdr::Decoder& decoder) {
    uint32_t count = decoder.read_length(5, 0, "enumerators");
    std::vector<std::string> names(count);
    for (std::string& name : names) {
      name = decoder.read_string(0, "enumerator");
    }
    return names;
  }

  TypeCodeRef read_union(std::string id, std::string name, cdr::Decoder& decoder) {
    TypeCodeRef discriminator = read(decoder);
    int32_t default_index = decoder.read_long("union default index");
    // A member is at least a label (1 byte), a name (5 bytes) and a kind (4 bytes).
    uint32_t count = decoder.read_length(10, 0, "union members");
    if (default_index < -1 || default_index >= static_cast<int64_t>(count)) {
      decoder.fail(
          minor::kInvalidValue, "union default index",
          std::to_string(default_index) + " is outside the " + std::to_string(count) + " members");
    }
    std::vector<TypeCode::Member> members(count);
    for (uint32_t i = 0; i < count; ++i) {
      members[i].label = static_cast<int32_t>(i) == default_index
                             ? (decoder.read_octet("default label"), 0)
                             : read_label(decoder, *discriminator);
      members[i].name = decoder.read_string(0, "member name");
      members[i].type = read(decoder);
    }
    return TypeCode::union_type(std::move(id), std::move(name), std::move(discriminator),
                                default_index, std::move(members));
  }

  int64_t read_label(cdr::Decoder& decoder, const TypeCode& discriminator) {
    switch (unaliased(discriminator).kind()) {
      case TCKind::tk_short:
        return decoder.read_short("union label");
      case TCKind::tk_ushort:
        return decoder.read_ushort("union label");
      case TCKind::tk_long:
        return decoder.read_long("union label");
      case TCKind::tk_ulong:
      case TCKind::tk_enum:
        return decoder.read_ulong("union label");
      case TCKind::tk_longlong:
        return decoder.read_longlong("union label");
      case TCKind::tk_ulonglong:
        return static_cast<int64_t>(decoder.read_ulonglong("union label"));
      case TCKind::tk_char:
        return static_cast<uint8_t>(decoder.read_char("union label"));
      case TCKind::tk_wchar:
        return decoder.read_wchar("union label");
      case TCKind::tk_boolean:
        return decoder.read_boolean("union label") ? 1 : 0;
      default:
        decoder.fail(minor::kInvalidTypeCode, "union discriminator",
                     "kind " + std::to_string(static_cast<uint32_t>(discriminator.kind())) +
                         " cannot discriminate a union");
    }
  }

  std::map<size_t, Seen> seen_;
  int depth_ = 0;
};

}  // namespace

void encode(cdr::Encoder& encoder, const TypeCode& type) {
  TypeCodeWriter(encoder).write(type);
}

TypeCodeRef decode_typecode(cdr::Decoder& decoder) {
  return TypeCodeReader().read(decoder);
}

}  // namespace orb
