// Parsing and formatting of corbaloc: and corbaname: URLs. The parser walks
// the URL by offsets so every error names the offset of the fault.
#include <orb/ior/corbaloc.hpp>

#include <orb/exception.hpp>
#include <orb/ior/detail.hpp>
#include <orb/minor.hpp>

#include <algorithm>

namespace orb::ior {
namespace {

constexpr std::string_view kCorbaloc = "corbaloc";
constexpr std::string_view kCorbaname = "corbaname";
// Characters that may appear unescaped in a key or a name, besides letters
// and digits.
constexpr std::string_view kUnreservedMarks = ";/:?@&=+$,-_.!~*'()";
constexpr char kHexDigits[] = "0123456789ABCDEF";

// Character classes are ASCII only, so no C locale can make a byte above
// 0x7f count as a letter.
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_unreserved(char c) {
  return is_alnum(c) || kUnreservedMarks.find(c) != std::string_view::npos;
}

int hex_value(char c) {
  if (is_digit(c)) {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
}

char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return to_lower(x) == to_lower(y);
         });
}

// A DNS name or IPv4 address: letters, digits, '-', '.' and, because real
// host names carry it, '_'.
bool is_valid_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return is_alnum(c) || c == '-' || c == '.' || c == '_';
  });
}

// The inside of an IPv6 literal: hex digits and colons, and dots for an
// embedded IPv4 address.
bool is_valid_ipv6(std::string_view host) {
  return host.find(':') != std::string_view::npos &&
         std::all_of(host.begin(), host.end(),
                     [](char c) { return hex_value(c) >= 0 || c == ':' || c == '.'; });
}

// Walks one URL. Offsets are positions in `url_`.
class UrlParser {
 public:
  UrlParser(std::string_view url, std::string_view scheme) : url_(url), scheme_(scheme) {}

  // Returns the offset just after "<scheme>:".
  size_t parse_scheme() const;
  // Parses the comma-separated addresses in [begin, end) into `location`.
  void parse_addresses(size_t begin, size_t end, Corbaloc& location) const;
  // Decodes the %-escapes of [begin, end), which is a key or a name.
  std::string unescape(size_t begin, size_t end, std::string_view what) const;

  [[noreturn]] void fail(uint32_t minor, size_t offset, const std::string& problem) const {
    throw BAD_PARAM(minor, CompletionStatus::no,
                    "parse " + std::string(scheme_) + " URL " + detail::quote(url_) + ": offset " +
                        std::to_string(offset) + ": " + problem);
  }

 private:
  void parse_address(size_t begin, size_t end, Corbaloc& location) const;
  IiopAddress parse_iiop_address(size_t begin, size_t end) const;
  IiopVersion parse_version(size_t begin, size_t end) const;
  uint8_t parse_version_number(size_t begin, size_t end) const;
  size_t parse_host(size_t begin, size_t end, std::string& host) const;
  uint16_t parse_port(size_t begin, size_t end) const;
  std::string_view slice(size_t begin, size_t end) const { return url_.substr(begin, end - begin); }

  std::string_view url_;
  std::string_view scheme_;
};

size_t UrlParser::parse_scheme() const {
  size_t colon = url_.find(':');
  if (colon == std::string_view::npos) {
    fail(minor::kBadSchemeName, 0, "missing scheme; expected \"" + std::string(scheme_) + ":\"");
  }
  if (!equals_ignoring_case(url_.substr(0, colon), scheme_)) {
    fail(minor::kBadSchemeName, 0,
         "scheme " + detail::quote(url_.substr(0, colon)) + " is not \"" + std::string(scheme_) +
             "\"");
  }
  return colon + 1;
}

void UrlParser::parse_addresses(size_t begin, size_t end, Corbaloc& location) const {
  size_t start = begin;
  while (true) {
    size_t comma = std::min(url_.find(',', start), end);
    parse_address(start, comma, location);
    if (comma == end) {
      break;
    }
    start = comma + 1;
  }
  if (location.rir && !location.addresses.empty()) {
    fail(minor::kBadUrl, begin, "\"rir:\" cannot be combined with other addresses");
  }
}

void UrlParser::parse_address(size_t begin, size_t end, Corbaloc& location) const {
  std::string_view address = slice(begin, end);
  if (address.empty()) {
    fail(minor::kBadAddress, begin, "empty address");
  }
  size_t colon = address.find(':');
  if (colon == std::string_view::npos) {
    fail(minor::kBadAddress, begin,
         "address " + detail::quote(address) +
             " has no protocol; write \"iiop:" + std::string(address) + "\" or \"rir:\"");
  }
  std::string_view protocol = address.substr(0, colon);
  if (equals_ignoring_case(protocol, "rir")) {
    if (location.rir) {
      fail(minor::kBadUrl, begin, "\"rir:\" appears more than once");
    }
    if (colon + 1 != address.size()) {
      fail(minor::kBadAddress, begin + colon + 1, "\"rir:\" takes no host or port");
    }
    location.rir = true;
    return;
  }
  if (!protocol.empty() && !equals_ignoring_case(protocol, "iiop")) {
    fail(minor::kBadAddress, begin,
         "protocol " + detail::quote(protocol) + " is not supported; use \"iiop\" or \"rir\"");
  }
  location.addresses.push_back(parse_iiop_address(begin + colon + 1, end));
}

