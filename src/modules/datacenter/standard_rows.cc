// Table specs, system priorities, row hashing and reason texts (collect.h).
#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "modules/datacenter/collect.h"

namespace hrss::datacenter {

namespace {

struct SystemInfo {
  const char* code;
  const char* name;
  int priority;
};
constexpr std::array<SystemInfo, 5> kSystems = {{
    {"shebao", "社保", 1},
    {"jibao", "机保", 2},
    {"jubao", "居保", 3},
    {"jiuye", "就业", 4},
    {"jiancha", "劳动监察", 5},
}};

}  // namespace

int SystemPriority(std::string_view system) {
  for (const auto& s : kSystems) {
    if (system == s.code) return s.priority;
  }
  return 99;
}

std::string SystemName(std::string_view system) {
  for (const auto& s : kSystems) {
    if (system == s.code) return s.name;
  }
  return std::string(system);
}

bool IsKnownSystem(std::string_view system) { return SystemPriority(system) != 99; }

const std::vector<TableSpec>& AllSpecs() {
  static const std::vector<TableSpec> specs = {
      {TableId::kPersonSource,
       "dc_person_source",
       {"person_id", "id_number", "raw_id_number", "name", "gender", "birth_date", "division_code",
        "mobile_enc", "source_no"},
       0,
       -1,
       -1},
      {TableId::kUnitSource,
       "dc_unit_source",
       {"unit_id", "credit_code", "unit_no", "name", "unit_type", "industry", "division_code"},
       -1,
       -1,
       0},
      {TableId::kEnrolment,
       "dc_enrolment",
       {"person_id", "id_number", "unit_no", "insurance_type", "status", "start_date", "end_date",
        "domain", "division_code"},
       0,
       8,
       -1},
      {TableId::kContribution,
       "dc_contribution",
       {"person_id", "id_number", "unit_no", "insurance_type", "period", "base_fen", "personal_fen",
        "unit_fen", "subsidy_fen", "status", "domain", "division_code"},
       0,
       11,
       -1},
      {TableId::kArrears,
       "dc_arrears",
       {"unit_no", "person_id", "id_number", "insurance_type", "period", "amount_fen", "domain",
        "division_code"},
       -1,
       7,
       -1},
      {TableId::kBenefitPayment,
       "dc_benefit_payment",
       {"person_id", "id_number", "benefit_type", "period", "amount_fen", "status", "domain",
        "division_code"},
       0,
       7,
       -1},
      {TableId::kEmploymentEvent,
       "dc_employment_event",
       {"person_id", "id_number", "event_type", "event_date", "unit_credit_code", "amount_fen",
        "domain", "division_code"},
       0,
       7,
       -1},
      {TableId::kCase,
       "dc_case",
       {"kind", "case_no", "case_type", "unit_credit_code", "unit_name", "person_id", "id_number",
        "cause", "amount_fen", "workers", "status", "received_date", "filed_date", "closed_date",
        "attachments", "domain", "division_code"},
       5,
       -1,
       -1},
      {TableId::kInstitutionPersonnel,
       "dc_institution_personnel",
       {"person_id", "id_number", "name", "unit_credit_code", "unit_name", "post",
        "salary_base_fen", "entry_date", "domain", "division_code"},
       0,
       9,
       -1},
      // division_code is the outlet's township (own value), not the person's.
      {TableId::kBusinessRecord,
       "dc_business_record",
       {"person_id", "id_number", "outlet_code", "outlet_name", "item_code", "item_name",
        "item_category", "channel", "staff_code", "staff_name", "status", "accepted_at",
        "finished_at", "duration_minutes", "overdue", "domain", "division_code"},
       0,
       -1,
       -1},
  };
  return specs;
}

const TableSpec& Spec(TableId t) { return AllSpecs()[static_cast<size_t>(t)]; }

const std::vector<std::string>& WindowTables() {
  static const std::vector<std::string> tables = {
      "dc_person_source", "dc_enrolment",  "dc_contribution",          "dc_benefit_payment",
      "dc_employment_event", "dc_case",    "dc_archive",               "dc_institution_personnel",
      "dc_business_record"};
  return tables;
}

bool IsWindowTable(TableId t) {
  // Per TableId, decided once (the loader asks for every update).
  static const std::array<bool, static_cast<size_t>(TableId::kCount)> window = [] {
    std::array<bool, static_cast<size_t>(TableId::kCount)> w{};
    const std::vector<std::string>& tables = WindowTables();
    for (const TableSpec& spec : AllSpecs()) {
      w[static_cast<size_t>(spec.id)] =
          std::find(tables.begin(), tables.end(), spec.name) != tables.end();
    }
    return w;
  }();
  return window[static_cast<size_t>(t)];
}

Status MarkBatch(db::Connection& conn, int64_t batch_id) {
  std::string sql = "INSERT INTO dc_batch_mark (batch_id, table_name, max_id) ";
  db::Params params;
  for (const std::string& t : WindowTables()) {
    if (!params.empty()) sql += " UNION ALL ";
    sql += "SELECT ?, '" + t + "', COALESCE(MAX(id), 0) FROM " + t;
    params.emplace_back(batch_id);
  }
  return conn.Exec(sql, params).status();
}

void FinishRow(StdRow& row) {
  // 64-bit FNV-1a over the parts joined by '\x1f' (as ingest::RowHash).
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0x1f;
    h *= 1099511628211ull;
  };
  mix(row.src_key);
  mix(row.deleted ? "1" : "0");
  const TableSpec& spec = Spec(row.table);
  std::string tmp;
  for (size_t i = 0; i < row.cols.size(); ++i) {
    int ii = static_cast<int>(i);
    if (ii == spec.person_col || ii == spec.division_col || ii == spec.unit_col) continue;
    const db::Value& v = row.cols[i];
    switch (v.type()) {
      case db::Value::Type::kText:
        mix(v.text());
        break;
      case db::Value::Type::kInt64:
        tmp = std::to_string(v.int64());
        mix(tmp);
        break;
      case db::Value::Type::kNull:
        mix("\x01");
        break;
      default:
        mix(v.AsText().value_or(""));
    }
  }
  row.row_hash = static_cast<int64_t>(h & 0x7fffffffffffffffull);
}

