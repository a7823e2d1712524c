// Cutting a GIOP byte stream into messages and joining fragments.
#include <orb/giop/framer.hpp>

#include <orb/cdr/decoder.hpp>
#include <orb/giop/iop.hpp>
#include <orb/minor.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace orb::giop {
namespace {

constexpr size_t kLargestMessage = kHeaderSize + UINT32_MAX;
constexpr uint8_t kMoreFragmentsBit = 0x02;
constexpr size_t kFlagsOffset = 6;
constexpr size_t kSizeOffset = 8;
// A message up to this size gets its whole buffer when its header arrives,
// so the body is copied in once. A larger one starts here and doubles.
// Untouched reserved pages cost address space, not memory.
constexpr size_t kInitialReserve = 4 * 1024 * 1024;
// GIOP 1.2 requires every fragment but the last to be a multiple of 8
// bytes long, header included, so that the data keeps its alignment when
// the fragments are joined.
constexpr size_t kGiop12FragmentUnit = 8;
constexpr std::array<uint8_t, 4> kNoticeMagic{'O', 'R', 'B', 'K'};
constexpr size_t kNoticeEntrySize = 16;  // 64-bit offset and size

[[noreturn]] void reject(uint32_t minor_code, const std::string& message) {
  throw MARSHAL(minor_code, CompletionStatus::no, "GIOP framing: " + message);
}

std::string describe(const Header& header) {
  return "GIOP " + to_string(header.version) + " " + std::string(to_string(header.type));
}

std::optional<uint32_t> first_ulong(const Message& message) {
  if (message.header.body_size < 4) {
    return std::nullopt;
  }
  return load_ulong(message.body().first<4>(), message.header.byte_order);
}

// Returns the request id at the front of a message header. GIOP 1.0 and
// 1.1 Requests and Replies put the service contexts first, so the id is
// unknown when the first fragment ends before it.
std::optional<uint32_t> request_id_of(const Message& message) {
  bool id_first =
      message.header.version >= kGiop12 ||
      (message.header.type != MessageType::Request && message.header.type != MessageType::Reply);
  if (id_first) {
    return first_ulong(message);
  }
  try {
    cdr::Decoder decoder(message.body(), message.header.byte_order, kHeaderSize);
    ServiceContextList contexts;
    decode(decoder, contexts);
    return decoder.read_ulong("request id");
  } catch (const cdr::DecodeError&) {
    return std::nullopt;
  }
}

void check_giop12_fragment_length(const Message& message) {
  if (message.header.more_fragments && message.bytes.size() % kGiop12FragmentUnit != 0) {
    reject(minor::kBadFragment, describe(message.header) + " of " +
                                    std::to_string(message.bytes.size()) +
                                    " bytes has more fragments to follow, so GIOP 1.2 requires "
                                    "its length to be a multiple of 8");
  }
}

}  // namespace

std::vector<uint8_t> encode_block_notice(std::span<const BlockRange> blocks) {
  std::vector<uint8_t> notice(kHeaderSize + blocks.size() * kNoticeEntrySize);
  std::copy(kNoticeMagic.begin(), kNoticeMagic.end(), notice.begin());
  auto count = static_cast<uint32_t>(blocks.size());
  std::memcpy(notice.data() + 4, &count, sizeof count);
  size_t at = kHeaderSize;
  for (const BlockRange& block : blocks) {
    std::memcpy(notice.data() + at, &block.offset, sizeof block.offset);
    std::memcpy(notice.data() + at + 8, &block.size, sizeof block.size);
    at += kNoticeEntrySize;
  }
  return notice;
}

Framer::Framer(size_t max_message_size, size_t max_partial_messages)
    : max_message_size_(std::min(max_message_size, kLargestMessage)),
      max_partial_messages_(max_partial_messages) {}

