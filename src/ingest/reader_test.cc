#include "ingest/reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <string>
#include <vector>

#include "ingest/internal.h"
#include "ingest/test_util.h"
#include "ingest/zip.h"

namespace hrss::ingest {
namespace {

using testing::Gbk;
using testing::TempDir;
using testing::WriteBytes;

// Reads every record; errors are collected as "ERR:<message>".
std::vector<std::string> Drain(RecordReader& reader, std::vector<Record>* records = nullptr) {
  std::vector<std::string> out;
  for (int guard = 0; guard < 1000000; ++guard) {
    Record rec;
    auto r = reader.Next(&rec);
    if (!r.ok()) {
      out.push_back("ERR:" + r.status().message());
      continue;
    }
    if (!*r) break;
    std::string line;
    for (size_t i = 0; i < rec.values.size(); ++i) {
      if (i) line += "|";
      line += rec.values[i];
    }
    out.push_back(line);
    if (records) records->push_back(rec);
  }
  return out;
}

// ------------------------------------------------------------------ encoding

TEST(Encoding, ParseNames) {
  EXPECT_EQ(*ParseEncoding("GBK"), Encoding::kGbk);
  EXPECT_EQ(*ParseEncoding("gb2312"), Encoding::kGbk);
  EXPECT_EQ(*ParseEncoding("GB18030"), Encoding::kGb18030);
  EXPECT_EQ(*ParseEncoding("utf-8"), Encoding::kUtf8);
  EXPECT_EQ(*ParseEncoding("UTF8"), Encoding::kUtf8);
  EXPECT_EQ(*ParseEncoding("auto"), Encoding::kAuto);
  EXPECT_FALSE(ParseEncoding("latin1").ok());
}

TEST(Encoding, GbkRoundTrip) {
  const std::string text = "张三,竹阳街道,511724199001010018,￥1,234.50";
  auto gbk = FromUtf8(text, Encoding::kGbk);
  ASSERT_TRUE(gbk.ok()) << gbk.status().ToString();
  EXPECT_EQ(gbk->substr(0, 4), std::string("\xD5\xC5\xC8\xFD"));  // 张三 in GBK
  auto back = ToUtf8(*gbk, Encoding::kGbk);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
  auto autod = ToUtf8(*gbk, Encoding::kAuto);
  ASSERT_TRUE(autod.ok());
  EXPECT_EQ(*autod, text);
}

TEST(Encoding, Gb18030FourByteCharacters) {
  const std::string text = "𠀀镕𬌗€";  // U+20000 and U+2C317 need four bytes
  auto gb = FromUtf8(text, Encoding::kGb18030);
  ASSERT_TRUE(gb.ok()) << gb.status().ToString();
  auto back = ToUtf8(*gb, Encoding::kGb18030);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, text);
  // Not representable in GBK.
  auto g = FromUtf8("𠀀", Encoding::kGbk);
  EXPECT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), Code::kInvalidArgument);
}

TEST(Encoding, InvalidBytesNameTheOffset) {
  std::string bad = "ab" + std::string("\x81\x20", 2) + "cd";
  auto r = ToUtf8(bad, Encoding::kGbk);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "invalid GBK byte sequence at offset 2");
  EXPECT_FALSE(ToUtf8("\xFF", Encoding::kGb18030).ok());
  EXPECT_FALSE(ToUtf8("x\x80", Encoding::kGbk).ok());
  auto u = ToUtf8("a\xC3", Encoding::kUtf8);
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.status().message().find("UTF-8"), std::string::npos);
  // BOM skipped.
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBFok", Encoding::kUtf8), "ok");
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBFok", Encoding::kAuto), "ok");
}

// ------------------------------------------------------------------ CSV

