// TupleIndex: buckets by shape, chains by the hash of each field.
#include "index.hpp"

#include <bit>
#include <functional>
#include <string_view>

namespace orb::space::detail {
namespace {

constexpr char kAnyType = '*';

char type_code(FieldType type) noexcept {
  return static_cast<char>('a' + static_cast<int>(type));
}

std::string shape_of(const Tuple& tuple) {
  std::string shape;
  shape.reserve(tuple.size());
  for (const Field& field : tuple) {
    shape += type_code(field._d());
  }
  return shape;
}

/// The field type each template position demands, or kAnyType.
std::string shape_of(const Template& tmpl) {
  std::string shape;
  shape.reserve(tmpl.size());
  for (const TemplateField& item : tmpl) {
    switch (item._d()) {
      case ::OrbSpace::MatchKind::match_value:
        shape += type_code(item.value()._d());
        break;
      case ::OrbSpace::MatchKind::match_type:
        shape += type_code(item.type());
        break;
      case ::OrbSpace::MatchKind::match_anything:
        shape += kAnyType;
        break;
    }
  }
  return shape;
}

bool accepts(std::string_view wanted, std::string_view shape) noexcept {
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] != kAnyType && wanted[i] != shape[i]) {
      return false;
    }
  }
  return true;
}

uint64_t mix(uint64_t a, uint64_t b) noexcept {
  return (a ^ b) * 0x9e3779b97f4a7c15ull;
}

uint64_t bytes_hash(std::string_view bytes) noexcept {
  return std::hash<std::string_view>{}(bytes);
}

/// Walks `list` calling `visit` on matching entries; false when `visit` stopped.
bool walk(const std::list<Entry*>& list, const Template& tmpl,
          orb::detail::FunctionRef<bool(Entry&)> visit) {
  for (Entry* entry : list) {
    if (matches(tmpl, entry->tuple) && !visit(*entry)) {
      return false;
    }
  }
  return true;
}

}  // namespace

uint64_t field_hash(const Field& field) noexcept {
  uint64_t type = static_cast<uint64_t>(field._d()) + 1;
  switch (field._d()) {
    case FieldType::type_boolean:
      return mix(type, field.boolean_value() ? 1 : 0);
    case FieldType::type_long_long:
      return mix(type, static_cast<uint64_t>(field.long_value()));
    case FieldType::type_double: {
      double value = field.double_value();
      // 0.0 and -0.0 compare equal, so they must hash equally.
      return mix(type, value == 0.0 ? 0 : std::bit_cast<uint64_t>(value));
    }
    case FieldType::type_string:
      return mix(type, bytes_hash(field.string_value()));
    case FieldType::type_bytes: {
      const Bytes& bytes = field.bytes_value();
      return mix(type, bytes_hash({reinterpret_cast<const char*>(bytes.data()), bytes.size()}));
    }
    case FieldType::type_any:
      // Any values compare by TypeCode and encoded bytes, which are not
      // reachable here; they all share one chain per bucket.
      return mix(type, static_cast<uint64_t>(field.any_value().type()->kind()));
  }
  return type;
}

Bucket& TupleIndex::bucket_for(const std::string& shape) {
  std::unique_ptr<Bucket>& bucket = buckets_[shape];
  if (!bucket) {
    bucket = std::make_unique<Bucket>();
    bucket->shape = shape;
    bucket->chains.resize(shape.size());
    by_length_[shape.size()].push_back(bucket.get());
  }
  return *bucket;
}

void TupleIndex::insert(Entry& entry) {
  Bucket& bucket = bucket_for(shape_of(entry.tuple));
  entry.slot.bucket = &bucket;
  entry.slot.in_order = bucket.in_order.insert(bucket.in_order.end(), &entry);
  entry.slot.in_chains.clear();
  entry.slot.in_chains.reserve(entry.tuple.size());
  for (size_t position = 0; position < entry.tuple.size(); ++position) {
    std::list<Entry*>& chain = bucket.chains[position][field_hash(entry.tuple[position])];
    entry.slot.in_chains.push_back(chain.insert(chain.end(), &entry));
  }
  ++size_;
}

void TupleIndex::erase(Entry& entry) {
  Bucket& bucket = *entry.slot.bucket;
  bucket.in_order.erase(entry.slot.in_order);
  // The tuple does not change while it is indexed, so its hashes find its chains again.
  for (size_t position = 0; position < entry.tuple.size(); ++position) {
    Chains& chains = bucket.chains[position];
    auto chain = chains.find(field_hash(entry.tuple[position]));
    chain->second.erase(entry.slot.in_chains[position]);
    if (chain->second.empty()) {
      chains.erase(chain);
    }
  }
  entry.slot = {};
  --size_;
}

/// Finds the shortest chain in `bucket` that contains every entry matching
/// the value fields `keys` (position, hash). Null when a value has no chain.
const std::list<Entry*>* TupleIndex::shortest_chain(
    const Bucket& bucket, const std::vector<std::pair<size_t, uint64_t>>& keys) {
  const std::list<Entry*>* shortest = nullptr;
  for (const auto& [position, key] : keys) {
    auto chain = bucket.chains[position].find(key);
    if (chain == bucket.chains[position].end()) {
      return nullptr;
    }
    if (shortest == nullptr || chain->second.size() < shortest->size()) {
      shortest = &chain->second;
    }
  }
  return shortest;
}

void TupleIndex::for_each_match(const Template& tmpl,
                                orb::detail::FunctionRef<bool(Entry&)> visit) {
  std::string wanted = shape_of(tmpl);
  std::vector<std::pair<size_t, uint64_t>> keys;  // (position, hash) of each value field
  for (size_t position = 0; position < tmpl.size(); ++position) {
    if (tmpl[position]._d() == ::OrbSpace::MatchKind::match_value) {
      keys.emplace_back(position, field_hash(tmpl[position].value()));
    }
  }

  auto search = [&](Bucket& bucket) {
    if (keys.empty()) {
      return walk(bucket.in_order, tmpl, visit);
    }
    const std::list<Entry*>* chain = shortest_chain(bucket, keys);
    return chain == nullptr || walk(*chain, tmpl, visit);
  };

  if (wanted.find(kAnyType) == std::string::npos) {
    auto bucket = buckets_.find(wanted);
    if (bucket != buckets_.end()) {
      search(*bucket->second);
    }
    return;
  }
  auto buckets = by_length_.find(tmpl.size());
  if (buckets == by_length_.end()) {
    return;
  }
  for (Bucket* bucket : buckets->second) {
    if (accepts(wanted, bucket->shape) && !search(*bucket)) {
      return;
    }
  }
}

}  // namespace orb::space::detail