void Framer::feed(std::span<const uint8_t> bytes) {
  if (failure_) {
    failure_->raise();
  }
  try {
    while (!bytes.empty()) {
      if (notice_missing_ > 0) {
        bytes = read_notice(bytes);
      } else {
        bytes = current_ ? read_body(bytes) : read_header(bytes);
      }
    }
  } catch (const SystemException& error) {
    failure_ = error.clone();
    throw;
  }
}

std::optional<Message> Framer::next() {
  if (ready_.empty()) {
    return std::nullopt;
  }
  Message message = std::move(ready_.front());
  ready_.pop_front();
  return message;
}

std::span<const uint8_t> Framer::read_header(std::span<const uint8_t> bytes) {
  size_t count = std::min(bytes.size(), kHeaderSize - header_filled_);
  std::copy_n(bytes.begin(), count, header_bytes_.begin() + header_filled_);
  header_filled_ += count;
  if (header_filled_ == kHeaderSize) {
    header_filled_ = 0;
    if (notices_accepted_ &&
        std::equal(kNoticeMagic.begin(), kNoticeMagic.end(), header_bytes_.begin())) {
      start_notice();
    } else {
      start_message(decode_header(header_bytes_));
    }
  }
  return bytes.subspan(count);
}

void Framer::start_notice() {
  uint32_t count = 0;
  uint32_t reserved = 0;
  std::memcpy(&count, header_bytes_.data() + 4, sizeof count);
  std::memcpy(&reserved, header_bytes_.data() + 8, sizeof reserved);
  if (reserved != 0 || count > kMaxNoticeBlocks) {
    reject(minor::kBadBlockNotice, "block notice announces " + std::to_string(count) +
                                       " blocks (at most " + std::to_string(kMaxNoticeBlocks) +
                                       ") or has non-zero reserved bytes");
  }
  if (!announced_.empty()) {
    reject(minor::kBadBlockNotice, "block notice follows another with no message between them");
  }
  notice_seen_ = true;
  notice_.clear();
  notice_missing_ = size_t{count} * kNoticeEntrySize;
}

std::span<const uint8_t> Framer::read_notice(std::span<const uint8_t> bytes) {
  size_t count = std::min(bytes.size(), notice_missing_);
  notice_.insert(notice_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(count));
  notice_missing_ -= count;
  if (notice_missing_ == 0) {
    for (size_t at = 0; at < notice_.size(); at += kNoticeEntrySize) {
      uint64_t offset = 0;
      uint64_t size = 0;
      std::memcpy(&offset, notice_.data() + at, sizeof offset);
      std::memcpy(&size, notice_.data() + at + 8, sizeof size);
      announced_.push_back({offset, size});
    }
  }
  return bytes.subspan(count);
}

uint64_t Framer::detach_announced_blocks(Message& message) {
  std::vector<BlockRange> blocks = std::move(announced_);
  announced_.clear();
  block_sizes_.clear();
  if (blocks.empty()) {
    return 0;
  }
  const Header& header = message.header;
  if (header.more_fragments ||
      (header.type != MessageType::Request && header.type != MessageType::Reply)) {
    reject(minor::kBadBlockNotice, "block notice before " + describe(header) +
                                       (header.more_fragments ? " with more fragments" : "") +
                                       "; only whole Requests and Replies may carry blocks");
  }
  uint64_t total = kHeaderSize + uint64_t{header.body_size};
  uint64_t covered = kHeaderSize;  // blocks start after the header and never overlap
  uint64_t detached_bytes = 0;
  for (auto [offset, size] : blocks) {
    if (size == 0 || offset < covered || offset > total || size > total - offset) {
      reject(minor::kBadBlockNotice, "block notice names " + std::to_string(size) +
                                         " bytes at offset " + std::to_string(offset) +
                                         ", outside " + describe(header) + " of " +
                                         std::to_string(total) + " bytes or over an earlier block");
    }
    cdr::DetachedBlock& block = message.detached.emplace_back();
    block.offset = offset;
    block.at = offset - detached_bytes;
    block.bytes.reserve(std::min<uint64_t>(size, kInitialReserve));
    block_sizes_.push_back(size);
    covered = offset + size;
    detached_bytes += size;
  }
  return detached_bytes;
}

