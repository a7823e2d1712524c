// CDR encoder: appends IDL values to a byte buffer in one byte order, with
// each primitive aligned to its size relative to an alignment origin (the
// start of the GIOP message or of the encapsulation). The decoder is its
// mirror in orb/cdr/decoder.hpp.
#pragma once

#include <orb/cdr/byte_order.hpp>
#include <orb/cdr/char_code_set.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace orb::cdr {

/// GIOP minor version whose wide-character rules a stream follows: 0 has no
/// wchar at all, 1 sends fixed 2-byte UTF-16 units, 2 sends length-prefixed
/// octets. Narrow data is the same in all three.
inline constexpr uint8_t kDefaultGiopMinor = 2;

/// A block of bytes that an encoder refers to instead of copying: it
/// follows the first `at` bytes of the encoder's buffer.
struct BorrowedBytes {
  size_t at = 0;
  std::span<const uint8_t> bytes;
};

/// Joins `buffer` and the blocks that refer into it into one run of bytes.
std::vector<uint8_t> join_borrowed(std::span<const uint8_t> buffer,
                                   std::span<const BorrowedBytes> borrowed);

class Encoder {
 public:
  /// `base_offset` is the position of the first appended byte relative to the
  /// alignment origin: 12 when the buffer starts right after a GIOP header.
  explicit Encoder(ByteOrder order = kNativeByteOrder, size_t base_offset = 0);

  ByteOrder byte_order() const noexcept { return order_; }
  uint8_t giop_minor() const noexcept { return giop_minor_; }
  void set_giop_minor(uint8_t minor) noexcept { giop_minor_ = minor; }
  /// With a mark, UTF-16 text is sent in the stream's byte order behind a
  /// byte-order mark; without, it is sent big-endian with no mark, which
  /// every receiver must accept. Off by default.
  void set_wide_byte_order_mark(bool on) noexcept { wide_byte_order_mark_ = on; }
  CharCodeSet char_code_set() const noexcept { return char_code_set_; }
  /// Sets the code set that char and string values are converted to; the
  /// values given to write_char() and write_string() are UTF-8.
  void set_char_code_set(CharCodeSet code_set) noexcept { char_code_set_ = code_set; }

  /// Offset of the next byte relative to the alignment origin.
  size_t position() const noexcept { return base_offset_ + size() - origin_; }
  /// Number of bytes encoded, borrowed ones included; differences of sizes
  /// are the distances that TypeCode indirections measure.
  size_t size() const noexcept { return buffer_.size() + borrowed_bytes_; }
  /// Appends zero padding until position() is a multiple of `alignment`.
  void align(size_t alignment);
  /// Allocates room for `bytes` bytes in total, so appending up to that many does not reallocate.
  void reserve(size_t bytes) { buffer_.reserve(bytes); }

  void write_octet(uint8_t v) { buffer_.push_back(v); }
  void write_boolean(bool v) { buffer_.push_back(v ? 1 : 0); }
  /// One byte of UTF-8; in ISO-8859-1 a byte above 0x7F, which is part of
  /// a longer UTF-8 character, raises DATA_CONVERSION.
  void write_char(char v);
  void write_short(int16_t v) { write_scalar(v); }
  void write_ushort(uint16_t v) { write_scalar(v); }
  void write_long(int32_t v) { write_scalar(v); }
  void write_ulong(uint32_t v) { write_scalar(v); }
  void write_longlong(int64_t v) { write_scalar(v); }
  void write_ulonglong(uint64_t v) { write_scalar(v); }
  void write_float(float v) { write_scalar(v); }
  void write_double(double v) { write_scalar(v); }
  /// IEEE 754 binary128, 16 bytes aligned to 8, whatever the host's long double is.
  void write_long_double(long double v);
  /// A Unicode code point; raises DATA_CONVERSION when it is not one.
  void write_wchar(wchar_t v);

  /// Length (including the NUL), bytes, NUL. `bound` 0 means unbounded; a
  /// longer string raises BAD_PARAM before anything is written. UTF-8 text
  /// that the char code set cannot represent raises DATA_CONVERSION.
  void write_string(std::string_view v, uint32_t bound = 0);
  /// UTF-32 text sent as UTF-16 by the rules of giop_minor().
  void write_wstring(std::wstring_view v, uint32_t bound = 0);
  /// Raw bytes with no length and no alignment.
  void write_octets(std::span<const uint8_t> bytes);
  /// `sequence<octet>`: a length followed by the bytes.
  void write_octet_sequence(std::span<const uint8_t> bytes, uint32_t bound = 0);
  /// Writes a sequence length after checking it against the bound and 2^32-1.
  void write_length(size_t length, uint32_t bound, std::string_view what);

  /// Writes `count` scalars of one type as a block, aligned once.
  template <class T>
  void write_array(const T* values, size_t count);

