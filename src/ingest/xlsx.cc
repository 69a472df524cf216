// XLSX reader and writer: zip (zip.h) + a small tolerant XML scanner for the
// few SpreadsheetML parts that matter (workbook, its relationships, shared
// strings, one worksheet).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "core/utf8.h"
#include "ingest/internal.h"
#include "ingest/reader.h"
#include "ingest/zip.h"

namespace hrss::ingest {
namespace {

// ---------------------------------------------------------------- XML scanner

struct XmlToken {
  enum Kind { kStart, kEnd, kText, kEof } kind = kEof;
  std::string_view name;   // local name (prefix stripped) for kStart / kEnd
  std::string_view attrs;  // raw attribute text for kStart
  bool self_closing = false;
  std::string_view text;  // kText (raw, entities not decoded)
  bool cdata = false;
};

std::string_view LocalName(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

class XmlScanner {
 public:
  explicit XmlScanner(std::string_view doc) : doc_(doc) {}
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

  bool Next(XmlToken* t) {
    for (;;) {
      if (pos_ >= doc_.size()) {
        t->kind = XmlToken::kEof;
        return false;
      }
      if (doc_[pos_] != '<') {
        size_t lt = doc_.find('<', pos_);
        if (lt == std::string_view::npos) lt = doc_.size();
        t->kind = XmlToken::kText;
        t->text = doc_.substr(pos_, lt - pos_);
        t->cdata = false;
        pos_ = lt;
        return true;
      }
      std::string_view rest = doc_.substr(pos_);
      if (rest.starts_with("<?")) {
        SkipPast("?>");
        continue;
      }
      if (rest.starts_with("<!--")) {
        SkipPast("-->");
        continue;
      }
      if (rest.starts_with("<![CDATA[")) {
        size_t end = doc_.find("]]>", pos_ + 9);
        if (end == std::string_view::npos) end = doc_.size();
        t->kind = XmlToken::kText;
        t->text = doc_.substr(pos_ + 9, end - pos_ - 9);
        t->cdata = true;
        pos_ = std::min(doc_.size(), end + 3);
        return true;
      }
      if (rest.starts_with("<!")) {
        SkipPast(">");
        continue;
      }
      // Find the end of the tag, honouring quoted attribute values.
      size_t i = pos_ + 1;
      char quote = 0;
      while (i < doc_.size()) {
        char c = doc_[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
        ++i;
      }
      if (i >= doc_.size()) {  // truncated document
        pos_ = doc_.size();
        t->kind = XmlToken::kEof;
        return false;
      }
      std::string_view inner = doc_.substr(pos_ + 1, i - pos_ - 1);
      pos_ = i + 1;
      if (!inner.empty() && inner[0] == '/') {
        t->kind = XmlToken::kEnd;
        std::string_view n = inner.substr(1);
        while (!n.empty() && IsSpace(n.back())) n.remove_suffix(1);
        t->name = LocalName(n);
        return true;
      }
      t->kind = XmlToken::kStart;
      t->self_closing = !inner.empty() && inner.back() == '/';
      if (t->self_closing) inner.remove_suffix(1);
      size_t ne = 0;
      while (ne < inner.size() && !IsSpace(inner[ne])) ++ne;
      t->name = LocalName(inner.substr(0, ne));
      t->attrs = inner.substr(ne);
      return true;
    }
  }

  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

 private:
  void SkipPast(std::string_view end) {
    size_t e = doc_.find(end, pos_);
    pos_ = e == std::string_view::npos ? doc_.size() : e + end.size();
  }

  std::string_view doc_;
  size_t pos_ = 0;
};

// Appends `raw` with XML entities and OOXML _xHHHH_ escapes decoded.
void AppendXmlText(std::string_view raw, std::string* out) {
  size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c == '&') {
      size_t semi = raw.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ent = raw.substr(i + 1, semi - i - 1);
        char32_t cp = 0;
        bool ok = true;
        if (ent == "lt")
          cp = '<';
        else if (ent == "gt")
          cp = '>';
        else if (ent == "amp")
          cp = '&';
        else if (ent == "quot")
          cp = '"';
        else if (ent == "apos")
          cp = '\'';
        else if (ent.size() > 1 && ent[0] == '#') {
          unsigned v = 0;
          std::from_chars_result r;
          if (ent[1] == 'x' || ent[1] == 'X') {
            r = std::from_chars(ent.data() + 2, ent.data() + ent.size(), v, 16);
          } else {
            r = std::from_chars(ent.data() + 1, ent.data() + ent.size(), v, 10);
          }
          ok = r.ec == std::errc() && r.ptr == ent.data() + ent.size() && v > 0 && v <= 0x10FFFF &&
               !(v >= 0xD800 && v <= 0xDFFF);
          cp = v;
        } else {
          ok = false;
        }
        if (ok) {
          AppendUtf8(cp, out);
          i = semi + 1;
          continue;
        }
      }
    } else if (c == '_' && i + 6 < raw.size() && raw[i + 1] == 'x' && raw[i + 6] == '_') {
      unsigned v = 0;
      auto r = std::from_chars(raw.data() + i + 2, raw.data() + i + 6, v, 16);
      if (r.ec == std::errc() && r.ptr == raw.data() + i + 6 && !(v >= 0xD800 && v <= 0xDFFF)) {
        AppendUtf8(v, out);
        i += 7;
        continue;
      }
    }
    out->push_back(c);
    ++i;
  }
}

// The value of attribute `local` (prefix ignored), decoded; nullopt if absent.
std::optional<std::string> Attr(std::string_view attrs, std::string_view local) {
  size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && XmlScanner::IsSpace(attrs[i])) ++i;
    size_t ns = i;
    while (i < attrs.size() && attrs[i] != '=' && !XmlScanner::IsSpace(attrs[i])) ++i;
    std::string_view name = attrs.substr(ns, i - ns);
    while (i < attrs.size() && XmlScanner::IsSpace(attrs[i])) ++i;
    if (i >= attrs.size() || attrs[i] != '=') {
      if (i < attrs.size()) ++i;
      continue;
    }
    ++i;
    while (i < attrs.size() && XmlScanner::IsSpace(attrs[i])) ++i;
    if (i >= attrs.size()) break;
    char q = attrs[i];
    if (q != '"' && q != '\'') break;
    size_t vs = ++i;
    while (i < attrs.size() && attrs[i] != q) ++i;
    std::string_view value = attrs.substr(vs, i - vs);
    ++i;
    if (LocalName(name) == local) {
      std::string out;
      AppendXmlText(value, &out);
      return out;
    }
  }
  return std::nullopt;
}