void Framer::start_message(const Header& header) {
  uint64_t total = kHeaderSize + uint64_t{header.body_size};
  if (total > max_message_size_) {
    reject(minor::kMessageTooLarge, describe(header) + " of " + std::to_string(total) +
                                        " bytes exceeds the maximum message size of " +
                                        std::to_string(max_message_size_) + " bytes");
  }

  // Beyond kInitialReserve the buffer grows as the body arrives, so a peer
  // that only announces a large message makes us reserve no more than that.
  Message message{header, {}, {}};
  buffer_size_ = total - detach_announced_blocks(message);
  message.bytes.reserve(std::min<uint64_t>(buffer_size_, kInitialReserve));
  message.bytes.assign(header_bytes_.begin(), header_bytes_.end());
  if (header.body_size == 0) {
    dispatch(std::move(message));
  } else {
    current_ = std::move(message);
    received_ = kHeaderSize;
    next_block_ = 0;
  }
}

std::span<const uint8_t> Framer::read_body(std::span<const uint8_t> bytes) {
  Message& message = *current_;
  size_t total = kHeaderSize + message.header.body_size;
  // The next bytes belong to a block or to the buffer, up to where that ends.
  std::vector<uint8_t>* target = &message.bytes;
  size_t target_size = buffer_size_;  // the size `target` has when complete
  size_t limit = total;
  if (next_block_ < message.detached.size()) {
    cdr::DetachedBlock& block = message.detached[next_block_];
    if (received_ >= block.offset) {
      target = &block.bytes;
      target_size = block_sizes_[next_block_];
      limit = block.offset + target_size;
    } else {
      limit = block.offset;
    }
  }
  size_t count = std::min(bytes.size(), limit - received_);
  size_t needed = target->size() + count;
  if (needed > target->capacity()) {
    // Doubling, but never past the size the header announced.
    target->reserve(std::min(target_size, std::max(needed, 2 * target->capacity())));
  }
  target->insert(target->end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(count));
  received_ += count;
  if (target != &message.bytes && received_ == limit) {
    ++next_block_;
  }
  if (received_ == total) {
    Message complete = std::move(message);
    current_.reset();
    dispatch(std::move(complete));
  }
  return bytes.subspan(count);
}

void Framer::dispatch(Message message) {
  if (message.header.type == MessageType::Fragment) {
    continue_fragmented(std::move(message));
    return;
  }
  if (message.header.type == MessageType::CancelRequest) {
    drop_cancelled(message);
  }
  if (message.header.more_fragments) {
    start_fragmented(std::move(message));
  } else {
    ready_.push_back(std::move(message));
  }
}

void Framer::start_fragmented(Message message) {
  if (partial_messages() >= max_partial_messages_) {
    reject(minor::kTooManyFragmentedMessages,
           describe(message.header) + " with more fragments would exceed the limit of " +
               std::to_string(max_partial_messages_) + " messages in reassembly at once");
  }
  if (message.header.version < kGiop12) {
    if (partial_11_) {
      reject(minor::kBadFragment, describe(message.header) +
                                      " with more fragments starts before the fragmented " +
                                      describe(partial_11_->header) +
                                      " is complete, and GIOP 1.1 cannot interleave fragments");
    }
    partial_11_ = std::move(message);
    return;
  }

  check_giop12_fragment_length(message);
  std::optional<uint32_t> request_id = first_ulong(message);
  if (!request_id) {
    reject(minor::kBadFragment,
           describe(message.header) + " with more fragments is too short to carry a request id");
  }
  if (partial_12_.contains(*request_id)) {
    reject(minor::kBadFragment, describe(message.header) + " with request id " +
                                    std::to_string(*request_id) +
                                    " starts while another message with that id awaits fragments");
  }
  partial_12_.emplace(*request_id, std::move(message));
}

