// Identity resolution for one loader (one system, one batch): persons by
// their normalized 18-digit ID (or the source's own person key), units by
// credit code, else by 社保 unit number, else by the source key. Golden
// records take name/gender/birth/township from the highest-priority source
// (SystemPriority); a source that disagrees on birth date or gender with the
// golden record's source opens a dc_person_conflict row instead of being
// merged. Everything is cached in memory for the batch; lookups are done per
// chunk (Prefetch), never per row.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

struct PersonEntry {
  int64_t id = 0;
  std::string id_number, name, gender, birth_date, division_code, mobile_enc, golden_system;
  int64_t source_count = 0, conflict_count = 0;
  bool dirty = false;
};

struct UnitEntry {
  int64_t id = 0;
  std::string credit_code, unit_no, name, unit_type, industry, division_code, legal_person,
      status = "active", golden_system;
  int64_t source_count = 0;
  bool dirty = false;
};

class Resolver {
 public:
  Resolver(db::Connection& conn, std::string system, int64_t now_ms, QualityCounters* quality);

  // Loads the persons the chunk refers to that are not cached yet; on
  // MariaDB also creates the new ones the chunk will ask PersonById for.
  Status Prefetch(const std::vector<MappedRecord>& records);
  // The person with this ID, created (from `facts`, or as a stub from the ID
  // alone) when unknown.
  Result<PersonEntry*> PersonById(const std::string& id_number, const PersonFacts* facts);
  // The person whose source record in this system has `src_key`; nullptr when unknown.
  PersonEntry* PersonBySrcKey(const std::string& src_key);
  // After a person source row was written (not unchanged): golden record and
  // conflicts.
  Status ApplyPersonSource(PersonEntry* p, const StdRow& row, bool inserted);
  // Before a unit source row is written: resolves/creates the unit, updates
  // its golden record, sets the row's unit_id.
  Status ApplyUnitSource(StdRow& row, bool* inserted_unit);
  // A new dc_unit_source row for the unit was written.
  void NoteUnitSourceInserted(int64_t unit_id);
  // Township of a unit by its 社保 number ("" when unknown).
  std::string UnitDivision(const std::string& unit_no) const;
  // Writes dirty golden records.
  Status Flush();

 private:
  Status LoadPersons(const std::vector<std::string>& ids);
  // SQLite, once per chunk: whether the caches still hold every person and
  // person source there is (cache_complete_).
  Status CheckCacheComplete();
  // MariaDB: inserts these new persons (unknown IDs, each once, in order of
  // first use, with the facts of that use) with one multi-row
  // INSERT .. RETURNING per 500 and caches them.
  Status CreatePersons(const std::vector<std::pair<std::string, const PersonFacts*>>& todo);
  // A new golden person from `facts`, or a stub from the ID alone (no id yet).
  PersonEntry NewEntry(const std::string& id_number, const PersonFacts* facts) const;
  // SQLite: writes the persons created since the last Flush with their final
  // values (multi-row INSERT with the ids assigned in PersonById).
  Status InsertNewPersons();
  Status Conflict(PersonEntry* p, std::string_view field, const std::string& golden_value,
                  const std::string& value);

  db::Connection& conn_;
  std::string system_;
  int64_t now_ms_;
  QualityCounters* quality_;
  std::unordered_map<std::string, PersonEntry> persons_;  // by id_number
  std::unordered_map<std::string, PersonEntry*> by_src_key_;
  PersonEntry* last_person_ = nullptr;  // PersonById's last answer (entries never move)
  std::vector<PersonEntry*> dirty_persons_;
  // SQLite: persons created since the last Flush, not written yet (their
  // `dirty` flag is set so that they never join dirty_persons_), and the next
  // id to assign (-1: read it from the table first). The transaction holds
  // the write lock from the first write until Flush + commit.
  bool defer_person_inserts_ = false;
  // SQLite: persons_ holds every dc_person row and by_src_key_ every person
  // source of this system, so an ID or key they lack is new and no query
  // needs to ask. True when dc_person was empty at the batch's first chunk
  // (a first load: every person and person source since was written by
  // this resolver) and no other connection has committed since: PRAGMA
  // data_version, read at every chunk inside the transaction that holds
  // the write lock, is unchanged. Once false, stays false.
  bool cache_complete_ = false;
  int64_t data_version_ = -1;  // -1: no chunk seen yet
  // EnsurePersonIdIndex ran (before the first look-up by ID number).
  bool person_index_checked_ = false;
  std::vector<PersonEntry*> new_persons_;
  int64_t next_person_id_ = -1;
  std::unique_ptr<db::Statement> insert_person_multi_, insert_person_one_;
  std::unordered_map<int64_t, UnitEntry> units_;
  std::unordered_map<std::string, int64_t> unit_by_credit_, unit_by_no_, unit_by_src_key_;
  std::vector<int64_t> dirty_units_;
  bool units_loaded_ = false;
};

}  // namespace hrss::datacenter
