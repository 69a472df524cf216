#include "core/masking.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/utf8.h"

namespace hrss {
namespace {

using CodePoints = std::vector<char32_t>;

// Two-character surnames kept whole by MaskName.
constexpr std::u32string_view kCompoundSurnames[] = {
    U"欧阳", U"司马", U"诸葛", U"上官", U"东方", U"皇甫", U"尉迟", U"公孙", U"慕容", U"令狐",
    U"司徒", U"夏侯", U"长孙", U"宇文", U"端木", U"独孤", U"南宫", U"西门", U"轩辕", U"澹台",
    U"公冶", U"申屠", U"太史", U"闻人", U"呼延", U"百里", U"东郭", U"濮阳", U"万俟", U"钟离",
    U"赫连", U"闾丘", U"司空", U"仲孙", U"单于", U"拓跋", U"第五", U"左丘", U"谷梁", U"乐正"};

// Decodes and trims `s`. Returns false if `s` is not valid UTF-8.
bool DecodeTrimmed(std::string_view s, CodePoints* out) {
  if (!DecodeUtf8(s, out)) return false;
  auto not_space = [](char32_t c) { return !IsSpaceCodePoint(c); };
  out->erase(out->begin(), std::find_if(out->begin(), out->end(), not_space));
  out->erase(std::find_if(out->rbegin(), out->rend(), not_space).base(), out->end());
  return true;
}

std::string Stars(size_t n) { return std::string(n, '*'); }

// Keeps the first `head` and last `tail` code points, one '*' for each other.
// REQUIRES: head + tail <= cps.size().
std::string KeepEnds(const CodePoints& cps, size_t head, size_t tail) {
  std::string out;
  for (size_t i = 0; i < head; ++i) AppendUtf8(cps[i], &out);
  out += Stars(cps.size() - head - tail);
  for (size_t i = cps.size() - tail; i < cps.size(); ++i) AppendUtf8(cps[i], &out);
  return out;
}

bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Maps full-width forms to ASCII and drops the separators people type inside
// numbers. Returns the remaining characters.
CodePoints StripSeparators(const CodePoints& cps) {
  CodePoints out;
  for (char32_t c : cps) {
    c = FullWidthToAscii(c);
    if (c == U' ' || c == U'-' || c == U'(' || c == U')' || IsSpaceCodePoint(c)) continue;
    out.push_back(c);
  }
  return out;
}

bool AllDigits(const CodePoints& cps) { return std::all_of(cps.begin(), cps.end(), IsAsciiDigit); }

std::string Ascii(const CodePoints& cps, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) AppendUtf8(cps[i], &out);
  return out;
}

// --- address ---------------------------------------------------------------

struct RegionMarker {
  std::u32string_view text;
  int level;  // 1 province .. 4 township; 0 = 市 (prefecture or county level)
};

// Ordered so that a longer marker starting at the same position wins.
constexpr RegionMarker kRegionMarkers[] = {
    {U"自治区", 1}, {U"省", 1}, {U"自治州", 2}, {U"地区", 2}, {U"州", 2}, {U"盟", 2}, {U"市", 0},
    {U"县", 3},     {U"区", 3}, {U"旗", 3},     {U"街道", 4}, {U"镇", 4}, {U"乡", 4}};

// Characters that mean a segment is a street, building or village, not a
// region name.
constexpr std::u32string_view kNotRegionChars = U"路街巷号村组栋幢楼室弄社院场厂";
// Characters that, right before 区, make it a non-administrative area
// (小区, 社区, 园区, 校区, 景区, ...).
constexpr std::u32string_view kNotDistrictBefore = U"小社园校景厂矿营";

constexpr size_t kMaxRegionName = 10;  // code points before a marker

// Length of the marker at `cps[j]`, and its level, or 0.
size_t RawMarkerAt(const CodePoints& cps, size_t j, int* level) {
  for (const RegionMarker& m : kRegionMarkers) {
    if (j + m.text.size() > cps.size()) continue;
    if (!std::equal(m.text.begin(), m.text.end(), cps.begin() + static_cast<std::ptrdiff_t>(j))) {
      continue;
    }
    if (m.text == U"区" && j > 0 &&
        kNotDistrictBefore.find(cps[j - 1]) != std::u32string_view::npos) {
      continue;
    }
    if (m.text == U"市" && j + 1 < cps.size() && cps[j + 1] == U'场') continue;
    *level = m.level;
    return m.text.size();
  }
  return 0;
}

// Like RawMarkerAt, but a marker directly followed by 市 is part of the
// city's name ("达州市", "广州市").
size_t MarkerAt(const CodePoints& cps, size_t j, int* level) {
  const size_t len = RawMarkerAt(cps, j, level);
  int next_level = 0;
  if (len > 0 && j + len < cps.size() && cps[j + len] == U'市' &&
      RawMarkerAt(cps, j + len, &next_level) > 0) {
    return 0;
  }
  return len;
}

bool IsRegionName(const CodePoints& cps, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    const char32_t c = FullWidthToAscii(cps[i]);
    if (c < 0x80 || IsSpaceCodePoint(c)) return false;  // digits, letters, punctuation
    if (kNotRegionChars.find(c) != std::u32string_view::npos) return false;
  }
  return true;
}

