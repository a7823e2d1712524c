// Property tests of the code idlgen generates for tests/idl/golden/types.idl
// and recursive.idl: random values of every kind of IDL type, encoded by the
// generated codecs in both byte orders, decode to equal values. Also the
// checks the generated code adds: string and sequence bounds, enum ranges,
// union discriminators, TypeCodes of recursive types, and orb::Fixed.
// The seed comes from ORB_TEST_SEED when set and is printed on failure.
#include "recursive.hpp"
#include "types.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>

namespace {

using orb::cdr::ByteOrder;

constexpr int kIterations = 300;
constexpr ByteOrder kOrders[] = {ByteOrder::big_endian, ByteOrder::little_endian};

uint64_t test_seed() {
  if (const char* text = std::getenv("ORB_TEST_SEED")) {
    return std::strtoull(text, nullptr, 10);
  }
  return std::random_device{}();
}

// Random values within what each IDL type allows.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  template <class T>
  T integer() {
    using Wide = std::conditional_t<(sizeof(T) < sizeof(int)), int, T>;
    std::uniform_int_distribution<Wide> distribution(std::numeric_limits<T>::min(),
                                                     std::numeric_limits<T>::max());
    return static_cast<T>(distribution(engine_));
  }
  size_t below(size_t limit) {
    return std::uniform_int_distribution<size_t>(0, limit - 1)(engine_);
  }
  bool boolean() { return below(2) == 1; }
  double real() { return std::uniform_real_distribution<double>(-1e12, 1e12)(engine_); }

  // Text without NUL, which CDR strings cannot carry.
  std::string text(size_t max_length) {
    std::string out(below(max_length + 1), ' ');
    for (char& c : out) {
      c = static_cast<char>(1 + below(127));
    }
    return out;
  }

  // Unicode scalar values, some outside the Basic Multilingual Plane.
  std::wstring wide_text(size_t max_length) {
    std::wstring out(below(max_length + 1), L' ');
    for (wchar_t& c : out) {
      c = wide_char();
      if (below(8) == 0) {
        c = static_cast<wchar_t>(0x10000 + below(0x100000));
      }
    }
    return out;
  }

  // A wchar is one UTF-16 unit on the wire, so it stays in the BMP and
  // outside the surrogate range.
  wchar_t wide_char() {
    size_t code = 1 + below(0xfffd - 0x800);
    return static_cast<wchar_t>(code >= 0xd800 ? code + 0x800 : code);
  }

 private:
  std::mt19937_64 engine_;
};

template <class T>
T roundtrip(const T& value, ByteOrder order) {
  orb::cdr::Encoder encoder(order);
  orb::cdr::Codec<T>::encode(encoder, value);
  orb::cdr::Decoder decoder(encoder.bytes(), order);
  T decoded{};
  orb::cdr::Codec<T>::decode(decoder, decoded);
  EXPECT_TRUE(decoder.at_end()) << decoder.remaining() << " bytes left over";
  return decoded;
}

Types::Primitives random_primitives(Random& random) {
  Types::Primitives p;
  p.s = random.integer<int16_t>();
  p.l = random.integer<int32_t>();
  p.ll = random.integer<int64_t>();
  p.us = random.integer<uint16_t>();
  p.ul = random.integer<uint32_t>();
  p.ull = random.integer<uint64_t>();
  p.f = static_cast<float>(random.real());
  p.d = random.real();
  p.ld = random.real();
  p.c = static_cast<char>(random.integer<uint8_t>());
  p.wc = random.wide_char();
  p.b = random.boolean();
  p.o = random.integer<uint8_t>();
  return p;
}

Types::Strings random_strings(Random& random) {
  return {random.text(40), random.wide_text(40), random.text(8), random.wide_text(5)};
}