void AppendXmlEscaped(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '&': *out += "&amp;"; break;
      case '"': *out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          char buf[8];
          std::snprintf(buf, sizeof buf, "_x%04X_", static_cast<unsigned>(c));
          *out += buf;
        } else {
          out->push_back(c);
        }
    }
  }
}

// "C5" → column index 2 (0-based) and row 5; false when malformed.
bool ParseCellRef(std::string_view ref, int* col, int64_t* row) {
  size_t i = 0;
  int c = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    char ch = static_cast<char>(ref[i] & ~0x20);
    c = c * 26 + (ch - 'A' + 1);
    if (c > 16384) return false;
    ++i;
  }
  if (i == 0) return false;
  int64_t r = 0;
  size_t ds = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') {
    r = r * 10 + (ref[i] - '0');
    if (r > 1048576) return false;
    ++i;
  }
  if (i != ref.size()) return false;
  *col = c - 1;
  *row = i > ds ? r : 0;
  return true;
}

std::string ColumnLetters(int col) {
  std::string s;
  int c = col + 1;
  while (c > 0) {
    int rem = (c - 1) % 26;
    s.insert(s.begin(), static_cast<char>('A' + rem));
    c = (c - 1) / 26;
  }
  return s;
}

// A number as its shortest text after rounding to 15 significant digits (what
// Excel shows): "8500.499999999999" → "8500.5", "45123" → "45123".
std::string FormatNumber(std::string_view v) {
  std::string s(v);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(d)) return s;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  d = std::strtod(buf, nullptr);
  if (d == 0) return "0";
  char out[400];
  auto r = std::to_chars(out, out + sizeof out, d, std::chars_format::fixed);
  if (r.ec != std::errc()) return s;
  return std::string(out, r.ptr);
}

