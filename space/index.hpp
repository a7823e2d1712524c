// TupleIndex: the visible tuples of the space, grouped so that matching
// touches few of them. Tuples are grouped into buckets by shape (length
// and field types). Inside a bucket, each field position chains the tuples
// by the hash of their field there, and one list keeps them all in write
// order. In each bucket, a template with value fields walks the shortest
// of the chains that its values select. A template of wildcards walks the
// list of each bucket whose shape it accepts. Internal to the engine,
// which guards it with its lock.
#pragma once

#include <orb/detail/function_ref.hpp>
#include <orb/space/tuple.hpp>

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace orb::space::detail {

struct Entry;

/// Where an entry sits in the index while it is visible.
struct IndexSlot {
  struct Bucket* bucket = nullptr;
  std::list<Entry*>::iterator in_order;
  /// The entry's place in the chain of each field position.
  std::vector<std::list<Entry*>::iterator> in_chains;
};

/// What the engine knows of one stored tuple.
struct Entry {
  enum class State {
    visible,    // in the index, matchable by everyone
    handed,     // removed for a taker whose take is not yet journaled
    reserved,   // held by take_leased until acknowledged
    txn_taken,  // taken under a transaction that has not ended
  };

  LeaseId id = 0;
  uint64_t expiry_ms = 0;  // absolute, milliseconds since the Unix epoch
  Tuple tuple;
  State state = State::handed;
  IndexSlot slot;
};

/// Chains of one field position, keyed by field_hash(), each oldest first.
using Chains = std::unordered_map<uint64_t, std::list<Entry*>>;

struct Bucket {
  std::string shape;           // one character per field type
  std::list<Entry*> in_order;  // oldest first
  std::vector<Chains> chains;  // one per field position
};

class TupleIndex {
 public:
  /// Makes `entry` matchable, after all entries already visible.
  void insert(Entry& entry);
  void erase(Entry& entry);

  /// Calls `visit` with the visible entries that match `tmpl`, oldest first
  /// within each bucket, until it returns false. `visit` must not change
  /// the index; callers collect what to erase and erase it afterwards.
  void for_each_match(const Template& tmpl, orb::detail::FunctionRef<bool(Entry&)> visit);

  size_t size() const noexcept { return size_; }

 private:
  Bucket& bucket_for(const std::string& shape);
  static const std::list<Entry*>* shortest_chain(
      const Bucket& bucket, const std::vector<std::pair<size_t, uint64_t>>& keys);

  std::unordered_map<std::string, std::unique_ptr<Bucket>> buckets_;
  std::map<size_t, std::vector<Bucket*>> by_length_;  // buckets of each tuple length
  size_t size_ = 0;
};

/// The hash of a field's type and value; equal fields hash equally.
uint64_t field_hash(const Field& field) noexcept;

}  // namespace orb::space::detail
