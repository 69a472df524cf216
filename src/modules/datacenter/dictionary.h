// The data center's data standard and dictionary (issue 4 item 1, R1.1): the
// standard entities with their fields, the code sets they reference
// (versioned), the five level-2 source systems with their collection
// methods, and the 218 collection sources of
// seed/collection_sources.tsv (compiled in, see CMakeLists.txt), each mapped
// to its target standard entities.
//
// The dictionary is reference data: SeedDictionary() runs at every Start and
// upserts it (sources by number, the rest by key), so every installation has
// it; running it again changes nothing. A source whose mapping was edited
// (dc_source.mapping_manual = 1) keeps its entities.
//
// Tables (migration module "datacenter"):
//   dc_dict_version (version PK, seeded_at_ms, note)
//   dc_source_system (code PK, name, method, method_label, format, sort)
//   dc_source (no PK, system_code, name, entities, method, status,
//              mapping_rule, mapping_manual, updated_at_ms)
//   dc_entity (code PK, name, description, sort)
//   dc_field (entity_code, name, label, type, code_set, sensitivity,
//             description, sort; PK entity_code+name)
//   dc_code_set (code PK, name, standard, version)
//   dc_code_value (code_set, version, value, label, sort; PK all three keys)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "db/pool.h"

namespace hrss::db {
class Migrator;
}

namespace hrss::datacenter {

inline constexpr const char* kDictionaryVersion = "2026.1";

// The seed TSV exactly as compiled in (generated seed_data.cc).
std::string_view EmbeddedSourcesTsv();

struct SourceSystem {
  std::string code;          // jiuye, jubao, jibao, shebao, jiancha
  std::string name;          // 就业, 居保, ...
  std::string method;        // http_api | file_gbk_csv | file_xlsx_csv | db_pull | file_bom_csv
  std::string method_label;  // Chinese description
  std::string format;
};
const std::vector<SourceSystem>& SourceSystems();
// The system with Chinese name or code `key`, or nullptr.
const SourceSystem* FindSystem(std::string_view key);

struct FieldDef {
  std::string name, label, type, code_set, sensitivity, description;
};
struct EntityDef {
  std::string code, name, description;
  std::vector<FieldDef> fields;
};
const std::vector<EntityDef>& Entities();

struct CodeValue {
  std::string value, label;
};
struct CodeSetDef {
  std::string code, name, standard, version;
  std::vector<CodeValue> values;
};
const std::vector<CodeSetDef>& CodeSets();

// Standard business items of the service outlets' handling records
// (code set business_item), with their category (code set
// business_category, the groups of REQUIREMENTS R5.2) and the data-scope
// domain of the records (jubao items → jubao, employment → jiuye, else shebao).
struct BusinessItemDef {
  std::string_view code, name, category, domain;
};
const std::vector<BusinessItemDef>& BusinessItems();
// nullptr when `code` is not a standard item.
const BusinessItemDef* FindBusinessItem(std::string_view code);

struct SeedSource {
  int no = 0;
  std::string system;  // Chinese system name as in the TSV
  std::string name;
};
// Parses the TSV (header "no\tsystem\tname"); INVALID_ARGUMENT on a bad line.
Result<std::vector<SeedSource>> ParseSourcesTsv(std::string_view tsv);

// The mapping rule: target entity codes for a source, in Entities() order,
// and the rule's explanation ("关键词：缴费→contribution; ...").
//
// Every keyword group below whose keyword occurs in the name adds its
// entity; when no group matches, the system's default applies (劳动监察 →
// inspection_case, every other system → person):
//   欠费/欠缴 → arrears; 缴费/征缴/征集/补缴/暂收款/对账/实缴/工资 → contribution;
//   待遇/资格/认证/认定/核定/鉴定/视同/计发/申领 → benefit_entitlement;
//   待遇/发放/拨付/养老金/支付/补发/退发/重发/续发/扣发/追回/回盘/划账/补贴/贴息/奖励/丧葬/抚恤
//     → benefit_payment;
//   参保/增减/停保/险种/注销/关系转移/变更/调动/花名册/个人账户 → enrolment;
//   就业/失业登记/培训/创业/见习/招聘/求职/岗位/贷款/学徒/职业/劳动力/援助/扶贫/用工/劳动关系
//     → employment_event;
//   案件/投诉/举报/监察/立案/接待登记/结案/案例/案由/不予受理/撤回/撤销 → inspection_case;
//   仲裁/调解/调节/庭/裁决 → arbitration_case; 档案/附件/文书 → archive;
//   机保 with 人员/个人 → institution_personnel; 单位/企业/机构/园区/基地/项目 → unit.
struct Mapping {
  std::vector<std::string> entities;
  std::string rule;
};
Mapping MapSource(std::string_view system, std::string_view name);

Status RegisterMigrations(db::Migrator& migrator);

// Upserts the whole dictionary; returns the number of rows inserted or
// changed (0 when it was already current).
Result<int64_t> SeedDictionary(db::Pool& pool, int64_t now_ms);

}  // namespace hrss::datacenter