TEST(Csv, GbkWithChineseHeaderAndCrlf) {
  TempDir dir;
  std::string text =
      "个人编号,姓名,性别,身份证号,乡镇\r\n"
      "JB0000000001,张三,男,511724199001010018,竹阳街道\r\n"
      "JB0000000002,\"李,四\",女,511724200002290045,\r\n";
  WriteBytes(dir.File("cbry_d01.csv"), Gbk(text));
  for (Encoding enc : {Encoding::kGbk, Encoding::kAuto, Encoding::kGb18030}) {
    CsvOptions o;
    o.encoding = enc;
    auto r = OpenCsv(dir.File("cbry_d01.csv"), o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<Record> recs;
    auto rows = Drain(**r, &recs);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], "JB0000000001|张三|男|511724199001010018|竹阳街道");
    EXPECT_EQ(rows[1], "JB0000000002|李,四|女|511724200002290045|");
    ASSERT_EQ(recs[0].columns->size(), 5u);
    EXPECT_EQ((*recs[0].columns)[1], "姓名");
    EXPECT_EQ(*recs[0].Get("乡镇"), "竹阳街道");
    EXPECT_EQ(*recs[1].Get("乡镇"), "");
    EXPECT_FALSE(recs[0].Get("不存在").has_value());
    EXPECT_EQ(recs[0].line, 2);
    EXPECT_EQ(recs[1].line, 3);
    EXPECT_EQ(recs[0].position.record_no, 1);
    EXPECT_EQ(recs[1].position.record_no, 2);
    EXPECT_EQ(recs[1].position.offset, (*r)->size_hint());
  }
}

TEST(Csv, Gb18030FourByteField) {
  TempDir dir;
  auto bytes = FromUtf8("单位统一社会信用代码,姓名\n91350200776049653A,王𠀀\n", Encoding::kGb18030);
  ASSERT_TRUE(bytes.ok());
  WriteBytes(dir.File("contrib_d01.csv"), *bytes);
  CsvOptions o;
  o.encoding = Encoding::kGb18030;
  auto r = OpenCsv(dir.File("contrib_d01.csv"), o);
  ASSERT_TRUE(r.ok());
  auto rows = Drain(**r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], "91350200776049653A|王𠀀");
}

TEST(Csv, Utf8BomQuotesCommasNewlines) {
  TempDir dir;
  std::string text =
      "\xEF\xBB\xBF案件编号,案由,涉及金额\r\n"
      "AJ001,\"拖欠工资,\"\"三个月\"\"\r\n第二行\",\"1,234.50\"\r\n"
      "AJ002,简单,100\r\n"
      "\"AJ003\",\"\",\"\"\r\n";
  WriteBytes(dir.File("cases_d01.csv"), text);
  auto r = OpenCsv(dir.File("cases_d01.csv"), CsvOptions{});
  ASSERT_TRUE(r.ok());
  std::vector<Record> recs;
  auto rows = Drain(**r, &recs);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ((*recs[0].columns)[0], "案件编号");  // BOM not part of the first name
  EXPECT_EQ(recs[0].values[1], "拖欠工资,\"三个月\"\r\n第二行");
  EXPECT_EQ(recs[0].values[2], "1,234.50");
  EXPECT_EQ(recs[0].line, 2);
  EXPECT_EQ(recs[1].line, 4);  // the quoted line break moved it down
  EXPECT_EQ(rows[1], "AJ002|简单|100");
  EXPECT_EQ(rows[2], "AJ003||");
}

TEST(Csv, ShortRowsPaddedLongRowsRejectedBlankLinesSkipped) {
  TempDir dir;
  WriteBytes(dir.File("a.csv"), "a,b,c\n1\n\n1,2,3,\n1,2,3,4\n5,6,7");
  auto r = OpenCsv(dir.File("a.csv"), CsvOptions{});
  ASSERT_TRUE(r.ok());
  auto rows = Drain(**r);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], "1||");
  EXPECT_EQ(rows[1], "1|2|3");  // a trailing empty field is dropped
  EXPECT_EQ(rows[2].substr(0, 4), "ERR:");
  EXPECT_NE(rows[2].find("line 5"), std::string::npos) << rows[2];
  EXPECT_EQ(rows[3], "5|6|7");  // last line without a newline
}

