// 劳动监察 (labour inspection): UTF-8-with-BOM CSV of cases plus attachment
// files (small but valid TXT, PNG and PDF). A later day's row with the same
// 案件编号 is a newer version of the case.
#include <cstdio>
#include <filesystem>

#include "sim/calendar.h"
#include "sim/systems.h"

namespace hrss::sim {
namespace {

Status WriteFile(const std::string& path, std::string_view bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::Internal("cannot create " + path);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  if (std::fclose(f) != 0) return Status::Internal("write failed: " + path);
  return Status::Ok();
}

// A 1x1 PNG.
constexpr unsigned char kPng[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82};

// A one-page PDF with a line of (ASCII) text and a correct xref table.
std::string TinyPdf(const std::string& text) {
  std::string content = "BT /F1 12 Tf 20 50 Td (" + text + ") Tj ET";
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    pdf += buf;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

const char* const kReasons[] = {
    "拖欠工资",
    "拖欠%d个月工资，共计%d人",
    "未签订书面劳动合同，要求支付双倍工资",
    "用人单位以\"试用期不合格\"为由解除劳动合同",
    "未依法缴纳社会保险费\n要求补缴",
    "超时加班，未支付加班费",
    "克扣工资, 拒不支付经济补偿",
    "使用童工",
    "未按规定支付最低工资",
};

}  // namespace

Status GenerateJiancha(const SimContext& ctx, Ledger* ledger) {
  const Population& pop = *ctx.pop;
  Ledger& L = *ledger;
  L.persons_seen.assign(pop.residents.size(), 0);
  L.units_seen.assign(pop.units.size(), 0);
  DayCsv cases(ctx.out_dir, "jiancha", "cases",
               {"案件编号", "案件类型", "被投诉单位", "统一社会信用代码", "投诉人姓名", "投诉人身份证号", "案由", "涉及金额",
                "涉及人数", "登记日期", "立案日期", "结案日期", "状态", "所属乡镇", "附件"},
               ingest::Encoding::kUtf8, true, "UTF-8-BOM", ctx.days);
  HRSS_RETURN_IF_ERROR(cases.Open());
  std::vector<int> targets;
  for (size_t u = 0; u < pop.units.size(); ++u) {
    int t = pop.units[u].type;
    if (t == 10 || t == 60 || t == 90) targets.push_back(static_cast<int>(u));
  }
  std::vector<size_t> workers;  // residents who were employees (complainants)
  for (size_t i = 0; i < pop.residents.size(); ++i) {
    if (pop.residents[i].emp_from) workers.push_back(i);
  }
  if (targets.empty() || workers.empty()) return cases.Close(L);
  const int first = pop.preset.first_month, last = pop.preset.last_month;
  const int first_day = first * 100 + 1;
  const int64_t span = DaysOf(last * 100 + DaysInMonth(last / 100, last % 100)) - DaysOf(first_day);
  const int day1 = ctx.DayDate(1);
  int64_t files = 0;
  for (int c = 0; c < pop.preset.jiancha_cases; ++c) {
    Rng rng = Rng::Stream(pop.seed, Tag("jiancha.case"), static_cast<uint64_t>(c));
    int unit_index = targets[rng.Below(targets.size())];
    const Unit& unit = pop.units[static_cast<size_t>(unit_index)];
    const Resident& who = pop.residents[workers[rng.Below(workers.size())]];
    int reg = CivilFromDays(DaysOf(first_day) + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span + 1))));
    char no[24];
    std::snprintf(no, sizeof no, "JC%04d%05d", reg / 10000, c + 1);
    int day = reg / 100 == last && rng.Chance(0.4) ? ctx.LaterDay(rng) : 1;
    double tu = rng.Unit();
    std::string type = tu < 0.6 ? "投诉" : tu < 0.85 ? "举报" : "仲裁";
    bool anonymous = type == "举报" && rng.Chance(0.5);
    Fatal fatal = PickFatal(rng, !anonymous, true, true);
    char reason[160];
    std::snprintf(reason, sizeof reason, kReasons[rng.Below(std::size(kReasons))], rng.Range(2, 6), rng.Range(1, 30));
    int64_t amount = rng.Range(30, 5000) * 10000LL + rng.Range(0, 99) * 100LL;
    int people = rng.Range(1, 30);
    // Progress of the case as of drop day 1.
    int64_t age_days = DaysOf(day1) - DaysOf(reg);
    int filed = age_days > 5 ? CivilFromDays(DaysOf(reg) + rng.Range(2, 5)) : 0;
    int closed = age_days > 60 && rng.Chance(0.85) ? CivilFromDays(DaysOf(reg) + rng.Range(20, 60)) : 0;
    std::string status = closed ? (rng.Chance(0.3) ? "调解结案" : rng.Chance(0.05) ? "已撤回" : "已结案")
                         : filed ? (rng.Chance(0.5) ? "审理中" : "已立案")
                                 : "已登记";
    std::string town = pop.townships[static_cast<size_t>(unit.township)].name;
    if (rng.Chance(kRates.missing_township)) {
      L.Count(Dirt::kMissingTownship);
      town.clear();
    }
    // Attachments.
    std::string attach;
    int n_files = static_cast<int>(rng.Below(4));
    for (int k = 0; k < n_files; ++k) {
      static const char* const kNames[] = {"complaint.txt", "evidence.png", "payslip.pdf"};
      std::string rel = std::string("attachments/") + no + "/" + kNames[k];
      std::string path = ctx.out_dir + "/jiancha/" + rel;
      if (k == 0) {
        HRSS_RETURN_IF_ERROR(WriteFile(path, std::string("投诉书\n案件编号：") + no + "\n被投诉单位：" + unit.name + "\n事由：" + reason + "\n"));
      } else if (k == 1) {
        HRSS_RETURN_IF_ERROR(WriteFile(path, std::string_view(reinterpret_cast<const char*>(kPng), sizeof kPng)));
      } else {
        HRSS_RETURN_IF_ERROR(WriteFile(path, TinyPdf(std::string("Case ") + no + " payslip")));
      }
      ++files;
      attach += (attach.empty() ? "" : ";") + rel;
    }
    L.units_seen[static_cast<size_t>(unit_index)] = 1;
    std::vector<std::string> row = {
        no, type, unit.name, unit.credit_code, anonymous ? "" : WriteName(who.name, rng, L),
        anonymous ? "" : WriteId(who.id_view(), rng, L, fatal == Fatal::kIdChecksum), reason,
        fatal == Fatal::kBadAmount ? BadAmount(amount, rng) : WriteMoney(amount, rng, L), std::to_string(people),
        fatal == Fatal::kBadDate ? BadDate(reg, rng) : WriteDate(reg, DateFormat::kIso, rng, L),
        filed ? FormatDate(filed, DateFormat::kIso) : "", closed ? FormatDate(closed, DateFormat::kIso) : "", status,
        town, attach};
    HRSS_RETURN_IF_ERROR(cases.Write(day, row));
    L.Quarantined(fatal);
    if (fatal != Fatal::kNone) continue;
    if (rng.Chance(kRates.duplicate * 3)) {
      L.Count(Dirt::kDuplicate);
      HRSS_RETURN_IF_ERROR(cases.Write(day, row));
    }
    if (day < ctx.days && !closed && rng.Chance(0.3)) {  // the case moves on
      L.Count(Dirt::kLateUpdate);
      int d = ctx.DayAfter(day, rng);
      if (!filed) {
        row[10] = FormatDate(ctx.DayDate(d), DateFormat::kIso);
        row[12] = "已立案";
      } else {
        row[11] = FormatDate(ctx.DayDate(d), DateFormat::kIso);
        row[12] = "已结案";
      }
      HRSS_RETURN_IF_ERROR(cases.Write(d, row));
    }
  }
  L.files.push_back({"jiancha/attachments/", "binary", files});
  return cases.Close(L);
}

}  // namespace hrss::sim
