// Emitters for the data types of IDL: structs, unions, enums, typedefs,
// constants, exceptions and natives in the header; their TypeCode
// functions, exception members and CDR codecs in the source file.
#include <idl/generator_detail.hpp>

#include <algorithm>

namespace orb::idl::gen {

bool in_interface(const Decl& decl) {
  return decl.enclosing != nullptr && decl.enclosing->owner != nullptr &&
         decl.enclosing->owner->kind == DeclKind::interface;
}

namespace {

// The prefix that names a member of the declaration's interface in a
// definition written at namespace scope: "Account::" or "".
std::string class_prefix(const Decl& decl) {
  return in_interface(decl) ? cxx_identifier(decl.enclosing->owner->name) + "::" : "";
}

std::string member_declaration(const Member& member) {
  return cxx_type(*member.type) + " " + cxx_identifier(member.name) +
         (needs_value_init(*member.type) ? "{}" : "") + ";";
}

// The label that a branch's modifier stores in the discriminator: its first
// case label, or the union's unused value for the default branch.
std::string branch_label(const UnionModel& model, const UnionBranch& branch) {
  for (const CaseLabel& label : branch.labels) {
    if (!label.is_default) {
      return const_literal(label.value, *model.discriminator);
    }
  }
  return model.default_label;
}

// Writes the case labels of `branch` in a switch on the discriminator;
// returns true when one of them is the default.
bool write_case_labels(CodeWriter& w, const UnionModel& model, const UnionBranch& branch) {
  bool has_default = false;
  for (const CaseLabel& label : branch.labels) {
    has_default = has_default || label.is_default;
    w.line(label.is_default ? "default:" : "case " + case_label(label, *model.discriminator) + ":");
  }
  return has_default;
}

}  // namespace

// ---------------------------------------------------------------------------
// Header

void Generator::header_definitions(const std::vector<Decl*>& definitions) {
  for (const Decl* decl : definitions) {
    if (decl->kind == DeclKind::module) {
      if (has_main_content(*decl)) {
        header_module(static_cast<const Module&>(*decl));
      }
    } else if (in_main(*decl)) {
      header_definition(*decl);
    }
  }
}

void Generator::header_definition(const Decl& decl) {
  switch (decl.kind) {
    case DeclKind::module:
      return header_module(static_cast<const Module&>(decl));
    case DeclKind::interface: {
      const auto& interface = static_cast<const Interface&>(decl);
      return interface.is_local ? header_local_interface(interface) : header_interface(interface);
    }
    case DeclKind::interface_forward:
    case DeclKind::structure_forward:
    case DeclKind::union_forward:
      return header_forward(decl);
    case DeclKind::structure:
      return header_struct(static_cast<const Struct&>(decl));
    case DeclKind::union_type:
      return header_union(static_cast<const Union&>(decl));
    case DeclKind::enumeration:
      return header_enum(static_cast<const Enum&>(decl));
    case DeclKind::alias:
      return header_alias(static_cast<const Alias&>(decl));
    case DeclKind::constant:
      return header_constant(static_cast<const Constant&>(decl));
    case DeclKind::exception:
      return header_exception(static_cast<const Exception&>(decl));
    case DeclKind::native:
      return header_native(static_cast<const Native&>(decl));
    default:
      return;  // operations and attributes belong to header_interface()
  }
}

void Generator::header_module(const Module& module) {
  w_.blank();
  w_.line(where(module));
  w_.open_namespace(cxx_identifier(module.name));
  header_definitions(module.definitions);
  w_.close_namespace(cxx_identifier(module.name));
}

void Generator::header_forward(const Decl& decl) {
  const char* keyword = decl.kind == DeclKind::structure_forward ? "struct " : "class ";
  w_.blank();
  w_.line(keyword + cxx_identifier(decl.name) + ";  " + where(decl));
}

void Generator::header_typecode_declaration(const Decl& decl) {
  w_.line(std::string(in_interface(decl) ? "static " : "") + "::orb::TypeCodeRef _orb_tc_" +
          decl.name + "();");
  typecode_decls_.push_back(&decl);
}

void Generator::header_struct(const Struct& s) {
  std::string name = cxx_identifier(s.name);
  w_.blank();
  w_.line(where(s));
  w_.open("struct " + name);
  for (const Member* member : s.members) {
    w_.line(member_declaration(*member));
  }
  w_.blank();
  w_.line("bool operator==(const " + name + "&) const = default;");
  w_.close(";");
  header_typecode_declaration(s);
  codec_decls_.push_back(&s);
}

void Generator::header_union(const Union& u) {
  UnionModel model = make_union_model(u);
  std::string name = cxx_identifier(u.name);
  std::string discriminator = cxx_type(*u.discriminator);
  w_.blank();
  w_.line(where(u));
  w_.open("class " + name);
  w_.access("public:");
  w_.line("/// The discriminator: which branch, if any, holds the value.");
  w_.line(discriminator + " _d() const noexcept { return _orb_d; }");
  w_.line("/// Sets the discriminator to another value of the branch that contains");
  w_.line("/// the value now. Raises BAD_PARAM for a value of another branch.");
  w_.open("void _d(" + discriminator + " value)");
  w_.open("if (_orb_branch_of(value) != _orb_v.index())");
  w_.line("throw ::orb::BAD_PARAM(::orb::minor::kOtherUnionBranch, ::orb::CompletionStatus::no,");
  w_.line("                       \"" + u.name + "::_d(): the value selects another branch\");");
  w_.close();
  w_.line("_orb_d = value;");
  w_.close();
  header_union_accessors(model);
  w_.blank();
  w_.line("bool operator==(const " + name + "&) const = default;");
  w_.blank();
  w_.access("private:");
  w_.line("friend struct ::orb::cdr::Codec<" + name + ">;");
  w_.blank();
  header_union_branch_of(model);
  w_.blank();

  std::vector<std::string> alternatives;
  if (model.has_implicit_default) {
    alternatives.push_back("std::monostate");  // no branch selected
  }
  for (const UnionBranch* branch : u.branches) {
    alternatives.push_back(cxx_type(*branch->type));
  }
  w_.line(discriminator + " _orb_d = " + branch_label(model, *u.branches.front()) + ";");
  w_.list("std::variant<", alternatives,
          "> _orb_v{std::in_place_index<" + std::to_string(model.index_of(0)) + ">};");
  w_.close(";");
  header_typecode_declaration(u);
  codec_decls_.push_back(&u);
}

void Generator::header_union_branch_of(const UnionModel& model) {
  const Union& u = *model.decl;
  bool bool_switch = model.discriminator->kind == TypeKind::boolean_type;
  w_.line("/// Returns the index in _orb_v of the branch that `value` selects.");
  w_.open("static size_t _orb_branch_of(" + cxx_type(*u.discriminator) + " value) noexcept");
  w_.open(std::string("switch (") + (bool_switch ? "static_cast<int>(value)" : "value") + ")");
  bool default_written = false;
  for (size_t i = 0; i < u.branches.size(); ++i) {
    default_written = write_case_labels(w_, model, *u.branches[i]) || default_written;
    w_.line("  return " + std::to_string(model.index_of(i)) + ";");
  }
  if (!default_written) {
    w_.line("default:");
    w_.line("  return 0;  // no branch");
  }
  w_.close();
  w_.close();
}

void Generator::header_union_accessors(const UnionModel& model) {
  const auto& branches = model.decl->branches;
  for (size_t i = 0; i < branches.size(); ++i) {
    const UnionBranch& branch = *branches[i];
    std::string name = cxx_identifier(branch.name);
    std::string type = cxx_type(*branch.type);
    std::string get = "std::get<" + std::to_string(model.index_of(i)) + ">(_orb_v)";
    std::string emplace = "_orb_v.emplace<" + std::to_string(model.index_of(i)) + ">";
    w_.blank();
    if (is_by_value(*branch.type)) {
      w_.line(type + " " + name + "() const { return " + get + "; }");
      w_.open("void " + name + "(" + type + " value)");
      w_.line(emplace + "(value);");
    } else {
      w_.line("const " + type + "& " + name + "() const { return " + get + "; }");
      w_.line(type + "& " + name + "() { return " + get + "; }");
      w_.open("void " + name + "(" + type + " value)");
      w_.line(emplace + "(std::move(value));");
    }
    w_.line("_orb_d = " + branch_label(model, branch) + ";");
    w_.close();
  }
  if (model.has_implicit_default) {
    w_.blank();
    w_.line("/// Selects no branch, with a discriminator value that no case label uses.");
    w_.open("void _default()");
    w_.line("_orb_v.emplace<0>();");
    w_.line("_orb_d = " + model.default_label + ";");
    w_.close();
  }
}

void Generator::header_enum(const Enum& e) {
  std::vector<std::string> names;
  for (const Enumerator* enumerator : e.enumerators) {
    names.push_back(cxx_identifier(enumerator->name));
  }
  std::string head = "enum class " + cxx_identifier(e.name) + " : uint32_t";
  std::string one_line = head + " { ";
  for (size_t i = 0; i < names.size(); ++i) {
    one_line += (i == 0 ? "" : ", ") + names[i];
  }
  one_line += " };";
  w_.blank();
  w_.line(where(e));
  if (w_.depth() * CodeWriter::kIndentWidth + one_line.size() <= CodeWriter::kColumnLimit) {
    w_.line(one_line);
  } else {
    w_.open(head);
    for (const std::string& name : names) {
      w_.line(name + ",");
    }
    w_.close(";");
  }
  header_typecode_declaration(e);
  codec_decls_.push_back(&e);
}

void Generator::header_alias(const Alias& alias) {
  // A typedef of an interface names the proxy class; values of it are
  // std::shared_ptr<Alias> like those of the interface itself.
  std::string target =
      is_reference(*alias.type) ? cxx_class_type(*alias.type) : cxx_type(*alias.type);
  w_.blank();
  w_.line(where(alias));
  w_.line("using " + cxx_identifier(alias.name) + " = " + target + ";");
  header_typecode_declaration(alias);
  typecode_decls_.pop_back();  // an alias is the same C++ type: no TypeCodeOf of its own
}

void Generator::header_constant(const Constant& constant) {
  std::string storage = in_interface(constant) ? "static constexpr " : "inline constexpr ";
  w_.blank();
  w_.line(where(constant));
  w_.line(storage + const_type(*constant.type, constant.value) + " " +
          cxx_identifier(constant.name) + " = " + const_literal(constant.value, *constant.type) +
          ";");
}

void Generator::header_exception(const Exception& exception) {
  std::string name = cxx_identifier(exception.name);
  w_.blank();
  w_.line(where(exception));
  w_.open("class " + name + " : public ::orb::UserException");
  w_.access("public:");
  w_.line("static constexpr std::string_view _repository_id = " +
          string_literal(exception.repository_id) + ";");
  w_.blank();
  w_.line(name + "() = default;");
  if (!exception.members.empty()) {
    std::vector<std::string> params;
    for (const Member* member : exception.members) {
      params.push_back(cxx_type(*member->type) + " " + cxx_identifier(member->name));
    }
    w_.list(std::string(params.size() == 1 ? "explicit " : "") + name + "(", params, ");");
  }
  w_.blank();
  w_.line("std::string_view repository_id() const noexcept override { return _repository_id; }");
  w_.line("const char* what() const noexcept override { return _repository_id.data(); }");
  w_.line("void _orb_encode_members(::orb::cdr::Encoder& encoder) const override;");
  w_.line("[[noreturn]] static void _orb_raise(::orb::cdr::Decoder& decoder);");
  if (!exception.members.empty()) {
    w_.blank();
    for (const Member* member : exception.members) {
      w_.line(member_declaration(*member));
    }
  }
  w_.close(";");
  header_typecode_declaration(exception);
  codec_decls_.push_back(&exception);
}

void Generator::header_native(const Native& native) {
  w_.blank();
  w_.line(where(native));
  w_.line("// TODO: native types have no C++ mapping yet; this one is an opaque pointer.");
  w_.line("using " + cxx_identifier(native.name) + " = void*;");
}

void Generator::header_codec_declarations() {
  if (codec_decls_.empty()) {
    return;
  }
  w_.blank();
  w_.line("// CDR encoding of the types above, defined in " + base_ + ".cpp.");
  w_.open_namespace("orb::cdr");
  for (const Decl* decl : codec_decls_) {
    std::string type = qualified_name(*decl);
    std::string in = decl->kind == DeclKind::enumeration ? type : "const " + type + "&";
    w_.blank();
    w_.line(where(*decl));
    w_.line("template <>");
    w_.open("struct Codec<" + type + ">");
    w_.line("static constexpr size_t min_wire_size = " + std::to_string(min_wire_size(*decl)) +
            ";");
    w_.line("static void encode(::orb::cdr::Encoder& encoder, " + in + " value);");
    if (decl->kind == DeclKind::structure) {
      // Encodes like encode(), but gives its octet sequences to the encoder.
      w_.line("static void encode_owned(::orb::cdr::Encoder& encoder, " + type + "& value);");
    }
    w_.line("static void decode(::orb::cdr::Decoder& decoder, " + type + "& value);");
    w_.close(";");
  }
  w_.close_namespace("orb::cdr");
}

void Generator::header_typecode_of() {
  if (typecode_decls_.empty()) {
    return;
  }
  w_.blank();
  w_.line("// TypeCodes of the types above, for orb::Any.");
  w_.open_namespace("orb");
  for (const Decl* decl : typecode_decls_) {
    std::string type = qualified_name(*decl);
    if (decl->kind == DeclKind::interface) {
      type = "std::shared_ptr<" + type + ">";
    }
    std::string function = typecode_function(*decl);
    function = function.substr(0, function.size() - 2);  // the function, not its call
    w_.line("template <>");
    w_.list("struct TypeCodeOf<" + type + "> : ::orb::detail::GeneratedTypeCode<", {"&" + function},
            "> {};");
  }
  w_.close_namespace("orb");
}

// ---------------------------------------------------------------------------
// Source

void Generator::source_definitions(const std::vector<Decl*>& definitions) {
  for (const Decl* decl : definitions) {
    if (decl->kind == DeclKind::module) {
      if (has_main_content(*decl)) {
        const auto& module = static_cast<const Module&>(*decl);
        w_.blank();
        w_.open_namespace(cxx_identifier(module.name));
        source_definitions(module.definitions);
        w_.close_namespace(cxx_identifier(module.name));
      }
    } else if (in_main(*decl)) {
      source_definition(*decl);
    }
  }
}

void Generator::source_definition(const Decl& decl) {
  switch (decl.kind) {
    case DeclKind::interface:
      return source_interface(static_cast<const Interface&>(decl));
    case DeclKind::exception:
      source_typecode(decl);
      return source_exception(static_cast<const Exception&>(decl));
    case DeclKind::structure:
    case DeclKind::union_type:
    case DeclKind::enumeration:
    case DeclKind::alias:
      return source_typecode(decl);
    default:
      return;
  }
}

void Generator::source_typecode(const Decl& decl) {
  std::vector<const Decl*> enclosing;
  TypeCodeParts parts = typecode_parts(decl, enclosing);
  w_.blank();
  w_.line(where(decl));
  w_.open("::orb::TypeCodeRef " + class_prefix(decl) + "_orb_tc_" + decl.name + "()");
  std::string head = "static const ::orb::TypeCodeRef type = ";
  std::string one_line = head + parts.joined() + ";";
  if (w_.depth() * CodeWriter::kIndentWidth + one_line.size() <= CodeWriter::kColumnLimit) {
    w_.line(one_line);
  } else {
    w_.line(head + parts.call);
    w_.indent();
    w_.indent();
    w_.line(parts.args + (parts.has_list ? "," : ");"));
    for (size_t i = 0; parts.has_list && i < parts.items.size(); ++i) {
      bool last = i + 1 == parts.items.size();
      w_.line((i == 0 ? "{" : " ") + parts.items[i] + (last ? "});" : ","));
    }
    if (parts.has_list && parts.items.empty()) {
      w_.line("{});");
    }
    w_.outdent();
    w_.outdent();
  }
  w_.line("return type;");
  w_.close();
}

void Generator::source_exception(const Exception& exception) {
  std::string name = cxx_identifier(exception.name);
  std::string qualified = class_prefix(exception) + name;
  std::string codec = "::orb::cdr::Codec<" + qualified_name(exception) + ">";
  if (!exception.members.empty()) {
    std::vector<std::string> params;
    std::vector<std::string> inits;
    for (const Member* member : exception.members) {
      std::string member_name = cxx_identifier(member->name);
      params.push_back(cxx_type(*member->type) + " " + member_name);
      inits.push_back(
          member_name + "(" +
          (is_by_value(*member->type) ? member_name : "std::move(" + member_name + ")") + ")");
    }
    w_.blank();
    w_.list(qualified + "::" + name + "(", params, ")");
    w_.list("    : ", inits, " {}");
  }
  w_.blank();
  w_.open("void " + qualified + "::_orb_encode_members(::orb::cdr::Encoder& encoder) const");
  w_.line(codec + "::encode(encoder, *this);");
  w_.close();
  w_.blank();
  w_.open("void " + qualified + "::_orb_raise(::orb::cdr::Decoder& decoder)");
  w_.line(name + " exception;");
  w_.line(codec + "::decode(decoder, exception);");
  w_.line("throw exception;");
  w_.close();
}

void Generator::source_codecs() {
  for (const Decl* decl : codec_decls_) {
    switch (decl->kind) {
      case DeclKind::structure:
        source_codec_struct(*decl, static_cast<const Struct*>(decl)->members);
        break;
      case DeclKind::exception:
        source_codec_struct(*decl, static_cast<const Exception*>(decl)->members);
        break;
      case DeclKind::union_type:
        source_codec_union(static_cast<const Union&>(*decl));
        break;
      default:
        source_codec_enum(static_cast<const Enum&>(*decl));
        break;
    }
  }
}

void Generator::source_codec_struct(const Decl& decl, const std::vector<Member*>& members) {
  std::string type = qualified_name(decl);
  std::string codec = "::orb::cdr::Codec<" + type + ">";
  bool empty = members.empty();  // an exception may have no members
  w_.blank();
  w_.line(where(decl));
  w_.open_list("void " + codec + "::encode(",
               {std::string("::orb::cdr::Encoder&") + (empty ? "" : " encoder"),
                "const " + type + "&" + (empty ? "" : " value")},
               ")");
  bool expanded = std::any_of(members.begin(), members.end(),
                              [](const Member* m) { return needs_expansion(*m->type); });
  std::string names;
  for (const Member* member : members) {
    names += (names.empty() ? "value." : ", value.") + cxx_identifier(member->name);
  }
  if (!expanded && !empty) {
    w_.line("::orb::detail::EncodeValues{" + names + "}(encoder);");
  }
  for (const Member* member : expanded ? members : std::vector<Member*>{}) {
    emit_encode(w_, *member->type, "encoder", "value." + cxx_identifier(member->name));
  }
  w_.close();
  if (decl.kind == DeclKind::structure) {
    w_.blank();
    w_.open_list("void " + codec + "::encode_owned(",
                 {"::orb::cdr::Encoder& encoder", type + "& value"}, ")");
    if (expanded) {
      w_.line("encode(encoder, value);");
    } else {
      w_.line("::orb::detail::EncodeOwnedValues{" + names + "}(encoder);");
    }
    w_.close();
  }
  w_.blank();
  w_.open_list("void " + codec + "::decode(",
               {std::string("::orb::cdr::Decoder&") + (empty ? "" : " decoder"),
                type + "&" + (empty ? "" : " value")},
               ")");
  if (!expanded && !empty) {
    w_.line("::orb::detail::DecodeValues{" + names + "}(decoder);");
  }
  for (const Member* member : expanded ? members : std::vector<Member*>{}) {
    emit_decode(w_, *member->type, "decoder", "value." + cxx_identifier(member->name));
  }
  w_.close();
}

void Generator::source_codec_union(const Union& u) {
  UnionModel model = make_union_model(u);
  std::string type = qualified_name(u);
  std::string codec = "::orb::cdr::Codec<" + type + ">";
  bool bool_switch = model.discriminator->kind == TypeKind::boolean_type;
  std::string on = bool_switch ? "static_cast<int>(value._orb_d)" : "value._orb_d";
  w_.blank();
  w_.line(where(u));
  w_.open_list("void " + codec + "::encode(",
               {"::orb::cdr::Encoder& encoder", "const " + type + "& value"}, ")");
  emit_encode(w_, *u.discriminator, "encoder", "value._orb_d");
  w_.open("switch (value._orb_v.index())");
  for (size_t i = 0; i < u.branches.size(); ++i) {
    std::string index = std::to_string(model.index_of(i));
    w_.line("case " + index + ":");
    w_.indent();
    emit_encode(w_, *u.branches[i]->type, "encoder", "std::get<" + index + ">(value._orb_v)");
    w_.line("break;");
    w_.outdent();
  }
  w_.line("default:");
  w_.line("  break;  // no branch selected: the discriminator alone is the value");
  w_.close();
  w_.close();

  w_.blank();
  w_.open_list("void " + codec + "::decode(", {"::orb::cdr::Decoder& decoder", type + "& value"},
               ")");
  emit_decode(w_, *u.discriminator, "decoder", "value._orb_d");
  w_.open("switch (" + on + ")");
  bool default_written = false;
  for (size_t i = 0; i < u.branches.size(); ++i) {
    default_written = write_case_labels(w_, model, *u.branches[i]) || default_written;
    w_.indent();
    std::string index = std::to_string(model.index_of(i));
    emit_decode(w_, *u.branches[i]->type, "decoder", "value._orb_v.emplace<" + index + ">()");
    w_.line("break;");
    w_.outdent();
  }
  if (!default_written) {
    w_.line("default:");
    w_.line("  value._orb_v.emplace<0>();");
    w_.line("  break;");
  }
  w_.close();
  w_.close();
}

void Generator::source_codec_enum(const Enum& e) {
  std::string type = qualified_name(e);
  std::string codec = "::orb::cdr::Codec<" + type + ">";
  w_.blank();
  w_.line(where(e));
  w_.open_list("void " + codec + "::encode(", {"::orb::cdr::Encoder& encoder", type + " value"},
               ")");
  w_.line("encoder.write_ulong(static_cast<uint32_t>(value));");
  w_.close();
  w_.blank();
  w_.open_list("void " + codec + "::decode(", {"::orb::cdr::Decoder& decoder", type + "& value"},
               ")");
  w_.list(
      "value = ::orb::detail::decode_enum<" + type + ">(",
      {"decoder", std::to_string(e.enumerators.size()), string_literal("enum " + e.scoped_name())},
      ");");
  w_.close();
}

}  // namespace orb::idl::gen