TEST(Csv, UnterminatedQuoteIsAnErrorAndReaderResyncs) {
  TempDir dir;
  WriteBytes(dir.File("u.csv"), "id,name\r\n1,ok\r\n2,\"broken\r\n3,after\r\n4,last\r\n");
  auto r = OpenCsv(dir.File("u.csv"), CsvOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)->recoverable());
  auto rows = Drain(**r);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], "1|ok");
  EXPECT_EQ(rows[1].substr(0, 4), "ERR:");
  EXPECT_NE(rows[1].find("u.csv line 3"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("unterminated"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[2], "3|after");
  EXPECT_EQ(rows[3], "4|last");
}

TEST(Csv, InvalidGbkBytesNameTheLineAndReaderContinues) {
  TempDir dir;
  std::string bytes = Gbk("编号,姓名\r\n1,张三\r\n") + "2,\x81\x20\xFF\r\n" + Gbk("3,李四\r\n");
  WriteBytes(dir.File("g.csv"), bytes);
  CsvOptions o;
  o.encoding = Encoding::kGbk;
  auto r = OpenCsv(dir.File("g.csv"), o);
  ASSERT_TRUE(r.ok());
  auto rows = Drain(**r);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "1|张三");
  EXPECT_NE(rows[1].find("g.csv line 3"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("invalid GBK byte sequence"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[2], "3|李四");
}

TEST(Csv, AutoEncodingDecidedByFirstNonAsciiField) {
  TempDir dir;
  std::string ascii_head = "id,name\r\n";
  for (int i = 0; i < 70000; ++i) ascii_head += std::to_string(i) + ",abcdefghij\r\n";  // > 1 MiB
  WriteBytes(dir.File("late.csv"), ascii_head + Gbk("70000,张三\r\n"));
  auto r = OpenCsv(dir.File("late.csv"), CsvOptions{});
  ASSERT_TRUE(r.ok());
  auto rows = Drain(**r);
  ASSERT_EQ(rows.size(), 70001u);
  EXPECT_EQ(rows.back(), "70000|张三");
}

TEST(Csv, TsvWithoutHeader) {
  TempDir dir;
  WriteBytes(dir.File("t.tsv"), "a\tb,c\n\"x\ty\"\tz\n");
  CsvOptions o;
  o.delimiter = '\t';
  o.header = false;
  auto r = OpenCsv(dir.File("t.tsv"), o);
  ASSERT_TRUE(r.ok());
  std::vector<Record> recs;
  auto rows = Drain(**r, &recs);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "a|b,c");
  EXPECT_EQ(rows[1], "x\ty|z");
  EXPECT_EQ(*recs[0].Get("c2"), "b,c");
}

TEST(Csv, OverlongRecordSkipped) {
  TempDir dir;
  WriteBytes(dir.File("l.csv"), "a,b\n1," + std::string(500, 'x') + "\n2,ok\n");
  CsvOptions o;
  o.max_record_bytes = 100;
  auto r = OpenCsv(dir.File("l.csv"), o);
  ASSERT_TRUE(r.ok());
  auto rows = Drain(**r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].find("longer than 100 bytes"), std::string::npos) << rows[0];
  EXPECT_EQ(rows[1], "2|ok");
}