bool LooksNumeric(std::string_view s) {
  if (s.empty()) return false;
  std::string t(s);
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(d) &&
         t.find_first_of("xXnNiI") == std::string::npos && t[0] != ' ';
}

// ---------------------------------------------------------------- reader

class XlsxReader final : public RecordReader {
 public:
  explicit XlsxReader(std::string path) : path_(std::move(path)) {}

  Status Init(std::string_view sheet) {
    const std::string file(internal::BaseName(path_));
    HRSS_ASSIGN_OR_RETURN(ZipArchive zip, ZipArchive::Open(path_));
    if (!zip.Has("xl/workbook.xml")) {
      return Status::InvalidArgument(file + ": not an xlsx workbook (no xl/workbook.xml)");
    }
    HRSS_ASSIGN_OR_RETURN(std::string workbook, zip.Read("xl/workbook.xml"));
    std::string rels;
    if (zip.Has("xl/_rels/workbook.xml.rels")) {
      HRSS_ASSIGN_OR_RETURN(rels, zip.Read("xl/_rels/workbook.xml.rels"));
    }
    // Sheets in workbook order: name → relationship id.
    std::vector<std::pair<std::string, std::string>> sheets;
    {
      XmlScanner sc(workbook);
      XmlToken t;
      while (sc.Next(&t)) {
        if (t.kind == XmlToken::kStart && t.name == "sheet") {
          sheets.emplace_back(Attr(t.attrs, "name").value_or(""), Attr(t.attrs, "id").value_or(""));
        }
      }
    }
    if (sheets.empty()) return Status::InvalidArgument(file + ": the workbook has no sheet");
    size_t which = 0;
    if (!sheet.empty()) {
      which = sheets.size();
      for (size_t k = 0; k < sheets.size(); ++k) {
        if (sheets[k].first == sheet) which = k;
      }
      if (which == sheets.size()) {
        return Status::NotFound(file + ": no sheet named \"" + std::string(sheet) + "\"");
      }
    }
    sheet_name_ = sheets[which].first;
    std::string target;
    {
      XmlScanner sc(rels);
      XmlToken t;
      while (sc.Next(&t)) {
        if (t.kind == XmlToken::kStart && t.name == "Relationship" &&
            Attr(t.attrs, "Id").value_or("") == sheets[which].second) {
          target = Attr(t.attrs, "Target").value_or("");
        }
      }
    }
    std::string part;
    if (target.empty()) {
      part = "xl/worksheets/sheet" + std::to_string(which + 1) + ".xml";
    } else if (target[0] == '/') {
      part = target.substr(1);
    } else {
      part = "xl/" + target;
    }
    if (!zip.Has(part)) {
      return Status::InvalidArgument(file + ": sheet \"" + sheet_name_ + "\" part " + part +
                                     " is missing");
    }
    HRSS_ASSIGN_OR_RETURN(sheet_xml_, zip.Read(part));
    if (zip.Has("xl/sharedStrings.xml")) {
      HRSS_ASSIGN_OR_RETURN(std::string sst, zip.Read("xl/sharedStrings.xml"));
      ParseSharedStrings(sst);
    }
    size_t bad = 0;
    if (!internal::CheckUtf8(sheet_xml_, &bad)) {
      return Status::InvalidArgument(file + ": sheet XML is not UTF-8");
    }
    // Header: the first row.
    XmlScanner sc(sheet_xml_);
    XmlToken t;
    while (sc.Next(&t)) {
      if (t.kind == XmlToken::kStart && t.name == "sheetData") break;
    }
    if (t.kind == XmlToken::kEof) {
      columns_ = std::make_shared<std::vector<std::string>>();
      data_pos_ = sheet_xml_.size();
      scan_pos_ = data_pos_;
      return Status::Ok();
    }
    scan_pos_ = sc.pos();
    std::vector<std::string> header;
    int64_t row = 0;
    auto r = ReadRow(&header, &row);
    if (!r.ok()) return r.status();
    auto cols = std::make_shared<std::vector<std::string>>();
    if (*r) {
      while (!header.empty() && header.back().empty()) header.pop_back();
      for (size_t k = 0; k < header.size(); ++k) {
        cols->push_back(header[k].empty() ? ColumnLetters(static_cast<int>(k)) : header[k]);
      }
      header_row_ = row;
    }
    columns_ = std::move(cols);
    data_pos_ = scan_pos_;
    last_row_ = header_row_;
    return Status::Ok();
  }

