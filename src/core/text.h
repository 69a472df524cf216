// Small text utilities shared across modules.
#pragma once

#include <string>
#include <string_view>

namespace hrss {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Decodes %XX escapes. With `plus_as_space`, '+' becomes ' ' (query strings).
// Returns false on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out, bool plus_as_space);

// ASCII lower-case copy.
std::string AsciiLower(std::string_view s);

// Removes leading and trailing ASCII whitespace.
std::string_view TrimAscii(std::string_view s);

}  // namespace hrss
