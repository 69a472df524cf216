// Helpers shared by the reader implementations of src/ingest (not part of the
// public contract: collectors use reader.h and normalize.h only).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ingest/reader.h"

namespace hrss::ingest::internal {

// True when every byte of `s` is < 0x80.
bool IsAscii(std::string_view s);

// Appends the UTF-8 form of GB18030 bytes `in` to *out (table-driven for the
// one- and two-byte forms, iconv for the rare four-byte ones). On an
// undecodable sequence returns false with *bad_offset its offset in `in`.
bool AppendGb18030(std::string_view in, std::string* out, size_t* bad_offset);

// Returns false with *bad_offset set when `s` is not well-formed UTF-8.
bool CheckUtf8(std::string_view s, size_t* bad_offset);

// Display name of an encoding in messages: "GBK", "GB18030", "UTF-8".
std::string_view EncodingName(Encoding enc);

// "<file> line N (第N行): detail" — the shape of every reader error.
std::string LineMessage(std::string_view path, int64_t line, std::string_view detail);

// Base name of a path (messages name the file, not the directory).
std::string_view BaseName(std::string_view path);

// Tests only: the CSV reader's read size (0 restores the 1 MiB default).
// Not thread-safe; affects readers opened afterwards.
void SetCsvBlockSizeForTesting(size_t bytes);

}  // namespace hrss::ingest::internal
