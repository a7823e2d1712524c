// The stringified form of CosNaming names defined by the Interoperable
// Naming Service: components separated by '/', id and kind separated by
// '.', and '\' escaping any of these three characters inside an id or a
// kind. Also the corbaname: URLs that NamingContextExt::to_url builds.
// These functions are pure; the servant and the client helpers share them.
#pragma once

#include "CosNaming.hpp"

#include <string>
#include <string_view>

namespace orb::naming {

/// Formats `name` as "id.kind/id.kind/...". A component with an empty
/// kind is written as its id alone, one with an empty id and kind as ".".
/// Raises CosNaming::NamingContext::InvalidName for an empty name.
std::string to_string(const CosNaming::Name& name);

/// Parses the stringified form back into a name; to_name(to_string(n))
/// equals n for every valid n. Raises InvalidName for an empty string, an
/// empty component ("a//b", a leading or trailing '/'), a component with
/// two unescaped dots, or a '\' at the end of the string.
CosNaming::Name to_name(std::string_view text);

/// Formats one component as to_string() does.
std::string component_to_string(const CosNaming::NameComponent& component);

/// Builds `corbaname:<address>#<escaped name>`. `address` is the part of a
/// corbaloc URL after "corbaloc:" (such as ":host:2809/NameService" or
/// "iiop:1.2@host"); characters of `string_name` outside the URL's
/// unreserved set become %xx escapes. Raises
/// CosNaming::NamingContextExt::InvalidAddress for an address that does not
/// parse, and InvalidName for a string name that to_name() rejects.
std::string to_url(std::string_view address, std::string_view string_name);

}  // namespace orb::naming
