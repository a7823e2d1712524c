// The object URLs of the CORBA Interoperable Naming Service: `corbaloc:`
// (one or more IIOP addresses and an object key, or `rir:` and a key for
// resolve_initial_references) and `corbaname:` (a naming context's address
// and a stringified name to resolve in it). This file parses and formats
// the URLs; parsing the stringified name is the naming service's job.
#pragma once

#include <orb/ior/iiop_profile.hpp>
#include <orb/ior/ior.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orb::ior {

/// Port of an IIOP address that names none.
inline constexpr uint16_t kDefaultCorbalocPort = 2809;
/// Object key of a corbaname: URL that names none.
inline constexpr std::string_view kDefaultNamingKey = "NameService";

/// One `iiop:` address of a URL, with IPv6 hosts stored without brackets.
struct IiopAddress {
  /// An address without a `major.minor@` prefix means IIOP 1.0, as the
  /// specification prescribes. The client layer may still choose to speak
  /// 1.2 to such an address.
  IiopVersion version{1, 0};
  std::string host;
  uint16_t port = kDefaultCorbalocPort;
  bool operator==(const IiopAddress&) const = default;
};

/// A parsed corbaloc: URL. With `rir` set the object is found through
/// resolve_initial_references(object_key) and `addresses` is empty;
/// otherwise `addresses` has at least one entry.
struct Corbaloc {
  bool rir = false;
  std::vector<IiopAddress> addresses;
  std::vector<uint8_t> object_key;
  bool operator==(const Corbaloc&) const = default;
};

/// A parsed corbaname: URL: where the naming context is (its object key is
/// "NameService" when the URL gives none) and the stringified name, with
/// escapes decoded. An empty name denotes the context itself.
struct Corbaname {
  Corbaloc naming_context;
  std::string name;
  bool operator==(const Corbaname&) const = default;
};

/// Parses `corbaloc:<address>[,<address>...]/<key>`, where an address is
/// `rir:` or `[iiop]:[major.minor@]host[:port]` and host is a DNS name, an
/// IPv4 address or an IPv6 address in brackets. `%xx` escapes in the key
/// become octets, and characters outside the URL's unreserved set must be
/// escaped. Raises BAD_PARAM with minor code kBadSchemeName for another
/// scheme, kBadAddress for a bad protocol, version, host or port, and
/// kBadUrl for anything else. The message names the URL, the offset and
/// the problem.
Corbaloc parse_corbaloc(std::string_view url);

/// Parses `corbaname:<addresses>[/<key>][#<name>]` with the address rules
/// and exceptions of parse_corbaloc(). A missing or empty key means
/// "NameService".
Corbaname parse_corbaname(std::string_view url);

/// Formats a URL that parse_corbaloc() turns back into `location`, writing
/// every address as `iiop:` with its port and escaping key octets outside
/// the unreserved set. Raises BAD_PARAM (kUnencodable) for a value that no
/// URL expresses, such as an invalid host or `rir` together with addresses.
std::string to_string(const Corbaloc& location);

/// Formats a URL that parse_corbaname() turns back into `name`. Raises
/// BAD_PARAM (kUnencodable) also for an empty object key, which a URL can
/// only leave out, so that it would read back as "NameService".
std::string to_string(const Corbaname& name);

/// Builds an IOR with an empty type id and one IIOP profile, without
/// components, per address. Raises BAD_PARAM (kUnencodable) for rir, which
/// has no address to put in a profile.
Ior to_ior(const Corbaloc& location);

}  // namespace orb::ior