  /// Writes an encapsulation: a length, then a byte-order octet and whatever
  /// `body(Encoder&)` writes, aligned relative to the byte-order octet.
  template <class Body>
  void write_encapsulation(Body&& body) {
    write_encapsulation(order_, std::forward<Body>(body));
  }
  template <class Body>
  void write_encapsulation(ByteOrder order, Body&& body) {
    Encoder inner(order, 0);
    inner.giop_minor_ = giop_minor_;
    inner.wide_byte_order_mark_ = wide_byte_order_mark_;
    inner.char_code_set_ = char_code_set_;
    inner.write_octet(static_cast<uint8_t>(order));
    body(inner);
    write_octet_sequence(inner.bytes());
  }

  /// State saved by begin_encapsulation() and restored by end_encapsulation().
  struct EncapsulationMark {
    size_t length_index;
    size_t base_offset;
    size_t origin;
    ByteOrder order;
  };
  /// Starts an encapsulation in this buffer: reserves its length, writes the
  /// byte-order octet and aligns relative to that octet until the matching
  /// end_encapsulation(). Unlike write_encapsulation(), the bytes keep their
  /// place in the outer buffer, which TypeCode indirections need.
  EncapsulationMark begin_encapsulation(ByteOrder order);
  void end_encapsulation(const EncapsulationMark& mark);

  /// Reserves an aligned ulong to be filled in later, such as a message size.
  size_t reserve_ulong();
  /// Stores `v` at a buffer index returned by reserve_ulong().
  void patch_ulong(size_t index, uint32_t v);

  /// Lets write_array() refer to a block of byte-sized values of at least
  /// `min_bytes` where it lies instead of copying it; 0, the default, copies
  /// every block. The caller keeps such blocks unchanged and alive until it
  /// has sent what it encoded. Nothing inside an encapsulation is borrowed.
  void borrow_blocks_from(size_t min_bytes) noexcept { borrow_min_ = min_bytes; }
  /// Lets write_owned_octet_sequence() keep a block of at least
  /// `min_bytes` and send it from where it lies; 0, the default, copies it.
  void keep_blocks_from(size_t min_bytes) noexcept { keep_min_ = min_bytes; }
  /// `sequence<octet>` from a vector that the caller gives up: kept (see
  /// keep_blocks_from()) or copied.
  void write_owned_octet_sequence(std::vector<uint8_t>&& bytes);
  /// Takes the blocks that write_owned_octet_sequence() kept; borrowed()
  /// refers to them, so they must live until the bytes are sent.
  std::vector<std::vector<uint8_t>> take_kept() noexcept { return std::exchange(kept_, {}); }

  /// The blocks referred to, in order; empty unless borrow_blocks_from() or
  /// keep_blocks_from() was set.
  const std::vector<BorrowedBytes>& borrowed() const noexcept { return borrowed_; }

  /// The encoded bytes. Only for an encoder that borrowed nothing.
  const std::vector<uint8_t>& bytes() const noexcept { return buffer_; }
  /// Takes the buffer, without the borrowed blocks: see borrowed().
  std::vector<uint8_t> take_buffer() noexcept {
    borrowed_.clear();
    borrowed_bytes_ = 0;
    return std::exchange(buffer_, {});
  }
  /// Takes the encoded bytes, with borrowed and kept blocks copied into place.
  std::vector<uint8_t> take_bytes();

 private:
  template <class T>
  void write_scalar(T v) {
    align(sizeof(T));
    append_swapped(&v, sizeof(T));
  }
  void append_swapped(const void* value, size_t size);
  void write_raw_string(std::string_view v, uint32_t bound);
  void write_utf16_units(const std::u16string& units, bool with_mark);
  bool needs_byte_order_mark(const std::u16string& units) const noexcept;

  std::vector<uint8_t> buffer_;
  std::vector<BorrowedBytes> borrowed_;
  size_t borrowed_bytes_ = 0;
  size_t borrow_min_ = 0;  // 0: borrow nothing
  size_t keep_min_ = 0;    // 0: keep nothing
  std::vector<std::vector<uint8_t>> kept_;
  size_t encapsulation_depth_ = 0;  // of begin_encapsulation() calls not yet ended
  size_t base_offset_;
  size_t origin_ = 0;  // size() at the point that alignment is measured from
  ByteOrder order_;
  uint8_t giop_minor_ = kDefaultGiopMinor;
  bool wide_byte_order_mark_ = false;
  CharCodeSet char_code_set_ = CharCodeSet::utf8;
};

template <class T>
void Encoder::write_array(const T* values, size_t count) {
  static_assert(std::is_arithmetic_v<T> && sizeof(T) <= 8);
  if (count == 0) {
    return;
  }
  align(sizeof(T) == 1 ? 1 : sizeof(T));
  if (sizeof(T) == 1 && borrow_min_ != 0 && count >= borrow_min_ && encapsulation_depth_ == 0) {
    borrowed_.push_back({buffer_.size(), {reinterpret_cast<const uint8_t*>(values), count}});
    borrowed_bytes_ += count;
    return;
  }
  if (sizeof(T) == 1 || order_ == kNativeByteOrder) {
    const auto* raw = reinterpret_cast<const uint8_t*>(values);
    buffer_.insert(buffer_.end(), raw, raw + count * sizeof(T));
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    append_swapped(&values[i], sizeof(T));
  }
}

}  // namespace orb::cdr
