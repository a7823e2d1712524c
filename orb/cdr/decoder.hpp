// CDR decoder: reads IDL values from a byte buffer that may come from a
// hostile peer. Every read is bounds-checked, every length is checked
// against the bytes left before anything is allocated, and every failure
// raises orb::cdr::DecodeError (an orb::MARSHAL) naming the offset and the
// item that was expected.
#pragma once

#include <orb/cdr/byte_order.hpp>
#include <orb/cdr/encoder.hpp>
#include <orb/exception.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orb::cdr {

/// A run of bytes that a transport kept out of a message's buffer because
/// the sender marked it as a large block (over shared memory, a
/// sequence<octet> of 64 KiB or more), so that decoding can hand the block
/// over instead of copying it.
struct DetachedBlock {
  /// Offset in the whole message, counted as if the block were in place.
  size_t offset = 0;
  /// Index in the buffer without the blocks where the block belongs.
  size_t at = 0;
  std::vector<uint8_t> bytes;
};

/// MARSHAL raised by the decoder; carries where and what failed.
class DecodeError : public MARSHAL {
 public:
  DecodeError(uint32_t minor, size_t offset, std::string expected, const std::string& problem);

  /// Offset of the failing item from the start of the outermost buffer.
  size_t offset() const noexcept { return offset_; }
  /// The item that was being decoded, such as "string" or "sequence<octet>".
  const std::string& expected() const noexcept { return expected_; }

 private:
  size_t offset_;
  std::string expected_;
};

/// What the owner of a decoder lets code deep inside it reach, such as the
/// ORB that binds decoded object references. Owners derive from it.
class DecodeContext {
 public:
  virtual ~DecodeContext() = default;
};

class Decoder {
 public:
  /// `base_offset` is the position of data[0] relative to the alignment
  /// origin, and also the offset that error messages report for it.
  Decoder(std::span<const uint8_t> data, ByteOrder order, size_t base_offset = 0);

  ByteOrder byte_order() const noexcept { return order_; }
  void set_byte_order(ByteOrder order) noexcept { order_ = order; }
  uint8_t giop_minor() const noexcept { return giop_minor_; }
  void set_giop_minor(uint8_t minor) noexcept { giop_minor_ = minor; }
  CharCodeSet char_code_set() const noexcept { return char_code_set_; }
  /// Sets the code set that char and string values arrive in; read_char()
  /// and read_string() return them as UTF-8.
  void set_char_code_set(CharCodeSet code_set) noexcept { char_code_set_ = code_set; }
  DecodeContext* context() const noexcept { return context_; }
  void set_context(DecodeContext* context) noexcept { context_ = context; }

  /// Lets the decoder read a buffer from which a transport took `blocks`
  /// out. `buffer` is that buffer, the decoder's data starts at index
  /// `start` of it, and each block's offset is counted in the frame of
  /// absolute_position(). Call it before the first read. An octet sequence
  /// that lies exactly on a block takes the block's bytes without a copy.
  /// Any other read that reaches a block first puts every block that is
  /// left back into `buffer`, which costs one copy. Both must outlive the decoder.
  /// With `take_blocks` false, octet sequences copy the blocks instead, so
  /// that another decoder can read the same blocks later.
  void attach_detached(std::vector<uint8_t>& buffer, size_t start,
                       std::vector<DetachedBlock>& blocks, bool take_blocks = true);

  /// Offset of the next byte relative to the alignment origin.
  size_t position() const noexcept { return align_base_ + pos_; }
  /// Offset of the next byte from the start of the outermost buffer, the
  /// frame that TypeCode indirections are measured in.
  size_t absolute_position() const noexcept { return report_base_ + pos_; }
  size_t remaining() const noexcept {
    if (split_buffer_ == nullptr) {
      return data_.size() - pos_;
    }
    return split_buffer_->size() - view_start_ - pos_ + detached_left_;
  }
  bool at_end() const noexcept { return remaining() == 0; }
  /// True when at least `count` bytes remain and the next `count` are zero.
  bool next_bytes_are_zero(size_t count) {
    return remaining() >= count && within_view(count) &&
           std::all_of(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
                       data_.begin() + static_cast<std::ptrdiff_t>(pos_ + count),
                       [](uint8_t byte) { return byte == 0; });
  }
  /// Skips padding up to a multiple of `alignment`; truncation is an error.
  void align(size_t alignment, std::string_view what = "alignment padding");

  uint8_t read_octet(std::string_view what = "octet");
  bool read_boolean(std::string_view what = "boolean");
  /// In ISO-8859-1 a character above 0x7F, which needs two bytes of
  /// UTF-8, raises DATA_CONVERSION.
  char read_char(std::string_view what = "char");
  int16_t read_short(std::string_view what = "short") { return read_scalar<int16_t>(what); }
  uint16_t read_ushort(std::string_view what = "unsigned short") {
    return read_scalar<uint16_t>(what);
  }
  int32_t read_long(std::string_view what = "long") { return read_scalar<int32_t>(what); }
  uint32_t read_ulong(std::string_view what = "unsigned long") {
    return read_scalar<uint32_t>(what);
  }
  int64_t read_longlong(std::string_view what = "long long") { return read_scalar<int64_t>(what); }
  uint64_t read_ulonglong(std::string_view what = "unsigned long long") {
    return read_scalar<uint64_t>(what);
  }
  float read_float(std::string_view what = "float") { return read_scalar<float>(what); }
  double read_double(std::string_view what = "double") { return read_scalar<double>(what); }
  long double read_long_double(std::string_view what = "long double");
  wchar_t read_wchar(std::string_view what = "wchar");