IiopAddress UrlParser::parse_iiop_address(size_t begin, size_t end) const {
  IiopAddress address;
  size_t at = std::min(url_.find('@', begin), end);
  if (at != end) {
    address.version = parse_version(begin, at);
    begin = at + 1;
  }
  size_t host_end = parse_host(begin, end, address.host);
  if (host_end != end) {
    if (url_[host_end] != ':') {
      fail(minor::kBadAddress, host_end,
           "unexpected " + detail::quote(url_.substr(host_end, 1)) + " after the host");
    }
    address.port = parse_port(host_end + 1, end);
  }
  return address;
}

IiopVersion UrlParser::parse_version(size_t begin, size_t end) const {
  size_t dot = std::min(url_.find('.', begin), end);
  if (dot == end) {
    fail(minor::kBadAddress, begin,
         "version " + detail::quote(slice(begin, end)) + " is not <major>.<minor>");
  }
  IiopVersion version{parse_version_number(begin, dot), parse_version_number(dot + 1, end)};
  if (version.major != 1 || version.minor > 2) {
    fail(minor::kBadAddress, begin,
         "IIOP version " + std::string(slice(begin, end)) + " is not supported; use 1.0 to 1.2");
  }
  return version;
}

uint8_t UrlParser::parse_version_number(size_t begin, size_t end) const {
  std::string_view digits = slice(begin, end);
  if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), is_digit)) {
    fail(minor::kBadAddress, begin,
         "version number " + detail::quote(digits) + " is not a decimal number from 0 to 255");
  }
  int value = std::stoi(std::string(digits));
  if (value > 255) {
    fail(minor::kBadAddress, begin, "version number " + std::string(digits) + " exceeds 255");
  }
  return static_cast<uint8_t>(value);
}

// Stores the host and returns the offset just after it.
size_t UrlParser::parse_host(size_t begin, size_t end, std::string& host) const {
  if (begin < end && url_[begin] == '[') {
    size_t close = url_.find(']', begin);
    if (close == std::string_view::npos || close >= end) {
      fail(minor::kBadAddress, begin, "IPv6 address has no closing ']'");
    }
    host = std::string(slice(begin + 1, close));
    if (!is_valid_ipv6(host)) {
      fail(minor::kBadAddress, begin + 1, "invalid IPv6 address " + detail::quote(host));
    }
    return close + 1;
  }
  size_t host_end = std::min(url_.find(':', begin), end);
  host = std::string(slice(begin, host_end));
  if (host.empty()) {
    fail(minor::kBadAddress, begin, "empty host");
  }
  if (!is_valid_host_name(host)) {
    fail(minor::kBadAddress, begin,
         "invalid host " + detail::quote(host) +
             "; a host is a DNS name, an IPv4 address or an IPv6 address in brackets");
  }
  return host_end;
}

uint16_t UrlParser::parse_port(size_t begin, size_t end) const {
  std::string_view digits = slice(begin, end);
  if (digits.empty()) {
    fail(minor::kBadAddress, begin, "empty port after ':'");
  }
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) {
    fail(minor::kBadAddress, begin, "port " + detail::quote(digits) + " is not a decimal number");
  }
  // More than five digits cannot be a port, and std::stoul could overflow.
  unsigned long value = digits.size() > 5 ? 0 : std::stoul(std::string(digits));
  if (value < 1 || value > 65535) {
    fail(minor::kBadAddress, begin,
         "port " + detail::quote(digits) + " is out of range; use 1 to 65535");
  }
  return static_cast<uint16_t>(value);
}

std::string UrlParser::unescape(size_t begin, size_t end, std::string_view what) const {
  std::string text;
  text.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    char c = url_[i];
    if (c == '%') {
      int high = i + 1 < end ? hex_value(url_[i + 1]) : -1;
      int low = i + 2 < end ? hex_value(url_[i + 2]) : -1;
      if (high < 0 || low < 0) {
        fail(minor::kBadUrl, i,
             "escape " + detail::quote(slice(i, std::min(i + 3, end))) + " in the " +
                 std::string(what) + " is not '%' followed by two hex digits");
      }
      text += static_cast<char>(high << 4 | low);
      i += 2;
    } else if (is_unreserved(c)) {
      text += c;
    } else {
      fail(minor::kBadUrl, i,
           "character " + detail::quote(slice(i, i + 1)) + " in the " + std::string(what) +
               " must be written as a %xx escape");
    }
  }
  return text;
}

