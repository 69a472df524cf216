// Helpers shared by the dialect mappers (dialect_*.cc): field access,
// normalization with quarantine reasons and quality counting, code maps.
// Every helper returns false after setting out->reason_code/reason; the
// mapper then returns without rows.
#pragma once

#include <string>
#include <string_view>

#include "ingest/normalize.h"
#include "modules/datacenter/collect.h"

namespace hrss::datacenter::dialect {

// The value of column `name` ("" when absent).
std::string_view Field(const ingest::Record& rec, std::string_view name);
// CleanText of the column.
std::string Text(const ingest::Record& rec, std::string_view name);

// Sets the quarantine reason: code and "<ReasonText>：<detail>".
bool Fail(MappedRecord* out, std::string_view code, std::string_view detail);
// The reason code of a normalize.h error ("BAD_DATE: x" → "BAD_DATE").
std::string ReasonCodeOf(const Status& st);

bool Required(MappedRecord* out, std::string_view value, std::string_view label);

// Citizen ID → 18 digits. Empty is MISSING_FIELD unless !required (then *id = "").
bool Id(const MapContext& ctx, MappedRecord* out, std::string_view raw, std::string_view label,
        bool required, std::string* id);
// Date → YYYY-MM-DD; empty allowed when !required.
bool Date(const MapContext& ctx, MappedRecord* out, std::string_view raw, std::string_view label,
          bool required, std::string* date);
bool Period(const MapContext& ctx, MappedRecord* out, std::string_view raw, std::string_view label,
            int64_t* period);
// Yuan → fen; empty is 0 when !required.
bool Amount(const MapContext& ctx, MappedRecord* out, std::string_view raw,
            std::string_view label, bool required, int64_t* fen);
bool Integer(MappedRecord* out, std::string_view raw, std::string_view label, int64_t* n);
// Through the code map; unknown → UNKNOWN_CODE naming the code set and value.
bool Code(const MapContext& ctx, MappedRecord* out, std::string_view code_set,
          std::string_view raw, std::string_view label, std::string* std_value);
// Gender through the code map; blank → from the ID (when given). Counts
// consistency.gender_id.
bool Gender(const MapContext& ctx, MappedRecord* out, std::string_view raw,
            const std::string& id, std::string* gender);
// Township → 9-digit code, "" when blank or unknown (counted, not rejected).
std::string Township(const MapContext& ctx, std::string_view raw);
// Birth date of an 18-digit ID ("YYYY-MM-DD").
std::string IdBirth(const std::string& id);
// Counts consistency.birth_id for a person record.
void CheckBirth(const MapContext& ctx, const std::string& id, const std::string& birth);
// Mobile → ciphertext (or "" when invalid/blank/no keys); *plain gets the
// normalized number for hashing.
std::string Mobile(const MapContext& ctx, std::string_view raw, std::string* plain);
// Counts timeliness.lag for a source change time (epoch ms, 0 = unknown).
void CheckLag(const MapContext& ctx, int64_t change_ms);
// "YYYYMMDDHHMMSS" (Asia/Shanghai) → epoch ms, 0 when malformed.
int64_t ParseAae036(std::string_view s);

// A person source row (table kPersonSource) from the normalized facts.
StdRow PersonRow(const std::string& src_key, bool deleted, const std::string& id,
                 std::string_view raw_id, PersonFacts facts, const std::string& mobile_plain,
                 const std::string& source_no);

}  // namespace hrss::datacenter::dialect