boost::json::object RecordJson(const MappedRecord& rec) {
  boost::json::object o;
  if (!rec.columns) return o;
  for (size_t i = 0; i < rec.columns->size() && i < rec.values.size(); ++i) {
    o[(*rec.columns)[i]] = rec.values[i];
  }
  return o;
}

ingest::Record RecordFromJson(const boost::json::object& o) {
  auto cols = std::make_shared<std::vector<std::string>>();
  ingest::Record rec;
  for (const auto& [k, v] : o) {
    cols->emplace_back(k);
    if (v.is_string()) {
      rec.values.emplace_back(v.as_string());
    } else if (v.is_null()) {
      rec.values.emplace_back();
    } else {
      rec.values.push_back(boost::json::serialize(v));
    }
  }
  rec.columns = std::move(cols);
  return rec;
}

std::string ReasonText(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> texts = {
      {"ID_CHECKSUM", "身份证号校验位错误"},
      {"ID_FORMAT", "身份证号格式错误（长度或字符不合法）"},
      {"ID_BIRTH", "身份证号中的出生日期无效"},
      {"ID_EMPTY", "身份证号为空"},
      {"BAD_DATE", "日期无效"},
      {"BAD_PERIOD", "年月（所属期）无效"},
      {"BAD_AMOUNT", "金额无效"},
      {"BAD_GENDER", "性别无效"},
      {"BAD_NUMBER", "数值无效"},
      {"UNKNOWN_CODE", "代码值没有映射"},
      {"MISSING_FIELD", "必填字段缺失"},
      {"PARSE_ERROR", "记录无法解析"},
      {"PERSON_UNKNOWN", "引用的人员不存在"},
      {"NAME_FORMAT", "姓名格式错误"},
      {"CREDIT_FORMAT", "统一社会信用代码格式错误"},
      {"BAD_OPERATION", "操作类型无效"},
  };
  auto it = texts.find(code);
  return it == texts.end() ? std::string("记录无效") : it->second;
}

}  // namespace hrss::datacenter
