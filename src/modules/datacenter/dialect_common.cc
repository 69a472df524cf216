#include "modules/datacenter/dialect_common.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

#include "core/ids.h"
#include "modules/identity/keyring.h"

namespace hrss::datacenter::dialect {

std::string_view Field(const ingest::Record& rec, std::string_view name) {
  const auto& cols = *rec.columns;
  // The column of each name as last found for this reader's columns (a
  // mapper asks for the same few names, mostly literals, for every record):
  // checked with one comparison instead of a search through the header.
  // Keyed by the name's address; a stale or reused address fails the check
  // and falls back to the search.
  struct Hint {
    const char* name = nullptr;
    size_t size = 0, index = 0;
  };
  thread_local const std::vector<std::string>* hint_cols = nullptr;
  thread_local std::array<Hint, 32> hints;
  thread_local size_t hint_count = 0;
  if (hint_cols != &cols) {
    hint_cols = &cols;
    hint_count = 0;
  }
  const size_t n = std::min(cols.size(), rec.values.size());
  size_t slot = hint_count;
  for (size_t h = 0; h < hint_count; ++h) {
    const Hint& hint = hints[h];
    if (hint.name == name.data() && hint.size == name.size()) {
      if (hint.index < n && cols[hint.index] == name) return rec.values[hint.index];
      slot = h;  // stale: searched and replaced below
      break;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (cols[i] == name) {
      if (slot < hints.size()) {
        hints[slot] = {name.data(), name.size(), i};
        if (slot == hint_count) ++hint_count;
      }
      return rec.values[i];
    }
  }
  return {};
}

std::string Text(const ingest::Record& rec, std::string_view name) {
  std::string_view v = Field(rec, name);
  if (v.empty()) return {};
  // Fast path: plain ASCII/UTF-8 without surrounding spaces or full-width forms.
  bool simple = v.front() != ' ' && v.back() != ' ';
  for (unsigned char c : v) {
    if (c == 0xEF || c == 0xE3 || c == '\t' || c == '\r' || c == '\n' || c == ' ') {
      simple = false;
      break;
    }
  }
  return simple ? std::string(v) : ingest::CleanText(v);
}

bool Fail(MappedRecord* out, std::string_view code, std::string_view detail) {
  out->reason_code = std::string(code);
  out->reason = ReasonText(code);
  if (!detail.empty()) out->reason += "：" + std::string(detail);
  out->rows.clear();
  return false;
}

std::string ReasonCodeOf(const Status& st) {
  const std::string& m = st.message();
  size_t colon = m.find(':');
  std::string code = m.substr(0, colon);
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || c == '_')) return "PARSE_ERROR";
  }
  return code.empty() ? "PARSE_ERROR" : code;
}

bool Required(MappedRecord* out, std::string_view value, std::string_view label) {
  if (!value.empty()) return true;
  return Fail(out, "MISSING_FIELD", label);
}

bool Id(const MapContext& ctx, MappedRecord* out, std::string_view raw, std::string_view label,
        bool required, std::string* id) {
  bool blank = true;
  for (unsigned char c : raw) {
    if (c != ' ' && c != '\t') blank = false;
  }
  if (blank && ingest::CleanText(raw).empty()) {
    id->clear();
    if (!required) return true;
    return Fail(out, "MISSING_FIELD", label);
  }
  auto r = ingest::NormalizeId(raw, *ctx.clock);
  if (ctx.quality) ctx.quality->Check("validity.id", r.ok());
  if (!r.ok()) {
    std::string code = ReasonCodeOf(r.status());
    if (code == "ID_EMPTY") code = "MISSING_FIELD";
    return Fail(out, code, std::string(label));
  }
  *id = std::move(r).value();
  return true;
}

bool Date(const MapContext& ctx, MappedRecord* out, std::string_view raw, std::string_view label,
          bool required, std::string* date) {
  if (ingest::CleanText(raw).empty()) {
    date->clear();
    if (!required) return true;
    return Fail(out, "MISSING_FIELD", label);
  }
  auto r = ingest::NormalizeDate(raw);
  if (ctx.quality) ctx.quality->Check("validity.date", r.ok());
  if (!r.ok()) return Fail(out, "BAD_DATE", std::string(label) + "「" + std::string(raw) + "」");
  *date = std::move(r).value();
  return true;
}

bool Period(const MapContext& ctx, MappedRecord* out, std::string_view raw, std::string_view label,
            int64_t* period) {
  if (ingest::CleanText(raw).empty()) return Fail(out, "MISSING_FIELD", label);
  auto r = ingest::NormalizePeriod(raw);
  if (ctx.quality) ctx.quality->Check("validity.date", r.ok());
  if (!r.ok()) return Fail(out, "BAD_PERIOD", std::string(label) + "「" + std::string(raw) + "」");
  *period = *r;
  return true;
}

bool Amount(const MapContext& ctx, MappedRecord* out, std::string_view raw,
            std::string_view label, bool required, int64_t* fen) {
  if (ingest::CleanText(raw).empty()) {
    *fen = 0;
    if (!required) return true;
    return Fail(out, "MISSING_FIELD", label);
  }
  auto r = ingest::NormalizeAmountFen(raw);
  if (ctx.quality) ctx.quality->Check("validity.amount", r.ok());
  if (!r.ok()) {
    return Fail(out, "BAD_AMOUNT", std::string(label) + "「" + std::string(raw) + "」");
  }
  *fen = *r;
  return true;
}