TEST(Csv, MissingFileIsNotFound) {
  auto r = OpenCsv("/nonexistent/x.csv", CsvOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

// A file of several 1 MiB blocks with quoted multi-line fields everywhere:
// every block boundary case is crossed; then resume from every 997th record.
TEST(Csv, LargeGbkFileAcrossBlocksAndResume) {
  TempDir dir;
  std::string utf8 = "流水号,姓名,备注\r\n";
  std::vector<std::string> expect;
  for (int i = 0; i < 90000; ++i) {
    std::string id = "LS" + std::to_string(1000000 + i);
    std::string name = i % 3 == 0 ? "张三" : i % 3 == 1 ? "欧阳娜娜" : "Wang";
    std::string note;
    std::string note_field;
    if (i % 7 == 0) {
      note = "第一行\r\n第二行,\"引号\"";
      note_field = "\"第一行\r\n第二行,\"\"引号\"\"\"";
    } else {
      note = "备注" + std::to_string(i);
      note_field = note;
    }
    utf8 += id + "," + name + "," + note_field + "\r\n";
    expect.push_back(id + "|" + name + "|" + note);
  }
  WriteBytes(dir.File("big.csv"), Gbk(utf8));
  CsvOptions o;
  o.encoding = Encoding::kGbk;
  auto r = OpenCsv(dir.File("big.csv"), o);
  ASSERT_TRUE(r.ok());
  ASSERT_GT((*r)->size_hint(), 2 << 20);
  std::vector<Record> recs;
  auto rows = Drain(**r, &recs);
  ASSERT_EQ(rows, expect);
  for (size_t k = 0; k < recs.size(); k += 1997) {
    auto again = OpenCsv(dir.File("big.csv"), o);
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE((*again)->Seek(recs[k].position).ok());
    Record next;
    auto n = (*again)->Next(&next);
    ASSERT_TRUE(n.ok());
    if (k + 1 == recs.size()) {
      EXPECT_FALSE(*n);
      continue;
    }
    ASSERT_TRUE(*n);
    EXPECT_EQ(next.values, recs[k + 1].values);
    EXPECT_EQ(next.line, recs[k + 1].line);
    EXPECT_EQ(next.position.offset, recs[k + 1].position.offset);
    EXPECT_EQ(next.position.record_no, recs[k + 1].position.record_no);
  }
}

TEST(Csv, SeekThenContinueIdentically) {
  TempDir dir;
  WriteBytes(dir.File("s.csv"), "a,b\r\n1,x\r\n2,\"y\r\ny\"\r\n3,z\r\n4,w\r\n");
  auto r = OpenCsv(dir.File("s.csv"), CsvOptions{});
  ASSERT_TRUE(r.ok());
  std::vector<Record> all;
  Drain(**r, &all);
  ASSERT_EQ(all.size(), 4u);
  auto r2 = OpenCsv(dir.File("s.csv"), CsvOptions{});
  ASSERT_TRUE(r2.ok());
  ASSERT_TRUE((*r2)->Seek(all[1].position).ok());
  std::vector<Record> rest;
  auto rows = Drain(**r2, &rest);
  ASSERT_EQ(rows, (std::vector<std::string>{"3|z", "4|w"}));
  EXPECT_EQ(rest[0].line, 5);
  EXPECT_EQ(rest[0].position.record_no, 3);
  // Seek to the start (offset 0) re-reads everything, header skipped.
  ASSERT_TRUE((*r2)->Seek(Position{}).ok());
  EXPECT_EQ(Drain(**r2).size(), 4u);
  EXPECT_FALSE((*r2)->Seek(Position{.offset = 1 << 30}).ok());
}

// ------------------------------------------------------------------ JSONL

TEST(JsonLines, ColumnsUnionValuesAndErrors) {
  TempDir dir;
  WriteBytes(dir.File("p.jsonl"),
             "{\"id\":\"P1\",\"xm\":\"张三\",\"updated_at\":1700000000000,\"deleted\":false}\n"
             "\n"
             "{\"xm\":\"李四\",\"id\":\"P2\",\"sjhm\":null,\"extra\":{\"a\":1}}\n"
             "not json\n"
             "[1,2]\n"
             "{\"id\":\"P3\",\"je\":12.5}");
  auto r = OpenJsonLines(dir.File("p.jsonl"));
  ASSERT_TRUE(r.ok());
  std::vector<Record> recs;
  auto rows = Drain(**r, &recs);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], "P1|张三|1700000000000|false");
  ASSERT_EQ(recs[1].columns->size(), 6u);
  EXPECT_EQ(*recs[1].Get("xm"), "李四");
  EXPECT_EQ(*recs[1].Get("sjhm"), "");
  EXPECT_EQ(*recs[1].Get("extra"), "{\"a\":1}");
  EXPECT_EQ(*recs[1].Get("updated_at"), "");
  EXPECT_EQ(recs[1].line, 3);
  EXPECT_NE(rows[2].find("p.jsonl line 4"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find("line 5"), std::string::npos) << rows[3];
  EXPECT_EQ(*recs[2].Get("je"), "12.5");
  EXPECT_EQ(recs[0].columns->size(), 4u);  // earlier records keep their columns

  auto again = OpenJsonLines(dir.File("p.jsonl"));
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->Seek(recs[0].position).ok());
  Record next;
  ASSERT_TRUE(*(*again)->Next(&next));
  EXPECT_EQ(*next.Get("id"), "P2");
  EXPECT_EQ(next.line, 3);
  EXPECT_EQ(next.position.record_no, 2);
}

