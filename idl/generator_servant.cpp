// Emitters for the server side: one skeleton class `IServant` per
// unconstrained interface, with a pure virtual member per operation and
// attribute accessor, `_is_a`, and `_orb_dispatch` over a table of entry
// functions sorted by operation name. Each entry function decodes the
// arguments, calls the servant and encodes the reply.
#include <idl/generator_detail.hpp>

#include <algorithm>

namespace orb::idl::gen {
namespace {

std::string servant_name(const Interface& interface) {
  return cxx_identifier(interface.name) + "Servant";
}

std::string qualified_servant_name(const Interface& interface) {
  return qualified_name(interface) + "Servant";
}

// The entry functions of all interfaces in one namespace share an anonymous
// namespace, so their names carry the interface: "_orb_Account_deposit".
std::string entry_name(const Interface& interface, const OperationModel& op) {
  return "_orb_" + interface.name + "_" + op.wire_name;
}

}  // namespace

void Generator::servant_definitions(const std::vector<Decl*>& definitions, bool header) {
  for (const Decl* decl : definitions) {
    if (decl->kind == DeclKind::module) {
      if (has_main_content(*decl, true)) {
        const auto& module = static_cast<const Module&>(*decl);
        w_.blank();
        if (header) {
          w_.line(where(module));
        }
        w_.open_namespace(cxx_identifier(module.name));
        servant_definitions(module.definitions, header);
        w_.close_namespace(cxx_identifier(module.name));
      }
      continue;
    }
    if (!in_main(*decl) || decl->kind != DeclKind::interface) {
      continue;
    }
    const auto& interface = static_cast<const Interface&>(*decl);
    if (interface.is_local) {
      continue;
    }
    if (header) {
      servant_header(interface);
    } else {
      servant_source(interface);
    }
  }
}

void Generator::servant_header(const Interface& interface) {
  std::string name = servant_name(interface);
  std::vector<const Interface*> bases = generated_bases(interface);
  std::string base_list;
  for (const Interface* base : bases) {
    base_list += (base_list.empty() ? " : " : ", ") + std::string("public virtual ") +
                 qualified_servant_name(*base);
  }
  if (bases.empty()) {
    base_list = " : public virtual ::orb::Servant";
  }
  std::vector<OperationModel> ops = operations_of(interface);
  w_.blank();
  w_.line(where(interface));
  w_.open("class " + name + base_list);
  w_.access("public:");
  w_.line("/// The proxy class of the interface, which ObjectAdapter::activate returns.");
  w_.line("using _orb_proxy_type = " + qualified_name(interface) + ";");
  const Decl* last = nullptr;
  for (const OperationModel& op : ops) {
    if (op.decl != last) {
      w_.blank();
      last = op.decl;
    }
    header_operation(op, true);
  }
  w_.blank();
  w_.line("std::string_view _interface_id() const noexcept override {");
  w_.line("  return " + qualified_name(interface) + "::_repository_id;");
  w_.line("}");
  w_.line("bool _is_a(std::string_view repository_id) const noexcept override;");
  w_.line("bool _orb_dispatch(::orb::ServerRequest& request) override;");
  w_.close(";");
}

void Generator::servant_source(const Interface& interface) {
  std::string name = servant_name(interface);
  std::vector<OperationModel> ops = operations_of(interface);
  w_.blank();
  w_.line(where(interface));
  servant_is_a(interface);
  if (!ops.empty()) {
    // The entry functions of the dispatch table, one per operation.
    w_.blank();
    w_.open_namespace("");
    for (const OperationModel& op : ops) {
      servant_entry(interface, op);
    }
    w_.blank();
    w_.close_namespace("");
  }
  servant_dispatch(interface, ops);
}

void Generator::servant_is_a(const Interface& interface) {
  std::vector<std::string> ids = {interface.repository_id};
  for (const Interface* base : all_bases(interface)) {
    ids.push_back(base->repository_id);
  }
  ids.push_back("IDL:omg.org/CORBA/Object:1.0");
  w_.blank();
  w_.open("bool " + servant_name(interface) +
          "::_is_a(std::string_view repository_id) const noexcept");
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string test = "repository_id == " + string_literal(ids[i]);
    bool last = i + 1 == ids.size();
    if (i == 0) {
      w_.line("return " + test + (last ? ";" : " ||"));
      w_.indent();
      w_.indent();
    } else {
      w_.line(test + (last ? ";" : " ||"));
    }
  }
  w_.outdent();
  w_.outdent();
  w_.close();
}

