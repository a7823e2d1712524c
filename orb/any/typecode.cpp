// TypeCode factories, equality and the CDR form (CORBA 3.0, 15.3.5): empty
// parameter kinds are the kind alone, strings and fixed carry their
// parameters inline, and the rest carry an encapsulation. Recursive
// references travel as indirections: 0xFFFFFFFF and a negative long offset,
// measured from that long, to the kind of the enclosing TypeCode.
#include <orb/any/typecode.hpp>

#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <map>
#include <utility>

namespace orb {

class TypeCodeBuilder {
 public:
  explicit TypeCodeBuilder(TCKind kind) : type_(std::make_shared<TypeCode>(kind)) {}
  TypeCodeBuilder& id(std::string id, std::string name) {
    type_->id_ = std::move(id);
    type_->name_ = std::move(name);
    return *this;
  }
  TypeCodeBuilder& members(std::vector<TypeCode::Member> members) {
    type_->members_ = std::move(members);
    return *this;
  }
  TypeCodeBuilder& enumerators(std::vector<std::string> names) {
    type_->enumerators_ = std::move(names);
    return *this;
  }
  TypeCodeBuilder& content(TypeCodeRef content, uint32_t length) {
    type_->content_ = std::move(content);
    type_->length_ = length;
    return *this;
  }
  TypeCodeBuilder& default_index(int32_t index) {
    type_->default_index_ = index;
    return *this;
  }
  TypeCodeBuilder& fixed(uint16_t digits, int16_t scale) {
    type_->fixed_digits_ = digits;
    type_->fixed_scale_ = scale;
    return *this;
  }
  TypeCodeBuilder& recursive() {
    type_->recursive_ = true;
    return *this;
  }
  TypeCodeRef build() { return std::move(type_); }