Types::Containers random_containers(Random& random) {
  Types::Containers c;
  c.numbers.resize(random.below(20));
  for (int32_t& n : c.numbers) {
    n = random.integer<int32_t>();
  }
  c.bytes.resize(random.below(64));
  for (uint8_t& b : c.bytes) {
    b = random.integer<uint8_t>();
  }
  c.flags.resize(random.below(5));
  for (size_t i = 0; i < c.flags.size(); ++i) {
    c.flags[i] = random.boolean();
  }
  c.tags.resize(random.below(4));
  for (std::string& tag : c.tags) {
    tag = random.text(4);
  }
  for (auto& row : c.grid) {
    for (int32_t& cell : row) {
      cell = random.integer<int32_t>();
    }
  }
  for (Types::Color& color : c.palette) {
    color = static_cast<Types::Color>(random.below(3));
  }
  c.nested.resize(random.below(4));
  for (auto& inner : c.nested) {
    inner.resize(random.below(4));
    for (std::string& text : inner) {
      text = random.text(2);
    }
  }
  return c;
}

Types::Shape random_shape(Random& random) {
  Types::Shape shape;
  switch (random.below(3)) {
    case 0:
      shape.radius(random.real());
      break;
    case 1:
      shape.box(random_primitives(random));
      break;
    default:
      shape.label(random.text(20));
      break;
  }
  return shape;
}

Types::Choice random_choice(Random& random) {
  Types::Choice choice;
  switch (random.below(3)) {
    case 0:
      choice.count(random.integer<int32_t>());
      break;
    case 1:
      choice.name(random.text(20));
      break;
    default:
      choice._default();
      break;
  }
  return choice;
}

Types::Flag random_flag(Random& random) {
  Types::Flag flag;
  if (random.boolean()) {
    flag.on(random.integer<uint8_t>());
  } else {
    flag._default();
  }
  return flag;
}

Types::Letter random_letter(Random& random) {
  Types::Letter letter;
  switch (random.below(3)) {
    case 0:
      letter.alpha(random.integer<int16_t>());
      break;
    case 1:
      letter.zulu(Types::LongSeq(random.below(5), random.integer<int32_t>()));
      break;
    default:
      letter._default();
      break;
  }
  return letter;
}

Types::Money random_money(Random& random) {
  int64_t limit = 999999999;
  auto scaled = static_cast<int64_t>(random.below(2 * limit + 1)) - limit;
  return Types::Money::from_scaled(scaled);
}

Types::Everything random_everything(Random& random) {
  Types::Everything e;
  e.basics = random_primitives(random);
  e.texts = random_strings(random);
  e.lists = random_containers(random);
  e.figure = random_shape(random);
  e.pick = random_choice(random);
  e.toggle = random_flag(random);
  e.initial = random_letter(random);
  e.hue = static_cast<Types::Color>(random.below(3));
  e.price = random_money(random);
  switch (random.below(3)) {
    case 0:
      e.value = orb::Any::from(random_primitives(random));
      break;
    case 1:
      e.value = orb::Any::from(random_shape(random));
      break;
    default:
      break;  // an empty any, of TypeCode tk_null
  }
  return e;
}

Trees::Node random_node(Random& random, int depth) {
  Trees::Node node;
  node.label = random.text(10);
  if (depth > 0) {
    node.children.resize(random.below(4));
    for (Trees::Node& child : node.children) {
      child = random_node(random, depth - 1);
    }
  }
  return node;
}

Trees::Value random_value(Random& random, int depth) {
  Trees::Value value;
  switch (depth > 0 ? random.below(3) : random.below(2)) {
    case 0:
      value.number(random.integer<int32_t>());
      break;
    case 1:
      value.text(random.text(10));
      break;
    default: {
      std::vector<Trees::Value> list(random.below(4));
      for (Trees::Value& item : list) {
        item = random_value(random, depth - 1);
      }
      value.list(std::move(list));
      break;
    }
  }
  return value;
}

// Runs `check(random, order)` kIterations times in both byte orders.
template <class Check>
void for_random_values(Check check) {
  uint64_t seed = test_seed();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (set ORB_TEST_SEED to repeat)");
  Random random(seed);
  for (int i = 0; i < kIterations && !::testing::Test::HasFailure(); ++i) {
    for (ByteOrder order : kOrders) {
      check(random, order);
    }
  }
}

TEST(IdlRoundtrip, Primitives) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Primitives value = random_primitives(random);
    EXPECT_EQ(roundtrip(value, order), value);
  });
}

TEST(IdlRoundtrip, StringsWithBounds) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Strings value = random_strings(random);
    EXPECT_EQ(roundtrip(value, order), value);
  });
}