std::vector<uint8_t> to_octets(const std::string& text) {
  return {text.begin(), text.end()};
}

std::string escape(std::span<const uint8_t> octets) {
  std::string text;
  for (uint8_t octet : octets) {
    auto c = static_cast<char>(octet);
    if (octet < 0x80 && is_unreserved(c)) {
      text += c;
    } else {
      text += '%';
      text += kHexDigits[octet >> 4];
      text += kHexDigits[octet & 0xf];
    }
  }
  return text;
}

[[noreturn]] void fail_format(std::string_view scheme, const std::string& problem) {
  throw BAD_PARAM(minor::kUnencodable, CompletionStatus::no,
                  "format " + std::string(scheme) + " URL: " + problem);
}

std::string format_host(std::string_view scheme, const std::string& host) {
  if (is_valid_host_name(host)) {
    return host;
  }
  if (is_valid_ipv6(host)) {
    return "[" + host + "]";
  }
  fail_format(scheme, "host " + detail::quote(host) + " is not a DNS name or IP address");
}

// Formats the address list without the scheme, "rir:" or "iiop:..." joined by commas.
std::string format_addresses(std::string_view scheme, const Corbaloc& location) {
  if (location.rir) {
    if (!location.addresses.empty()) {
      fail_format(scheme, "rir cannot be combined with IIOP addresses");
    }
    return "rir:";
  }
  if (location.addresses.empty()) {
    fail_format(scheme, "no address");
  }
  std::string text;
  for (const IiopAddress& address : location.addresses) {
    text += text.empty() ? "iiop:" : ",iiop:";
    if (address.version != IiopVersion{1, 0}) {
      text +=
          std::to_string(address.version.major) + "." + std::to_string(address.version.minor) + "@";
    }
    text += format_host(scheme, address.host) + ":" + std::to_string(address.port);
  }
  return text;
}

}  // namespace

Corbaloc parse_corbaloc(std::string_view url) {
  UrlParser parser(url, kCorbaloc);
  size_t begin = parser.parse_scheme();
  size_t slash = url.find('/', begin);
  if (slash == std::string_view::npos) {
    parser.fail(minor::kBadUrl, url.size(), "missing '/' before the object key");
  }
  Corbaloc location;
  parser.parse_addresses(begin, slash, location);
  location.object_key = to_octets(parser.unescape(slash + 1, url.size(), "object key"));
  return location;
}

Corbaname parse_corbaname(std::string_view url) {
  UrlParser parser(url, kCorbaname);
  size_t begin = parser.parse_scheme();
  size_t hash = std::min(url.find('#', begin), url.size());
  size_t slash = std::min(url.find('/', begin), hash);
  Corbaname result;
  Corbaloc& location = result.naming_context;
  parser.parse_addresses(begin, slash, location);
  if (slash + 1 < hash) {
    location.object_key = to_octets(parser.unescape(slash + 1, hash, "object key"));
  } else {
    location.object_key.assign(kDefaultNamingKey.begin(), kDefaultNamingKey.end());
  }
  if (hash < url.size()) {
    result.name = parser.unescape(hash + 1, url.size(), "name");
  }
  return result;
}

std::string to_string(const Corbaloc& location) {
  return std::string(kCorbaloc) + ":" + format_addresses(kCorbaloc, location) + "/" +
         escape(location.object_key);
}

std::string to_string(const Corbaname& name) {
  const Corbaloc& location = name.naming_context;
  if (location.object_key.empty()) {
    fail_format(kCorbaname, "empty object key, which the URL could only express as the default " +
                                std::string(kDefaultNamingKey));
  }
  std::string text = std::string(kCorbaname) + ":" + format_addresses(kCorbaname, location) + "/" +
                     escape(location.object_key);
  if (!name.name.empty()) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(name.name.data());
    text += "#" + escape({bytes, name.name.size()});
  }
  return text;
}

Ior to_ior(const Corbaloc& location) {
  if (location.rir) {
    throw BAD_PARAM(minor::kUnencodable, CompletionStatus::no,
                    "convert corbaloc:rir: to an IOR: it has no address; resolve it through "
                    "resolve_initial_references");
  }
  Ior ior;
  for (const IiopAddress& address : location.addresses) {
    IiopProfile profile{address.version, address.host, address.port, location.object_key, {}};
    ior.profiles.push_back(encode_iiop_profile(profile));
  }
  return ior;
}

}  // namespace orb::ior
