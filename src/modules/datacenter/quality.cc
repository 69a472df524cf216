// Data quality rules and per-batch counters (dc_quality). A rule counts the
// records it checked and the ones that failed; its score is
// 100 × (checked − failed) / checked. Dimensions: completeness, validity,
// consistency, timeliness (docs/api/datacenter.md GET /quality).
#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

const std::vector<QualityRuleDef>& QualityRules() {
  static const std::vector<QualityRuleDef> rules = {
      {"completeness.required", "必填字段完整", "completeness"},
      {"completeness.township", "人员所属乡镇（区划）已填写", "completeness"},
      {"validity.id", "身份证号有效", "validity"},
      {"validity.date", "日期、年月有效", "validity"},
      {"validity.amount", "金额有效", "validity"},
      {"validity.code", "代码值可映射到标准代码", "validity"},
      {"consistency.birth_id", "出生日期与身份证号一致", "consistency"},
      {"consistency.gender_id", "性别与身份证号一致", "consistency"},
      {"consistency.cross_system", "跨系统人员信息一致", "consistency"},
      {"timeliness.lag", "源变更 30 天内采集", "timeliness"},
  };
  return rules;
}

void QualityCounters::Check(std::string_view rule, bool ok, int64_t n) {
  auto it = c_.find(rule);
  if (it == c_.end()) it = c_.emplace(std::string(rule), std::pair<int64_t, int64_t>{0, 0}).first;
  it->second.first += n;
  if (!ok) it->second.second += n;
}

void QualityCounters::Merge(const QualityCounters& other) {
  for (const auto& [rule, cf] : other.c_) {
    auto& mine = c_[rule];
    mine.first += cf.first;
    mine.second += cf.second;
  }
}

Status QualityCounters::Save(db::Connection& conn, int64_t batch_id,
                             std::string_view system) const {
  HRSS_RETURN_IF_ERROR(
      conn.Exec("DELETE FROM dc_quality WHERE batch_id = ?", {db::Value(batch_id)}).status());
  for (const QualityRuleDef& def : QualityRules()) {
    auto it = c_.find(def.rule);
    if (it == c_.end() || it->second.first == 0) continue;
    HRSS_RETURN_IF_ERROR(conn.Exec("INSERT INTO dc_quality (batch_id, src_system, rule, "
                                   "dimension, checked, failed) VALUES (?, ?, ?, ?, ?, ?)",
                                   {batch_id, system, def.rule, def.dimension, it->second.first,
                                    it->second.second})
                             .status());
  }
  return Status::Ok();
}

}  // namespace hrss::datacenter
