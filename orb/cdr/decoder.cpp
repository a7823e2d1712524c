// Bounds-checked CDR decoding. Each read either consumes exactly the bytes
// of one item or raises DecodeError at the offset where that item starts.
#include <orb/cdr/decoder.hpp>

#include <orb/cdr/long_double.hpp>
#include <orb/cdr/utf16.hpp>
#include <orb/minor.hpp>

#include <array>
#include <cstring>

namespace orb::cdr {
namespace {

std::string format_decode_error(size_t offset, std::string_view expected,
                                const std::string& problem) {
  return "decode " + std::string(expected) + " at offset " + std::to_string(offset) + ": " +
         problem;
}

}  // namespace

DecodeError::DecodeError(uint32_t minor, size_t offset, std::string expected,
                         const std::string& problem)
    : MARSHAL(minor, CompletionStatus::no, format_decode_error(offset, expected, problem)),
      offset_(offset),
      expected_(std::move(expected)) {}

Decoder::Decoder(std::span<const uint8_t> data, ByteOrder order, size_t base_offset)
    : data_(data), align_base_(base_offset), report_base_(base_offset), order_(order) {}

void Decoder::fail(uint32_t minor, std::string_view what, const std::string& problem) const {
  throw DecodeError(minor, report_base_ + pos_, std::string(what), problem);
}

void Decoder::fail_at(size_t absolute_offset, uint32_t minor, std::string_view what,
                      const std::string& problem) {
  throw DecodeError(minor, absolute_offset, std::string(what), problem);
}

void Decoder::fail_truncated(size_t count, std::string_view what) const {
  fail(
      minor::kTruncated, what,
      "needs " + std::to_string(count) + " bytes but " + std::to_string(remaining()) + " are left");
}

void Decoder::attach_detached(std::vector<uint8_t>& buffer, size_t start,
                              std::vector<DetachedBlock>& blocks, bool take_blocks) {
  split_buffer_ = &buffer;
  take_blocks_ = take_blocks;
  detached_ = &blocks;
  next_detached_ = 0;
  detached_left_ = 0;
  for (const DetachedBlock& block : blocks) {
    detached_left_ += block.bytes.size();
  }
  view_start_ = start;
  pos_ = 0;
  view_to_next_block();
}

void Decoder::view_to_next_block() {
  size_t end = split_buffer_->size();
  if (next_detached_ < detached_->size()) {
    end = (*detached_)[next_detached_].at;
  }
  data_ = std::span<const uint8_t>(*split_buffer_).subspan(view_start_, end - view_start_);
}

bool Decoder::at_detached_block(size_t count) const noexcept {
  return detached_ != nullptr && next_detached_ < detached_->size() && pos_ == data_.size() &&
         (*detached_)[next_detached_].bytes.size() == count;
}

void Decoder::step_over_detached_block(size_t size) {
  align_base_ += data_.size() + size;
  report_base_ += data_.size() + size;
  view_start_ += data_.size();
  detached_left_ -= size;
  pos_ = 0;
  ++next_detached_;
  view_to_next_block();
}

bool Decoder::take_detached_block(size_t count, std::vector<uint8_t>& out) {
  if (!take_blocks_ || !at_detached_block(count)) {
    return false;
  }
  out = std::move((*detached_)[next_detached_].bytes);
  step_over_detached_block(count);
  return true;
}

bool Decoder::within_view(size_t count) {
  if (count <= data_.size() - pos_) {
    return true;
  }
  if (detached_ == nullptr || next_detached_ == detached_->size()) {
    return false;
  }
  join_detached();
  return count <= data_.size() - pos_;
}

void Decoder::join_detached() {
  // Blocks already passed stay out: the view starts after them.
  std::vector<uint8_t>& buffer = *split_buffer_;
  std::vector<uint8_t> joined;
  joined.reserve(buffer.size() + detached_left_);
  size_t done = 0;
  for (size_t i = next_detached_; i < detached_->size(); ++i) {
    DetachedBlock& block = (*detached_)[i];
    joined.insert(joined.end(), buffer.begin() + static_cast<std::ptrdiff_t>(done),
                  buffer.begin() + static_cast<std::ptrdiff_t>(block.at));
    joined.insert(joined.end(), block.bytes.begin(), block.bytes.end());
    done = block.at;
  }
  joined.insert(joined.end(), buffer.begin() + static_cast<std::ptrdiff_t>(done), buffer.end());
  buffer = std::move(joined);
  detached_->resize(next_detached_);
  detached_left_ = 0;
  data_ = std::span<const uint8_t>(buffer).subspan(view_start_);
}

void Decoder::align(size_t alignment, std::string_view what) {
  size_t misalignment = position() % alignment;
  if (misalignment != 0) {
    size_t padding = alignment - misalignment;
    require(padding, what);
    pos_ += padding;
  }
}

void Decoder::copy_swapped(void* out, size_t size, std::string_view what) {
  require(size, what);
  auto* bytes = static_cast<uint8_t*>(out);
  if (order_ == kNativeByteOrder) {
    std::memcpy(bytes, data_.data() + pos_, size);
  } else {
    for (size_t i = 0; i < size; ++i) {
      bytes[i] = data_[pos_ + size - 1 - i];
    }
  }
  pos_ += size;
}

uint8_t Decoder::read_octet(std::string_view what) {
  require(1, what);
  return data_[pos_++];
}

bool Decoder::read_boolean(std::string_view what) {
  require(1, what);
  uint8_t value = data_[pos_];
  if (value > 1) {
    fail(minor::kInvalidValue, what, "value " + std::to_string(value) + " is neither 0 nor 1");
  }
  ++pos_;
  return value == 1;
}

char Decoder::read_char(std::string_view what) {
  uint8_t value = read_octet(what);
  if (char_code_set_ == CharCodeSet::iso8859_1 && value > 0x7F) {
    --pos_;
    throw DATA_CONVERSION(minor::kCharNotInCodeSet, CompletionStatus::no,
                          "decode " + std::string(what) + " at offset " +
                              std::to_string(absolute_position()) + ": ISO-8859-1 character " +
                              std::to_string(value) + " needs two bytes of UTF-8");
  }
  return static_cast<char>(value);
}

long double Decoder::read_long_double(std::string_view what) {
  align(8, what);
  require(16, what);
  std::array<uint8_t, 16> big{};
  for (size_t i = 0; i < 16; ++i) {
    big[i] = order_ == ByteOrder::big_endian ? data_[pos_ + i] : data_[pos_ + 15 - i];
  }
  pos_ += 16;
  return detail::from_binary128(big);
}

std::span<const uint8_t> Decoder::read_octets(size_t count, std::string_view what) {
  if (at_detached_block(count)) {
    std::span<const uint8_t> block((*detached_)[next_detached_].bytes);
    step_over_detached_block(count);
    return block;
  }
  require(count, what);
  std::span<const uint8_t> view = data_.subspan(pos_, count);
  pos_ += count;
  return view;
}

uint32_t Decoder::read_length(size_t min_element_size, uint32_t bound, std::string_view what) {
  align(4, what);
  size_t start = pos_;
  uint32_t length = read_ulong(what);
  size_t element_size = min_element_size == 0 ? 1 : min_element_size;
  if (bound != 0 && length > bound) {
    pos_ = start;
    fail(minor::kBoundExceeded, what,
         "length " + std::to_string(length) + " exceeds the bound " + std::to_string(bound));
  }
  if (length > remaining() / element_size) {
    size_t left = remaining();
    pos_ = start;
    fail(minor::kLengthTooLarge, what,
         "length " + std::to_string(length) + " exceeds the " + std::to_string(left) +
             " bytes left");
  }
  return length;
}

std::string Decoder::read_string(uint32_t bound, std::string_view what) {
  align(4, what);
  size_t start = pos_;
  uint32_t length = read_length(1, 0, what);
  if (length == 0) {
    pos_ = start;
    fail(minor::kMissingNul, what, "length 0 leaves no room for the terminating NUL");
  }
  require(length, what);
  if (data_[pos_ + length - 1] != 0) {
    pos_ = start;
    fail(minor::kMissingNul, what,
         "the last of its " + std::to_string(length) + " bytes is not the terminating NUL");
  }
  if (bound != 0 && length - 1 > bound) {
    pos_ = start;
    fail(minor::kBoundExceeded, what,
         "length " + std::to_string(length - 1) + " exceeds the bound " + std::to_string(bound));
  }
  std::string text(reinterpret_cast<const char*>(data_.data() + pos_), length - 1);
  pos_ += length;
  if (char_code_set_ == CharCodeSet::iso8859_1) {
    return detail::latin1_to_utf8(text);
  }
  return text;
}

std::vector<uint8_t> Decoder::read_octet_sequence(uint32_t bound, std::string_view what) {
  uint32_t length = read_length(1, bound, what);
  std::vector<uint8_t> block;
  if (take_detached_block(length, block)) {
    return block;
  }
  std::span<const uint8_t> bytes = read_octets(length, what);
  return {bytes.begin(), bytes.end()};
}

std::u16string Decoder::read_utf16_units(size_t count, ByteOrder order, std::string_view what) {
  require(count * 2, what);
  std::u16string units(count, u'\0');
  for (size_t i = 0; i < count; ++i) {
    uint8_t first = data_[pos_ + 2 * i];
    uint8_t second = data_[pos_ + 2 * i + 1];
    units[i] = order == ByteOrder::big_endian ? static_cast<char16_t>(first << 8 | second)
                                              : static_cast<char16_t>(second << 8 | first);
  }
  pos_ += count * 2;
  return units;
}

namespace {

/// Strips a leading byte-order mark and returns the order the rest is in.
/// With no mark, UTF-16 is big-endian (CORBA 3.0, 13.10.1.1).
ByteOrder take_byte_order_mark(std::u16string& units) {
  if (!units.empty() && units.front() == detail::kByteOrderMark) {
    units.erase(0, 1);
    return ByteOrder::big_endian;
  }
  if (!units.empty() && units.front() == detail::kSwappedByteOrderMark) {
    units.erase(0, 1);
    for (char16_t& unit : units) {
      unit = static_cast<char16_t>(byte_swap(static_cast<uint16_t>(unit)));
    }
    return ByteOrder::little_endian;
  }
  return ByteOrder::big_endian;
}

}  // namespace

wchar_t Decoder::read_wchar(std::string_view what) {
  if (giop_minor_ == 0) {
    fail(minor::kWideCharInGiop10, what, "GIOP 1.0 cannot carry wide characters");
  }
  size_t start = pos_;
  std::u16string units;
  if (giop_minor_ == 1) {
    align(2, what);
    start = pos_;
    units.push_back(static_cast<char16_t>(read_ushort(what)));
  } else {
    uint8_t octets = read_octet(what);
    if (octets == 0 || octets % 2 != 0) {
      pos_ = start;
      fail(minor::kInvalidValue, what,
           "length " + std::to_string(octets) + " is not a positive number of UTF-16 units");
    }
    units = read_utf16_units(octets / 2, ByteOrder::big_endian, what);
    take_byte_order_mark(units);
  }
  std::wstring decoded;
  if (!detail::from_utf16(units, decoded) || decoded.size() != 1) {
    pos_ = start;
    fail(minor::kBadUtf16, what, "the UTF-16 units are not exactly one character");
  }
  return decoded[0];
}

std::wstring Decoder::read_wstring(uint32_t bound, std::string_view what) {
  if (giop_minor_ == 0) {
    fail(minor::kWideCharInGiop10, what, "GIOP 1.0 cannot carry wide characters");
  }
  align(4, what);
  size_t start = pos_;
  std::u16string units;
  if (giop_minor_ == 1) {
    // GIOP 1.1 counts 2-byte units including a terminating NUL unit.
    uint32_t count = read_length(2, 0, what);
    align(2, what);
    if (count > 0) {
      units = read_utf16_units(count, order_, what);
      if (units.back() != 0) {
        pos_ = start;
        fail(minor::kMissingNul, what, "the last UTF-16 unit is not the terminating NUL");
      }
      units.pop_back();
    }
  } else {
    uint32_t octets = read_length(1, 0, what);
    if (octets % 2 != 0) {
      pos_ = start;
      fail(minor::kInvalidValue, what,
           "length " + std::to_string(octets) + " is not a whole number of UTF-16 units");
    }
    units = read_utf16_units(octets / 2, ByteOrder::big_endian, what);
    take_byte_order_mark(units);
  }
  std::wstring text;
  if (!detail::from_utf16(units, text)) {
    pos_ = start;
    fail(minor::kBadUtf16, what, "unpaired UTF-16 surrogate");
  }
  if (bound != 0 && text.size() > bound) {
    pos_ = start;
    fail(minor::kBoundExceeded, what,
         "length " + std::to_string(text.size()) + " exceeds the bound " + std::to_string(bound));
  }
  return text;
}

Decoder Decoder::read_encapsulation(std::string_view what) {
  uint32_t length = read_length(1, 0, what);
  if (length == 0) {
    fail(minor::kTruncated, what, "empty, so it has no byte-order octet");
  }
  require(length, what);
  uint8_t flag = data_[pos_];
  if (flag > 1) {
    fail(minor::kInvalidValue, what,
         "byte-order octet " + std::to_string(flag) + " is neither 0 nor 1");
  }
  Decoder inner(data_.subspan(pos_, length), static_cast<ByteOrder>(flag), 0);
  inner.report_base_ = report_base_ + pos_;
  inner.giop_minor_ = giop_minor_;
  inner.char_code_set_ = char_code_set_;
  inner.context_ = context_;
  inner.pos_ = 1;
  pos_ += length;
  return inner;
}

}  // namespace orb::cdr
