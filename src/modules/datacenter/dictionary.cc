#include "modules/datacenter/dictionary.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

#include "db/migrate.h"
#include "db/transaction.h"

namespace hrss::datacenter {

namespace {

constexpr const char* kPublic = "公开";
constexpr const char* kInternal = "内部";
constexpr const char* kSensitive = "敏感个人信息";

FieldDef F(std::string name, std::string label, std::string type, std::string code_set,
           std::string sensitivity, std::string description = {}) {
  return {std::move(name),     std::move(label),       std::move(type),
          std::move(code_set), std::move(sensitivity), std::move(description)};
}

}  // namespace

const std::vector<SourceSystem>& SourceSystems() {
  static const std::vector<SourceSystem> kSystems = {
      {"jiuye", "就业", "http_api", "HTTP JSON 接口分页拉取（updated_since 增量）", "JSON"},
      {"jubao", "居保", "file_gbk_csv", "GBK 编码 CSV 文件投递", "CSV (GBK)"},
      {"jibao", "机保", "file_xlsx_csv", "XLSX 或 CSV 文件", "XLSX/CSV"},
      {"shebao", "社保", "db_pull", "数据库抽取（源系统关系模式）", "SQL"},
      {"jiancha", "劳动监察", "file_bom_csv", "UTF-8（带 BOM）CSV 文件及附件",
       "CSV (UTF-8 BOM) + 附件"},
  };
  return kSystems;
}

const SourceSystem* FindSystem(std::string_view key) {
  for (const auto& s : SourceSystems()) {
    if (s.code == key || s.name == key) return &s;
  }
  return nullptr;
}

const std::vector<EntityDef>& Entities() {
  static const std::vector<EntityDef> kEntities = {
      {"person",
       "人员",
       "自然人基本信息：一人一档，跨系统识别后的标准人员",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive, "GB 11643，15 位旧号转 18 位"),
        F("name", "姓名", "varchar(64)", "", kSensitive),
        F("gender", "性别", "code", "gender", kInternal),
        F("birth_date", "出生日期", "date", "", kInternal),
        F("ethnicity", "民族", "code", "ethnicity", kInternal),
        F("education", "学历", "code", "education", kInternal),
        F("division_code", "户籍所在乡镇", "code", "division", kInternal),
        F("mobile", "手机号码", "varchar(20)", "", kSensitive),
        F("address", "住址", "varchar(256)", "", kSensitive),
        F("bank_card", "社保卡银行账号", "varchar(32)", "", kSensitive),
        F("death_date", "死亡日期", "date", "", kInternal)}},
      {"unit",
       "单位",
       "参保单位、用人单位、机关事业单位",
       {F("credit_code", "统一社会信用代码", "char(18)", "", kPublic, "GB 32100"),
        F("unit_no", "社保单位编号", "varchar(32)", "", kInternal),
        F("name", "单位名称", "varchar(128)", "", kPublic),
        F("unit_type", "单位类型", "code", "unit_type", kPublic),
        F("industry", "行业", "code", "industry", kPublic),
        F("division_code", "所在乡镇", "code", "division", kPublic),
        F("legal_person", "法定代表人", "varchar(64)", "", kInternal),
        F("contact_phone", "联系电话", "varchar(20)", "", kInternal),
        F("status", "单位状态", "code", "unit_status", kPublic)}},
      {"enrolment",
       "参保",
       "人员按险种的参保关系（居保、职工五险、机保）",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("unit_no", "参保单位编号", "varchar(32)", "", kInternal),
        F("insurance_type", "险种", "code", "insurance_type", kPublic),
        F("status", "参保状态", "code", "enrolment_status", kInternal),
        F("start_date", "参保日期", "date", "", kInternal),
        F("end_date", "终止日期", "date", "", kInternal)}},
      {"contribution",
       "缴费",
       "按月缴费明细（个人与单位部分）",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("unit_no", "单位编号", "varchar(32)", "", kInternal),
        F("insurance_type", "险种", "code", "insurance_type", kPublic),
        F("period", "费款所属期", "char(6)", "", kInternal, "YYYYMM"),
        F("base", "缴费基数", "decimal(12,2)", "", kInternal),
        F("personal_amount", "个人缴费额", "decimal(12,2)", "", kInternal),
        F("unit_amount", "单位缴费额", "decimal(12,2)", "", kInternal),
        F("status", "缴费状态", "code", "payment_status", kInternal)}},
      {"arrears",
       "欠费",
       "单位或个人欠缴记录",
       {F("unit_no", "单位编号", "varchar(32)", "", kInternal),
        F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("insurance_type", "险种", "code", "insurance_type", kPublic),
        F("period", "欠费所属期", "char(6)", "", kInternal),
        F("amount", "欠费金额", "decimal(12,2)", "", kInternal)}},
      {"benefit_entitlement",
       "待遇资格",
       "养老、失业、工伤、丧葬抚恤等待遇的核定与资格认证",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("benefit_type", "待遇类别", "code", "benefit_type", kPublic),
        F("approved_date", "核定日期", "date", "", kInternal),
        F("monthly_amount", "月待遇标准", "decimal(12,2)", "", kInternal),
        F("qualification_status", "资格认证状态", "code", "qualification_status", kInternal)}},
      {"benefit_payment",
       "待遇发放",
       "待遇、补贴的发放与拨付明细",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("benefit_type", "待遇类别", "code", "benefit_type", kPublic),
        F("period", "发放所属期", "char(6)", "", kInternal),
        F("amount", "发放金额", "decimal(12,2)", "", kInternal),
        F("bank_card", "发放账号", "varchar(32)", "", kSensitive),
        F("status", "发放状态", "code", "payment_status", kInternal)}},
      {"employment_event",
       "就业事件",
       "就业/失业登记、就业困难人员认定、培训、补贴、创业贷款、见习等",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("event_type", "事件类别", "code", "employment_event_type", kPublic),
        F("event_date", "发生日期", "date", "", kInternal),
        F("unit_credit_code", "相关单位信用代码", "char(18)", "", kPublic),
        F("amount", "金额（补贴/贷款）", "decimal(12,2)", "", kInternal),
        F("division_code", "经办乡镇", "code", "division", kInternal)}},
      {"inspection_case",
       "监察案件",
       "劳动保障监察投诉、举报与案件办理",
       {F("case_no", "案件编号", "varchar(32)", "", kInternal),
        F("unit_credit_code", "被投诉单位信用代码", "char(18)", "", kPublic),
        F("complainant_id_number", "投诉人身份号码", "char(18)", "", kSensitive),
        F("cause", "案由", "varchar(128)", "", kInternal),
        F("status", "案件状态", "code", "case_status", kInternal),
        F("filed_date", "立案日期", "date", "", kInternal),
        F("closed_date", "结案日期", "date", "", kInternal)}},
      {"arbitration_case",
       "仲裁案件",
       "劳动人事争议仲裁与调解",
       {F("case_no", "仲裁案号", "varchar(32)", "", kInternal),
        F("applicant_id_number", "申请人身份号码", "char(18)", "", kSensitive),
        F("respondent_credit_code", "被申请单位信用代码", "char(18)", "", kPublic),
        F("cause", "案由", "varchar(128)", "", kInternal),
        F("status", "案件状态", "code", "case_status", kInternal),
        F("result", "处理结果", "varchar(256)", "", kInternal)}},
      {"archive",
       "档案",
       "人事档案与业务附件",
       {F("archive_no", "档案编号", "varchar(32)", "", kInternal),
        F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("archive_type", "档案类别", "varchar(32)", "", kInternal),
        F("location", "存放位置", "varchar(64)", "", kInternal),
        F("received_date", "接收日期", "date", "", kInternal)}},
      {"institution_personnel",
       "机关事业单位人员",
       "机关事业单位在编人员及其养老保险信息",
       {F("id_number", "公民身份号码", "char(18)", "", kSensitive),
        F("name", "姓名", "varchar(64)", "", kSensitive),
        F("unit_credit_code", "单位信用代码", "char(18)", "", kPublic),
        F("post", "岗位", "varchar(64)", "", kInternal),
        F("salary_base", "缴费工资", "decimal(12,2)", "", kInternal),
        F("entry_date", "进入日期", "date", "", kInternal)}},
      {"business_record",
       "经办记录",
       "服务网点（县级大厅、乡镇便民服务中心）的业务经办日志：事项、渠道、经办人、受理与办结",
       {F("outlet_code", "经办网点编码", "varchar(32)", "", kPublic),
        F("outlet_name", "经办网点名称", "varchar(128)", "", kPublic),
        F("division_code", "网点所在乡镇", "code", "division", kPublic),
        F("item_code", "业务事项", "code", "business_item", kPublic),
        F("item_category", "事项类别", "code", "business_category", kPublic),
        F("channel", "受理渠道", "code", "channel", kPublic),
        F("staff_code", "经办人编码", "varchar(32)", "", kInternal),
        F("staff_name", "经办人姓名", "varchar(64)", "", kInternal),
        F("id_number", "服务对象身份号码", "char(18)", "", kSensitive),
        F("status", "办理状态", "code", "business_status", kPublic),
        F("accepted_at", "受理时间", "datetime", "", kInternal),
        F("finished_at", "办结时间", "datetime", "", kInternal),
        F("duration_minutes", "办理时长（分钟）", "int", "", kInternal),
        F("overdue", "是否超时限", "int", "", kInternal)}},
  };
  return kEntities;
}