  /// `bound` 0 means unbounded; a longer string raises MARSHAL.
  std::string read_string(uint32_t bound = 0, std::string_view what = "string");
  std::wstring read_wstring(uint32_t bound = 0, std::string_view what = "wstring");
  /// A view of the next `count` bytes, which stay owned by the buffer.
  std::span<const uint8_t> read_octets(size_t count, std::string_view what = "octets");
  std::vector<uint8_t> read_octet_sequence(uint32_t bound = 0,
                                           std::string_view what = "sequence<octet>");
  /// When the next `count` bytes are a detached block (see
  /// attach_detached()) that the decoder may take, moves them into `out`,
  /// passes them and returns true.
  bool take_detached_block(size_t count, std::vector<uint8_t>& out);

  /// Reads a sequence length and checks it against the bound and against
  /// the bytes left, given that each element takes at least
  /// `min_element_size` bytes on the wire (0 is treated as 1).
  uint32_t read_length(size_t min_element_size, uint32_t bound, std::string_view what);

  /// Reads `count` scalars as a block; the caller has checked the count.
  template <class T>
  void read_array(T* values, size_t count, std::string_view what);

  /// Reads an encapsulation's length and byte-order octet and returns a
  /// decoder over its contents, aligned relative to that octet.
  Decoder read_encapsulation(std::string_view what = "encapsulation");

  /// Raises DecodeError at the current offset.
  [[noreturn]] void fail(uint32_t minor, std::string_view what, const std::string& problem) const;
  /// Raises DecodeError for an item that started at an earlier absolute_position().
  [[noreturn]] static void fail_at(size_t absolute_offset, uint32_t minor, std::string_view what,
                                   const std::string& problem);

 private:
  template <class T>
  T read_scalar(std::string_view what) {
    align(sizeof(T), what);
    T v;
    copy_swapped(&v, sizeof(T), what);
    return v;
  }
  void copy_swapped(void* out, size_t size, std::string_view what);
  /// Makes sure the next `count` bytes lie in data_, or raises.
  void require(size_t count, std::string_view what) {
    if (count > data_.size() - pos_ && !within_view(count)) {
      fail_truncated(count, what);
    }
  }
  [[noreturn]] void fail_truncated(size_t count, std::string_view what) const;
  /// True when the next `count` bytes lie in data_, after putting the
  /// detached blocks back when they would not otherwise.
  bool within_view(size_t count);
  /// True when the next detached block starts here and holds `count` bytes.
  bool at_detached_block(size_t count) const noexcept;
  /// Passes the block of `size` bytes at the current position and views
  /// the bytes after it.
  void step_over_detached_block(size_t size);
  void view_to_next_block();
  void join_detached();
  std::u16string read_utf16_units(size_t count, ByteOrder order, std::string_view what);

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  // With detached blocks, data_ ends where the next block belongs.
  std::vector<uint8_t>* split_buffer_ = nullptr;
  std::vector<DetachedBlock>* detached_ = nullptr;
  size_t next_detached_ = 0;
  size_t detached_left_ = 0;  // bytes in the blocks not yet passed
  size_t view_start_ = 0;     // index of data_[0] in *split_buffer_
  bool take_blocks_ = true;   // false: octet sequences copy blocks instead of taking them
  size_t align_base_;
  size_t report_base_;
  ByteOrder order_;
  uint8_t giop_minor_ = kDefaultGiopMinor;
  CharCodeSet char_code_set_ = CharCodeSet::utf8;
  DecodeContext* context_ = nullptr;
};

template <class T>
void Decoder::read_array(T* values, size_t count, std::string_view what) {
  static_assert(std::is_arithmetic_v<T> && sizeof(T) <= 8 && !std::is_same_v<T, bool>);
  if (count == 0) {
    return;
  }
  align(sizeof(T), what);
  if (sizeof(T) == 1 && at_detached_block(count)) {
    std::memcpy(values, (*detached_)[next_detached_].bytes.data(), count);
    step_over_detached_block(count);
    return;
  }
  require(count * sizeof(T), what);
  std::memcpy(values, data_.data() + pos_, count * sizeof(T));
  pos_ += count * sizeof(T);
  if (sizeof(T) > 1 && order_ != kNativeByteOrder) {
    for (size_t i = 0; i < count; ++i) {
      if constexpr (sizeof(T) == 2) {
        values[i] = std::bit_cast<T>(byte_swap(std::bit_cast<uint16_t>(values[i])));
      } else if constexpr (sizeof(T) == 4) {
        values[i] = std::bit_cast<T>(byte_swap(std::bit_cast<uint32_t>(values[i])));
      } else if constexpr (sizeof(T) == 8) {
        values[i] = std::bit_cast<T>(byte_swap(std::bit_cast<uint64_t>(values[i])));
      }
    }
  }
}

}  // namespace orb::cdr