void Framer::continue_fragmented(Message fragment) {
  size_t data_offset = kHeaderSize;
  uint32_t request_id = 0;
  if (fragment.header.version >= kGiop12) {
    std::optional<uint32_t> id = first_ulong(fragment);
    if (!id) {
      reject(minor::kBadFragment, "GIOP 1.2 Fragment of " + std::to_string(fragment.bytes.size()) +
                                      " bytes is too short to carry a request id");
    }
    request_id = *id;
    data_offset += 4;
    check_giop12_fragment_length(fragment);
  }

  Message& partial = find_partial(fragment, request_id);
  append_fragment(partial, fragment, data_offset);
  if (fragment.header.more_fragments) {
    return;
  }

  // The last fragment: the joined message is complete.
  partial.header.more_fragments = false;
  partial.header.body_size = static_cast<uint32_t>(partial.bytes.size() - kHeaderSize);
  partial.bytes[kFlagsOffset] &= static_cast<uint8_t>(~kMoreFragmentsBit);
  store_ulong(std::span(partial.bytes).subspan<kSizeOffset, 4>(), partial.header.body_size,
              partial.header.byte_order);
  ready_.push_back(std::move(partial));
  if (fragment.header.version >= kGiop12) {
    partial_12_.erase(request_id);
  } else {
    partial_11_.reset();
  }
}

Message& Framer::find_partial(const Message& fragment, uint32_t request_id) {
  if (fragment.header.version < kGiop12) {
    if (partial_11_) {
      return *partial_11_;
    }
    reject(minor::kBadFragment, partial_12_.empty()
                                    ? "GIOP 1.1 Fragment continues no message"
                                    : "GIOP 1.1 Fragment continues no GIOP 1.1 message; the "
                                      "fragmented messages in progress are GIOP 1.2");
  }

  auto found = partial_12_.find(request_id);
  if (found != partial_12_.end()) {
    return found->second;
  }
  std::string message =
      "GIOP 1.2 Fragment for request id " + std::to_string(request_id) + " continues no message";
  if (partial_11_) {
    message += "; the fragmented message in progress is a " + describe(partial_11_->header);
  }
  reject(minor::kBadFragment, message);
}

void Framer::append_fragment(Message& partial, const Message& fragment, size_t data_offset) {
  if (fragment.header.byte_order != partial.header.byte_order) {
    reject(minor::kBadFragment,
           "Fragment in a different byte order from its " + describe(partial.header) + " message");
  }
  size_t data_size = fragment.bytes.size() - data_offset;
  if (partial.bytes.size() + data_size > max_message_size_) {
    reject(minor::kMessageTooLarge, "fragmented " + describe(partial.header) + " grows to " +
                                        std::to_string(partial.bytes.size() + data_size) +
                                        " bytes, above the maximum message size of " +
                                        std::to_string(max_message_size_) + " bytes");
  }
  // NOTE: GIOP 1.1 aligns the data of each fragment relative to that
  // fragment, not to the joined message, so data after a 1.1 fragment
  // boundary decodes correctly only where both alignments agree.
  partial.bytes.insert(partial.bytes.end(), fragment.bytes.begin() + data_offset,
                       fragment.bytes.end());
}

// A CancelRequest may arrive before the last fragment of the request it
// cancels. No more fragments of that request follow, so its partial
// message is dropped.
void Framer::drop_cancelled(const Message& cancel) {
  std::optional<uint32_t> request_id = first_ulong(cancel);
  if (!request_id) {
    return;
  }
  if (cancel.header.version >= kGiop12) {
    partial_12_.erase(*request_id);
  } else if (partial_11_ && request_id_of(*partial_11_) == request_id) {
    partial_11_.reset();
  }
}

}  // namespace orb::giop