// ------------------------------------------------------------------ XLSX

TEST(Xlsx, WriteThenReadRoundTrip) {
  TempDir dir;
  std::vector<std::vector<XlsxCell>> rows = {
      {{"序号"}, {"单位统一社会信用代码"}, {"姓名"}, {"缴费工资"}, {"进入日期"}, {"备注"}},
      {{"1", true},
       {"91350200776049653A"},
       {"张三"},
       {"8500.5", true},
       {"45292", true},
       {"a<b&\"c\""}},
      {{"2", true}, {"91440101MA5CJQ4N59"}, {"张三"}, {"12000", true}, {"2024-01-01"}, {""}},
      {{"3", true}, {""}, {" 前后空格 "}, {"not-a-number", true}, {""}, {"末列"}},
  };
  ASSERT_TRUE(WriteXlsx(dir.File("personnel_d01.xlsx"), "在编人员", rows).ok());
  auto r = OpenXlsx(dir.File("personnel_d01.xlsx"), "在编人员");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE((*r)->recoverable());
  std::vector<Record> recs;
  auto got = Drain(**r, &recs);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], "1|91350200776049653A|张三|8500.5|45292|a<b&\"c\"");
  EXPECT_EQ(got[1], "2|91440101MA5CJQ4N59|张三|12000|2024-01-01|");
  EXPECT_EQ(got[2], "3|| 前后空格 |not-a-number||末列");
  EXPECT_EQ((*recs[0].columns)[2], "姓名");
  EXPECT_EQ(recs[0].line, 2);
  EXPECT_EQ(recs[2].position.offset, 5);
  // First sheet when no name is given; unknown sheet → NOT_FOUND.
  auto first = OpenXlsx(dir.File("personnel_d01.xlsx"), "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Drain(**first).size(), 3u);
  auto none = OpenXlsx(dir.File("personnel_d01.xlsx"), "Sheet9");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  // Resume after the first data row.
  auto again = OpenXlsx(dir.File("personnel_d01.xlsx"), "在编人员");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->Seek(recs[0].position).ok());
  auto rest = Drain(**again);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0], got[1]);
  // The in-memory workbook (downloads) is the same file, byte for byte.
  auto bytes = XlsxBytes("在编人员", rows);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::ifstream in(dir.File("personnel_d01.xlsx"), std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(*bytes, file);
  auto bad = XlsxBytes("S", {{{std::string("\xff\xfe")}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

// A workbook as other producers write it: inline strings, rich and phonetic
// shared strings, sparse cells (C5 after A5), booleans, a stored entry, x:
// prefixed elements and an absolute relationship target.
TEST(Xlsx, HandBuiltInlineStringsAndSparseCells) {
  TempDir dir;
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  std::vector<ZipEntry> entries = {
      {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>", false},
      {"xl/workbook.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><x:workbook xmlns:x=\"" + ns +
           "\" xmlns:r=\"rel\"><x:sheets><x:sheet name=\"Other\" sheetId=\"1\" r:id=\"rId7\"/>"
           "<x:sheet name=\"在编人员\" sheetId=\"2\" r:id=\"rId8\"/></x:sheets></x:workbook>",
       true},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"rId7\" Target=\"worksheets/other.xml\"/>"
       "<Relationship Id=\"rId8\" Target=\"/xl/worksheets/data.xml\"/></Relationships>",
       true},
      {"xl/sharedStrings.xml",
       "<sst><si><t>姓名</t></si><si><r><t>张</t></r><r><rPr/><t xml:space=\"preserve\">三</t></r>"
       "<rPh><t>ZHANG</t></rPh></si><si><t>&#x5F20;&amp;_x000D_</t></si></sst>",
       false},
      {"xl/worksheets/other.xml", "<worksheet><sheetData/></worksheet>", true},
      {"xl/worksheets/data.xml",
       "<?xml version=\"1.0\"?><!-- comment --><x:worksheet xmlns:x=\"" + ns +
           "\"><x:sheetData>"
           "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>序号</x:t></x:is></x:c>"
           "<x:c r=\"B1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"C1\" "
           "t=\"inlineStr\"><x:is><x:t>进入日期"
           "</x:t></x:is></x:c><x:c r=\"D1\" "
           "t=\"inlineStr\"><x:is><x:t>在职</x:t></x:is></x:c></x:row>"
           "<x:row r=\"3\" spans=\"1:4\"><x:c r=\"A3\"><x:v>1</x:v></x:c><x:c r=\"B3\" "
           "t=\"s\"><x:v>1</x:v>"
           "</x:c><x:c r=\"C3\" s=\"5\"><x:v>45292</x:v></x:c><x:c r=\"D3\" "
           "t=\"b\"><x:v>1</x:v></x:c></x:row>"
           "<x:row r=\"4\"><x:c r=\"A4\"/><x:c r=\"B4\" s=\"1\"/></x:row>"
           "<x:row r=\"5\"><x:c r=\"A5\"><x:v>2</x:v></x:c><x:c "
           "r=\"C5\"><x:v>8500.499999999999</x:v>"
           "</x:c><x:c r=\"E5\" t=\"inlineStr\"><x:is><x:t>超出表头</x:t></x:is></x:c></x:row>"
           "<x:row r=\"6\"><x:c r=\"A6\"><x:v>3</x:v></x:c><x:c r=\"B6\" t=\"s\"><x:v>2</x:v></x:c>"
           "<x:c r=\"D6\" t=\"b\"><x:v>0</x:v></x:c></x:row>"
           "</x:sheetData></x:worksheet>",
       true},
  };
  ASSERT_TRUE(WriteZip(dir.File("hand.xlsx"), entries).ok());
  auto r = OpenXlsx(dir.File("hand.xlsx"), "在编人员");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<Record> recs;
  auto rows = Drain(**r, &recs);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ((*recs[0].columns), (std::vector<std::string>{"序号", "姓名", "进入日期", "在职"}));
  EXPECT_EQ(rows[0], "1|张三|45292|TRUE");
  EXPECT_EQ(recs[0].line, 3);
  EXPECT_EQ(rows[1], "2||8500.5|");  // B5 skipped; E5 beyond the header dropped
  EXPECT_EQ(recs[1].line, 5);
  EXPECT_EQ(rows[2], "3|张&\r||FALSE");
  auto other = OpenXlsx(dir.File("hand.xlsx"), "Other");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(Drain(**other).empty());
}

TEST(Xlsx, CorruptArchivesGiveClearErrors) {
  TempDir dir;
  WriteBytes(dir.File("junk.xlsx"), "this is not a zip file at all, just text padding........");
  auto r = OpenXlsx(dir.File("junk.xlsx"), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("junk.xlsx: not a valid xlsx/zip archive"), std::string::npos)
      << r.status().message();

  // Truncated: the central directory is gone.
  ASSERT_TRUE(WriteXlsx(dir.File("ok.xlsx"), "S", {{{"a"}}, {{"1", true}}}).ok());
  std::string bytes = testing::ReadBytes(dir.File("ok.xlsx"));
  WriteBytes(dir.File("trunc.xlsx"), bytes.substr(0, bytes.size() / 2));
  auto t = OpenXlsx(dir.File("trunc.xlsx"), "");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("trunc.xlsx"), std::string::npos);

  // A stored entry whose bytes were altered fails its CRC-32.
  ASSERT_TRUE(WriteZip(dir.File("crc.zip"), {{"xl/workbook.xml", "<workbook/>", false}}).ok());
  std::string z = testing::ReadBytes(dir.File("crc.zip"));
  size_t at = z.find("<workbook/>");
  ASSERT_NE(at, std::string::npos);
  z[at + 1] = 'W';
  WriteBytes(dir.File("crc.zip"), z);
  auto zip = ZipArchive::Open(dir.File("crc.zip"));
  ASSERT_TRUE(zip.ok());
  auto e = zip->Read("xl/workbook.xml");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("CRC-32 mismatch"), std::string::npos);
  EXPECT_EQ(zip->Read("missing").status().code(), Code::kNotFound);

  // A zip that is not a workbook.
  ASSERT_TRUE(WriteZip(dir.File("plain.xlsx"), {{"hello.txt", "hi", true}}).ok());
  auto p = OpenXlsx(dir.File("plain.xlsx"), "");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("not an xlsx workbook"), std::string::npos);
}

TEST(Zip, Crc32KnownValue) { EXPECT_EQ(Crc32("123456789"), 0xCBF43926u); }

}  // namespace
}  // namespace hrss::ingest