 private:
  std::shared_ptr<TypeCode> type_;
};

namespace {

bool has_no_parameters(TCKind kind) {
  switch (kind) {
    case TCKind::tk_null:
    case TCKind::tk_void:
    case TCKind::tk_short:
    case TCKind::tk_long:
    case TCKind::tk_ushort:
    case TCKind::tk_ulong:
    case TCKind::tk_float:
    case TCKind::tk_double:
    case TCKind::tk_boolean:
    case TCKind::tk_char:
    case TCKind::tk_octet:
    case TCKind::tk_any:
    case TCKind::tk_TypeCode:
    case TCKind::tk_Principal:
    case TCKind::tk_longlong:
    case TCKind::tk_ulonglong:
    case TCKind::tk_longdouble:
    case TCKind::tk_wchar:
      return true;
    default:
      return false;
  }
}

void require_type(const TypeCodeRef& type, std::string_view role) {
  if (!type) {
    throw BAD_PARAM(minor::kInvalidTypeCode, CompletionStatus::no,
                    "TypeCode: " + std::string(role) + " is null");
  }
}

}  // namespace

TypeCodeRef TypeCode::basic(TCKind kind) {
  if (!has_no_parameters(kind)) {
    throw BAD_PARAM(minor::kInvalidTypeCode, CompletionStatus::no,
                    "TypeCode::basic: kind " + std::to_string(static_cast<uint32_t>(kind)) +
                        " has parameters; use its own factory");
  }
  return TypeCodeBuilder(kind).build();
}

TypeCodeRef TypeCode::string(uint32_t bound) {
  return TypeCodeBuilder(TCKind::tk_string).content(nullptr, bound).build();
}

TypeCodeRef TypeCode::wstring(uint32_t bound) {
  return TypeCodeBuilder(TCKind::tk_wstring).content(nullptr, bound).build();
}

TypeCodeRef TypeCode::fixed(uint16_t digits, int16_t scale) {
  return TypeCodeBuilder(TCKind::tk_fixed).fixed(digits, scale).build();
}

TypeCodeRef TypeCode::sequence(TypeCodeRef element, uint32_t bound) {
  require_type(element, "sequence element type");
  return TypeCodeBuilder(TCKind::tk_sequence).content(std::move(element), bound).build();
}

TypeCodeRef TypeCode::array(TypeCodeRef element, uint32_t length) {
  require_type(element, "array element type");
  return TypeCodeBuilder(TCKind::tk_array).content(std::move(element), length).build();
}

TypeCodeRef TypeCode::alias(std::string id, std::string name, TypeCodeRef original) {
  require_type(original, "aliased type");
  return TypeCodeBuilder(TCKind::tk_alias)
      .id(std::move(id), std::move(name))
      .content(std::move(original), 0)
      .build();
}

TypeCodeRef TypeCode::structure(std::string id, std::string name, std::vector<Member> members) {
  return TypeCodeBuilder(TCKind::tk_struct)
      .id(std::move(id), std::move(name))
      .members(std::move(members))
      .build();
}

TypeCodeRef TypeCode::exception(std::string id, std::string name, std::vector<Member> members) {
  return TypeCodeBuilder(TCKind::tk_except)
      .id(std::move(id), std::move(name))
      .members(std::move(members))
      .build();
}

TypeCodeRef TypeCode::union_type(std::string id, std::string name, TypeCodeRef discriminator,
                                 int32_t default_index, std::vector<Member> members) {
  require_type(discriminator, "union discriminator type");
  if (default_index < -1 || default_index >= static_cast<int64_t>(members.size())) {
    throw BAD_PARAM(minor::kInvalidTypeCode, CompletionStatus::no,
                    "TypeCode::union_type: default index " + std::to_string(default_index) +
                        " is outside the " + std::to_string(members.size()) + " members");
  }
  return TypeCodeBuilder(TCKind::tk_union)
      .id(std::move(id), std::move(name))
      .content(std::move(discriminator), 0)
      .default_index(default_index)
      .members(std::move(members))
      .build();
}

TypeCodeRef TypeCode::enumeration(std::string id, std::string name,
                                  std::vector<std::string> enumerators) {
  return TypeCodeBuilder(TCKind::tk_enum)
      .id(std::move(id), std::move(name))
      .enumerators(std::move(enumerators))
      .build();
}

TypeCodeRef TypeCode::interface(TCKind kind, std::string id, std::string name) {
  if (kind != TCKind::tk_objref && kind != TCKind::tk_abstract_interface &&
      kind != TCKind::tk_local_interface && kind != TCKind::tk_native) {
    throw BAD_PARAM(minor::kInvalidTypeCode, CompletionStatus::no,
                    "TypeCode::interface: kind " + std::to_string(static_cast<uint32_t>(kind)) +
                        " is not an interface kind");
  }
  return TypeCodeBuilder(kind).id(std::move(id), std::move(name)).build();
}

TypeCodeRef TypeCode::recursive(std::string id) {
  return TypeCodeBuilder(TCKind::tk_null).id(std::move(id), {}).recursive().build();
}

bool TypeCode::equal(const TypeCode& other) const {
  if (kind_ != other.kind_ || recursive_ != other.recursive_ || id_ != other.id_ ||
      name_ != other.name_ || length_ != other.length_ || default_index_ != other.default_index_ ||
      fixed_digits_ != other.fixed_digits_ || fixed_scale_ != other.fixed_scale_ ||
      enumerators_ != other.enumerators_ || members_.size() != other.members_.size()) {
    return false;
  }
  if ((content_ == nullptr) != (other.content_ == nullptr) ||
      (content_ && !content_->equal(*other.content_))) {
    return false;
  }
  for (size_t i = 0; i < members_.size(); ++i) {
    const Member& mine = members_[i];
    const Member& theirs = other.members_[i];
    if (mine.name != theirs.name || mine.label != theirs.label || !mine.type->equal(*theirs.type)) {
      return false;
    }
  }
  return true;
}

}  // namespace orb
