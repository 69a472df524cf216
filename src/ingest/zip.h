// A minimal zip archive reader and writer (what .xlsx needs): the central
// directory, stored (0) and deflate (8) entries, CRC-32 checked on read.
// No zip64, no encryption, no multi-disk archives: those are refused with a
// clear error. Used by the XLSX reader/writer and by tests that hand-build
// workbooks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hrss::ingest {

struct ZipEntry {
  std::string name;
  std::string data;
  bool deflate = true;  // writer: compress with deflate, else store
};

// The archive of the entries, in order, as bytes.
Result<std::string> ZipBytes(const std::vector<ZipEntry>& entries);

// Writes the entries in order to `path` (replacing it).
Status WriteZip(const std::string& path, const std::vector<ZipEntry>& entries);

// A zip archive held in memory.
class ZipArchive {
 public:
  // Reads and indexes `path`. INVALID_ARGUMENT ("not a zip archive ...") on
  // a corrupt or unsupported file.
  static Result<ZipArchive> Open(const std::string& path);
  static Result<ZipArchive> FromBytes(std::string bytes, std::string display_name);

  bool Has(std::string_view name) const;
  // The uncompressed content of entry `name`: NOT_FOUND when absent,
  // INVALID_ARGUMENT when corrupt (bad header, inflate error, CRC mismatch)
  // or larger than `max_bytes`.
  Result<std::string> Read(std::string_view name, size_t max_bytes = size_t{1} << 30) const;
  std::vector<std::string> Names() const;

 private:
  struct Item {
    std::string name;
    uint16_t method = 0;
    uint16_t flags = 0;
    uint32_t crc = 0;
    uint32_t csize = 0;
    uint32_t usize = 0;
    uint32_t local_offset = 0;
  };
  std::string name_;
  std::string bytes_;
  std::vector<Item> items_;
};

// CRC-32 (zlib's) of `data`.
uint32_t Crc32(std::string_view data);

}  // namespace hrss::ingest