bool Integer(MappedRecord* out, std::string_view raw, std::string_view label, int64_t* n) {
  std::string t = ingest::CleanText(raw);
  if (t.empty()) {
    *n = 0;
    return true;
  }
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), *n);
  if (ec != std::errc() || p != t.data() + t.size()) {
    return Fail(out, "BAD_NUMBER", std::string(label) + "「" + t + "」");
  }
  return true;
}

bool Code(const MapContext& ctx, MappedRecord* out, std::string_view code_set,
          std::string_view raw, std::string_view label, std::string* std_value) {
  std::string v = ingest::CleanText(raw);
  auto m = ctx.codes->Map(code_set, v);
  if (ctx.quality) ctx.quality->Check("validity.code", m.has_value());
  if (!m) {
    return Fail(out, "UNKNOWN_CODE",
                std::string(label) + "（代码集 " + std::string(code_set) + "）的源值「" + v +
                    "」");
  }
  *std_value = std::move(*m);
  return true;
}

bool Gender(const MapContext& ctx, MappedRecord* out, std::string_view raw,
            const std::string& id, std::string* gender) {
  std::string v = ingest::CleanText(raw);
  std::string from_id;
  if (id.size() == 18) from_id = ((id[16] - '0') % 2 == 1) ? "1" : "2";
  if (v.empty()) {
    *gender = from_id.empty() ? "0" : from_id;
    return true;
  }
  if (!Code(ctx, out, "gender", v, "性别", gender)) return false;
  if (ctx.quality && !from_id.empty() && (*gender == "1" || *gender == "2")) {
    ctx.quality->Check("consistency.gender_id", *gender == from_id);
  }
  return true;
}

std::string Township(const MapContext& ctx, std::string_view raw) {
  std::string out;
  if (!raw.empty()) {
    auto r = ingest::NormalizeDivision(raw);
    if (r.ok()) out = std::move(r).value();
  }
  if (ctx.quality) ctx.quality->Check("completeness.township", !out.empty());
  return out;
}

std::string IdBirth(const std::string& id) {
  if (id.size() != 18) return {};
  return id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2);
}

void CheckBirth(const MapContext& ctx, const std::string& id, const std::string& birth) {
  if (ctx.quality && !birth.empty()) {
    ctx.quality->Check("consistency.birth_id", birth == IdBirth(id));
  }
}

std::string Mobile(const MapContext& ctx, std::string_view raw, std::string* plain) {
  plain->clear();
  if (raw.empty()) return {};
  auto r = ingest::NormalizeMobile(raw);
  if (!r.ok()) return {};
  *plain = std::move(r).value();
  if (ctx.keys == nullptr) return {};
  auto sealed = ctx.mobile_encryptor ? ctx.mobile_encryptor->Encrypt(*plain)
                                     : ctx.keys->EncryptField("datacenter.mobile", *plain);
  if (!sealed.ok()) return {};
  static const char* hex = "0123456789abcdef";
  std::string h;
  h.reserve(sealed->size() * 2);
  for (unsigned char c : *sealed) {
    h += hex[c >> 4];
    h += hex[c & 15];
  }
  return h;
}

void CheckLag(const MapContext& ctx, int64_t change_ms) {
  if (ctx.quality == nullptr || change_ms <= 0) return;
  ctx.quality->Check("timeliness.lag", ctx.batch_time_ms - change_ms <= 30LL * 86400000);
}

int64_t ParseAae036(std::string_view s) {
  if (s.size() < 8) return 0;
  int v[6] = {0, 0, 0, 0, 0, 0};
  const int widths[6] = {4, 2, 2, 2, 2, 2};
  size_t pos = 0;
  for (int i = 0; i < 6 && pos + widths[i] <= s.size(); ++i) {
    for (int k = 0; k < widths[i]; ++k) {
      char c = s[pos + k];
      if (c < '0' || c > '9') return 0;
      v[i] = v[i] * 10 + (c - '0');
    }
    pos += widths[i];
  }
  struct tm t {};
  t.tm_year = v[0] - 1900;
  t.tm_mon = v[1] - 1;
  t.tm_mday = v[2];
  t.tm_hour = v[3];
  t.tm_min = v[4];
  t.tm_sec = v[5];
  time_t secs = timegm(&t);
  return (static_cast<int64_t>(secs) - 8 * 3600) * 1000;
}

StdRow PersonRow(const std::string& src_key, bool deleted, const std::string& id,
                 std::string_view raw_id, PersonFacts facts, const std::string& mobile_plain,
                 const std::string& source_no) {
  StdRow row;
  row.table = TableId::kPersonSource;
  row.src_key = src_key;
  row.deleted = deleted;
  row.id_number = id;
  std::string raw(raw_id.substr(0, 64));
  row.cols = {int64_t{0},         id,           raw,          facts.name,
              facts.gender,       facts.birth_date, facts.division_code, mobile_plain,
              source_no};
  FinishRow(row);  // hashes the plain mobile, stores the ciphertext
  row.cols[7] = facts.mobile_enc;
  row.person = std::make_shared<PersonFacts>(std::move(facts));
  return row;
}

}  // namespace hrss::datacenter::dialect