const std::vector<CodeSetDef>& CodeSets() {
  static const std::vector<CodeSetDef> kCodeSets = {
      {"gender",
       "性别",
       "GB/T 2261.1-2003",
       "2003",
       {{"0", "未知的性别"}, {"1", "男性"}, {"2", "女性"}, {"9", "未说明的性别"}}},
      {"ethnicity",
       "民族",
       "GB/T 3304-1991",
       "1991",
       {{"01", "汉族"},
        {"02", "蒙古族"},
        {"03", "回族"},
        {"04", "藏族"},
        {"05", "维吾尔族"},
        {"06", "苗族"},
        {"07", "彝族"},
        {"08", "壮族"},
        {"09", "布依族"},
        {"10", "朝鲜族"},
        {"11", "满族"},
        {"12", "侗族"},
        {"13", "瑶族"},
        {"14", "白族"},
        {"15", "土家族"},
        {"97", "其他"},
        {"98", "外国血统中国籍人士"}}},
      {"education",
       "学历",
       "GB/T 4658-2006",
       "2006",
       {{"10", "研究生教育"},
        {"20", "大学本科教育"},
        {"30", "大学专科教育"},
        {"40", "中等职业教育"},
        {"60", "普通高级中学教育"},
        {"70", "初级中学教育"},
        {"80", "小学教育"},
        {"90", "其他"}}},
      {"industry",
       "行业门类",
       "GB/T 4754-2017",
       "2017",
       {{"A", "农、林、牧、渔业"},
        {"B", "采矿业"},
        {"C", "制造业"},
        {"D", "电力、热力、燃气及水生产和供应业"},
        {"E", "建筑业"},
        {"F", "批发和零售业"},
        {"G", "交通运输、仓储和邮政业"},
        {"H", "住宿和餐饮业"},
        {"I", "信息传输、软件和信息技术服务业"},
        {"J", "金融业"},
        {"K", "房地产业"},
        {"L", "租赁和商务服务业"},
        {"M", "科学研究和技术服务业"},
        {"N", "水利、环境和公共设施管理业"},
        {"O", "居民服务、修理和其他服务业"},
        {"P", "教育"},
        {"Q", "卫生和社会工作"},
        {"R", "文化、体育和娱乐业"},
        {"S", "公共管理、社会保障和社会组织"},
        {"T", "国际组织"}}},
      {"insurance_type",
       "险种",
       "人社部社会保险业务代码（AAE140）",
       "2026.1",
       {{"110", "企业职工基本养老保险"},
        {"120", "机关事业单位养老保险"},
        {"170", "城乡居民基本养老保险"},
        {"210", "失业保险"},
        {"310", "职工基本医疗保险"},
        {"410", "工伤保险"},
        {"510", "生育保险"}}},
      {"enrolment_status",
       "参保状态",
       "人社部社会保险业务代码（AAC008）",
       "2026.1",
       {{"1", "参保缴费"}, {"2", "暂停缴费（中断）"}, {"3", "终止参保"}}},
      {"payment_status",
       "缴费/发放状态",
       "本平台",
       "2026.1",
       {{"paid", "已到账"}, {"due", "应缴未缴"}, {"refunded", "已退回"}, {"suspended", "暂停"}}},
      {"benefit_type",
       "待遇类别",
       "本平台",
       "2026.1",
       {{"pension_employee", "职工基本养老金"},
        {"pension_institution", "机关事业单位养老金"},
        {"pension_resident", "城乡居民养老金"},
        {"unemployment", "失业保险金"},
        {"work_injury", "工伤保险待遇"},
        {"funeral", "丧葬补助金"},
        {"survivor", "抚恤金"},
        {"subsidy", "就业创业补贴"}}},
      {"qualification_status",
       "资格认证状态",
       "本平台",
       "2026.1",
       {{"valid", "认证有效"}, {"due", "待认证"}, {"suspended", "暂停发放"}}},
      {"employment_event_type",
       "就业事件类别",
       "本平台",
       "2026.1",
       {{"employment_registration", "就业登记"},
        {"unemployment_registration", "失业登记"},
        {"hard_to_employ", "就业困难人员认定"},
        {"training", "职业培训"},
        {"subsidy", "补贴"},
        {"startup_loan", "创业担保贷款"},
        {"internship", "就业见习"}}},
      {"case_status",
       "案件状态",
       "本平台",
       "2026.1",
       {{"received", "已登记"},
        {"filed", "已立案"},
        {"hearing", "审理中"},
        {"mediated", "调解结案"},
        {"closed", "已结案"},
        {"withdrawn", "已撤回"}}},
      {"unit_type",
       "单位类型",
       "本平台",
       "2026.1",
       {{"enterprise", "企业"},
        {"institution", "事业单位"},
        {"organ", "机关"},
        {"individual", "个体工商户"},
        {"other", "其他组织"}}},
      {"business_item", "业务事项", "本平台", "2026.1",
       [] {
         std::vector<CodeValue> v;
         for (const auto& i : BusinessItems()) v.push_back({std::string(i.code), std::string(i.name)});
         return v;
       }()},
      {"business_category",
       "业务事项类别",
       "本平台",
       "2026.1",
       {{"consult", "咨询"},
        {"query", "信息查询"},
        {"enrol", "参保登记"},
        {"transfer", "社保关系转移"},
        {"info", "个人信息维护"},
        {"card", "社保卡维护"},
        {"retire", "退休审批"},
        {"benefit", "待遇申领"},
        {"employment", "就业失业登记"}}},
      {"channel",
       "受理渠道",
       "本平台",
       "2026.1",
       {{"window", "窗口"}, {"kiosk", "自助终端"}, {"web", "网上"}, {"mobile", "手机"}}},
      {"business_status",
       "办理状态",
       "本平台",
       "2026.1",
       {{"accepted", "受理"}, {"completed", "办结"}, {"returned", "退回"}}},
      {"unit_status",
       "单位状态",
       "本平台",
       "2026.1",
       {{"active", "正常"}, {"suspended", "暂停"}, {"cancelled", "注销"}}},
      {"division",
       "大竹县乡镇（街道）",
       "GB/T 2260 / 统计用区划代码 2023",
       "2023",
       {{"511724001", "竹阳街道"}, {"511724002", "东柳街道"}, {"511724003", "白塔街道"},
        {"511724101", "乌木镇"},   {"511724102", "团坝镇"},   {"511724103", "杨家镇"},
        {"511724104", "清河镇"},   {"511724105", "柏林镇"},   {"511724106", "石河镇"},
        {"511724107", "中华镇"},   {"511724108", "石桥铺镇"}, {"511724109", "观音镇"},
        {"511724110", "周家镇"},   {"511724111", "石子镇"},   {"511724112", "文星镇"},
        {"511724113", "妈妈镇"},   {"511724114", "高穴镇"},   {"511724115", "欧家镇"},
        {"511724116", "庙坝镇"},   {"511724117", "清水镇"},   {"511724118", "月华镇"},
        {"511724119", "高明镇"},   {"511724120", "童家镇"},   {"511724121", "天城镇"},
        {"511724125", "四合镇"},   {"511724126", "永胜镇"},   {"511724203", "朝阳乡"},
        {"511724214", "安吉乡"},   {"511724218", "八渡乡"},   {"511724220", "杨通乡"},
        {"511724231", "川主乡"}}},
  };
  return kCodeSets;
}