TEST(IdlRoundtrip, SequencesAndArrays) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Containers value = random_containers(random);
    EXPECT_EQ(roundtrip(value, order), value);
  });
}

TEST(IdlRoundtrip, Unions) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Shape shape = random_shape(random);
    EXPECT_EQ(roundtrip(shape, order), shape);
    Types::Choice choice = random_choice(random);
    EXPECT_EQ(roundtrip(choice, order), choice);
    Types::Flag flag = random_flag(random);
    EXPECT_EQ(roundtrip(flag, order), flag);
    Types::Letter letter = random_letter(random);
    EXPECT_EQ(roundtrip(letter, order), letter);
  });
}

TEST(IdlRoundtrip, EnumsAndFixed) {
  for_random_values([](Random& random, ByteOrder order) {
    auto color = static_cast<Types::Color>(random.below(3));
    EXPECT_EQ(roundtrip(color, order), color);
    Types::Money money = random_money(random);
    EXPECT_EQ(roundtrip(money, order), money);
  });
}

TEST(IdlRoundtrip, NestedStructWithAnyAndObject) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Everything value = random_everything(random);
    EXPECT_EQ(roundtrip(value, order), value);
  });
}

TEST(IdlRoundtrip, AnyHoldingGeneratedStruct) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Containers value = random_containers(random);
    orb::Any any = roundtrip(orb::Any::from(value), order);
    Types::Containers extracted;
    ASSERT_TRUE(any.extract(extracted));
    EXPECT_EQ(extracted, value);
  });
}

TEST(IdlRoundtrip, ExceptionMembers) {
  for_random_values([](Random& random, ByteOrder order) {
    Types::Failure value(random.integer<int32_t>(), random.text(30));
    Types::Failure decoded = roundtrip(value, order);
    EXPECT_EQ(decoded.code, value.code);
    EXPECT_EQ(decoded.reason, value.reason);
  });
}

TEST(IdlRoundtrip, RecursiveTypes) {
  for_random_values([](Random& random, ByteOrder order) {
    Trees::Node node = random_node(random, 3);
    EXPECT_EQ(roundtrip(node, order), node);
    Trees::Value value = random_value(random, 3);
    EXPECT_EQ(roundtrip(value, order), value);
  });
}

TEST(IdlRoundtrip, AnyHoldingRecursiveStruct) {
  for_random_values([](Random& random, ByteOrder order) {
    Trees::Node node = random_node(random, 2);
    orb::Any any = roundtrip(orb::Any::from(node), order);
    Trees::Node extracted;
    ASSERT_TRUE(any.extract(extracted));
    EXPECT_EQ(extracted, node);
  });
}

// ---------------------------------------------------------------------------
// Checks that generated code adds

TEST(IdlGenerated, BoundedStringTooLongIsRejectedOnEncode) {
  Types::Strings value;
  value.name = "123456789";  // ShortName is string<8>
  orb::cdr::Encoder encoder;
  EXPECT_THROW(orb::cdr::encode(encoder, value), orb::BAD_PARAM);
}

TEST(IdlGenerated, BoundedStringTooLongIsRejectedOnDecode) {
  orb::cdr::Encoder encoder;
  encoder.write_string("text");
  encoder.write_wstring(L"wide");
  encoder.write_string("123456789");
  encoder.write_wstring(L"w");
  orb::cdr::Decoder decoder(encoder.bytes(), encoder.byte_order());
  Types::Strings value;
  EXPECT_THROW(orb::cdr::Codec<Types::Strings>::decode(decoder, value), orb::MARSHAL);
}

TEST(IdlGenerated, BoundedSequenceLimitsElementsAndTheirBounds) {
  Types::Containers too_many;
  too_many.tags = {"a", "b", "c", "d"};  // TagList is sequence<string<4>, 3>
  orb::cdr::Encoder first;
  EXPECT_THROW(orb::cdr::encode(first, too_many), orb::BAD_PARAM);

  Types::Containers too_long;
  too_long.tags = {"abcde"};
  orb::cdr::Encoder second;
  EXPECT_THROW(orb::cdr::encode(second, too_long), orb::BAD_PARAM);
}

