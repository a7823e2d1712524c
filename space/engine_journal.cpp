// The engine's durable side: each change becomes one CDR record in the
// journal (a byte-order octet, then an OrbSpaceStore::Record), recovery
// replays the records into the set of live tuples, and compaction writes
// that set as a snapshot once the journal has grown.
#include "engine_state.hpp"

#include <orb/cdr/codec.hpp>
#include <orb/detail/log.hpp>

#include <spdlog/spdlog.h>

#include <map>

namespace orb::space {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = orb::detail::named_logger("space");
  return instance;
}

/// Tuples per record in a snapshot, which keeps each record small.
constexpr size_t kSnapshotBatch = 1024;

std::vector<uint8_t> encode_record(const Record& record) {
  cdr::Encoder encoder(cdr::kNativeByteOrder);
  encoder.write_octet(static_cast<uint8_t>(cdr::kNativeByteOrder));
  cdr::Codec<Record>::encode(encoder, record);
  return encoder.take_bytes();
}

Record decode_record(std::span<const uint8_t> bytes) {
  cdr::Decoder decoder(bytes, cdr::ByteOrder::big_endian);
  uint8_t order = decoder.read_octet("space record byte order");
  if (order > 1) {
    decoder.fail(minor::kInvalidValue, "space record byte order",
                 "value " + std::to_string(order) + " is neither 0 nor 1");
  }
  decoder.set_byte_order(static_cast<cdr::ByteOrder>(order));
  Record record;
  cdr::Codec<Record>::decode(decoder, record);
  return record;
}

/// What replaying the journal builds: the live tuples by id.
struct Replay {
  std::map<LeaseId, StoredTuple> tuples;
  uint64_t next_id = 1;

  void apply(Record& record) {
    switch (record._d()) {
      case ::OrbSpaceStore::RecordKind::record_change:
        for (StoredTuple& item : record.step().added) {
          next_id = std::max(next_id, item.id + 1);
          tuples[item.id] = std::move(item);
        }
        for (LeaseId id : record.step().removed) {
          tuples.erase(id);
        }
        return;
      case ::OrbSpaceStore::RecordKind::record_renewal:
        if (auto found = tuples.find(record.extension().id); found != tuples.end()) {
          found->second.expiry_ms = record.extension().expiry_ms;
        }
        return;
      case ::OrbSpaceStore::RecordKind::record_next_id:
        next_id = std::max(next_id, record.next_id());
        return;
    }
  }
};

}  // namespace

void Engine::State::append(const Record& record) {
  if (!journal) {
    return;
  }
  journal->append(encode_record(record));
  if (journal->journal_bytes() > std::max(options.compact_bytes, 2 * snapshot_bytes)) {
    compact_due = true;
  }
}

void Engine::State::remove_durably(const std::vector<LeaseId>& ids) {
  ::OrbSpaceStore::Change change;
  change.removed = ids;
  Record record;
  record.step(std::move(change));
  try {
    append(record);
  } catch (...) {
    // Not durably taken, so not taken at all: the tuples go back.
    std::lock_guard lock(mutex);
    return_taken(ids);
    throw;
  }
}

void Engine::State::recover() {
  store::JournalOptions journal_options;
  journal_options.directory = options.data_directory;
  journal_options.sync = options.sync;
  journal_options.sync_interval = options.sync_interval;
  journal_options.commit_delay = options.commit_delay;
  journal = std::make_unique<store::Journal>(journal_options);

  Replay replay;
  recovery = journal->recover([&](std::span<const uint8_t> bytes) {
    Record record = decode_record(bytes);
    replay.apply(record);
  });

  std::lock_guard lock(mutex);
  next_id = replay.next_id;
  uint64_t now = now_ms();
  size_t expired = 0;
  for (auto& [id, item] : replay.tuples) {
    if (item.expiry_ms <= now) {
      ++expired;
      continue;
    }
    Entry& entry = entries[id];
    entry.id = id;
    entry.expiry_ms = item.expiry_ms;
    entry.tuple = std::move(item.t);
    entry.state = Entry::State::visible;
    index.insert(entry);
    push_deadline(entry.expiry_ms, id);
  }
  logger()->info(
      "space recovered {} tuples from {} (generation {}, {} + {} records, {} expired, "
      "{} torn bytes dropped)",
      index.size(), options.data_directory.string(), recovery.generation, recovery.snapshot_records,
      recovery.journal_records, expired, recovery.torn_tail_bytes);
}

void Engine::State::maybe_compact() {
  if (!journal || !compact_due.exchange(false)) {
    return;
  }
  std::unique_lock exclusive(gate);
  std::lock_guard lock(mutex);
  uint64_t now = now_ms();
  uint64_t written = 0;
  journal->compact([&](const store::RecordSink& emit) {
    auto emit_record = [&](const Record& record) {
      std::vector<uint8_t> bytes = encode_record(record);
      written += bytes.size();
      emit(bytes);
    };
    Record first;
    first.next_id(next_id);
    emit_record(first);
    ::OrbSpaceStore::Change batch;
    for (const auto& [id, entry] : entries) {
      if (entry.expiry_ms > now) {
        StoredTuple item;
        item.id = id;
        item.expiry_ms = entry.expiry_ms;
        item.t = entry.tuple;
        batch.added.push_back(std::move(item));
      }
      if (batch.added.size() == kSnapshotBatch) {
        Record record;
        record.step(std::exchange(batch, {}));
        emit_record(record);
      }
    }
    if (!batch.added.empty()) {
      Record record;
      record.step(std::move(batch));
      emit_record(record);
    }
  });
  snapshot_bytes = written;
  logger()->debug("space journal compacted into generation {}: {} tuples, {} bytes",
                  journal->generation(), entries.size(), written);
}

}  // namespace orb::space
