#include "sim/dialect.h"

#include <cstring>
#include <filesystem>

#include "core/ids.h"
#include "sim/calendar.h"

namespace hrss::sim {

std::string_view DirtName(Dirt kind) {
  static constexpr std::string_view kNames[] = {
      "id15",          "id_lower_x",       "fullwidth",      "spaces",      "date_formats",
      "gender_codes",  "name_variant",     "bad_check_digit", "missing_township", "birth_conflict",
      "late_update",   "deletion",         "orphan_unit",    "bad_amount",  "bad_date",
      "duplicate",     "amount_formats",   "unknown_code",
  };
  return kNames[static_cast<size_t>(kind)];
}

std::string_view QuarantineName(Quarantine q) {
  static constexpr std::string_view kNames[] = {"ID_CHECKSUM", "BAD_DATE", "BAD_AMOUNT", "UNKNOWN_CODE"};
  return kNames[static_cast<size_t>(q)];
}

void Ledger::Quarantined(Fatal f) {
  switch (f) {
    case Fatal::kIdChecksum:
      ++quarantine[static_cast<size_t>(Quarantine::kIdChecksum)];
      break;
    case Fatal::kBadDate:
      ++quarantine[static_cast<size_t>(Quarantine::kBadDate)];
      Count(Dirt::kBadDate);
      break;
    case Fatal::kBadAmount:
      ++quarantine[static_cast<size_t>(Quarantine::kBadAmount)];
      Count(Dirt::kBadAmount);
      break;
    case Fatal::kUnknownCode:
      ++quarantine[static_cast<size_t>(Quarantine::kUnknownCode)];
      Count(Dirt::kUnknownCode);
      break;
    case Fatal::kNone:
      break;
  }
}

void Ledger::AddTable(std::string name, int64_t n) {
  tables.emplace_back(std::move(name), n);
  rows += n;
}

Fatal PickFatal(Rng& rng, bool has_id, bool has_date, bool has_amount) {
  double u = rng.Unit();
  if (has_id) {
    if (u < kRates.id_checksum) return Fatal::kIdChecksum;
    u -= kRates.id_checksum;
  }
  if (has_date) {
    if (u < kRates.bad_date) return Fatal::kBadDate;
    u -= kRates.bad_date;
  }
  if (has_amount && u < kRates.bad_amount) return Fatal::kBadAmount;
  return Fatal::kNone;
}

std::string FullWidth(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u <= 0x7E) {
      unsigned cp = 0xFF01 + (u - 0x21);  // U+FF01..U+FF5E
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (c == ' ') {
      out += "\xE3\x80\x80";  // U+3000
    } else {
      out += c;
    }
  }
  return out;
}

std::string WriteId(std::string_view id18, Rng& rng, Ledger& ledger, bool bad_check) {
  std::string id(id18);
  if (bad_check) {
    char good = id[17];
    static constexpr std::string_view kChecks = "0123456789X";
    char bad = kChecks[rng.Below(kChecks.size())];
    if (bad == good) bad = good == '0' ? '1' : '0';
    id[17] = bad;
    ledger.Count(Dirt::kBadCheckDigit);
    return id;
  }
  if (id[6] == '1' && id[7] == '9' && rng.Chance(kRates.id15)) {
    ledger.Count(Dirt::kId15);
    return id.substr(0, 6) + id.substr(8, 9);
  }
  if (id[17] == 'X' && rng.Chance(kRates.lower_x)) {
    id[17] = 'x';
    ledger.Count(Dirt::kIdLowerX);
  }
  if (rng.Chance(kRates.fullwidth)) {
    ledger.Count(Dirt::kFullwidth);
    return FullWidth(id);
  }
  if (rng.Chance(kRates.spaces)) {
    ledger.Count(Dirt::kSpaces);
    switch (rng.Below(3)) {
      case 0: return " " + id;
      case 1: return id + "  ";
      default: return id.substr(0, 6) + " " + id.substr(6);
    }
  }
  return id;
}

std::string WriteName(std::string_view name, Rng& rng, Ledger& ledger) {
  if (rng.Chance(kRates.spaces)) {
    ledger.Count(Dirt::kSpaces);
    switch (rng.Below(3)) {
      case 0: return " " + std::string(name);
      case 1: return std::string(name) + " ";
      default: return std::string(name) + "\xE3\x80\x80";  // trailing full-width space
    }
  }
  return std::string(name);
}

std::string FormatDate(int v, DateFormat f) {
  int y = v / 10000, m = v / 100 % 100, d = v % 100;
  char buf[40];
  switch (f) {
    case DateFormat::kIso: std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d); break;
    case DateFormat::kCompact: std::snprintf(buf, sizeof buf, "%08d", v); break;
    case DateFormat::kSlash: std::snprintf(buf, sizeof buf, "%d/%d/%d", y, m, d); break;
    case DateFormat::kChinese: std::snprintf(buf, sizeof buf, "%d年%d月%d日", y, m, d); break;
    case DateFormat::kDots: std::snprintf(buf, sizeof buf, "%04d.%02d.%02d", y, m, d); break;
  }
  return buf;
}

std::string WriteDate(int v, DateFormat base, Rng& rng, Ledger& ledger) {
  if (rng.Chance(kRates.date_formats)) {
    DateFormat other = static_cast<DateFormat>(rng.Below(5));
    if (other != base) {
      ledger.Count(Dirt::kDateFormats);
      return FormatDate(v, other);
    }
  }
  return FormatDate(v, base);
}

