// Text encodings: GBK / GB18030 / UTF-8 to UTF-8 (and back for the simulators).
//
// GB18030 decoding is table-driven: the 23,940 two-byte codes are mapped once
// through iconv at first use, so the hot path (the CSV reader decodes every
// non-ASCII field) does no iconv call and no allocation beyond the output.
// Four-byte sequences (rare in Chinese administrative data) go through iconv.
#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "core/text.h"
#include "core/utf8.h"
#include "ingest/internal.h"
#include "ingest/reader.h"

namespace hrss::ingest {
namespace internal {
namespace {

constexpr int kTrailCount = 0xFF - 0x40;  // trail bytes 0x40..0xFE

// Converts one complete sequence with iconv; 0 when invalid.
char32_t IconvOne(iconv_t cd, const char* bytes, size_t n) {
  char32_t cp = 0;
  char* in = const_cast<char*>(bytes);
  size_t in_left = n;
  char* out = reinterpret_cast<char*>(&cp);
  size_t out_left = sizeof cp;
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  size_t r = iconv(cd, &in, &in_left, &out, &out_left);
  if (r == static_cast<size_t>(-1) || in_left != 0 || out_left != 0) return 0;
  return cp;
}

// UTF-32 in host byte order (little-endian on every target we build for).
constexpr const char* kUtf32 = "UTF-32LE";

const std::vector<char32_t>& TwoByteTable() {
  static const std::vector<char32_t> table = [] {
    std::vector<char32_t> t(static_cast<size_t>(0x7F) * kTrailCount, 0);
    iconv_t cd = iconv_open(kUtf32, "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return t;
    for (int lead = 0x81; lead <= 0xFE; ++lead) {
      for (int trail = 0x40; trail <= 0xFE; ++trail) {
        if (trail == 0x7F) continue;
        const char seq[2] = {static_cast<char>(lead), static_cast<char>(trail)};
        t[static_cast<size_t>(lead - 0x80) * kTrailCount + (trail - 0x40)] = IconvOne(cd, seq, 2);
      }
    }
    iconv_close(cd);
    return t;
  }();
  return table;
}

struct IconvHandle {
  iconv_t cd = reinterpret_cast<iconv_t>(-1);
  ~IconvHandle() {
    if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
  }
};

char32_t FourByte(const char* p) {
  thread_local IconvHandle h;
  if (h.cd == reinterpret_cast<iconv_t>(-1)) {
    h.cd = iconv_open(kUtf32, "GB18030");
    if (h.cd == reinterpret_cast<iconv_t>(-1)) return 0;
  }
  return IconvOne(h.cd, p, 4);
}

inline void PutUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    char b[2] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    out->append(b, 2);
  } else if (cp < 0x10000) {
    char b[3] = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<char>(0x80 | (cp & 0x3F))};
    out->append(b, 3);
  } else {
    char b[4] = {
        static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
        static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    out->append(b, 4);
  }
}

}  // namespace

bool IsAscii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (w & 0x8080808080808080ULL) return false;
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    if (static_cast<unsigned char>(*p) >= 0x80) return false;
    ++p;
    --n;
  }
  return true;
}

bool AppendGb18030(std::string_view in, std::string* out, size_t* bad_offset) {
  const std::vector<char32_t>& table = TwoByteTable();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  out->reserve(out->size() + n + n / 2);
  size_t i = 0;
  while (i < n) {
    // Copy the ASCII run in one go.
    size_t j = i;
    while (j < n && p[j] < 0x80) ++j;
    if (j > i) out->append(in.data() + i, j - i);
    i = j;
    if (i >= n) break;
    const unsigned lead = p[i];
    if (lead == 0x80 || lead == 0xFF || i + 1 >= n) {
      *bad_offset = i;
      return false;
    }
    const unsigned b2 = p[i + 1];
    if (b2 >= 0x30 && b2 <= 0x39) {
      if (i + 3 >= n) {
        *bad_offset = i;
        return false;
      }
      char32_t cp = FourByte(in.data() + i);
      if (cp == 0) {
        *bad_offset = i;
        return false;
      }
      PutUtf8(cp, out);
      i += 4;
      continue;
    }
    if (b2 < 0x40 || b2 == 0x7F || b2 == 0xFF) {
      *bad_offset = i;
      return false;
    }
    char32_t cp = table[static_cast<size_t>(lead - 0x80) * kTrailCount + (b2 - 0x40)];
    if (cp == 0) {
      *bad_offset = i;
      return false;
    }
    PutUtf8(cp, out);
    i += 2;
  }
  return true;
}

