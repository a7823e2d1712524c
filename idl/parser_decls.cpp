// Definitions of CORBA 3 IDL, one parse function per construct: modules,
// interfaces and their exports, structs, unions, enums, typedefs, constants,
// exceptions, native types, typeprefix/typeid, and the recognised but
// unsupported value types and components.
#include <idl/checks.hpp>
#include <idl/const_eval.hpp>
#include <idl/parser.hpp>

namespace orb::idl {

bool Parser::parse_definition() {
  const Token& t = tok();
  if (t.kind != TokenKind::keyword) {
    expected("a definition", "");
    return false;
  }
  const std::string& word = t.text;
  if (word == "module")
    return parse_module();
  if (word == "interface" || word == "local")
    return parse_interface();
  if (word == "abstract") {
    return peek(1).is_keyword("interface") ? parse_interface() : parse_unsupported();
  }
  if (word == "struct")
    return parse_struct() && expect_punct(";", "after struct definition");
  if (word == "union")
    return parse_union() && expect_punct(";", "after union definition");
  if (word == "enum")
    return parse_enum() && expect_punct(";", "after enum definition");
  if (word == "typedef")
    return parse_typedef();
  if (word == "const")
    return parse_const();
  if (word == "exception")
    return parse_exception();
  if (word == "native")
    return parse_native();
  if (word == "typeprefix")
    return parse_type_prefix();
  if (word == "typeid")
    return parse_type_id();
  if (word == "valuetype" || word == "custom" || word == "eventtype" || word == "component" ||
      word == "home" || word == "import") {
    return parse_unsupported();
  }
  expected("a definition", "");
  return false;
}

void Parser::parse_definitions_until_close() {
  while (!tok().is_punct("}") && tok().kind != TokenKind::end_of_file &&
         !diagnostics_.error_limit_reached()) {
    if (!parse_definition()) {
      recover();
    }
  }
}

bool Parser::parse_module() {
  advance();
  auto id = expect_identifier("after 'module'");
  if (!id) {
    return false;
  }
  Module* module = create<Module>(DeclKind::module, id->first, id->second);
  auto existing = scope_->symbols.find(lowercase(id->first));
  if (existing != scope_->symbols.end() && existing->second->kind == DeclKind::module &&
      existing->second->name == id->first) {
    module->scope = static_cast<Module*>(existing->second)->scope;  // reopened
    definitions_->push_back(module);
  } else {
    module->scope = spec_.make_scope(scope_, module);
    if (!add(module)) {
      module->scope->parent = scope_;  // parse the body anyway, into an orphan scope
    }
  }
  if (!open_scope(module, "after module name")) {
    return false;
  }
  parse_definitions_until_close();
  return close_scope("at end of module") && expect_punct(";", "after module definition");
}

// Looks up or creates the node shared by forward declarations and the
// definition of a struct, union or interface.
template <typename Forward, typename Full>
Full* Parser::declare_forwardable(DeclKind full_kind, DeclKind forward_kind,
                                  const std::string& name, const SourceLocation& location,
                                  bool definition) {
  Full* target = nullptr;
  auto existing = scope_->symbols.find(lowercase(name));
  if (existing != scope_->symbols.end() && existing->second->builtin) {
    scope_->symbols.erase(existing);  // a real declaration replaces a built-in one
    existing = scope_->symbols.end();
  }
  if (existing != scope_->symbols.end() && existing->second->kind == full_kind &&
      existing->second->name == name) {
    target = static_cast<Full*>(existing->second);
    if (definition && target->defined) {
      diagnostics_.error(location, "redefinition of '" + name + "'",
                         {{target->location, "previous definition of '" + name + "' is here"}});
      target = nullptr;
    }
  } else {
    target = create<Full>(full_kind, name, location);
    target->scope = spec_.make_scope(scope_, target);
    if (names_.declare(scope_, target)) {
      target->forward_location = location;
    } else {
      target->enclosing = scope_;
    }
  }
  if (target == nullptr) {  // a redefinition: parse it into a node outside the tree
    target = create<Full>(full_kind, name, location);
    target->scope = spec_.make_scope(scope_, target);
  }
  if (definition) {
    target->location = location;
    target->prefix = prefixes_.back().prefix;
    target->prefix_anchor = prefixes_.back().anchor;
    definitions_->push_back(target);
  } else {
    auto* forward = create<Forward>(forward_kind, name, location);
    forward->target = target;
    definitions_->push_back(forward);
  }
  return target;
}

// parse_union() in parser_types.cpp uses the union form.
template Union* Parser::declare_forwardable<StructForward, Union>(DeclKind, DeclKind,
                                                                  const std::string&,
                                                                  const SourceLocation&, bool);

bool Parser::parse_interface() {
  bool is_abstract = accept_keyword("abstract");
  bool is_local = !is_abstract && accept_keyword("local");
  if (!expect_keyword("interface", is_abstract ? "after 'abstract'" : "after 'local'")) {
    return false;
  }
  auto id = expect_identifier("after 'interface'");
  if (!id) {
    return false;
  }
  if (tok().is_punct(";")) {
    return parse_interface_forward(id->first, id->second, is_abstract, is_local);
  }
  auto* interface = declare_forwardable<InterfaceForward, Interface>(
      DeclKind::interface, DeclKind::interface_forward, id->first, id->second, true);
  if (interface->defined == false && interface->forward_location != id->second &&
      (interface->is_abstract != is_abstract || interface->is_local != is_local)) {
    diagnostics_.error(id->second,
                       "interface '" + id->first +
                           "' is defined with other qualifiers than its forward "
                           "declaration",
                       {{interface->forward_location, "forward declaration is here"}});
  }
  interface->is_abstract = is_abstract;
  interface->is_local = is_local;
  interface->defined = true;
  if (tok().is_punct(":") && !parse_interface_inheritance(interface)) {
    return false;
  }
  check_inheritance(*interface, diagnostics_);
  if (!open_scope(interface, "after interface header")) {
    return false;
  }
  while (!tok().is_punct("}") && tok().kind != TokenKind::end_of_file &&
         !diagnostics_.error_limit_reached()) {
    if (!parse_export()) {
      recover();
    }
  }
  return close_scope("at end of interface") && expect_punct(";", "after interface definition");
}

bool Parser::parse_interface_forward(const std::string& name, const SourceLocation& location,
                                     bool is_abstract, bool is_local) {
  auto* interface = declare_forwardable<InterfaceForward, Interface>(
      DeclKind::interface, DeclKind::interface_forward, name, location, false);
  if (interface->forward_location == location && !interface->defined) {
    interface->is_abstract = is_abstract;
    interface->is_local = is_local;
  } else if (interface->is_abstract != is_abstract || interface->is_local != is_local) {
    diagnostics_.error(location, "interface '" + name + "' is declared with other qualifiers",
                       {{interface->location, "previous declaration is here"}});
  }
  advance();  // ';'
  return true;
}

bool Parser::parse_interface_inheritance(Interface* interface) {
  advance();  // ':'
  do {
    std::optional<ScopedName> name = parse_scoped_name("after ':' in interface header");
    if (!name) {
      return false;
    }
    Decl* decl = names_.lookup(scope_, *name);
    if (decl == nullptr) {
      continue;
    }
    auto* base = decl->kind == DeclKind::interface ? static_cast<Interface*>(decl) : nullptr;
    if (check_base(*interface, base, decl, name->location, diagnostics_)) {
      interface->bases.push_back(base);
    }
  } while (accept_punct(","));
  return true;
}

bool Parser::parse_export() {
  const Token& t = tok();
  if (t.kind == TokenKind::keyword) {
    const std::string& word = t.text;
    if (word == "attribute" || word == "readonly")
      return parse_attribute();
    if (word == "struct")
      return parse_struct() && expect_punct(";", "after struct definition");
    if (word == "union")
      return parse_union() && expect_punct(";", "after union definition");
    if (word == "enum")
      return parse_enum() && expect_punct(";", "after enum definition");
    if (word == "typedef")
      return parse_typedef();
    if (word == "const")
      return parse_const();
    if (word == "exception")
      return parse_exception();
    if (word == "native")
      return parse_native();
    if (word == "typeprefix")
      return parse_type_prefix();
    if (word == "typeid")
      return parse_type_id();
    if (word == "module" || word == "interface" || word == "valuetype") {
      diagnostics_.error(t.location, "'" + word + "' is not allowed inside an interface");
      return false;
    }
  }
  return parse_operation();
}

bool Parser::parse_operation() {
  bool oneway = accept_keyword("oneway");
  SourceLocation start = tok().location;
  TypePtr result;
  if (tok().is_keyword("void")) {
    result = make_type(TypeKind::void_type, start);
    advance();
  } else {
    result = parse_param_type("for the operation result");
  }
  if (!result) {
    return false;
  }
  auto id = expect_identifier("for the operation name");
  if (!id) {
    return false;
  }
  auto* operation = create<Operation>(DeclKind::operation, id->first, id->second);
  operation->oneway = oneway;
  operation->result = result;
  operation->scope = spec_.make_scope(scope_, operation);
  if (check_not_inherited(*static_cast<Interface*>(scope_->owner), *operation, names_,
                          diagnostics_)) {
    add(operation);
  }
  if (!parse_parameters(operation)) {
    return false;
  }
  if (tok().is_keyword("raises") && !parse_raises(operation->raises, "raises")) {
    return false;
  }
  if (tok().is_keyword("context") && !parse_context(operation)) {
    return false;
  }
  check_operation(*operation, diagnostics_);
  return expect_punct(";", "after operation declaration");
}

bool Parser::parse_parameters(Operation* operation) {
  if (!expect_punct("(", "after the operation name")) {
    return false;
  }
  Scope* outer = scope_;
  scope_ = operation->scope;
  bool ok = true;
  while (ok && !tok().is_punct(")")) {
    ParamDirection direction = ParamDirection::in;
    if (accept_keyword("out")) {
      direction = ParamDirection::out;
    } else if (accept_keyword("inout")) {
      direction = ParamDirection::inout;
    } else if (!accept_keyword("in")) {
      expected("'in', 'out' or 'inout'", "before the parameter");
      ok = false;
      break;
    }
    TypePtr type = parse_param_type("for the parameter");
    auto id = type ? expect_identifier("for the parameter name") : std::nullopt;
    if (!id) {
      ok = false;
      break;
    }
    auto* parameter = create<Parameter>(DeclKind::parameter, id->first, id->second);
    parameter->direction = direction;
    parameter->type = type;
    if (names_.declare(scope_, parameter)) {
      operation->parameters.push_back(parameter);
    }
    if (!accept_punct(",")) {
      break;
    }
  }
  scope_ = outer;
  return ok && expect_punct(")", "after the parameters");
}

bool Parser::parse_raises(std::vector<Exception*>& raises, std::string_view keyword) {
  advance();  // raises, getraises or setraises
  if (!expect_punct("(", "after '" + std::string(keyword) + "'")) {
    return false;
  }
  do {
    std::optional<ScopedName> name = parse_scoped_name("in the raises list");
    if (!name) {
      return false;
    }
    Decl* decl = names_.lookup(scope_, *name);
    if (decl != nullptr && decl->kind != DeclKind::exception) {
      diagnostics_.error(name->location, "'" + name->text() + "' is not an exception",
                         {{decl->location, "'" + name->text() + "' is declared here"}});
    } else if (decl != nullptr) {
      raises.push_back(static_cast<Exception*>(decl));
    }
  } while (accept_punct(","));
  return expect_punct(")", "after the raises list");
}

bool Parser::parse_context(Operation* operation) {
  advance();  // context
  if (!expect_punct("(", "after 'context'")) {
    return false;
  }
  do {
    if (tok().kind != TokenKind::string_literal) {
      expected("string literal", "in the context list");
      return false;
    }
    operation->contexts.push_back(tok().narrow);
    advance();
  } while (accept_punct(","));
  return expect_punct(")", "after the context list");
}

bool Parser::parse_attribute() {
  bool readonly = accept_keyword("readonly");
  if (!expect_keyword("attribute", "after 'readonly'")) {
    return false;
  }
  TypePtr type = parse_param_type("for the attribute");
  if (!type) {
    return false;
  }
  std::vector<Attribute*> attributes;
  do {
    auto id = expect_identifier("for the attribute name");
    if (!id) {
      return false;
    }
    auto* attribute = create<Attribute>(DeclKind::attribute, id->first, id->second);
    attribute->readonly = readonly;
    attribute->type = type;
    if (check_not_inherited(*static_cast<Interface*>(scope_->owner), *attribute, names_,
                            diagnostics_) &&
        add(attribute)) {
      attributes.push_back(attribute);
    }
  } while (accept_punct(","));
  if (!parse_attribute_raises(attributes, readonly)) {
    return false;
  }
  return expect_punct(";", "after attribute declaration");
}

bool Parser::parse_attribute_raises(std::vector<Attribute*>& attributes, bool readonly) {
  SourceLocation location = tok().location;
  std::vector<Exception*> get_raises;
  std::vector<Exception*> set_raises;
  bool any = false;
  if (readonly && tok().is_keyword("raises")) {
    any = true;
    if (!parse_raises(get_raises, "raises")) {
      return false;
    }
  }
  if (!readonly && tok().is_keyword("getraises")) {
    any = true;
    if (!parse_raises(get_raises, "getraises")) {
      return false;
    }
  }
  if (tok().is_keyword("setraises")) {
    any = true;
    if (readonly) {
      diagnostics_.error(tok().location, "a readonly attribute cannot have 'setraises'");
    }
    if (!parse_raises(set_raises, "setraises")) {
      return false;
    }
  }
  if (any && attributes.size() > 1) {
    diagnostics_.error(location, "a raises clause needs an attribute with a single declarator");
  }
  for (Attribute* attribute : attributes) {
    attribute->get_raises = get_raises;
    attribute->set_raises = set_raises;
  }
  return true;
}

bool Parser::parse_struct(TypePtr* as_type) {
  advance();  // struct
  auto id = expect_identifier("after 'struct'");
  if (!id) {
    return false;
  }
  bool definition = tok().is_punct("{");
  if (!definition && as_type == nullptr) {
    declare_forwardable<StructForward, Struct>(DeclKind::structure, DeclKind::structure_forward,
                                               id->first, id->second, false);
    return true;
  }
  auto* s = declare_forwardable<StructForward, Struct>(
      DeclKind::structure, DeclKind::structure_forward, id->first, id->second, true);
  if (!open_scope(s, "after struct name")) {
    return false;
  }
  size_t errors_before = diagnostics_.error_count();
  if (!parse_members(s->members, s->scope, "struct")) {
    leave();
    return false;
  }
  if (!close_scope("at end of struct")) {
    return false;
  }
  // A member rejected above leaves the list empty too, and was reported.
  if (s->members.empty() && diagnostics_.error_count() == errors_before) {
    diagnostics_.error(id->second, "struct '" + id->first + "' has no members");
  }
  s->defined = true;
  if (as_type != nullptr) {
    *as_type = make_type(TypeKind::named_type, id->second);
    (*as_type)->name = id->first;
    (*as_type)->decl = s;
  }
  return true;
}

// Members of a struct or exception: `type declarator, declarator;` repeated.
bool Parser::parse_members(std::vector<Member*>& members, Scope* scope, std::string_view owner) {
  while (!tok().is_punct("}") && tok().kind != TokenKind::end_of_file) {
    TypePtr base = parse_type_spec(true);
    if (!base) {
      return false;
    }
    do {
      std::string name;
      SourceLocation location;
      TypePtr type;
      if (!parse_declarator(base, name, location, type)) {
        return false;
      }
      auto* member = create<Member>(DeclKind::member, name, location);
      member->type = type;
      if (names_.declare(scope, member)) {
        members.push_back(member);
        check_complete(*member, diagnostics_);
      }
    } while (accept_punct(","));
    if (!expect_punct(";", "after " + std::string(owner) + " member")) {
      return false;
    }
  }
  return true;
}

bool Parser::parse_exception() {
  advance();  // exception
  auto id = expect_identifier("after 'exception'");
  if (!id) {
    return false;
  }
  auto* exception = create<Exception>(DeclKind::exception, id->first, id->second);
  exception->scope = spec_.make_scope(scope_, exception);
  add(exception);
  if (!open_scope(exception, "after exception name")) {
    return false;
  }
  if (!parse_members(exception->members, exception->scope, "exception")) {
    leave();
    return false;
  }
  return close_scope("at end of exception") && expect_punct(";", "after exception definition");
}

bool Parser::parse_native() {
  advance();  // native
  auto id = expect_identifier("after 'native'");
  if (!id) {
    return false;
  }
  add(create<Native>(DeclKind::native, id->first, id->second));
  return expect_punct(";", "after native declaration");
}

bool Parser::parse_typedef() {
  advance();  // typedef
  TypePtr base = parse_type_spec(true);
  if (!base) {
    return false;
  }
  do {
    std::string name;
    SourceLocation location;
    TypePtr type;
    if (!parse_declarator(base, name, location, type)) {
      return false;
    }
    auto* alias = create<Alias>(DeclKind::alias, name, location);
    alias->type = type;
    add(alias);
  } while (accept_punct(","));
  return expect_punct(";", "after typedef");
}

bool Parser::parse_const() {
  advance();  // const
  TypePtr type = parse_const_type();
  if (!type) {
    return false;
  }
  auto id = expect_identifier("for the constant name");
  if (!id || !expect_punct("=", "after the constant name")) {
    return false;
  }
  std::unique_ptr<Expr> expr = parse_const_expr();
  if (!expr) {
    return false;
  }
  auto* constant = create<Constant>(DeclKind::constant, id->first, id->second);
  constant->type = type;
  if (std::optional<ConstValue> value = evaluate_constant(*expr, *type, diagnostics_)) {
    constant->value = std::move(*value);
  }
  constant->expr = std::move(expr);
  add(constant);
  return expect_punct(";", "after constant definition");
}

bool Parser::parse_type_prefix() {
  advance();  // typeprefix
  std::optional<ScopedName> name = parse_scoped_name("after 'typeprefix'");
  if (!name) {
    return false;
  }
  Decl* decl = names_.lookup(scope_, *name);
  if (tok().kind != TokenKind::string_literal) {
    expected("string literal", "after the typeprefix name");
    return false;
  }
  if (decl != nullptr && scope_of(decl) == nullptr && decl->kind != DeclKind::interface) {
    diagnostics_.error(name->location,
                       "typeprefix applies to a module, interface or other "
                       "scope, and '" +
                           name->text() + "' is a " + describe(decl->kind));
  } else if (decl != nullptr) {
    decl->type_prefix = tok().narrow;
  }
  advance();
  return expect_punct(";", "after typeprefix");
}

bool Parser::parse_type_id() {
  advance();  // typeid
  std::optional<ScopedName> name = parse_scoped_name("after 'typeid'");
  if (!name) {
    return false;
  }
  Decl* decl = names_.lookup(scope_, *name);
  if (tok().kind != TokenKind::string_literal) {
    expected("string literal", "after the typeid name");
    return false;
  }
  if (decl != nullptr && !decl->explicit_id.empty() && decl->explicit_id != tok().narrow) {
    diagnostics_.error(tok().location, "repository id of '" + decl->name + "' already set to '" +
                                           decl->explicit_id + "'");
  } else if (decl != nullptr) {
    decl->explicit_id = tok().narrow;
  }
  advance();
  return expect_punct(";", "after typeid");
}

// valuetype, eventtype, component, home and import are recognised so that a
// file using them gets one clear error, and their bodies are skipped so the
// declarations after them still parse. In an included file they only declare
// their name: this compilation generates nothing for them.
bool Parser::parse_unsupported() {
  const Token* keyword = &tok();
  while (keyword->is_keyword("abstract") || keyword->is_keyword("custom")) {
    advance();
    keyword = &tok();
  }
  std::string construct = keyword->text;
  SourceLocation location = keyword->location;
  if (location.file == main_file_ || construct == "import") {
    diagnostics_.error(location, construct + " is not supported yet");
  }
  advance();
  if (tok().kind == TokenKind::identifier && construct != "import") {
    auto* placeholder = create<Unsupported>(DeclKind::unsupported, tok().text, tok().location);
    placeholder->construct = construct;
    auto existing = scope_->symbols.find(lowercase(tok().text));
    if (existing == scope_->symbols.end()) {
      add(placeholder);
    }
  }
  skip_construct();
  return true;
}

// Skips to the ';' that ends the construct, passing over braced bodies.
void Parser::skip_construct() {
  int depth = 0;
  while (tok().kind != TokenKind::end_of_file) {
    if (tok().is_punct("{")) {
      ++depth;
    } else if (tok().is_punct("}")) {
      --depth;
      if (depth < 0) {
        return;
      }
    } else if (tok().is_punct(";") && depth == 0) {
      advance();
      return;
    }
    advance();
  }
}

}  // namespace orb::idl