TEST(IdlGenerated, EnumOutOfRangeIsRejected) {
  orb::cdr::Encoder encoder;
  encoder.write_ulong(3);  // Color has three enumerators
  orb::cdr::Decoder decoder(encoder.bytes(), encoder.byte_order());
  Types::Color color{};
  EXPECT_THROW(orb::cdr::Codec<Types::Color>::decode(decoder, color), orb::MARSHAL);
}

TEST(IdlGenerated, UnionModifiersSetTheDiscriminator) {
  Types::Shape shape;
  EXPECT_EQ(shape._d(), 1);
  shape.label("round");
  EXPECT_EQ(shape._d(), 0);  // the default branch takes a value no label uses
  shape.box({});
  EXPECT_EQ(shape._d(), 2);

  Types::Choice choice;
  choice._default();
  EXPECT_EQ(choice._d(), Types::Color::blue);
  EXPECT_EQ(roundtrip(choice, ByteOrder::big_endian)._d(), Types::Color::blue);
}

TEST(IdlGenerated, UnionDiscriminatorSetter) {
  Types::Shape shape;
  shape.box({});
  shape._d(3);  // case 2: case 3: the same branch
  EXPECT_EQ(shape._d(), 3);
  EXPECT_EQ(roundtrip(shape, ByteOrder::big_endian)._d(), 3);
  EXPECT_THROW(shape._d(1), orb::BAD_PARAM);  // radius
  EXPECT_THROW(shape._d(7), orb::BAD_PARAM);  // the default branch, label
  EXPECT_EQ(shape._d(), 3);

  shape.label("round");
  shape._d(-5);  // any value no case label uses selects the default branch
  EXPECT_EQ(shape._d(), -5);
  EXPECT_EQ(shape.label(), "round");
  EXPECT_THROW(shape._d(2), orb::BAD_PARAM);

  Types::Choice choice;  // red and green select a branch each, blue selects none
  choice._default();
  choice._d(Types::Color::blue);
  EXPECT_THROW(choice._d(Types::Color::red), orb::BAD_PARAM);
  choice.name("n");
  EXPECT_THROW(choice._d(Types::Color::blue), orb::BAD_PARAM);
}

TEST(IdlGenerated, UnionDecodesSecondLabelOfBranch) {
  orb::cdr::Encoder encoder;
  encoder.write_long(3);  // case 2: case 3: Primitives box
  orb::cdr::encode(encoder, Types::Primitives{});
  orb::cdr::Decoder decoder(encoder.bytes(), encoder.byte_order());
  Types::Shape shape;
  orb::cdr::Codec<Types::Shape>::decode(decoder, shape);
  EXPECT_EQ(shape._d(), 3);
  EXPECT_EQ(shape.box(), Types::Primitives{});
}

TEST(IdlGenerated, MinWireSizes) {
  EXPECT_EQ(orb::cdr::Codec<Types::Color>::min_wire_size, 4u);
  EXPECT_EQ(orb::cdr::Codec<Types::Shape>::min_wire_size, 4u);
  EXPECT_EQ(orb::cdr::Codec<Types::Flag>::min_wire_size, 1u);
  // 2+4+8+2+4+8+4+8+16 for the numbers, then char, wchar, boolean, octet.
  EXPECT_EQ(orb::cdr::Codec<Types::Primitives>::min_wire_size, 60u);
  EXPECT_EQ(orb::cdr::Codec<Trees::Node>::min_wire_size, 9u);
}

TEST(IdlGenerated, RecursiveTypeCodeUsesRecursiveReference) {
  orb::TypeCodeRef node = orb::TypeCodeOf<Trees::Node>::get();
  ASSERT_EQ(node->kind(), orb::TCKind::tk_struct);
  ASSERT_EQ(node->members().size(), 2u);
  const orb::TypeCodeRef& children = node->members()[1].type;
  ASSERT_EQ(children->kind(), orb::TCKind::tk_alias);
  const orb::TypeCodeRef& sequence = children->content_type();
  ASSERT_EQ(sequence->kind(), orb::TCKind::tk_sequence);
  EXPECT_TRUE(sequence->content_type()->is_recursive_reference());
  EXPECT_EQ(sequence->content_type()->id(), "IDL:Trees/Node:1.0");
}