void Generator::servant_dispatch(const Interface& interface,
                                 const std::vector<OperationModel>& ops) {
  std::string name = servant_name(interface);
  std::vector<const Interface*> bases = generated_bases(interface);
  bool uses_request = !ops.empty() || !bases.empty();
  w_.blank();
  w_.open("bool " + name + "::_orb_dispatch(::orb::ServerRequest&" +
          (uses_request ? " request" : "") + ")");
  if (!ops.empty()) {
    std::vector<const OperationModel*> sorted;
    for (const OperationModel& op : ops) {
      sorted.push_back(&op);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->wire_name < b->wire_name; });
    w_.line("// Sorted by name for the binary search of ::orb::dispatch_sorted.");
    w_.line("static constexpr std::array<::orb::OperationEntry<" + name + ">, " +
            std::to_string(ops.size()) + "> kOperations{{");
    w_.indent();
    w_.indent();
    for (const OperationModel* op : sorted) {
      w_.line("{" + string_literal(op->wire_name) + ", &" + entry_name(interface, *op) + "},");
    }
    w_.outdent();
    w_.outdent();
    w_.line("}};");
    if (bases.empty()) {
      w_.line("return ::orb::dispatch_sorted(kOperations, *this, request);");
      w_.close();
      return;
    }
    w_.open("if (::orb::dispatch_sorted(kOperations, *this, request))");
    w_.line("return true;");
    w_.close();
  }
  if (bases.empty()) {
    w_.line("return false;");
  } else {
    // Operations inherited from a base are found in that base's own table.
    std::string chain;
    for (const Interface* base : bases) {
      chain += (chain.empty() ? "" : " || ") + qualified_servant_name(*base) +
               "::_orb_dispatch(request)";
    }
    w_.line("return " + chain + ";");
  }
  w_.close();
}

void Generator::servant_entry(const Interface& interface, const OperationModel& op) {
  std::string name = servant_name(interface);
  w_.blank();
  w_.open_list("void " + entry_name(interface, op) + "(",
               {name + "& _orb_self", "::orb::ServerRequest& _orb_call"}, ")");
  std::vector<std::string> arguments;
  std::vector<const ParamModel*> inputs;
  for (const ParamModel& param : op.params) {
    w_.line(cxx_type(*param.type) + " " + param.name + (needs_value_init(*param.type) ? "{}" : "") +
            ";");
    arguments.push_back(param.name);
    if (param.direction != ParamDirection::out) {
      inputs.push_back(&param);
    }
  }
  servant_decode_arguments(inputs);
  std::string call = op.result == nullptr ? "" : cxx_type(*op.result) + " _orb_result = ";
  w_.list(call + "_orb_self." + op.method + "(", arguments, ");");
  if (!op.oneway) {
    servant_encode_results(op);
  }
  w_.close();
}

void Generator::servant_decode_arguments(const std::vector<const ParamModel*>& inputs) {
  if (inputs.empty()) {
    return;
  }
  bool expanded = std::any_of(inputs.begin(), inputs.end(),
                              [](const ParamModel* p) { return needs_expansion(*p->type); });
  if (!expanded) {
    std::string names;
    for (const ParamModel* param : inputs) {
      names += (names.empty() ? "" : ", ") + param->name;
    }
    w_.line("::orb::detail::DecodeValues{" + names + "}(_orb_call.arguments());");
    return;
  }
  w_.line("::orb::cdr::Decoder& _orb_in = _orb_call.arguments();");
  for (const ParamModel* param : inputs) {
    emit_decode(w_, *param->type, "_orb_in", param->name);
  }
}

// Starts the NO_EXCEPTION reply and encodes the result, then the out and
// inout values. They are the skeleton's own, so the encoder may take a
// large byte sequence over and send it from where it lies.
void Generator::servant_encode_results(const OperationModel& op) {
  std::vector<std::pair<const Type*, std::string>> values;
  if (op.result != nullptr) {
    values.emplace_back(op.result, "_orb_result");
  }
  for (const ParamModel& param : op.params) {
    if (param.direction != ParamDirection::in) {
      values.emplace_back(param.type, param.name);
    }
  }
  if (values.empty()) {
    w_.line("_orb_call.results();");
    return;
  }
  bool expanded = std::any_of(values.begin(), values.end(),
                              [](const auto& value) { return needs_expansion(*value.first); });
  if (!expanded) {
    std::string names;
    for (const auto& value : values) {
      names += (names.empty() ? "" : ", ") + value.second;
    }
    w_.line("::orb::detail::EncodeOwnedValues{" + names + "}(_orb_call.results());");
    return;
  }
  w_.line("::orb::cdr::Encoder& _orb_out = _orb_call.results();");
  for (const auto& value : values) {
    emit_encode(w_, *value.first, "_orb_out", value.second);
  }
}

}  // namespace orb::idl::gen