  Result<bool> Next(Record* out) override {
    for (;;) {
      int64_t row = 0;
      auto r = ReadRow(&out->values, &row);
      if (!r.ok()) {
        scan_pos_ = sheet_xml_.size();  // not recoverable: the next call ends
        return r.status();
      }
      if (!*r) return false;
      bool any = false;
      for (const auto& v : out->values) {
        if (!v.empty()) {
          any = true;
          break;
        }
      }
      if (!any) continue;
      out->values.resize(columns_->size());
      ++record_no_;
      out->columns = columns_;
      out->line = row;
      out->position.offset = row + 1;
      out->position.record_no = record_no_;
      out->position.cursor.clear();
      return true;
    }
  }

  Status Seek(const Position& pos) override {
    scan_pos_ = data_pos_;
    last_row_ = header_row_;
    record_no_ = pos.record_no;
    if (pos.offset <= header_row_ + 1) {
      record_no_ = pos.offset <= header_row_ ? 0 : pos.record_no;
      return Status::Ok();
    }
    // Skip rows before pos.offset without building them.
    XmlScanner sc(sheet_xml_);
    sc.set_pos(scan_pos_);
    XmlToken t;
    int64_t prev = last_row_;
    for (;;) {
      size_t before = sc.pos();
      if (!sc.Next(&t)) break;
      if (t.kind == XmlToken::kEnd && t.name == "sheetData") {
        sc.set_pos(before);
        break;
      }
      if (t.kind == XmlToken::kStart && t.name == "row") {
        auto r = Attr(t.attrs, "r");
        int64_t rn = prev + 1;
        if (r) rn = std::atoll(r->c_str());
        if (rn >= pos.offset) {
          sc.set_pos(before);
          break;
        }
        prev = rn;
      }
    }
    scan_pos_ = sc.pos();
    last_row_ = prev;
    return Status::Ok();
  }

  bool recoverable() const override { return false; }

 private:
  void ParseSharedStrings(std::string_view xml) {
    XmlScanner sc(xml);
    XmlToken t;
    std::string cur;
    bool in_si = false;
    bool in_t = false;
    int skip_depth = 0;  // inside <rPh> (phonetic runs) or <phoneticPr>
    while (sc.Next(&t)) {
      if (t.kind == XmlToken::kStart) {
        if (t.name == "si") {
          if (t.self_closing) {
            shared_.emplace_back();
            continue;
          }
          in_si = true;
          cur.clear();
        } else if (t.name == "rPh") {
          if (!t.self_closing) ++skip_depth;
        } else if (t.name == "t" && in_si && skip_depth == 0) {
          in_t = !t.self_closing;
        }
      } else if (t.kind == XmlToken::kEnd) {
        if (t.name == "si") {
          shared_.push_back(cur);
          in_si = false;
        } else if (t.name == "rPh") {
          if (skip_depth > 0) --skip_depth;
        } else if (t.name == "t") {
          in_t = false;
        }
      } else if (t.kind == XmlToken::kText && in_t && skip_depth == 0) {
        if (t.cdata)
          cur.append(t.text);
        else
          AppendXmlText(t.text, &cur);
      }
    }
  }