TEST(IdlGenerated, TypeCodesCarryIdsAndNames) {
  orb::TypeCodeRef shape = orb::TypeCodeOf<Types::Shape>::get();
  EXPECT_EQ(shape->kind(), orb::TCKind::tk_union);
  EXPECT_EQ(shape->id(), "IDL:Types/Shape:1.0");
  EXPECT_EQ(shape->default_index(), 3);
  ASSERT_EQ(shape->members().size(), 4u);  // box has two labels
  EXPECT_EQ(shape->members()[2].label, 3);
  EXPECT_EQ(orb::TypeCodeOf<Types::Failure>::get()->kind(), orb::TCKind::tk_except);
}

// ---------------------------------------------------------------------------
// orb::Fixed

// Aliases keep the commas of template arguments out of the test macros.
using Fixed5x2 = orb::Fixed<5, 2>;
using Fixed6x2 = orb::Fixed<6, 2>;
using Fixed4x2 = orb::Fixed<4, 2>;
using Fixed3x0 = orb::Fixed<3, 0>;
using Fixed2x0 = orb::Fixed<2, 0>;

TEST(Fixed, ParsesAndFormats) {
  EXPECT_EQ(Fixed5x2("123.45").to_string(), "123.45");
  EXPECT_EQ(Fixed5x2("-0.5").to_string(), "-0.50");
  EXPECT_EQ(Fixed5x2("7d").to_string(), "7.00");
  EXPECT_EQ(Fixed5x2("1.239").to_string(), "1.23");  // truncated
  EXPECT_EQ(Fixed3x0(42).to_string(), "42");
  EXPECT_THROW(Fixed5x2("1234.5"), orb::DATA_CONVERSION);
  EXPECT_THROW(Fixed5x2("12a"), orb::BAD_PARAM);
  EXPECT_THROW(Fixed5x2("."), orb::BAD_PARAM);
}

TEST(Fixed, ComparesAndAdds) {
  Fixed6x2 a("10.25");
  Fixed6x2 b("-3.5");
  EXPECT_LT(b, a);
  EXPECT_EQ((a + b).to_string(), "6.75");
  EXPECT_EQ((b - a).to_string(), "-13.75");
  EXPECT_EQ((-a).to_string(), "-10.25");
  EXPECT_THROW(Fixed6x2("9999.99") + Fixed6x2("0.01"), orb::DATA_CONVERSION);
}

TEST(Fixed, EncodesPackedDecimal) {
  orb::cdr::Encoder odd;
  orb::cdr::encode(odd, Fixed5x2("123.45"));
  EXPECT_EQ(odd.bytes(), (std::vector<uint8_t>{0x12, 0x34, 0x5c}));

  orb::cdr::Encoder even;  // an even digit count starts with a zero half-octet
  orb::cdr::encode(even, Fixed4x2("-12.34"));
  EXPECT_EQ(even.bytes(), (std::vector<uint8_t>{0x01, 0x23, 0x4d}));
}

TEST(Fixed, RejectsMalformedPackedDecimal) {
  std::vector<uint8_t> bad_digit = {0x1a, 0x3c};
  orb::cdr::Decoder first(bad_digit, ByteOrder::big_endian);
  Fixed3x0 value;
  EXPECT_THROW(orb::cdr::Codec<Fixed3x0>::decode(first, value), orb::MARSHAL);

  std::vector<uint8_t> bad_sign = {0x12, 0x3e};
  orb::cdr::Decoder second(bad_sign, ByteOrder::big_endian);
  EXPECT_THROW(orb::cdr::Codec<Fixed3x0>::decode(second, value), orb::MARSHAL);

  std::vector<uint8_t> too_long = {0x12,
                                   0x3c};  // 123 in fixed<2, 0>, whose first half-octet must be 0
  orb::cdr::Decoder third(too_long, ByteOrder::big_endian);
  Fixed2x0 short_value;
  EXPECT_THROW(orb::cdr::Codec<Fixed2x0>::decode(third, short_value), orb::MARSHAL);
}

}  // namespace
