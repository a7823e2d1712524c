// TupleIndex: the visible tuples of the space, grouped so that matching
// touches few of them. Tuples are grouped into buckets by shape (length
// and field types); inside a bucket they are chained by the hash of their
// first field and also kept in one list in write order. A template whose
// first field is a value walks one chain; other templates walk the whole
// list of each bucket whose shape they accept. Internal to the engine,
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
#include <vector>

namespace orb::space::detail {

struct Entry;

/// Where an entry sits in the index while it is visible.
struct IndexSlot {
  struct Bucket* bucket = nullptr;
  std::list<Entry*>::iterator in_order;
  std::list<Entry*>::iterator in_chain;
  uint64_t chain_key = 0;
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

struct Bucket {
  std::string shape;                                       // one character per field type
  std::list<Entry*> in_order;                              // oldest first
  std::unordered_map<uint64_t, std::list<Entry*>> chains;  // by first-field hash
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

  std::unordered_map<std::string, std::unique_ptr<Bucket>> buckets_;
  std::map<size_t, std::vector<Bucket*>> by_length_;  // buckets of each tuple length
  size_t size_ = 0;
};

/// The hash of a field's type and value; equal fields hash equally.
uint64_t field_hash(const Field& field) noexcept;

}  // namespace orb::space::detail
