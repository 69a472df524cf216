// Code maps (dc_code_map): the default source value → standard value tables
// of the five systems, and the in-memory lookup a batch uses.
#include "db/bulk.h"
#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

namespace {

struct Seed {
  const char* system;
  const char* code_set;
  std::vector<std::pair<const char*, const char*>> values;
};

const std::vector<Seed>& Seeds() {
  static const std::vector<Seed> seeds = [] {
    std::vector<Seed> s;
    const std::vector<std::pair<const char*, const char*>> gender = {
        {"男", "1"}, {"女", "2"}, {"男性", "1"}, {"女性", "2"}, {"1", "1"}, {"2", "2"},
        {"9", "9"},  {"0", "0"},  {"M", "1"},    {"F", "2"},    {"m", "1"}, {"f", "2"}};
    for (const char* sys : {"jubao", "shebao", "jibao", "jiuye", "jiancha"}) {
      s.push_back({sys, "gender", gender});
    }
    s.push_back({"jubao", "enrolment_status", {{"正常缴费", "1"}, {"暂停", "2"}, {"终止", "3"}}});
    s.push_back(
        {"jubao", "payment_status", {{"已发放", "paid"}, {"暂停", "suspended"}, {"退回", "refunded"}}});
    s.push_back({"shebao", "enrolment_status", {{"1", "1"}, {"2", "2"}, {"3", "3"}}});
    s.push_back({"shebao",
                 "insurance_type",
                 {{"110", "110"}, {"210", "210"}, {"310", "310"}, {"410", "410"}, {"510", "510"}}});
    s.push_back({"shebao", "payment_status", {{"1", "paid"}, {"0", "suspended"}, {"2", "refunded"}}});
    s.push_back({"shebao", "arrival_flag", {{"1", "paid"}, {"0", "due"}}});
    s.push_back({"shebao",
                 "business_item",
                 {{"SB1001", "consult"},
                  {"SB1002", "info_query"},
                  {"SB1003", "contribution_cert"},
                  {"SB2001", "pension_enrol"},
                  {"SB2002", "medical_enrol"},
                  {"JM2003", "resident_pension_enrol"},
                  {"SB3001", "ss_transfer"},
                  {"SB4001", "info_update"},
                  {"SB5001", "card_apply"},
                  {"SB5002", "card_service"},
                  {"SB6001", "retire_approval"},
                  {"SB7001", "pension_claim"},
                  {"SB7002", "survivor_claim"},
                  {"JM7003", "pension_cert"},
                  {"JY8001", "employment_reg"},
                  {"JY8002", "unemployment_reg"},
                  {"SB8003", "unemployment_claim"}}});
    s.push_back({"shebao", "channel", {{"1", "window"}, {"2", "kiosk"}, {"3", "web"}, {"4", "mobile"}}});
    s.push_back({"shebao", "business_status", {{"0", "accepted"}, {"1", "completed"}, {"2", "returned"}}});
    s.push_back({"shebao",
                 "benefit_type",
                 {{"11", "pension_employee"},
                  {"21", "unemployment"},
                  {"41", "work_injury"},
                  {"91", "funeral"},
                  {"92", "survivor"}}});
    s.push_back({"shebao",
                 "unit_type",
                 {{"10", "enterprise"},
                  {"30", "organ"},
                  {"50", "institution"},
                  {"60", "individual"},
                  {"90", "other"}}});
    s.push_back({"jiuye",
                 "employment_event_type",
                 {{"就业登记", "employment_registration"},
                  {"失业登记", "unemployment_registration"},
                  {"就业困难人员认定", "hard_to_employ"},
                  {"职业培训", "training"},
                  {"补贴", "subsidy"},
                  {"创业担保贷款", "startup_loan"},
                  {"就业见习", "internship"}}});
    s.push_back({"jiancha",
                 "case_status",
                 {{"已登记", "received"},
                  {"已立案", "filed"},
                  {"审理中", "hearing"},
                  {"调解结案", "mediated"},
                  {"已结案", "closed"},
                  {"已撤回", "withdrawn"}}});
    s.push_back({"jiancha",
                 "case_type",
                 {{"投诉", "complaint"}, {"举报", "report"}, {"仲裁", "arbitration"}}});
    return s;
  }();
  return seeds;
}

}  // namespace

Status CodeMaps::SeedDefaults(db::Pool& pool, int64_t now_ms) {
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, pool.Acquire());
  db::BulkInserter ins(*conn, "dc_code_map",
                       {"src_system", "code_set", "src_value", "std_value", "manual",
                        "updated_at_ms", "updated_by"},
                       500, db::OnConflict::kIgnore);
  for (const Seed& s : Seeds()) {
    for (const auto& [src, std_value] : s.values) {
      HRSS_RETURN_IF_ERROR(
          ins.Add({s.system, s.code_set, src, std_value, int64_t{0}, now_ms, "system"}));
    }
  }
  return ins.Finish();
}

Result<CodeMaps> CodeMaps::Load(db::Connection& conn, std::string_view system) {
  CodeMaps maps;
  HRSS_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT code_set, src_value, std_value FROM "
                                              "dc_code_map WHERE src_system = ?",
                                              {db::Value(system)}));
  for (const auto& r : rows) maps.Set(r.GetText(0), r.GetText(1), r.GetText(2));
  return maps;
}

std::optional<std::string> CodeMaps::Map(std::string_view code_set, std::string_view src) const {
  auto set = m_.find(code_set);
  if (set == m_.end()) return std::nullopt;
  auto it = set->second.find(src);
  if (it == set->second.end()) return std::nullopt;
  return it->second;
}

void CodeMaps::Set(std::string code_set, std::string src, std::string std_value) {
  m_[std::move(code_set)][std::move(src)] = std::move(std_value);
}

}  // namespace hrss::datacenter
