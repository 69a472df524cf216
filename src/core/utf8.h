// Minimal UTF-8 helpers shared by the identifier and masking code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hrss {

// Decodes `s` into code points. Returns false (and leaves `*out` in an
// unspecified state) if `s` is not well-formed UTF-8: truncated sequences,
// overlong forms, surrogates and values above U+10FFFF are all rejected.
bool DecodeUtf8(std::string_view s, std::vector<char32_t>* out);

// Appends the UTF-8 encoding of `cp` to `*out`. REQUIRES: `cp` is a Unicode
// scalar value (not a surrogate, <= U+10FFFF).
void AppendUtf8(char32_t cp, std::string* out);

// Encodes a sequence of code points (each a scalar value) as UTF-8.
std::string EncodeUtf8(const std::vector<char32_t>& cps);

// True for ASCII whitespace (space, \t, \n, \v, \f, \r) and U+3000
// IDEOGRAPHIC SPACE (the full-width space of Chinese input methods).
bool IsSpaceCodePoint(char32_t cp);

// Maps full-width ASCII variants U+FF01..U+FF5E to U+0021..U+007E and U+3000
// to U+0020; returns any other code point unchanged.
char32_t FullWidthToAscii(char32_t cp);

}  // namespace hrss