bool CheckUtf8(std::string_view s, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      unsigned cc = p[i + k];
      if ((cc & 0xC0) != 0x80) {
        *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

std::string_view EncodingName(Encoding enc) {
  switch (enc) {
    case Encoding::kGbk: return "GBK";
    case Encoding::kGb18030: return "GB18030";
    case Encoding::kUtf8: return "UTF-8";
    case Encoding::kAuto: break;
  }
  return "auto";
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string LineMessage(std::string_view path, int64_t line, std::string_view detail) {
  std::string m(BaseName(path));
  m += " line ";
  m += std::to_string(line);
  m += " (第";
  m += std::to_string(line);
  m += "行): ";
  m += detail;
  return m;
}

}  // namespace internal

Result<Encoding> ParseEncoding(std::string_view name) {
  std::string n = AsciiLower(TrimAscii(name));
  if (n == "auto" || n.empty()) return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "gbk" || n == "gb2312" || n == "cp936") return Encoding::kGbk;
  if (n == "gb18030") return Encoding::kGb18030;
  return Status::InvalidArgument("unknown encoding \"" + std::string(name) +
                                 "\" (auto, utf-8, gbk, gb2312, gb18030)");
}

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
}

Result<std::string> ToUtf8(std::string_view bytes, Encoding enc) {
  size_t bad = 0;
  if (enc == Encoding::kAuto) {
    if (bytes.starts_with(kBom) || internal::CheckUtf8(bytes, &bad)) {
      enc = Encoding::kUtf8;
    } else {
      enc = Encoding::kGb18030;
    }
  }
  if (enc == Encoding::kUtf8) {
    if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
    if (!internal::CheckUtf8(bytes, &bad)) {
      return Status::InvalidArgument("invalid UTF-8 byte sequence at offset " +
                                     std::to_string(bad));
    }
    return std::string(bytes);
  }
  std::string out;
  if (!internal::AppendGb18030(bytes, &out, &bad)) {
    return Status::InvalidArgument("invalid " + std::string(internal::EncodingName(enc)) +
                                   " byte sequence at offset " + std::to_string(bad));
  }
  return out;
}

Result<std::string> FromUtf8(std::string_view utf8, Encoding enc) {
  size_t bad = 0;
  if (!internal::CheckUtf8(utf8, &bad)) {
    return Status::InvalidArgument("invalid UTF-8 byte sequence at offset " + std::to_string(bad));
  }
  if (enc == Encoding::kUtf8 || enc == Encoding::kAuto || internal::IsAscii(utf8)) {
    return std::string(utf8);
  }
  const char* target = enc == Encoding::kGbk ? "GBK" : "GB18030";
  iconv_t cd = iconv_open(target, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::Internal(std::string("iconv has no converter to ") + target);
  }
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* op = out.data();
  size_t out_left = out.size();
  size_t r = iconv(cd, &in, &in_left, &op, &out_left);
  const int err = errno;
  iconv_close(cd);
  if (r == static_cast<size_t>(-1)) {
    const size_t at = utf8.size() - in_left;
    (void)err;
    return Status::InvalidArgument("the character at offset " + std::to_string(at) +
                                   " has no representation in " + target);
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace hrss::ingest
