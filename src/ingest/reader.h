// Readers of source files and feeds (issue 4 item 3, R1.2): the "read and
// decode" stage of collection, with no knowledge of the data center's tables.
//
// A reader yields Records: an ordered list of (column name, UTF-8 value)
// pairs plus the Position just after the record, so a collector can store
// the position as its checkpoint and later resume exactly after the last
// committed record (Seek). Values are the decoded text exactly as written
// (no trimming, no normalization: that is normalize.h's job). Readers never
// throw; errors are Status values with a Chinese-friendly message naming the
// file and line/row.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::ingest {

enum class Encoding {
  kAuto,  // BOM → UTF-8 (BOM skipped); valid UTF-8 → UTF-8; else GB18030
  kUtf8,  // a leading BOM is skipped
  kGbk,   // decoded as GB18030 (a superset of GBK), so every GBK byte sequence works
  kGb18030,
};
// "auto" "utf-8" "utf8" "gbk" "gb2312" "gb18030" (case-insensitive) → Encoding.
Result<Encoding> ParseEncoding(std::string_view name);

// Converts `bytes` in `enc` to UTF-8. INVALID_ARGUMENT ("invalid GBK byte
// sequence at offset N") on undecodable input; never substitutes silently.
Result<std::string> ToUtf8(std::string_view bytes, Encoding enc);
// The reverse, for the simulators (GBK/GB18030 output). INVALID_ARGUMENT if a
// character has no representation in the target encoding.
Result<std::string> FromUtf8(std::string_view utf8, Encoding enc);

// Where a reader stands: for text files the byte offset of the next record
// in the file (so it survives re-opening); for XLSX the next row number;
// for HTTP feeds an opaque cursor string. `record_no` counts records read
// from the start (1-based for the record just returned), for messages.
struct Position {
  int64_t offset = 0;
  int64_t record_no = 0;
  std::string cursor;  // feeds only
};

struct Record {
  // Shared by all records of one reader; order as in the file.
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<std::string> values;  // same size as *columns (short rows padded with "")
  Position position;                // just after this record
  int64_t line = 0;                 // 1-based physical line (text) or row (XLSX) where it starts

  // The value of column `name`, or nullopt if the reader has no such column.
  std::optional<std::string_view> Get(std::string_view name) const;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Reads the next record into *out. Returns false at the end. A malformed
  // record (e.g. unterminated quote at EOF, undecodable bytes) is an error
  // INVALID_ARGUMENT naming the line; the reader can continue after it with
  // the next call when `recoverable()` (text formats resynchronise at the
  // next line), so a collector can quarantine it and go on.
  virtual Result<bool> Next(Record* out) = 0;
  virtual bool recoverable() const { return true; }
  // Continues after a position previously returned in a Record.
  virtual Status Seek(const Position& pos) = 0;
  // Total size in bytes (files) or -1 when unknown; with Record::position
  // this gives a progress fraction.
  virtual int64_t size_hint() const { return -1; }
};

struct CsvOptions {
  Encoding encoding = Encoding::kAuto;
  char delimiter = ',';                // '\t' for TSV
  bool header = true;                  // first record names the columns; else "c1","c2",...
  int64_t max_record_bytes = 1 << 20;  // longer → INVALID_ARGUMENT, reader skips to next line
};
// RFC 4180 CSV (quotes, doubled quotes, CR LF or LF, line breaks inside
// quotes), reading the file in large blocks.
// Details (implementation notes): blank lines are skipped; a record with more
// fields than the header is an error unless the extra fields are empty (a
// trailing delimiter); errors read "<file> line N (第N行): ...". With kAuto a
// file whose first 1 MiB is pure ASCII is decided by its first non-ASCII field.
Result<std::unique_ptr<RecordReader>> OpenCsv(const std::string& path, const CsvOptions& options);

// One JSON object per line (UTF-8). Columns are the union of the first
// object's keys in order; later keys not seen first are appended. Values:
// strings as is, numbers/bools in JSON text, null as "".
Result<std::unique_ptr<RecordReader>> OpenJsonLines(const std::string& path);

// An .xlsx workbook (Office Open XML, zip with deflate): the named sheet
// (empty: the first). Row 1 is the header. Shared strings, inline strings,
// numbers (as their shortest text, e.g. "45123" or "8500.5"), booleans.
// Cells with a date number format are returned as their serial number text;
// the collector's date parser understands serials.
// Implementation notes: rows without any non-empty cell are skipped; cells
// right of the last header column are dropped; booleans read "TRUE"/"FALSE";
// Record::line is the sheet row number; not recoverable() (an error ends it).
Result<std::unique_ptr<RecordReader>> OpenXlsx(const std::string& path, std::string_view sheet);

// Writes a minimal valid .xlsx (one sheet, shared strings; numeric cells for
// values marked numeric). For the simulators and tests.
struct XlsxCell {
  std::string text;
  bool numeric = false;
};
Status WriteXlsx(const std::string& path, std::string_view sheet_name,
                 const std::vector<std::vector<XlsxCell>>& rows);
// The same workbook as bytes, for a download: personal data in an export
// never goes through a file.
Result<std::string> XlsxBytes(std::string_view sheet_name,
                              const std::vector<std::vector<XlsxCell>>& rows);

// A paginated HTTP JSON feed (the 就业 dialect in docs/datacenter/sources.md):
// GET {base_url}{path}?updated_since=..&after_id=..&limit=.. with extra
// headers; follows "next" until null. Position::cursor is
// "<updated_since>:<after_id>". Retries 5xx and connection errors with
// backoff (max_attempts); 4xx is an error. Plain http:// only on loopback
// unless allow_plain_http; https:// uses the system trust store.
// Implementation notes: each item's Position::cursor is its own
// "<updated_at>:<id>" (resume after exactly that item). Errors: 401
// UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, other non-2xx
// FAILED_PRECONDITION, retries used up UNAVAILABLE, a malformed page
// INVALID_ARGUMENT; not recoverable(). https:// (TLS 1.2+, OpenSSL) verifies
// the certificate chain and the host name; a failed verification is
// FAILED_PRECONDITION (not retried).
struct HttpFeedOptions {
  std::string base_url;  // "http://127.0.0.1:18090"
  std::string path;      // "/api/v1/persons"
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t updated_since = 0;
  std::string after_id;
  int limit = 500;
  int max_attempts = 5;
  int timeout_ms = 10000;
  bool allow_plain_http = false;
  // Extra trust anchors for https:// (PEM file) on top of the system store,
  // e.g. a bureau-internal CA or a test certificate. Empty: system store only.
  std::string ca_file;
};
Result<std::unique_ptr<RecordReader>> OpenHttpFeed(const HttpFeedOptions& options);

}  // namespace hrss::ingest
