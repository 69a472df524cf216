// How the simulated source systems write: the injected defects ("dirt", see
// docs/datacenter/sources.md) with their counters, value formatting in the
// systems' habits, and buffered output files in GBK/GB18030/UTF-8.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/reader.h"
#include "sim/random.h"

namespace hrss::sim {

enum class Dirt {
  kId15,
  kIdLowerX,
  kFullwidth,
  kSpaces,
  kDateFormats,
  kGenderCodes,
  kNameVariant,
  kBadCheckDigit,
  kMissingTownship,
  kBirthConflict,
  kLateUpdate,
  kDeletion,
  kOrphanUnit,
  kBadAmount,
  kBadDate,
  kDuplicate,
  kAmountFormats,
  kUnknownCode,  // a code value outside the system's code list (社保 ae10 事项编码)
  kCount,
};
// The manifest name of a kind ("id15", "bad_check_digit", ...).
std::string_view DirtName(Dirt kind);

// Quarantine reasons a collector must produce for the fatal defects.
enum class Quarantine { kIdChecksum, kBadDate, kBadAmount, kUnknownCode, kCount };
std::string_view QuarantineName(Quarantine q);

// The one fatal defect (if any) of a row; a row never carries two, so the
// expected quarantine counts are exact.
enum class Fatal { kNone, kIdChecksum, kBadDate, kBadAmount, kUnknownCode };

// What one system produced: files, rows, dirt and the truth it touched.
struct Ledger {
  struct File {
    std::string path;      // relative to the output directory
    std::string encoding;  // "GBK", "GB18030", "UTF-8-BOM", "UTF-8", "XLSX", "SQLite", "SQL", "binary"
    int64_t rows = 0;
  };
  std::array<int64_t, static_cast<size_t>(Dirt::kCount)> dirt{};
  std::array<int64_t, static_cast<size_t>(Quarantine::kCount)> quarantine{};
  std::vector<File> files;
  std::vector<std::pair<std::string, int64_t>> tables;  // table → rows (all days)
  std::vector<uint8_t> persons_seen;  // resident index → appeared validly in a master record
  std::vector<uint8_t> units_seen;    // unit index → appeared
  int64_t birth_conflicts = 0;        // persons whose birth date this system writes wrong
  // 社保 ae10 business log: rows a collector must load (not quarantined),
  // of them logically deleted (aae100 = '0') and completed (办结).
  int64_t business_records = 0, business_deleted = 0, business_completed = 0;
  int64_t rows = 0;
  std::vector<std::pair<std::string, std::string>> extra;  // e.g. api_key

  void Count(Dirt d, int64_t n = 1) { dirt[static_cast<size_t>(d)] += n; }
  void Quarantined(Fatal f);
  void AddTable(std::string name, int64_t rows);
};

// Rates of the row-level defects (per row or per field written).
struct DirtRates {
  double id_checksum = 0.004;
  double bad_date = 0.002;
  double bad_amount = 0.003;
  double id15 = 0.01;
  double lower_x = 0.4;  // of IDs ending in X
  double fullwidth = 0.006;
  double spaces = 0.006;
  double date_formats = 0.03;
  double gender_codes = 0.03;
  double name_variant = 0.08;  // per person and system, persons in 2+ systems
  double missing_township = 0.02;
  double late_update = 0.02;
  double deletion = 0.004;
  double duplicate = 0.003;
  double amount_formats = 0.02;
};
inline constexpr DirtRates kRates{};

// Picks the fatal defect of a row that has the given kinds of fields.
Fatal PickFatal(Rng& rng, bool has_id, bool has_date, bool has_amount);

// An ID number as a system writes it: a wrong check character when `fatal`
// is kIdChecksum (counted), else possibly 15-digit/lower-case x/full-width/
// spaced (each counted).
std::string WriteId(std::string_view id18, Rng& rng, Ledger& ledger, bool bad_check);
// A name with occasional surrounding spaces (counted).
std::string WriteName(std::string_view name, Rng& rng, Ledger& ledger);
// Date text: `base` is the system's usual format; sometimes another format.
enum class DateFormat { kIso, kCompact, kSlash, kChinese, kDots };
std::string FormatDate(int yyyymmdd, DateFormat f);
std::string WriteDate(int yyyymmdd, DateFormat base, Rng& rng, Ledger& ledger);
// An impossible calendar date in the ISO format ("2023-02-30").
std::string BadDate(int yyyymmdd, Rng& rng);
// Yuan with two decimals from fen ("200.00").
std::string Money(int64_t fen);
// Money with occasional "1,000.00" (amount_formats) or full-width digits (fullwidth).
std::string WriteMoney(int64_t fen, Rng& rng, Ledger& ledger);
// Unparseable amount text ("12..5", "abc").
std::string BadAmount(int64_t fen, Rng& rng);
// ASCII digits/letters → full-width forms.
std::string FullWidth(std::string_view ascii);
// A different, valid birth date near `yyyymmdd` (for birth_conflict).
int ConflictingBirth(int yyyymmdd, uint64_t h);
// A mobile phone number derived from `h`.
std::string Phone(uint64_t h);

// A buffered output file; text is given in UTF-8 and converted when flushed
// (whole rows only, so a multi-byte character is never split).
class OutFile {
 public:
  OutFile() = default;
  ~OutFile();
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  Status Open(const std::string& path, ingest::Encoding encoding, bool bom);
  void Append(std::string_view utf8) { buf_.append(utf8); }
  // Flushes when the buffer is large; call at row boundaries.
  Status MaybeFlush() { return buf_.size() >= (1u << 20) ? Flush() : Status::Ok(); }
  Status Flush();
  Status Close();

 private:
  std::FILE* f_ = nullptr;
  ingest::Encoding encoding_ = ingest::Encoding::kUtf8;
  std::string buf_;
  std::string path_;
};

// RFC 4180 field quoting (only when needed) and CRLF rows.
void AppendCsvRow(std::string& out, const std::vector<std::string>& fields);

// One CSV "kind" of a system written as day files <dir>/<kind>_dNN.csv.
class DayCsv {
 public:
  DayCsv(std::string out_dir, std::string rel_dir, std::string kind, std::vector<std::string> header,
         ingest::Encoding encoding, bool bom, std::string encoding_name, int days);
  Status Open();
  // Writes one row into day `day` (1-based).
  Status Write(int day, const std::vector<std::string>& fields);
  // Closes the files and records them in `ledger`.
  Status Close(Ledger& ledger);
  int64_t rows() const;

 private:
  std::string out_dir_, rel_dir_, kind_, encoding_name_;
  std::vector<std::string> header_;
  ingest::Encoding encoding_;
  bool bom_;
  int days_;
  std::vector<std::unique_ptr<OutFile>> files_;
  std::vector<int64_t> rows_;
  std::string line_;
};

// Helpers for JSON text.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace hrss::sim