namespace hrss::ingest {
namespace {

// Random bytes drawn from the structural alphabet: the readers must end
// (every call makes progress) and never read out of bounds (run under ASan).
TEST(Robustness, RandomCsvAndXmlNeverHangOrCrash) {
  TempDir dir;
  uint64_t seed = 0x9E3779B97F4A7C15ULL;
  auto next = [&seed] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  const std::string alphabet =
      std::string(",\"\r\n\tab 1", 9) + "\x81\xB0\xA1\xFF\x80\x30\xEF\xBB\xBF";
  for (int round = 0; round < 300; ++round) {
    std::string bytes;
    size_t len = next() % 400;
    for (size_t i = 0; i < len; ++i) bytes.push_back(alphabet[next() % alphabet.size()]);
    WriteBytes(dir.File("r.csv"), bytes);
    for (Encoding enc : {Encoding::kAuto, Encoding::kGbk, Encoding::kUtf8}) {
      CsvOptions o;
      o.encoding = enc;
      o.header = round % 2 == 0;
      o.max_record_bytes = 1 + static_cast<int64_t>(next() % 64);
      auto r = OpenCsv(dir.File("r.csv"), o);
      if (!r.ok()) continue;
      int calls = 0;
      for (;; ++calls) {
        ASSERT_LT(calls, 1000) << "no progress";
        Record rec;
        auto n = (*r)->Next(&rec);
        if (n.ok() && !*n) break;
      }
    }
  }
  // Mutated worksheets.
  const std::string sheet =
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a&amp;</t></is></c>"
      "<c r=\"B1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\"><v>1.5</v></c><c r=\"B2\" "
      "t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
  const std::string pieces = "<>/\"'&;=_x0 rcvt";
  for (int round = 0; round < 300; ++round) {
    std::string s = sheet;
    for (int k = 0; k < 3; ++k) s[next() % s.size()] = pieces[next() % pieces.size()];
    if (round % 3 == 0) s.resize(next() % s.size());
    ASSERT_TRUE(
        WriteZip(dir.File("m.xlsx"),
                 {{"xl/workbook.xml",
                   "<workbook><sheets><sheet name=\"S\" r:id=\"r1\"/></sheets></workbook>", false},
                  {"xl/_rels/workbook.xml.rels",
                   "<Relationships><Relationship Id=\"r1\" "
                   "Target=\"worksheets/sheet1.xml\"/></Relationships>",
                   false},
                  {"xl/sharedStrings.xml", "<sst><si><t>x</t></si></sst>", false},
                  {"xl/worksheets/sheet1.xml", s, round % 2 == 0}})
            .ok());
    auto r = OpenXlsx(dir.File("m.xlsx"), "");
    if (!r.ok()) continue;
    int calls = 0;
    for (;; ++calls) {
      ASSERT_LT(calls, 100) << "no progress";
      Record rec;
      auto n = (*r)->Next(&rec);
      if (!n.ok() || !*n) break;
    }
  }
}

}  // namespace
}  // namespace hrss::ingest

