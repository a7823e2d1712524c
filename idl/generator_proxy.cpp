// Emitters for interfaces on the client side: the proxy class with its
// narrowing functions, one member function per operation and attribute
// accessor that marshals through orb::Object, the `_async` variants, and the
// abstract classes of local interfaces.
#include <idl/generator_detail.hpp>

#include <algorithm>
#include <functional>
#include <utility>

namespace orb::idl::gen {

// ---------------------------------------------------------------------------
// Operation models

bool OperationModel::has_outputs() const {
  return std::any_of(params.begin(), params.end(),
                     [](const ParamModel& p) { return p.direction != ParamDirection::in; });
}

std::vector<std::string> OperationModel::signature(bool async) const {
  std::vector<std::string> out;
  for (const ParamModel& param : params) {
    if (async && param.direction == ParamDirection::out) {
      continue;  // out values come back in the future's result
    }
    bool input = param.direction == ParamDirection::in || async;
    std::string type = input ? in_param_type(*param.type) : cxx_type(*param.type) + "&";
    out.push_back(type + " " + param.name);
  }
  return out;
}

std::string OperationModel::result_type() const {
  return result == nullptr ? "void" : cxx_type(*result);
}

namespace {

// The value type of the future that `op_async` returns.
std::string async_value_type(const OperationModel& op) {
  return op.has_outputs() ? op.decl->name + "_result" : op.result_type();
}

OperationModel model_of(const Operation& operation) {
  OperationModel op;
  op.decl = &operation;
  op.wire_name = operation.name;
  op.method = cxx_identifier(operation.name);
  if (operation.result != nullptr && operation.result->kind != TypeKind::void_type) {
    op.result = operation.result.get();
  }
  for (const Parameter* parameter : operation.parameters) {
    op.params.push_back(
        {cxx_identifier(parameter->name), parameter->type.get(), parameter->direction});
  }
  op.raises = operation.raises;
  op.oneway = operation.oneway;
  return op;
}

void add_attribute(const Attribute& attribute, std::vector<OperationModel>& ops) {
  OperationModel get;
  get.decl = &attribute;
  get.wire_name = "_get_" + attribute.name;
  get.method = cxx_identifier(attribute.name);
  get.result = attribute.type.get();
  get.raises = attribute.get_raises;
  ops.push_back(get);
  if (attribute.readonly) {
    return;
  }
  OperationModel set;
  set.decl = &attribute;
  set.wire_name = "_set_" + attribute.name;
  set.method = get.method;
  set.params.push_back({"value", attribute.type.get(), ParamDirection::in});
  set.raises = attribute.set_raises;
  ops.push_back(set);
}

// The name of the array that lists the user exceptions of one operation.
std::string raises_name(const Interface& interface, const OperationModel& op) {
  return "_orb_raises_" + interface.name + "_" + op.wire_name;
}

std::string raises_argument(const Interface& interface, const OperationModel& op) {
  return op.raises.empty() ? "{}" : raises_name(interface, op);
}

// The bases whose constructors the most derived proxy runs: every virtual
// base, in the order C++ initialises them (depth first, bases first).
void collect_virtual_bases(const Interface& interface, std::vector<std::string>& out) {
  std::vector<const Interface*> bases = generated_bases(interface);
  if (bases.empty()) {
    if (std::find(out.begin(), out.end(), "::orb::Object") == out.end()) {
      out.push_back("::orb::Object");
    }
    return;
  }
  for (const Interface* base : bases) {
    collect_virtual_bases(*base, out);
    std::string name = qualified_name(*base);
    if (std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(name);
    }
  }
}

}  // namespace

namespace {

bool is_unmarshallable(const Type* type) {
  const Decl* decl = type != nullptr ? named_decl(resolve_alias(*type)) : nullptr;
  if (decl != nullptr && decl->kind == DeclKind::interface) {
    return static_cast<const Interface*>(decl)->is_local;
  }
  return decl != nullptr && decl->kind == DeclKind::native &&
         !(decl->builtin && decl->name == "TypeCode");
}

}  // namespace

const Type* unmarshallable_type(const Decl& decl) {
  if (decl.kind == DeclKind::attribute) {
    const Type* type = static_cast<const Attribute&>(decl).type.get();
    return is_unmarshallable(type) ? type : nullptr;
  }
  const auto& operation = static_cast<const Operation&>(decl);
  if (is_unmarshallable(operation.result.get())) {
    return operation.result.get();
  }
  for (const Parameter* parameter : operation.parameters) {
    if (is_unmarshallable(parameter->type.get())) {
      return parameter->type.get();
    }
  }
  return nullptr;
}

std::vector<OperationModel> operations_of(const Interface& interface) {
  std::vector<OperationModel> ops;
  for (const Decl* decl : interface.definitions) {
    bool callable = decl->kind == DeclKind::operation || decl->kind == DeclKind::attribute;
    if (callable && !interface.is_local && unmarshallable_type(*decl) != nullptr) {
      continue;  // header_interface() notes that it is left out
    }
    if (decl->kind == DeclKind::operation) {
      ops.push_back(model_of(static_cast<const Operation&>(*decl)));
    } else if (decl->kind == DeclKind::attribute) {
      add_attribute(static_cast<const Attribute&>(*decl), ops);
    }
  }
  return ops;
}

std::vector<const Interface*> generated_bases(const Interface& interface) {
  std::vector<const Interface*> out;
  for (const Interface* base : interface.bases) {
    // Built-in CORBA interfaces have no generated class, and a local
    // interface cannot derive from a proxy.
    if (!base->builtin && base->is_local == interface.is_local) {
      out.push_back(base);
    }
  }
  return out;
}

std::vector<const Interface*> all_bases(const Interface& interface) {
  std::vector<const Interface*> out;
  for (const Interface* base : interface.bases) {
    for (const Interface* inherited : all_bases(*base)) {
      if (std::find(out.begin(), out.end(), inherited) == out.end()) {
        out.push_back(inherited);
      }
    }
    if (std::find(out.begin(), out.end(), base) == out.end()) {
      out.push_back(base);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Header

namespace {

std::string base_list(const Interface& interface, const char* suffix, const char* fallback) {
  std::vector<const Interface*> bases = generated_bases(interface);
  std::string out;
  for (const Interface* base : bases) {
    out += (out.empty() ? " : " : ", ") + std::string("public virtual ") + qualified_name(*base) +
           suffix;
  }
  if (bases.empty() && fallback != nullptr) {
    out = std::string(" : public virtual ") + fallback;
  }
  return out;
}

}  // namespace

void Generator::header_interface(const Interface& interface) {
  std::string name = cxx_identifier(interface.name);
  w_.blank();
  w_.line(where(interface));
  w_.open("class " + name + base_list(interface, "", "::orb::Object"));
  w_.access("public:");
  w_.line("static constexpr std::string_view _repository_id = " +
          string_literal(interface.repository_id) + ";");
  if (interface.is_abstract) {
    // Marks the type for cdr::Codec, which writes the abstract interface's union.
    // TODO: value types are not generated, so only object references pass.
    w_.line("using _orb_abstract_interface = " + name + ";");
  }
  w_.blank();
  w_.line("explicit " + name + "(std::shared_ptr<::orb::detail::Binding> binding);");
  w_.blank();
  w_.line("/// The reference as " + name + "; nullptr for nil or another interface.");
  for (bool checked : {true, false}) {
    w_.open("static std::shared_ptr<" + name + "> " + (checked ? "narrow" : "_unchecked_narrow") +
            "(const ::orb::ObjectRef& object)");
    w_.line("return ::orb::detail::narrow_reference<" + name + ">(object, " +
            (checked ? "true" : "false") + ");");
    w_.close();
  }

  std::vector<OperationModel> ops = operations_of(interface);
  const Decl* last = nullptr;
  for (const Decl* decl : interface.definitions) {
    if (decl->kind != DeclKind::operation && decl->kind != DeclKind::attribute) {
      header_definition(*decl);
      continue;
    }
    if (const Type* type = unmarshallable_type(*decl)) {
      w_.blank();
      w_.line(where(*decl));
      w_.line("// TODO: " + decl->name + " is left out because values of its type " +
              describe(*type));
      w_.line("// (native or a local interface) cannot be marshalled.");
      continue;
    }
    for (const OperationModel& op : ops) {
      if (op.decl != decl) {
        continue;
      }
      if (op.decl != last) {
        w_.blank();
        w_.line(where(*op.decl));
        last = op.decl;
      }
      header_operation(op, false);
      if (!op.oneway) {
        header_result_struct(op);
        w_.list("std::future<" + async_value_type(op) + "> " + op.decl->name + "_async(",
                op.signature(true), ");");
      }
    }
  }
  w_.close(";");
  header_typecode_declaration(interface);
}

void Generator::header_local_interface(const Interface& interface) {
  std::string name = cxx_identifier(interface.name);
  w_.blank();
  w_.line(where(interface));
  w_.line("// A local interface: implemented in this process, never marshalled.");
  w_.open("class " + name + base_list(interface, "", nullptr));
  w_.access("public:");
  w_.line("static constexpr std::string_view _repository_id = " +
          string_literal(interface.repository_id) + ";");
  w_.blank();
  w_.line("virtual ~" + name + "() = default;");
  std::vector<OperationModel> ops = operations_of(interface);
  for (const Decl* decl : interface.definitions) {
    if (decl->kind != DeclKind::operation && decl->kind != DeclKind::attribute) {
      header_definition(*decl);
      continue;
    }
    w_.blank();
    w_.line(where(*decl));
    for (const OperationModel& op : ops) {
      if (op.decl == decl) {
        header_operation(op, true);
      }
    }
  }
  w_.close(";");
  header_typecode_declaration(interface);
}

void Generator::header_operation(const OperationModel& op, bool pure_virtual) {
  std::string head = (pure_virtual ? "virtual " : "") + op.result_type() + " " + op.method + "(";
  w_.list(head, op.signature(false), pure_virtual ? ") = 0;" : ");");
}

void Generator::header_result_struct(const OperationModel& op) {
  if (!op.has_outputs()) {
    return;
  }
  w_.line("/// What " + op.decl->name +
          "_async() yields: the result, then the out and inout values.");
  w_.open("struct " + op.decl->name + "_result");
  if (op.result != nullptr) {
    w_.line(cxx_type(*op.result) + " _return" + (needs_value_init(*op.result) ? "{}" : "") + ";");
  }
  for (const ParamModel& param : op.params) {
    if (param.direction != ParamDirection::in) {
      w_.line(cxx_type(*param.type) + " " + param.name +
              (needs_value_init(*param.type) ? "{}" : "") + ";");
    }
  }
  w_.close(";");
}

// ---------------------------------------------------------------------------
// Source

void Generator::source_interface(const Interface& interface) {
  if (!interface.is_local) {
    source_proxy_constructor(interface);
  }
  std::vector<OperationModel> ops = operations_of(interface);
  for (const Decl* decl : interface.definitions) {
    if (decl->kind != DeclKind::operation && decl->kind != DeclKind::attribute) {
      source_definition(*decl);
      continue;
    }
    for (const OperationModel& op : ops) {
      if (op.decl == decl && !interface.is_local) {
        source_operation(interface, op);
        if (!op.oneway) {
          source_async_operation(interface, op);
        }
      }
    }
  }
  source_typecode(interface);
}

void Generator::source_proxy_constructor(const Interface& interface) {
  std::string name = cxx_identifier(interface.name);
  std::vector<std::string> bases;
  collect_virtual_bases(interface, bases);
  std::vector<std::string> inits;
  for (const std::string& base : bases) {
    inits.push_back(base + "(binding)");
  }
  w_.blank();
  w_.line(where(interface));
  w_.line(name + "::" + name + "(std::shared_ptr<::orb::detail::Binding> binding)");
  w_.list("    : ", inits, " {}");
}

void Generator::source_raises(const Interface& interface, const OperationModel& op) {
  if (op.raises.empty()) {
    return;
  }
  w_.open("constexpr ::orb::UserExceptionType " + raises_name(interface, op) + "[] =");
  for (const Exception* exception : op.raises) {
    std::string type = qualified_name(*exception);
    w_.line("{" + type + "::_repository_id, &" + type + "::_orb_raise},");
  }
  w_.close(";");
  w_.blank();
}

namespace {

// One argument of the call a proxy makes into orb::Object: a one-line
// expression in `text`, or a lambda that `block` writes over several lines,
// ending with the separator it is given.
struct CallArgument {
  std::string text;
  std::function<void(CodeWriter&, const std::string& separator)> block;
};

// Writes `head(arguments...)` followed by `end`: on one line when every
// argument is one line and they fit, otherwise one argument per line.
void write_call(CodeWriter& w, const std::string& head, const std::vector<CallArgument>& arguments,
                const std::string& end) {
  bool simple = std::all_of(arguments.begin(), arguments.end(),
                            [](const CallArgument& a) { return !a.block; });
  if (simple) {
    std::vector<std::string> texts;
    for (const CallArgument& argument : arguments) {
      texts.push_back(argument.text);
    }
    w.list(head + "(", texts, ")" + end);
    return;
  }
  w.line(head + "(");
  w.indent();
  w.indent();
  for (size_t i = 0; i < arguments.size(); ++i) {
    std::string separator = i + 1 == arguments.size() ? ")" + end : ",";
    if (arguments[i].block) {
      arguments[i].block(w, separator);
    } else {
      w.line(arguments[i].text + separator);
    }
  }
  w.outdent();
  w.outdent();
}

// "::orb::detail::EncodeValues{a, b}": a helper object over `values`. The
// braces keep `Helper(name)(...)` from parsing as a declaration of `name`.
std::string values_helper(const char* helper, const std::vector<std::string>& values) {
  std::string out = std::string("::orb::detail::") + helper + (values.empty() ? "<>{" : "{");
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ", ") + values[i];
  }
  return out + "}";
}

// The argument writer: it encodes the in and inout values in order.
CallArgument argument_writer(const OperationModel& op) {
  std::vector<std::string> values;
  bool expanded = false;
  for (const ParamModel& param : op.params) {
    if (param.direction != ParamDirection::out) {
      values.push_back(param.name);
      expanded = expanded || needs_expansion(*param.type);
    }
  }
  if (!expanded) {
    return {values_helper("EncodeValues", values), nullptr};
  }
  return {"", [&op](CodeWriter& w, const std::string& separator) {
            w.open("[&](::orb::cdr::Encoder& _orb_out)");
            for (const ParamModel& param : op.params) {
              if (param.direction != ParamDirection::out) {
                emit_encode(w, *param.type, "_orb_out", param.name);
              }
            }
            w.close(separator);
          }};
}

// The reply values: the result into `result_var`, then the out and inout
// values into the names behind `output_prefix`.
std::vector<std::pair<const Type*, std::string>> reply_values(const OperationModel& op,
                                                              const std::string& result_var,
                                                              const std::string& output_prefix) {
  std::vector<std::pair<const Type*, std::string>> values;
  if (op.result != nullptr) {
    values.emplace_back(op.result, result_var);
  }
  for (const ParamModel& param : op.params) {
    if (param.direction != ParamDirection::in) {
      values.emplace_back(param.type, output_prefix + param.name);
    }
  }
  return values;
}

// Writes statements that decode the reply values from `_orb_in`.
void decode_reply(CodeWriter& w, const std::vector<std::pair<const Type*, std::string>>& values) {
  bool expanded = std::any_of(values.begin(), values.end(),
                              [](const auto& value) { return needs_expansion(*value.first); });
  if (!expanded) {
    std::vector<std::string> names;
    for (const auto& value : values) {
      names.push_back(value.second);
    }
    w.line(values_helper("DecodeValues", names) + "(_orb_in);");
    return;
  }
  for (const auto& value : values) {
    emit_decode(w, *value.first, "_orb_in", value.second);
  }
}

// The result reader of a synchronous call, which decodes into the local
// _orb_result and the out and inout parameters.
CallArgument result_reader(const OperationModel& op) {
  auto values = reply_values(op, "_orb_result", "");
  if (values.empty()) {
    return {"[](::orb::cdr::Decoder&) {}", nullptr};
  }
  bool expanded = std::any_of(values.begin(), values.end(),
                              [](const auto& value) { return needs_expansion(*value.first); });
  if (!expanded) {
    std::vector<std::string> names;
    for (const auto& value : values) {
      names.push_back(value.second);
    }
    return {values_helper("DecodeValues", names), nullptr};
  }
  return {"", [values](CodeWriter& w, const std::string& separator) {
            w.open("[&](::orb::cdr::Decoder& _orb_in)");
            decode_reply(w, values);
            w.close(separator);
          }};
}

// The result reader of `op_async`, which returns the value the future yields.
CallArgument async_result_reader(const OperationModel& op) {
  std::string value = async_value_type(op);
  if (value == "void") {
    return {"[](::orb::cdr::Decoder&) {}", nullptr};
  }
  if (!op.has_outputs() && !needs_expansion(*op.result)) {
    return {"::orb::detail::read_result<" + value + ">", nullptr};
  }
  bool in_struct = op.has_outputs();
  auto values = reply_values(op, in_struct ? "_orb_result._return" : "_orb_result",
                             in_struct ? "_orb_result." : "");
  return {"", [values, value, in_struct](CodeWriter& w, const std::string& separator) {
            w.open("[](::orb::cdr::Decoder& _orb_in)");
            w.line(value + (in_struct ? " _orb_result;" : " _orb_result{};"));
            decode_reply(w, values);
            w.line("return _orb_result;");
            w.close(separator);
          }};
}

}  // namespace

void Generator::source_operation(const Interface& interface, const OperationModel& op) {
  std::string name = cxx_identifier(interface.name);
  w_.blank();
  source_raises(interface, op);
  w_.open_list(op.result_type() + " " + name + "::" + op.method + "(", op.signature(false), ")");
  CallArgument operation{string_literal(op.wire_name), nullptr};
  if (op.oneway) {
    write_call(w_, "_orb_send_oneway", {operation, argument_writer(op)}, ";");
    w_.close();
    return;
  }
  if (op.result != nullptr) {
    w_.line(cxx_type(*op.result) + " _orb_result{};");
  }
  write_call(w_, "_orb_invoke",
             {operation,
              argument_writer(op),
              result_reader(op),
              {raises_argument(interface, op), nullptr}},
             ";");
  if (op.result != nullptr) {
    w_.line("return _orb_result;");
  }
  w_.close();
}

void Generator::source_async_operation(const Interface& interface, const OperationModel& op) {
  std::string name = cxx_identifier(interface.name);
  std::string value = async_value_type(op);
  w_.blank();
  w_.open_list("std::future<" + (op.has_outputs() ? name + "::" + value : value) + "> " + name +
                   "::" + op.decl->name + "_async(",
               op.signature(true), ")");
  write_call(w_, "return _orb_invoke_async<" + value + ">",
             {{string_literal(op.wire_name), nullptr},
              argument_writer(op),
              async_result_reader(op),
              {raises_argument(interface, op), nullptr}},
             ";");
  w_.close();
}

}  // namespace orb::idl::gen