  // Reads the next <row> from scan_pos_ into *values (indexed by column).
  Result<bool> ReadRow(std::vector<std::string>* values, int64_t* row_no) {
    XmlScanner sc(sheet_xml_);
    sc.set_pos(scan_pos_);
    XmlToken t;
    // Find <row>.
    for (;;) {
      if (!sc.Next(&t)) {
        scan_pos_ = sc.pos();
        return false;
      }
      if (t.kind == XmlToken::kEnd && t.name == "sheetData") {
        scan_pos_ = sheet_xml_.size();
        return false;
      }
      if (t.kind == XmlToken::kStart && t.name == "row") break;
    }
    int64_t rn = last_row_ + 1;
    if (auto r = Attr(t.attrs, "r")) {
      int64_t v = 0;
      auto res = std::from_chars(r->data(), r->data() + r->size(), v);
      if (res.ec != std::errc() || v <= 0) {
        return Status::InvalidArgument(internal::LineMessage(path_, rn, "bad row number"));
      }
      rn = v;
    }
    last_row_ = rn;
    *row_no = rn;
    size_t used = 0;
    for (auto& v : *values) v.clear();
    if (t.self_closing) {
      scan_pos_ = sc.pos();
      values->resize(std::max<size_t>(values->size(), 0));
      return true;
    }
    int col = -1;
    std::string type;
    std::string raw;
    bool in_value = false;  // inside <v> or inline <t>
    int skip_depth = 0;
    bool in_cell = false;
    auto store = [&](int c, std::string v) {
      if (c < 0) return;
      if (columns_ && static_cast<size_t>(c) >= columns_->size() && !columns_->empty()) return;
      if (values->size() <= static_cast<size_t>(c)) values->resize(c + 1);
      (*values)[c] = std::move(v);
      used = std::max(used, static_cast<size_t>(c) + 1);
    };
    auto finish_cell = [&]() -> Status {
      std::string v;
      if (type == "s") {
        size_t idx = 0;
        auto res = std::from_chars(raw.data(), raw.data() + raw.size(), idx);
        if (res.ec != std::errc() || idx >= shared_.size()) {
          return Status::InvalidArgument(
              internal::LineMessage(path_, rn,
                                    "cell " + ColumnLetters(col) + std::to_string(rn) +
                                        ": shared string index out of range"));
        }
        v = shared_[idx];
      } else if (type == "b") {
        v = raw == "1" ? "TRUE" : raw.empty() ? "" : "FALSE";
      } else if (type.empty() || type == "n") {
        v = raw.empty() ? std::string() : FormatNumber(raw);
      } else {
        v = raw;  // inlineStr, str, e, d
      }
      store(col, std::move(v));
      return Status::Ok();
    };
    for (;;) {
      if (!sc.Next(&t)) {
        return Status::InvalidArgument(internal::LineMessage(path_, rn, "truncated sheet XML"));
      }
      if (t.kind == XmlToken::kStart) {
        if (t.name == "c") {
          ++col;
          if (auto r = Attr(t.attrs, "r")) {
            int c = 0;
            int64_t rr = 0;
            if (!ParseCellRef(*r, &c, &rr)) {
              return Status::InvalidArgument(
                  internal::LineMessage(path_, rn, "bad cell reference \"" + *r + "\""));
            }
            col = c;
          }
          type = Attr(t.attrs, "t").value_or("");
          raw.clear();
          if (t.self_closing) {
            HRSS_RETURN_IF_ERROR(finish_cell());
          } else {
            in_cell = true;
          }
        } else if (in_cell && t.name == "rPh") {
          if (!t.self_closing) ++skip_depth;
        } else if (in_cell && (t.name == "v" || t.name == "t") && skip_depth == 0) {
          in_value = !t.self_closing;
        }
      } else if (t.kind == XmlToken::kEnd) {
        if (t.name == "row") break;
        if (t.name == "c" && in_cell) {
          in_cell = false;
          HRSS_RETURN_IF_ERROR(finish_cell());
        } else if (t.name == "v" || t.name == "t") {
          in_value = false;
        } else if (t.name == "rPh" && skip_depth > 0) {
          --skip_depth;
        }
      } else if (t.kind == XmlToken::kText && in_value && skip_depth == 0) {
        if (t.cdata)
          raw.append(t.text);
        else
          AppendXmlText(t.text, &raw);
      }
    }
    scan_pos_ = sc.pos();
    if (values->size() > used && columns_ == nullptr) values->resize(used);
    return true;
  }