const std::vector<BusinessItemDef>& BusinessItems() {
  static const std::vector<BusinessItemDef> kItems = {
      {"consult", "政策咨询", "consult", "shebao"},
      {"info_query", "个人权益记录查询", "query", "shebao"},
      {"contribution_cert", "参保缴费证明打印", "query", "shebao"},
      {"pension_enrol", "企业职工养老保险参保登记", "enrol", "shebao"},
      {"medical_enrol", "职工基本医疗保险参保登记", "enrol", "shebao"},
      {"resident_pension_enrol", "城乡居民养老保险参保登记", "enrol", "jubao"},
      {"ss_transfer", "社会保险关系转移接续", "transfer", "shebao"},
      {"info_update", "个人基本信息变更", "info", "shebao"},
      {"card_apply", "社会保障卡申领", "card", "shebao"},
      {"card_service", "社会保障卡挂失补换", "card", "shebao"},
      {"retire_approval", "退休审批", "retire", "shebao"},
      {"pension_claim", "养老保险待遇申领", "benefit", "shebao"},
      {"survivor_claim", "丧葬补助金抚恤金申领", "benefit", "shebao"},
      {"pension_cert", "待遇领取资格认证", "benefit", "jubao"},
      {"unemployment_claim", "失业保险金申领", "benefit", "shebao"},
      {"employment_reg", "就业登记", "employment", "jiuye"},
      {"unemployment_reg", "失业登记", "employment", "jiuye"},
  };
  return kItems;
}

