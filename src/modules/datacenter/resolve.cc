#include "modules/datacenter/resolve.h"

#include <algorithm>
#include <boost/json.hpp>
#include <unordered_set>

#include "core/log.h"

namespace hrss::datacenter {

namespace json = boost::json;

namespace {

constexpr const char* kPersonCols =
    "id, id_number, name, gender, birth_date, division_code, mobile_enc, source_count, "
    "conflict_count, golden_system";

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

}  // namespace

Resolver::Resolver(db::Connection& conn, std::string system, int64_t now_ms,
                   QualityCounters* quality)
    : conn_(conn),
      system_(std::move(system)),
      now_ms_(now_ms),
      quality_(quality),
      defer_person_inserts_(conn.dialect() == db::Dialect::kSqlite) {}

Status Resolver::LoadPersons(const std::vector<std::string>& ids) {
  if (ids.empty()) return Status::Ok();
  if (!person_index_checked_) {
    HRSS_RETURN_IF_ERROR(EnsurePersonIdIndex(conn_));  // deferred by a first load?
    person_index_checked_ = true;
  }
  constexpr size_t kGroup = 200;
  for (size_t i = 0; i < ids.size(); i += kGroup) {
    size_t n = std::min(kGroup, ids.size() - i);
    db::Params params(ids.begin() + i, ids.begin() + i + n);
    HRSS_ASSIGN_OR_RETURN(auto rows, conn_.Query(std::string("SELECT ") + kPersonCols +
                                                     " FROM dc_person WHERE id_number IN (" +
                                                     Placeholders(n) + ")",
                                                 params));
    for (const auto& r : rows) {
      PersonEntry e;
      e.id = r.GetInt64(0);
      e.id_number = r.GetText(1);
      e.name = r.GetText(2);
      e.gender = r.GetText(3);
      e.birth_date = r.GetText(4);
      e.division_code = r.GetText(5);
      e.mobile_enc = r.GetText(6);
      e.source_count = r.GetInt64(7);
      e.conflict_count = r.GetInt64(8);
      e.golden_system = r.GetText(9);
      persons_.emplace(e.id_number, std::move(e));
    }
  }
  return Status::Ok();
}

Status Resolver::CheckCacheComplete() {
  if (!conn_.InTransaction()) {
    cache_complete_ = false;  // others may write between our statements
    return Status::Ok();
  }
  HRSS_ASSIGN_OR_RETURN(auto v, conn_.QueryOne("PRAGMA data_version"));
  const int64_t version = v.has_value() ? v->GetInt64(0) : -2;
  if (data_version_ == -1) {
    HRSS_ASSIGN_OR_RETURN(auto any, conn_.QueryOne("SELECT 1 FROM dc_person LIMIT 1"));
    cache_complete_ = !any.has_value() && persons_.empty() && by_src_key_.empty();
  } else if (version != data_version_) {
    if (cache_complete_) log::Debug("datacenter.resolver_cache_incomplete", {{"system", system_}});
    cache_complete_ = false;
  }
  data_version_ = version;
  return Status::Ok();
}

Status Resolver::Prefetch(const std::vector<MappedRecord>& records) {
  if (defer_person_inserts_) {
    HRSS_RETURN_IF_ERROR(CheckCacheComplete());
    if (cache_complete_) return Status::Ok();  // an unknown ID or key is new
  }
  std::vector<std::string> ids, keys;
  for (const auto& rec : records) {
    for (const auto& row : rec.rows) {
      if (!row.id_number.empty() && persons_.find(row.id_number) == persons_.end()) {
        ids.push_back(row.id_number);
      }
      if (!row.person_src_key.empty() && by_src_key_.find(row.person_src_key) == by_src_key_.end()) {
        keys.push_back(row.person_src_key);
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  constexpr size_t kGroup = 200;
  std::vector<std::pair<std::string, std::string>> key_ids;
  for (size_t i = 0; i < keys.size(); i += kGroup) {
    size_t n = std::min(kGroup, keys.size() - i);
    db::Params params{system_};
    params.insert(params.end(), keys.begin() + i, keys.begin() + i + n);
    HRSS_ASSIGN_OR_RETURN(
        auto rows, conn_.Query("SELECT src_key, id_number FROM dc_person_source WHERE src_system "
                               "= ? AND src_key IN (" +
                                   Placeholders(n) + ")",
                               params));
    for (const auto& r : rows) {
      key_ids.emplace_back(r.GetText(0), r.GetText(1));
      if (persons_.find(key_ids.back().second) == persons_.end()) {
        ids.push_back(key_ids.back().second);
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  HRSS_RETURN_IF_ERROR(LoadPersons(ids));
  for (const auto& [key, id] : key_ids) {
    auto it = persons_.find(id);
    if (it != persons_.end()) by_src_key_[key] = &it->second;
  }
  if (defer_person_inserts_) return Status::Ok();
  // MariaDB: the chunk's new persons in one round trip per 500 instead of
  // one each. The loader's resolve loop (Loader::Load), walked ahead without
  // side effects up to the first record whose outcome depends on what the
  // loop itself does (a person source key not known yet: quarantined, or
  // known once an earlier record of the chunk is loaded). Up to there the
  // loop asks PersonById for exactly these IDs, in this order, with these
  // facts; anything after it is created one by one.
  std::vector<std::pair<std::string, const PersonFacts*>> todo;
  std::unordered_set<std::string_view> seen;
  for (const MappedRecord& rec : records) {
    if (!rec.reason_code.empty()) continue;
    for (const StdRow& row : rec.rows) {
      if (Spec(row.table).person_col < 0) continue;
      if (!row.id_number.empty()) {
        if (persons_.count(row.id_number) == 0 && seen.insert(row.id_number).second) {
          todo.emplace_back(row.id_number, row.person.get());
        }
      } else if (!row.person_src_key.empty() && PersonBySrcKey(row.person_src_key) == nullptr) {
        return CreatePersons(todo);
      }
    }
  }
  return CreatePersons(todo);
}

PersonEntry Resolver::NewEntry(const std::string& id_number, const PersonFacts* facts) const {
  PersonEntry e;
  e.id_number = id_number;
  if (facts != nullptr) {
    e.name = facts->name;
    e.gender = facts->gender;
    e.birth_date = facts->birth_date;
    e.division_code = facts->division_code;
    e.mobile_enc = facts->mobile_enc;
    e.golden_system = system_;
  } else {
    // A stub from the ID alone until a person source arrives.
    e.gender = ((id_number[16] - '0') % 2 == 1) ? "1" : "2";
    e.birth_date = id_number.substr(6, 4) + "-" + id_number.substr(10, 2) + "-" +
                   id_number.substr(12, 2);
  }
  return e;
}

Status Resolver::CreatePersons(
    const std::vector<std::pair<std::string, const PersonFacts*>>& todo) {
  if (todo.empty()) return Status::Ok();
  constexpr size_t kGroup = 500;
  const std::string head =
      "INSERT INTO dc_person (id_number, name, gender, birth_date, division_code, mobile_enc, "
      "source_count, conflict_count, created_at_ms, updated_at_ms, golden_system) VALUES ";
  for (size_t i = 0; i < todo.size(); i += kGroup) {
    const size_t n = std::min(kGroup, todo.size() - i);
    std::string sql = head;
    db::Params params;
    params.reserve(n * 9);
    std::vector<PersonEntry> entries;
    entries.reserve(n);
    for (size_t k = 0; k < n; ++k) {
      PersonEntry e = NewEntry(todo[i + k].first, todo[i + k].second);
      sql += k ? ", (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)";
      params.insert(params.end(), {e.id_number, e.name, e.gender, e.birth_date, e.division_code,
                                   e.mobile_enc, now_ms_, now_ms_, e.golden_system});
      entries.push_back(std::move(e));
    }
    sql += " RETURNING id, id_number";
    HRSS_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    std::unordered_map<std::string, int64_t> ids;
    for (const auto& r : rows) ids[r.GetText(1)] = r.GetInt64(0);
    for (PersonEntry& e : entries) {
      auto it = ids.find(e.id_number);
      if (it == ids.end()) return Status::Internal("新建人员未返回编号：" + e.id_number);
      e.id = it->second;
      persons_.emplace(e.id_number, std::move(e));
    }
  }
  return Status::Ok();
}

Result<PersonEntry*> Resolver::PersonById(const std::string& id_number, const PersonFacts* facts) {
  // Source files list a person's months together: mostly the last one again.
  if (last_person_ != nullptr && last_person_->id_number == id_number) return last_person_;
  auto it = persons_.find(id_number);
  if (it != persons_.end()) return last_person_ = &it->second;
  if (defer_person_inserts_) {
    PersonEntry e = NewEntry(id_number, facts);
    // Written at Flush with its final source_count etc. (InsertNewPersons).
    if (next_person_id_ < 0) {
      HRSS_ASSIGN_OR_RETURN(
          auto r, conn_.QueryOne("SELECT MAX(COALESCE((SELECT MAX(id) FROM dc_person), 0), "
                                 "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "
                                 "'dc_person'), 0))"));
      next_person_id_ = (r.has_value() ? r->GetInt64(0) : 0) + 1;
    }
    e.id = next_person_id_++;
    e.dirty = true;
    auto [pos, ok] = persons_.emplace(id_number, std::move(e));
    (void)ok;
    new_persons_.push_back(&pos->second);
    return &pos->second;
  }
  HRSS_RETURN_IF_ERROR(CreatePersons({{id_number, facts}}));
  return &persons_.at(id_number);
}

PersonEntry* Resolver::PersonBySrcKey(const std::string& src_key) {
  auto it = by_src_key_.find(src_key);
  return it == by_src_key_.end() ? nullptr : it->second;
}

Status Resolver::Conflict(PersonEntry* p, std::string_view field, const std::string& golden_value,
                          const std::string& value) {
  HRSS_ASSIGN_OR_RETURN(auto existing,
                        conn_.QueryOne("SELECT id, values_json, status FROM dc_person_conflict "
                                       "WHERE person_id = ? AND field = ?",
                                       {p->id, field}));
  std::map<std::string, std::string> values;
  if (existing.has_value()) {
    boost::system::error_code ec;
    json::value v = json::parse(existing->GetText(1), ec);
    if (!ec && v.is_array()) {
      for (const auto& item : v.as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        if (o.contains("system") && o.contains("value") && o.at("system").is_string() &&
            o.at("value").is_string()) {
          values[std::string(o.at("system").as_string())] = std::string(o.at("value").as_string());
        }
      }
    }
  }
  values[p->golden_system] = golden_value;
  values[system_] = value;
  json::array arr;
  for (const auto& [sys, val] : values) arr.push_back(json::object{{"system", sys}, {"value", val}});
  std::string text = json::serialize(arr);
  if (!existing.has_value()) {
    HRSS_RETURN_IF_ERROR(conn_
                             .Exec("INSERT INTO dc_person_conflict (person_id, field, values_json, "
                                   "status, created_at_ms) VALUES (?, ?, ?, 'open', ?)",
                                   {p->id, field, text, now_ms_})
                             .status());
    ++p->conflict_count;
    if (!p->dirty) dirty_persons_.push_back(p);
    p->dirty = true;
  } else if (existing->GetText(1) != text) {
    if (existing->GetText(2) != "open") {
      ++p->conflict_count;
      if (!p->dirty) dirty_persons_.push_back(p);
      p->dirty = true;
    }
    HRSS_RETURN_IF_ERROR(conn_
                             .Exec("UPDATE dc_person_conflict SET values_json = ?, status = 'open' "
                                   "WHERE id = ?",
                                   {text, existing->GetInt64(0)})
                             .status());
  }
  return Status::Ok();
}

Status Resolver::ApplyPersonSource(PersonEntry* p, const StdRow& row, bool inserted) {
  by_src_key_[row.src_key] = p;
  bool changed = false;
  if (inserted) {
    ++p->source_count;
    changed = true;
  }
  const PersonFacts& f = *row.person;
  if (!row.deleted) {
    bool other = !p->golden_system.empty() && p->golden_system != system_;
    if (other) {
      bool same = f.birth_date == p->birth_date;
      bool gender_comparable = (f.gender == "1" || f.gender == "2") &&
                               (p->gender == "1" || p->gender == "2");
      if (quality_) quality_->Check("consistency.cross_system", same && (!gender_comparable || f.gender == p->gender));
      if (!same) HRSS_RETURN_IF_ERROR(Conflict(p, "birth_date", p->birth_date, f.birth_date));
      if (gender_comparable && f.gender != p->gender) {
        HRSS_RETURN_IF_ERROR(Conflict(p, "gender", p->gender, f.gender));
      }
    }
    if (SystemPriority(system_) <= SystemPriority(p->golden_system)) {
      auto set = [&changed](std::string& dst, const std::string& src) {
        if (dst != src) {
          dst = src;
          changed = true;
        }
      };
      set(p->name, f.name);
      set(p->gender, f.gender);
      set(p->birth_date, f.birth_date);
      if (!f.division_code.empty()) set(p->division_code, f.division_code);
      if (!f.mobile_enc.empty()) set(p->mobile_enc, f.mobile_enc);
      set(p->golden_system, system_);
    } else {
      if (p->division_code.empty() && !f.division_code.empty()) {
        p->division_code = f.division_code;
        changed = true;
      }
      if (p->name.empty() && !f.name.empty()) {
        p->name = f.name;
        changed = true;
      }
    }
  }
  if (changed && !p->dirty) {
    p->dirty = true;
    dirty_persons_.push_back(p);
  }
  return Status::Ok();
}

Status Resolver::ApplyUnitSource(StdRow& row, bool* inserted_unit) {
  *inserted_unit = false;
  if (!units_loaded_) {
    HRSS_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT id, credit_code, unit_no, name, unit_type, "
                                                 "industry, division_code, legal_person, status, "
                                                 "source_count, golden_system FROM dc_unit"));
    for (const auto& r : rows) {
      UnitEntry u;
      u.id = r.GetInt64(0);
      u.credit_code = r.GetText(1);
      u.unit_no = r.GetText(2);
      u.name = r.GetText(3);
      u.unit_type = r.GetText(4);
      u.industry = r.GetText(5);
      u.division_code = r.GetText(6);
      u.legal_person = r.GetText(7);
      u.status = r.GetText(8);
      u.source_count = r.GetInt64(9);
      u.golden_system = r.GetText(10);
      if (!u.credit_code.empty()) unit_by_credit_[u.credit_code] = u.id;
      if (!u.unit_no.empty()) unit_by_no_[u.unit_no] = u.id;
      units_.emplace(u.id, std::move(u));
    }
    HRSS_ASSIGN_OR_RETURN(auto srcs, conn_.Query("SELECT src_key, unit_id FROM dc_unit_source WHERE "
                                                 "src_system = ?",
                                                 {system_}));
    for (const auto& r : srcs) unit_by_src_key_[r.GetText(0)] = r.GetInt64(1);
    units_loaded_ = true;
  }
  const UnitFacts& f = *row.unit;
  int64_t id = 0;
  auto find = [](const auto& m, const std::string& k) -> int64_t {
    if (k.empty()) return 0;
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  };
  id = find(unit_by_credit_, f.credit_code);
  if (id == 0) id = find(unit_by_no_, f.unit_no);
  if (id == 0) id = find(unit_by_src_key_, row.src_key);
  UnitEntry* u = nullptr;
  if (id == 0) {
    UnitEntry e;
    e.credit_code = f.credit_code;
    e.unit_no = f.unit_no;
    e.name = f.name;
    e.unit_type = f.unit_type;
    e.industry = f.industry;
    e.division_code = f.division_code;
    e.legal_person = f.legal_person;
    e.golden_system = system_;
    e.status = row.deleted ? "cancelled" : "active";
    HRSS_RETURN_IF_ERROR(
        conn_
            .Exec("INSERT INTO dc_unit (credit_code, unit_no, name, unit_type, industry, "
                  "division_code, legal_person, status, source_count, created_at_ms, "
                  "updated_at_ms, golden_system) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                  {e.credit_code, e.unit_no, e.name, e.unit_type, e.industry, e.division_code,
                   e.legal_person, e.status, now_ms_, now_ms_, e.golden_system})
            .status());
    e.id = conn_.LastInsertId();
    id = e.id;
    *inserted_unit = true;
    u = &units_.emplace(id, std::move(e)).first->second;
  } else {
    u = &units_.at(id);
    bool changed = false;
    auto set = [&changed](std::string& dst, const std::string& src) {
      if (!src.empty() && dst != src) {
        dst = src;
        changed = true;
      }
    };
    // Identifiers are filled in from any source; descriptive fields follow priority.
    set(u->credit_code, f.credit_code);
    set(u->unit_no, f.unit_no);
    if (SystemPriority(system_) <= SystemPriority(u->golden_system)) {
      set(u->name, f.name);
      set(u->unit_type, f.unit_type);
      set(u->industry, f.industry);
      set(u->division_code, f.division_code);
      set(u->legal_person, f.legal_person);
      std::string status = row.deleted ? "cancelled" : "active";
      if (u->golden_system == system_ || !row.deleted) set(u->status, status);
      set(u->golden_system, system_);
    } else if (u->division_code.empty()) {
      set(u->division_code, f.division_code);
    }
    if (changed && !u->dirty) {
      u->dirty = true;
      dirty_units_.push_back(id);
    }
  }
  if (!u->credit_code.empty()) unit_by_credit_[u->credit_code] = id;
  if (!u->unit_no.empty()) unit_by_no_[u->unit_no] = id;
  unit_by_src_key_[row.src_key] = id;
  row.cols[0] = id;
  return Status::Ok();
}

void Resolver::NoteUnitSourceInserted(int64_t unit_id) {
  auto it = units_.find(unit_id);
  if (it == units_.end()) return;
  ++it->second.source_count;
  if (!it->second.dirty) {
    it->second.dirty = true;
    dirty_units_.push_back(unit_id);
  }
}

std::string Resolver::UnitDivision(const std::string& unit_no) const {
  auto it = unit_by_no_.find(unit_no);
  if (it == unit_by_no_.end()) return {};
  auto u = units_.find(it->second);
  return u == units_.end() ? std::string() : u->second.division_code;
}

Status Resolver::InsertNewPersons() {
  if (new_persons_.empty()) return Status::Ok();
  constexpr int kCols = 12;
  constexpr size_t kRows = 32;
  std::string sql =
      "INSERT INTO dc_person (id, id_number, name, gender, birth_date, division_code, "
      "mobile_enc, source_count, conflict_count, created_at_ms, updated_at_ms, golden_system) "
      "VALUES ";
  const std::string one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  if (!insert_person_one_) {
    HRSS_ASSIGN_OR_RETURN(insert_person_one_, conn_.Prepare(sql + one));
    std::string multi = sql;
    for (size_t r = 0; r < kRows; ++r) multi += (r ? ", " : "") + one;
    HRSS_ASSIGN_OR_RETURN(insert_person_multi_, conn_.Prepare(multi));
  }
  size_t i = 0;
  while (i < new_persons_.size()) {
    const size_t n = new_persons_.size() - i >= kRows ? kRows : 1;
    db::Statement& st = n == kRows ? *insert_person_multi_ : *insert_person_one_;
    for (size_t r = 0; r < n; ++r) {
      PersonEntry& p = *new_persons_[i + r];
      const int b = static_cast<int>(r) * kCols;
      st.BindInt64(b, p.id);
      st.BindText(b + 1, p.id_number);
      st.BindText(b + 2, p.name);
      st.BindText(b + 3, p.gender);
      st.BindText(b + 4, p.birth_date);
      st.BindText(b + 5, p.division_code);
      st.BindText(b + 6, p.mobile_enc);
      st.BindInt64(b + 7, p.source_count);
      st.BindInt64(b + 8, p.conflict_count);
      st.BindInt64(b + 9, now_ms_);
      st.BindInt64(b + 10, now_ms_);
      st.BindText(b + 11, p.golden_system);
      p.dirty = false;
    }
    auto step = st.Step();
    st.Reset();
    HRSS_RETURN_IF_ERROR(step.status());
    i += n;
  }
  new_persons_.clear();
  next_person_id_ = -1;  // the next transaction reads it again
  return Status::Ok();
}

// Dirty golden records go out as one batch per table (MariaDB: one
// array-bound round trip instead of one per person).
Status Resolver::Flush() {
  HRSS_RETURN_IF_ERROR(InsertNewPersons());
  if (!dirty_persons_.empty()) {
    std::vector<db::Params> rows;
    rows.reserve(dirty_persons_.size());
    for (PersonEntry* p : dirty_persons_) {
      rows.push_back({p->name, p->gender, p->birth_date, p->division_code, p->mobile_enc,
                      p->source_count, p->conflict_count, p->golden_system, now_ms_, p->id});
      p->dirty = false;
    }
    HRSS_RETURN_IF_ERROR(
        conn_
            .ExecBatch("UPDATE dc_person SET name = ?, gender = ?, birth_date = ?, "
                       "division_code = ?, mobile_enc = ?, source_count = ?, conflict_count = ?, "
                       "golden_system = ?, updated_at_ms = ? WHERE id = ?",
                       rows)
            .status());
    dirty_persons_.clear();
  }
  if (!dirty_units_.empty()) {
    std::vector<db::Params> rows;
    rows.reserve(dirty_units_.size());
    for (int64_t id : dirty_units_) {
      UnitEntry& u = units_.at(id);
      rows.push_back({u.credit_code, u.unit_no, u.name, u.unit_type, u.industry, u.division_code,
                      u.legal_person, u.status, u.source_count, u.golden_system, now_ms_, u.id});
      u.dirty = false;
    }
    HRSS_RETURN_IF_ERROR(
        conn_
            .ExecBatch("UPDATE dc_unit SET credit_code = ?, unit_no = ?, name = ?, unit_type = ?, "
                       "industry = ?, division_code = ?, legal_person = ?, status = ?, "
                       "source_count = ?, golden_system = ?, updated_at_ms = ? WHERE id = ?",
                       rows)
            .status());
    dirty_units_.clear();
  }
  return Status::Ok();
}

}  // namespace hrss::datacenter