  std::string path_;
  std::string sheet_name_;
  std::string sheet_xml_;
  std::vector<std::string> shared_;
  std::shared_ptr<const std::vector<std::string>> columns_;
  size_t data_pos_ = 0;  // just after the header row
  size_t scan_pos_ = 0;
  int64_t header_row_ = 0;
  int64_t last_row_ = 0;
  int64_t record_no_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenXlsx(const std::string& path, std::string_view sheet) {
  auto r = std::make_unique<XlsxReader>(path);
  HRSS_RETURN_IF_ERROR(r->Init(sheet));
  return std::unique_ptr<RecordReader>(std::move(r));
}

// ---------------------------------------------------------------- writer

namespace {

// The entries of a one-sheet workbook.
Result<std::vector<ZipEntry>> XlsxEntries(std::string_view sheet_name,
                                          const std::vector<std::vector<XlsxCell>>& rows) {
  const std::string name = sheet_name.empty() ? std::string("Sheet1") : std::string(sheet_name);
  size_t bad = 0;
  if (!internal::CheckUtf8(name, &bad)) return Status::InvalidArgument("sheet name is not UTF-8");
  std::vector<std::string> strings;
  std::unordered_map<std::string, size_t> string_index;
  std::string sheet =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheetData>";
  size_t total_refs = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string rn = std::to_string(r + 1);
    sheet += "<row r=\"" + rn + "\">";
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const XlsxCell& cell = rows[r][c];
      if (cell.text.empty()) continue;
      if (!internal::CheckUtf8(cell.text, &bad)) {
        return Status::InvalidArgument("cell " + ColumnLetters(static_cast<int>(c)) + rn +
                                       " is not UTF-8");
      }
      const std::string ref = ColumnLetters(static_cast<int>(c)) + rn;
      if (cell.numeric && LooksNumeric(cell.text)) {
        sheet += "<c r=\"" + ref + "\"><v>" + cell.text + "</v></c>";
      } else {
        auto [it, inserted] = string_index.emplace(cell.text, strings.size());
        if (inserted) strings.push_back(cell.text);
        ++total_refs;
        sheet += "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(it->second) + "</v></c>";
      }
    }
    sheet += "</row>";
  }
  sheet += "</sheetData></worksheet>";

  std::string sst =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"" +
      std::to_string(total_refs) + "\" uniqueCount=\"" + std::to_string(strings.size()) + "\">";
  for (const std::string& s : strings) {
    sst += "<si><t xml:space=\"preserve\">";
    AppendXmlEscaped(s, &sst);
    sst += "</t></si>";
  }
  sst += "</sst>";

  std::string escaped_name;
  AppendXmlEscaped(name, &escaped_name);
  std::vector<ZipEntry> entries;
  entries.push_back(
      {"[Content_Types].xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Default Extension=\"rels\" "
       "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
       "<Override PartName=\"/xl/workbook.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/"
       ">"
       "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
       "<Override PartName=\"/xl/sharedStrings.xml\" "
       "ContentType=\"application/"
       "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
       "<Override PartName=\"/xl/styles.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
       "</Types>",
       true});
  entries.push_back(
      {"_rels/.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
       "officeDocument\" "
       "Target=\"xl/workbook.xml\"/></Relationships>",
       true});
  entries.push_back(
      {"xl/workbook.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
       "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
       "<sheets><sheet name=\"" +
           escaped_name + "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
       true});
  entries.push_back(
      {"xl/_rels/workbook.xml.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
       "Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId2\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
       "Target=\"sharedStrings.xml\"/>"
       "<Relationship Id=\"rId3\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
       "Target=\"styles.xml\"/></Relationships>",
       true});
  entries.push_back(
      {"xl/styles.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
       "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
       "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
       "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
       "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
       "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
       "</cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
       "borderId=\"0\" xfId=\"0\"/></cellXfs></styleSheet>",
       true});
  entries.push_back({"xl/worksheets/sheet1.xml", std::move(sheet), true});
  entries.push_back({"xl/sharedStrings.xml", std::move(sst), true});
  return entries;
}

}  // namespace

Result<std::string> XlsxBytes(std::string_view sheet_name,
                              const std::vector<std::vector<XlsxCell>>& rows) {
  HRSS_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, XlsxEntries(sheet_name, rows));
  return ZipBytes(entries);
}

Status WriteXlsx(const std::string& path, std::string_view sheet_name,
                 const std::vector<std::vector<XlsxCell>>& rows) {
  HRSS_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, XlsxEntries(sheet_name, rows));
  return WriteZip(path, entries);
}

}  // namespace hrss::ingest