std::string BadDate(int v, Rng& rng) {
  int y = v / 10000;
  char buf[16];
  switch (rng.Below(3)) {
    case 0: std::snprintf(buf, sizeof buf, "%04d-02-30", y); break;
    case 1: std::snprintf(buf, sizeof buf, "%04d-04-31", y); break;
    default: std::snprintf(buf, sizeof buf, "%04d-13-%02d", y, v % 100 == 0 ? 1 : v % 100); break;
  }
  return buf;
}

std::string Money(int64_t fen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", fen < 0 ? "-" : "", static_cast<long long>((fen < 0 ? -fen : fen) / 100),
                static_cast<long long>((fen < 0 ? -fen : fen) % 100));
  return buf;
}

std::string WriteMoney(int64_t fen, Rng& rng, Ledger& ledger) {
  std::string s = Money(fen);
  if (fen >= 100000 && rng.Chance(kRates.amount_formats)) {
    ledger.Count(Dirt::kAmountFormats);
    size_t dot = s.find('.');
    std::string out;
    for (size_t i = 0; i < dot; ++i) {
      if (i > 0 && (dot - i) % 3 == 0) out += ',';
      out += s[i];
    }
    return out + s.substr(dot);
  }
  if (rng.Chance(kRates.fullwidth / 2)) {
    ledger.Count(Dirt::kFullwidth);
    return FullWidth(s);
  }
  return s;
}

std::string BadAmount(int64_t fen, Rng& rng) {
  switch (rng.Below(3)) {
    case 0: return std::to_string(fen / 100) + ".." + std::to_string(fen % 10);
    case 1: return "abc";
    default: return Money(fen) + "元整";
  }
}

int ConflictingBirth(int v, uint64_t h) {
  int64_t days = DaysOf(v);
  int shift = static_cast<int>(h % 700) + 1;
  if (h & (1ULL << 40)) shift = -shift;
  return CivilFromDays(days + shift);
}

std::string Phone(uint64_t h) {
  static const char* const kPrefixes[] = {"139", "138", "135", "136", "150", "151", "158", "187", "182", "177", "180", "189", "133", "199"};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%08llu", kPrefixes[h % std::size(kPrefixes)],
                static_cast<unsigned long long>((h >> 8) % 100000000ULL));
  return buf;
}

OutFile::~OutFile() {
  if (f_) std::fclose(f_);
}

Status OutFile::Open(const std::string& path, ingest::Encoding encoding, bool bom) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) return Status::Internal("cannot create " + path + ": " + std::strerror(errno));
  path_ = path;
  encoding_ = encoding;
  if (bom) std::fwrite("\xEF\xBB\xBF", 1, 3, f_);
  return Status::Ok();
}

Status OutFile::Flush() {
  if (buf_.empty() || !f_) return Status::Ok();
  if (encoding_ == ingest::Encoding::kUtf8) {
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) return Status::Internal("write failed: " + path_);
  } else {
    auto bytes = ingest::FromUtf8(buf_, encoding_);
    if (!bytes.ok()) return Status(bytes.status().code(), path_ + ": " + bytes.status().message());
    if (std::fwrite(bytes->data(), 1, bytes->size(), f_) != bytes->size()) return Status::Internal("write failed: " + path_);
  }
  buf_.clear();
  return Status::Ok();
}

Status OutFile::Close() {
  Status st = Flush();
  if (f_ && std::fclose(f_) != 0 && st.ok()) st = Status::Internal("close failed: " + path_);
  f_ = nullptr;
  return st;
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
}

DayCsv::DayCsv(std::string out_dir, std::string rel_dir, std::string kind, std::vector<std::string> header,
               ingest::Encoding encoding, bool bom, std::string encoding_name, int days)
    : out_dir_(std::move(out_dir)), rel_dir_(std::move(rel_dir)), kind_(std::move(kind)),
      encoding_name_(std::move(encoding_name)), header_(std::move(header)), encoding_(encoding), bom_(bom),
      days_(days) {}

Status DayCsv::Open() {
  for (int d = 1; d <= days_; ++d) {
    auto f = std::make_unique<OutFile>();
    char name[64];
    std::snprintf(name, sizeof name, "%s_d%02d.csv", kind_.c_str(), d);
    HRSS_RETURN_IF_ERROR(f->Open(out_dir_ + "/" + rel_dir_ + "/" + name, encoding_, bom_));
    std::string h;
    AppendCsvRow(h, header_);
    f->Append(h);
    files_.push_back(std::move(f));
    rows_.push_back(0);
  }
  return Status::Ok();
}

Status DayCsv::Write(int day, const std::vector<std::string>& fields) {
  size_t i = static_cast<size_t>(day - 1);
  line_.clear();
  AppendCsvRow(line_, fields);
  files_[i]->Append(line_);
  ++rows_[i];
  return files_[i]->MaybeFlush();
}

Status DayCsv::Close(Ledger& ledger) {
  for (int d = 1; d <= days_; ++d) {
    HRSS_RETURN_IF_ERROR(files_[static_cast<size_t>(d - 1)]->Close());
    char name[64];
    std::snprintf(name, sizeof name, "%s_d%02d.csv", kind_.c_str(), d);
    ledger.files.push_back({rel_dir_ + "/" + name, encoding_name_, rows_[static_cast<size_t>(d - 1)]});
  }
  ledger.AddTable(kind_, rows());
  return Status::Ok();
}

int64_t DayCsv::rows() const {
  int64_t n = 0;
  for (int64_t r : rows_) n += r;
  return n;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace hrss::sim