// Number of leading code points that form the administrative region.
size_t RegionPrefixLength(const CodePoints& cps) {
  size_t pos = 0;
  int prev_level = 0;
  size_t keep = 0;
  while (prev_level < 4 && pos < cps.size()) {
    size_t len = 0;
    int level = 0;
    size_t j = pos + 1;
    const size_t limit = std::min(cps.size(), pos + 1 + kMaxRegionName);
    for (; j < limit; ++j) {
      len = MarkerAt(cps, j, &level);
      if (len > 0) break;
    }
    if (len == 0 || !IsRegionName(cps, pos, j)) break;
    if (level == 0) level = prev_level < 2 ? 2 : 3;  // 市: prefecture, or county-level city
    if (level <= prev_level) break;
    pos = keep = j + len;
    prev_level = level;
  }
  return keep;
}

}  // namespace

std::string MaskName(std::string_view utf8) {
  CodePoints cps;
  if (!DecodeTrimmed(utf8, &cps)) return std::string(kMaskedAll);
  if (cps.empty()) return "";
  size_t keep = 1;
  if (cps.size() >= 3) {
    const std::u32string_view first2(cps.data(), 2);
    for (std::u32string_view s : kCompoundSurnames) {
      if (s == first2) keep = 2;
    }
  }
  if (cps.size() == 1) keep = 0;
  return KeepEnds(cps, keep, 0);
}

std::string MaskIdNumber(std::string_view id) {
  CodePoints cps;
  if (!DecodeTrimmed(id, &cps)) return std::string(kMaskedAll);
  if (cps.size() >= 15) return KeepEnds(cps, 4, 2);
  if (cps.size() >= 7) return KeepEnds(cps, 1, 2);
  return Stars(cps.size());
}

std::string MaskPhone(std::string_view phone) {
  CodePoints cps;
  if (!DecodeTrimmed(phone, &cps)) return std::string(kMaskedAll);
  if (cps.empty()) return "";
  CodePoints d = StripSeparators(cps);
  std::string prefix;
  if (d.size() > 3 && d[0] == U'+' && d[1] == U'8' && d[2] == U'6') {
    prefix = "+86 ";
    d.erase(d.begin(), d.begin() + 3);
  }
  if (AllDigits(d)) {
    if (d.size() == 11 && d[0] == U'1') {
      return prefix + Ascii(d, 0, 3) + "****" + Ascii(d, 7, 11);
    }
    if (prefix.empty() && d.size() >= 10 && d.size() <= 12 && d[0] == U'0') {
      const size_t area = (d[1] == U'1' || d[1] == U'2') ? 3 : 4;
      return Ascii(d, 0, area) + "-" + Stars(d.size() - area - 2) +
             Ascii(d, d.size() - 2, d.size());
    }
    if (prefix.empty() && (d.size() == 7 || d.size() == 8)) return KeepEnds(d, 0, 2);
  }
  return cps.size() >= 6 ? KeepEnds(cps, 0, 2) : Stars(cps.size());
}

std::string MaskBankCard(std::string_view card) {
  CodePoints cps;
  if (!DecodeTrimmed(card, &cps)) return std::string(kMaskedAll);
  const CodePoints d = StripSeparators(cps);
  if (!AllDigits(d)) return cps.size() >= 8 ? KeepEnds(cps, 0, 4) : Stars(cps.size());
  if (d.size() >= 14) return KeepEnds(d, 6, 4);
  if (d.size() >= 8) return KeepEnds(d, 0, 4);
  return Stars(d.size());
}

std::string MaskAddress(std::string_view address) {
  CodePoints cps;
  if (!DecodeTrimmed(address, &cps)) return std::string(kMaskedAll);
  if (cps.empty()) return "";
  const size_t keep = RegionPrefixLength(cps);
  if (keep == 0) return std::string(kMaskedAll);
  std::string out =
      EncodeUtf8(CodePoints(cps.begin(), cps.begin() + static_cast<std::ptrdiff_t>(keep)));
  if (keep < cps.size()) out += kMaskedAll;
  return out;
}

std::string MaskEmail(std::string_view email) {
  CodePoints cps;
  if (!DecodeTrimmed(email, &cps)) return std::string(kMaskedAll);
  if (cps.empty()) return "";
  const auto at = std::find(cps.rbegin(), cps.rend(), U'@');
  if (at == cps.rend()) return std::string(kMaskedAll);
  const size_t at_pos = static_cast<size_t>(cps.rend() - at) - 1;
  if (at_pos == 0 || at_pos + 1 == cps.size()) return std::string(kMaskedAll);
  std::string out;
  if (at_pos == 1) {
    out = "*";
  } else {
    AppendUtf8(cps[0], &out);
    out += "***";
  }
  out += EncodeUtf8(CodePoints(cps.begin() + static_cast<std::ptrdiff_t>(at_pos), cps.end()));
  return out;
}

std::string Mask(PiiKind kind, std::string_view value) {
  switch (kind) {
    case PiiKind::kName: return MaskName(value);
    case PiiKind::kIdNumber: return MaskIdNumber(value);
    case PiiKind::kPhone: return MaskPhone(value);
    case PiiKind::kBankCard: return MaskBankCard(value);
    case PiiKind::kAddress: return MaskAddress(value);
    case PiiKind::kEmail: return MaskEmail(value);
  }
  return std::string(kMaskedAll);
}

}  // namespace hrss