namespace hrss::ingest {
namespace {

// Random records (quotes, doubled quotes, delimiters, CR/LF inside quotes,
// Chinese text, empty fields, LF or CRLF endings) written with RFC 4180
// quoting, read back with tiny read sizes so that every record crosses block
// boundaries in every possible place; then resumed from every position.
TEST(Csv, TinyBlocksMatchAReferenceWriter) {
  TempDir dir;
  uint64_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
  };
  const std::vector<std::string> atoms = {"a",  "张", "三", ",",        "\"",  "\r\n",
                                          "\n", " ",  "1",  "竹阳街道", "x\"y"};
  std::vector<std::vector<std::string>> expect;
  std::string utf8 = "c1,c2,c3\r\n";
  for (int row = 0; row < 300; ++row) {
    std::vector<std::string> fields;
    std::string line;
    for (int c = 0; c < 3; ++c) {
      std::string v;
      int n = static_cast<int>(next() % 5);
      for (int k = 0; k < n; ++k) v += atoms[next() % atoms.size()];
      bool quote = v.find_first_of(",\"\r\n") != std::string::npos || next() % 4 == 0;
      std::string f = v;
      if (quote) {
        f = "\"";
        for (char ch : v) {
          if (ch == '"')
            f += "\"\"";
          else
            f.push_back(ch);
        }
        f += "\"";
      }
      if (c) line += ",";
      line += f;
      fields.push_back(v);
    }
    if (line == ",,") {  // keep all-empty rows apart from blank lines
      fields[0] = "e";
      line = "e,,";
    }
    utf8 += line + (next() % 2 ? "\r\n" : "\n");
    expect.push_back(fields);
  }
  WriteBytes(dir.File("tiny.csv"), Gbk(utf8));
  for (size_t block : {1, 2, 3, 5, 7, 16, 61, 4096}) {
    internal::SetCsvBlockSizeForTesting(block);
    CsvOptions o;
    o.encoding = Encoding::kGbk;
    auto r = OpenCsv(dir.File("tiny.csv"), o);
    ASSERT_TRUE(r.ok());
    std::vector<Record> recs;
    for (;;) {
      Record rec;
      auto n = (*r)->Next(&rec);
      ASSERT_TRUE(n.ok()) << "block " << block << ": " << n.status().ToString();
      if (!*n) break;
      recs.push_back(rec);
    }
    ASSERT_EQ(recs.size(), expect.size()) << "block " << block;
    for (size_t k = 0; k < recs.size(); ++k) {
      ASSERT_EQ(recs[k].values, expect[k]) << "block " << block << " record " << k;
    }
    if (block == 3) {
      for (size_t k = 0; k + 1 < recs.size(); k += 13) {
        ASSERT_TRUE((*r)->Seek(recs[k].position).ok());
        Record rec;
        ASSERT_TRUE(*(*r)->Next(&rec));
        EXPECT_EQ(rec.values, expect[k + 1]);
        EXPECT_EQ(rec.line, recs[k + 1].line);
      }
    }
  }
  internal::SetCsvBlockSizeForTesting(0);
}

}  // namespace
}  // namespace hrss::ingest
