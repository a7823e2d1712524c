// CDR encoding of the primitives that need more than a copy: alignment,
// long double, and the wide-character rules of each GIOP version.
#include <orb/cdr/encoder.hpp>

#include <orb/cdr/long_double.hpp>
#include <orb/cdr/utf16.hpp>
#include <orb/exception.hpp>
#include <orb/minor.hpp>

#include <limits>

namespace orb::cdr {
namespace {

[[noreturn]] void raise_no_wide_chars(std::string_view what) {
  throw MARSHAL(minor::kWideCharInGiop10, CompletionStatus::no,
                "encode " + std::string(what) + ": GIOP 1.0 cannot carry wide characters");
}

}  // namespace

Encoder::Encoder(ByteOrder order, size_t base_offset) : base_offset_(base_offset), order_(order) {}

void Encoder::align(size_t alignment) {
  size_t misalignment = position() % alignment;
  if (misalignment != 0) {
    buffer_.insert(buffer_.end(), alignment - misalignment, 0);
  }
}

void Encoder::append_swapped(const void* value, size_t size) {
  const auto* raw = static_cast<const uint8_t*>(value);
  if (order_ == kNativeByteOrder) {
    buffer_.insert(buffer_.end(), raw, raw + size);
    return;
  }
  for (size_t i = size; i > 0; --i) {
    buffer_.push_back(raw[i - 1]);
  }
}

void Encoder::write_long_double(long double v) {
  align(8);
  std::array<uint8_t, 16> big = detail::to_binary128(v);
  if (order_ == ByteOrder::big_endian) {
    buffer_.insert(buffer_.end(), big.begin(), big.end());
  } else {
    buffer_.insert(buffer_.end(), big.rbegin(), big.rend());
  }
}

void Encoder::write_wchar(wchar_t v) {
  if (giop_minor_ == 0) {
    raise_no_wide_chars("wchar");
  }
  std::u16string units;
  detail::append_utf16(units, v);
  if (giop_minor_ == 1) {
    if (units.size() != 1) {
      throw DATA_CONVERSION(minor::kBadCodePoint, CompletionStatus::no,
                            "encode wchar: U+" + std::to_string(static_cast<uint32_t>(v)) +
                                " needs a surrogate pair, which GIOP 1.1 cannot carry");
    }
    write_ushort(units[0]);
    return;
  }
  bool mark = needs_byte_order_mark(units);
  write_octet(static_cast<uint8_t>(units.size() * 2 + (mark ? 2 : 0)));
  write_utf16_units(units, mark);
}

bool Encoder::needs_byte_order_mark(const std::u16string& units) const noexcept {
  // Text that starts with U+FEFF or U+FFFE would be read as a mark, so it
  // gets a real one in front.
  bool looks_like_mark = !units.empty() && (units.front() == detail::kByteOrderMark ||
                                            units.front() == detail::kSwappedByteOrderMark);
  return wide_byte_order_mark_ || looks_like_mark;
}

void Encoder::write_char(char v) {
  if (char_code_set_ == CharCodeSet::iso8859_1 && static_cast<uint8_t>(v) > 0x7F) {
    throw DATA_CONVERSION(minor::kCharNotInCodeSet, CompletionStatus::no,
                          "encode char: byte " + std::to_string(static_cast<uint8_t>(v)) +
                              " is part of a UTF-8 sequence, not one ISO-8859-1 character");
  }
  buffer_.push_back(static_cast<uint8_t>(v));
}

void Encoder::write_string(std::string_view v, uint32_t bound) {
  if (char_code_set_ == CharCodeSet::iso8859_1) {
    std::string latin1 = detail::utf8_to_latin1(v, "string");
    write_raw_string(latin1, bound);
    return;
  }
  write_raw_string(v, bound);
}

void Encoder::write_raw_string(std::string_view v, uint32_t bound) {
  write_length(v.size(), bound, "string");
  // The length written above counted the characters; CDR counts the NUL too.
  patch_ulong(buffer_.size() - 4, static_cast<uint32_t>(v.size() + 1));
  buffer_.insert(buffer_.end(), v.begin(), v.end());
  buffer_.push_back(0);
}

void Encoder::write_wstring(std::wstring_view v, uint32_t bound) {
  if (giop_minor_ == 0) {
    raise_no_wide_chars("wstring");
  }
  if (bound != 0 && v.size() > bound) {
    throw BAD_PARAM(minor::kBoundExceeded, CompletionStatus::no,
                    "encode wstring: length " + std::to_string(v.size()) + " exceeds the bound " +
                        std::to_string(bound));
  }
  std::u16string units = detail::to_utf16(v);
  if (giop_minor_ == 1) {
    // GIOP 1.1: 2-byte units in the stream's byte order, counting a final NUL.
    write_length(units.size() + 1, 0, "wstring");
    for (char16_t unit : units) {
      write_ushort(unit);
    }
    write_ushort(0);
    return;
  }
  if (units.empty()) {
    write_ulong(0);
    return;
  }
  bool mark = needs_byte_order_mark(units);
  write_length(units.size() * 2 + (mark ? 2 : 0), 0, "wstring");
  write_utf16_units(units, mark);
}

void Encoder::write_utf16_units(const std::u16string& units, bool with_mark) {
  // Marked text follows the stream's byte order; unmarked text is big-endian.
  ByteOrder text_order = wide_byte_order_mark_ ? order_ : ByteOrder::big_endian;
  auto put = [&](char16_t unit) {
    auto high = static_cast<uint8_t>(unit >> 8);
    auto low = static_cast<uint8_t>(unit & 0xFF);
    buffer_.push_back(text_order == ByteOrder::big_endian ? high : low);
    buffer_.push_back(text_order == ByteOrder::big_endian ? low : high);
  };
  if (with_mark) {
    put(detail::kByteOrderMark);
  }
  for (char16_t unit : units) {
    put(unit);
  }
}

void Encoder::write_octets(std::span<const uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void Encoder::write_owned_octet_sequence(std::vector<uint8_t>&& bytes) {
  write_length(bytes.size(), 0, "sequence<octet>");
  if (keep_min_ == 0 || bytes.size() < keep_min_ || encapsulation_depth_ != 0) {
    write_octets(bytes);
    return;
  }
  kept_.push_back(std::move(bytes));
  borrowed_.push_back({buffer_.size(), kept_.back()});
  borrowed_bytes_ += kept_.back().size();
}

void Encoder::write_octet_sequence(std::span<const uint8_t> bytes, uint32_t bound) {
  write_length(bytes.size(), bound, "sequence<octet>");
  write_octets(bytes);
}

void Encoder::write_length(size_t length, uint32_t bound, std::string_view what) {
  if (bound != 0 && length > bound) {
    throw BAD_PARAM(minor::kBoundExceeded, CompletionStatus::no,
                    "encode " + std::string(what) + ": length " + std::to_string(length) +
                        " exceeds the bound " + std::to_string(bound));
  }
  // A string's length on the wire is one more than its characters.
  if (length >= std::numeric_limits<uint32_t>::max()) {
    throw IMP_LIMIT(minor::kBoundExceeded, CompletionStatus::no,
                    "encode " + std::string(what) + ": length " + std::to_string(length) +
                        " does not fit the 32-bit CDR length");
  }
  write_ulong(static_cast<uint32_t>(length));
}

Encoder::EncapsulationMark Encoder::begin_encapsulation(ByteOrder order) {
  EncapsulationMark mark{reserve_ulong(), base_offset_, origin_, order_};
  base_offset_ = 0;
  origin_ = size();
  order_ = order;
  ++encapsulation_depth_;
  write_octet(static_cast<uint8_t>(order));
  return mark;
}

void Encoder::end_encapsulation(const EncapsulationMark& mark) {
  size_t length = size() - origin_;
  base_offset_ = mark.base_offset;
  origin_ = mark.origin;
  order_ = mark.order;
  --encapsulation_depth_;
  patch_ulong(mark.length_index, static_cast<uint32_t>(length));
}

std::vector<uint8_t> join_borrowed(std::span<const uint8_t> buffer,
                                   std::span<const BorrowedBytes> borrowed) {
  size_t total = buffer.size();
  for (const BorrowedBytes& block : borrowed) {
    total += block.bytes.size();
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(total);
  size_t copied = 0;
  for (const BorrowedBytes& block : borrowed) {
    bytes.insert(bytes.end(), buffer.begin() + static_cast<ptrdiff_t>(copied),
                 buffer.begin() + static_cast<ptrdiff_t>(block.at));
    bytes.insert(bytes.end(), block.bytes.begin(), block.bytes.end());
    copied = block.at;
  }
  bytes.insert(bytes.end(), buffer.begin() + static_cast<ptrdiff_t>(copied), buffer.end());
  return bytes;
}

std::vector<uint8_t> Encoder::take_bytes() {
  if (borrowed_.empty()) {
    return std::exchange(buffer_, {});
  }
  std::vector<uint8_t> bytes = join_borrowed(buffer_, borrowed_);
  buffer_.clear();
  borrowed_.clear();
  borrowed_bytes_ = 0;
  kept_.clear();
  return bytes;
}

size_t Encoder::reserve_ulong() {
  align(4);
  size_t index = buffer_.size();
  buffer_.insert(buffer_.end(), 4, 0);
  return index;
}

void Encoder::patch_ulong(size_t index, uint32_t v) {
  if (order_ != kNativeByteOrder) {
    v = byte_swap(v);
  }
  std::memcpy(buffer_.data() + index, &v, 4);
}

}  // namespace orb::cdr