const BusinessItemDef* FindBusinessItem(std::string_view code) {
  for (const auto& i : BusinessItems()) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

Result<std::vector<SeedSource>> ParseSourcesTsv(std::string_view tsv) {
  std::vector<SeedSource> out;
  size_t line_no = 0;
  while (!tsv.empty()) {
    size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line_no == 1) {
      if (line != "no\tsystem\tname")
        return Status::InvalidArgument("数据源表表头应为 no/system/name");
      continue;
    }
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos || line.find('\t', t2 + 1) != std::string_view::npos) {
      return Status::InvalidArgument("数据源表第 " + std::to_string(line_no) + " 行应有 3 列");
    }
    SeedSource s;
    std::string_view no = line.substr(0, t1);
    auto [p, ec] = std::from_chars(no.data(), no.data() + no.size(), s.no);
    if (ec != std::errc() || p != no.data() + no.size() || s.no <= 0) {
      return Status::InvalidArgument("数据源表第 " + std::to_string(line_no) + " 行序号无效");
    }
    s.system = std::string(line.substr(t1 + 1, t2 - t1 - 1));
    s.name = std::string(line.substr(t2 + 1));
    if (FindSystem(s.system) == nullptr || s.name.empty()) {
      return Status::InvalidArgument("数据源表第 " + std::to_string(line_no) + " 行系统或名称无效");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Mapping MapSource(std::string_view system, std::string_view name) {
  struct Rule {
    const char* entity;
    std::vector<const char*> keywords;
  };
  static const std::vector<Rule> kRules = {
      {"arrears", {"欠费", "欠缴"}},
      {"contribution", {"缴费", "征缴", "征集", "补缴", "暂收款", "对账", "实缴", "工资"}},
      {"benefit_entitlement",
       {"待遇", "资格", "认证", "认定", "核定", "鉴定", "视同", "计发", "申领"}},
      {"benefit_payment",
       {"待遇", "发放", "拨付", "养老金", "支付", "补发", "退发", "重发", "续发", "扣发", "追回",
        "回盘", "划账", "补贴", "贴息", "奖励", "丧葬", "抚恤"}},
      {"enrolment",
       {"参保", "增减", "停保", "险种", "注销", "关系转移", "变更", "调动", "花名册", "个人账户"}},
      {"employment_event",
       {"就业", "失业登记", "培训", "创业", "见习", "招聘", "求职", "岗位", "贷款", "学徒", "职业",
        "劳动力", "援助", "扶贫", "用工", "劳动关系"}},
      {"inspection_case",
       {"案件", "投诉", "举报", "监察", "立案", "接待登记", "结案", "案例", "案由", "不予受理",
        "撤回", "撤销"}},
      {"arbitration_case", {"仲裁", "调解", "调节", "庭", "裁决"}},
      {"archive", {"档案", "附件", "文书"}},
      {"unit", {"单位", "企业", "机构", "园区", "基地", "项目"}},
  };
  std::set<std::string> hit;
  std::string rule;
  auto add = [&](const std::string& entity, std::string_view why) {
    if (hit.insert(entity).second) {
      if (!rule.empty()) rule += "；";
      rule += std::string(why) + "→" + entity;
    }
  };
  for (const auto& r : kRules) {
    for (const char* k : r.keywords) {
      if (name.find(k) != std::string_view::npos) {
        add(r.entity, k);
        break;
      }
    }
  }
  const SourceSystem* sys = FindSystem(system);
  if (sys != nullptr && sys->code == "jibao" &&
      (name.find("人员") != std::string_view::npos ||
       name.find("个人") != std::string_view::npos)) {
    add("institution_personnel", "机保人员");
  }
  if (hit.empty()) {
    bool jiancha = sys != nullptr && sys->code == "jiancha";
    add(jiancha ? "inspection_case" : "person", jiancha ? "劳动监察默认" : "默认");
  }
  Mapping m;
  for (const auto& e : Entities()) {
    if (hit.count(e.code)) m.entities.push_back(e.code);
  }
  m.rule = "关键词：" + rule;
  return m;
}

Status RegisterMigrations(db::Migrator& migrator) {
  // Column types shared by both dialects; MariaDB gets ENGINE/charset.
  auto tables = [](bool maria) {
    std::string big = maria ? "BIGINT" : "INTEGER";
    std::string tail = maria ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
    return "CREATE TABLE IF NOT EXISTS dc_dict_version (\n"
           "  version      VARCHAR(32) NOT NULL PRIMARY KEY,\n"
           "  seeded_at_ms " +
           big +
           " NOT NULL,\n"
           "  note         VARCHAR(256) NOT NULL\n)" +
           tail +
           ";\n"
           "CREATE TABLE IF NOT EXISTS dc_source_system (\n"
           "  code         VARCHAR(32) NOT NULL PRIMARY KEY,\n"
           "  name         VARCHAR(64) NOT NULL,\n"
           "  method       VARCHAR(32) NOT NULL,\n"
           "  method_label VARCHAR(128) NOT NULL,\n"
           "  format       VARCHAR(64) NOT NULL,\n"
           "  sort         " +
           big + " NOT NULL\n)" + tail +
           ";\n"
           "CREATE TABLE IF NOT EXISTS dc_source (\n"
           "  no             " +
           big +
           " NOT NULL PRIMARY KEY,\n"
           "  system_code    VARCHAR(32) NOT NULL,\n"
           "  name           VARCHAR(128) NOT NULL,\n"
           "  entities       VARCHAR(512) NOT NULL,\n"
           "  method         VARCHAR(32) NOT NULL,\n"
           "  status         VARCHAR(32) NOT NULL,\n"
           "  mapping_rule   VARCHAR(512) NOT NULL,\n"
           "  mapping_manual " +
           big +
           " NOT NULL DEFAULT 0,\n"
           "  updated_at_ms  " +
           big + " NOT NULL\n)" + tail +
           ";\n"
           "CREATE INDEX IF NOT EXISTS dc_source_system_idx ON dc_source (system_code, no);\n"
           "CREATE TABLE IF NOT EXISTS dc_entity (\n"
           "  code        VARCHAR(64) NOT NULL PRIMARY KEY,\n"
           "  name        VARCHAR(64) NOT NULL,\n"
           "  description VARCHAR(512) NOT NULL,\n"
           "  sort        " +
           big + " NOT NULL\n)" + tail +
           ";\n"
           "CREATE TABLE IF NOT EXISTS dc_field (\n"
           "  entity_code VARCHAR(64) NOT NULL,\n"
           "  name        VARCHAR(64) NOT NULL,\n"
           "  label       VARCHAR(64) NOT NULL,\n"
           "  type        VARCHAR(32) NOT NULL,\n"
           "  code_set    VARCHAR(64) NOT NULL,\n"
           "  sensitivity VARCHAR(16) NOT NULL,\n"
           "  description VARCHAR(512) NOT NULL,\n"
           "  sort        " +
           big +
           " NOT NULL,\n"
           "  PRIMARY KEY (entity_code, name)\n)" +
           tail +
           ";\n"
           "CREATE TABLE IF NOT EXISTS dc_code_set (\n"
           "  code     VARCHAR(64) NOT NULL PRIMARY KEY,\n"
           "  name     VARCHAR(64) NOT NULL,\n"
           "  standard VARCHAR(128) NOT NULL,\n"
           "  version  VARCHAR(32) NOT NULL\n)" +
           tail +
           ";\n"
           "CREATE TABLE IF NOT EXISTS dc_code_value (\n"
           "  code_set VARCHAR(64) NOT NULL,\n"
           "  version  VARCHAR(32) NOT NULL,\n"
           "  value    VARCHAR(64) NOT NULL,\n"
           "  label    VARCHAR(128) NOT NULL,\n"
           "  sort     " +
           big +
           " NOT NULL,\n"
           "  PRIMARY KEY (code_set, version, value)\n)" +
           tail + ";\n";
  };
  return migrator.Register({
      .module = "datacenter",
      .version = 1,
      .name = "dictionary",
      .sqlite_sql = tables(false),
      .mariadb_sql = tables(true),
  });
}

namespace {

// Inserts the row, or updates it when a compared column differs. `keys`
// are the first `nkeys` of `cols`; columns after `ncompared` are written but
// not compared (timestamps). Returns 1 when something was written.
Result<int64_t> Upsert(db::Connection& c, const std::string& table,
                       const std::vector<std::string>& cols, const std::vector<db::Value>& vals,
                       size_t nkeys, size_t ncompared) {
  std::string where;
  db::Params key_params;
  for (size_t i = 0; i < nkeys; ++i) {
    where += (i ? " AND " : "") + cols[i] + " = ?";
    key_params.push_back(vals[i]);
  }
  std::string select = "SELECT ";
  for (size_t i = nkeys; i < ncompared; ++i) select += (i > nkeys ? ", " : "") + cols[i];
  select += " FROM " + table + " WHERE " + where;
  HRSS_ASSIGN_OR_RETURN(auto cur, c.QueryOne(select, key_params));
  if (cur.has_value()) {
    bool same = true;
    for (size_t i = nkeys; i < ncompared && same; ++i) {
      same = cur->at(i - nkeys).AsText() == vals[i].AsText();
    }
    if (same) return int64_t{0};
    std::string update = "UPDATE " + table + " SET ";
    db::Params p;
    for (size_t i = nkeys; i < cols.size(); ++i) {
      update += (i > nkeys ? ", " : "") + cols[i] + " = ?";
      p.push_back(vals[i]);
    }
    update += " WHERE " + where;
    for (auto& k : key_params) p.push_back(k);
    HRSS_RETURN_IF_ERROR(c.Exec(update, p).status());
    return int64_t{1};
  }
  std::string insert = "INSERT INTO " + table + " (";
  std::string marks;
  for (size_t i = 0; i < cols.size(); ++i) {
    insert += (i ? ", " : "") + cols[i];
    marks += i ? ", ?" : "?";
  }
  insert += ") VALUES (" + marks + ")";
  HRSS_RETURN_IF_ERROR(c.Exec(insert, db::Params(vals.begin(), vals.end())).status());
  return int64_t{1};
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

Result<int64_t> SeedDictionary(db::Pool& pool, int64_t now_ms) {
  HRSS_ASSIGN_OR_RETURN(auto sources, ParseSourcesTsv(EmbeddedSourcesTsv()));
  int64_t changed = 0;
  Status st = db::WithTransaction(pool, [&](db::Connection& c) -> Status {
    changed = 0;
    auto up = [&](const std::string& table, const std::vector<std::string>& cols,
                  const std::vector<db::Value>& vals, size_t nkeys, size_t ncompared) -> Status {
      HRSS_ASSIGN_OR_RETURN(int64_t n, Upsert(c, table, cols, vals, nkeys, ncompared));
      changed += n;
      return Status::Ok();
    };
    HRSS_ASSIGN_OR_RETURN(auto have_version,
                          c.QueryOne("SELECT version FROM dc_dict_version WHERE version = ?",
                                     {db::Value(kDictionaryVersion)}));
    if (!have_version.has_value()) {
      HRSS_RETURN_IF_ERROR(
          up("dc_dict_version", {"version", "note", "seeded_at_ms"},
             {kDictionaryVersion, "数据标准与数据字典（218 个采集数据源）", now_ms}, 1, 2));
    }
    int sort = 0;
    for (const auto& s : SourceSystems()) {
      HRSS_RETURN_IF_ERROR(up("dc_source_system",
                              {"code", "name", "method", "method_label", "format", "sort"},
                              {s.code, s.name, s.method, s.method_label, s.format, ++sort}, 1, 6));
    }
    sort = 0;
    for (const auto& e : Entities()) {
      HRSS_RETURN_IF_ERROR(up("dc_entity", {"code", "name", "description", "sort"},
                              {e.code, e.name, e.description, ++sort}, 1, 4));
      int fsort = 0;
      for (const auto& f : e.fields) {
        HRSS_RETURN_IF_ERROR(
            up("dc_field",
               {"entity_code", "name", "label", "type", "code_set", "sensitivity", "description",
                "sort"},
               {e.code, f.name, f.label, f.type, f.code_set, f.sensitivity, f.description, ++fsort},
               2, 8));
      }
    }
    for (const auto& cs : CodeSets()) {
      HRSS_RETURN_IF_ERROR(up("dc_code_set", {"code", "name", "standard", "version"},
                              {cs.code, cs.name, cs.standard, cs.version}, 1, 4));
      int vsort = 0;
      for (const auto& v : cs.values) {
        HRSS_RETURN_IF_ERROR(up("dc_code_value", {"code_set", "version", "value", "label", "sort"},
                                {cs.code, cs.version, v.value, v.label, ++vsort}, 3, 5));
      }
    }
    HRSS_ASSIGN_OR_RETURN(auto manual_rows,
                          c.Query("SELECT no, entities, mapping_rule FROM dc_source "
                                  "WHERE mapping_manual = 1"));
    std::map<int64_t, std::pair<std::string, std::string>> manual;
    for (const auto& r : manual_rows) manual[r.GetInt64(0)] = {r.GetText(1), r.GetText(2)};
    for (const auto& s : sources) {
      const SourceSystem* sys = FindSystem(s.system);
      Mapping m = MapSource(s.system, s.name);
      std::string entities = Join(m.entities), rule = m.rule;
      int64_t manual_flag = 0;
      if (auto it = manual.find(s.no); it != manual.end()) {
        std::tie(entities, rule) = it->second;
        manual_flag = 1;
      }
      // status is not compared: collection jobs set it later (已接入 ...).
      HRSS_ASSIGN_OR_RETURN(auto exists,
                            c.QueryOne("SELECT no FROM dc_source WHERE no = ?", {db::Value(s.no)}));
      std::string status = exists.has_value() ? "" : "未接入";
      if (exists.has_value()) {
        HRSS_RETURN_IF_ERROR(
            up("dc_source",
               {"no", "system_code", "name", "entities", "method", "mapping_rule", "mapping_manual",
                "updated_at_ms"},
               {s.no, sys->code, s.name, entities, sys->method, rule, manual_flag, now_ms}, 1, 7));
      } else {
        HRSS_RETURN_IF_ERROR(
            up("dc_source",
               {"no", "system_code", "name", "entities", "method", "mapping_rule", "mapping_manual",
                "status", "updated_at_ms"},
               {s.no, sys->code, s.name, entities, sys->method, rule, manual_flag, status, now_ms},
               1, 8));
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return changed;
}

}  // namespace hrss::datacenter
