// Running one batch: the job's streams → records → dialect mapper (reader
// thread) → bounded queue → loader with checkpoints (writer thread). See
// collect.h for the pipeline and the exactly-once argument.
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "core/crypto.h"
#include "core/periodic.h"
#include "core/log.h"
#include "db/options.h"
#include "db/pool.h"
#include "db/transaction.h"
#include "ingest/normalize.h"
#include "modules/datacenter/collect.h"
#include "modules/identity/keyring.h"

namespace hrss::datacenter {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// Chunks and the bounded queue between the threads.
struct Chunk {
  std::string stream;
  std::vector<MappedRecord> records;
  std::string checkpoint;  // position after the last record (JSON)
  bool stream_done = false;
  int64_t progress_done = 0;
};

class ChunkQueue {
 public:
  explicit ChunkQueue(size_t capacity) : capacity_(capacity) {}
  // False when the consumer gave up.
  bool Push(Chunk c) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < capacity_ || aborted_; });
    if (aborted_) return false;
    q_.push_back(std::move(c));
    cv_.notify_all();
    return true;
  }
  // False at the end (after Close and drained) or when aborted.
  bool Pop(Chunk* c) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_ || aborted_; });
    if (aborted_ || q_.empty()) return false;
    *c = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return true;
  }
  bool Empty() {
    std::lock_guard lock(mu_);
    return q_.empty();
  }
  // The writer hands loaded records back so that the reader thread, which
  // has spare time, frees them (freeing a chunk's strings and rows is a few
  // % of the writer's time otherwise).
  void Recycle(std::vector<MappedRecord> records) {
    std::lock_guard lock(mu_);
    garbage_.push_back(std::move(records));
  }
  void FreeRecycled() {
    std::vector<std::vector<MappedRecord>> g;
    {
      std::lock_guard lock(mu_);
      g.swap(garbage_);
    }
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  void Abort() {
    std::lock_guard lock(mu_);
    aborted_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> q_;
  std::vector<std::vector<MappedRecord>> garbage_;
  size_t capacity_;
  bool closed_ = false, aborted_ = false;
};

std::string ConfigString(const json::object& config, const char* key, std::string def = "") {
  auto* v = config.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : def;
}

bool ConfigBool(const json::object& config, const char* key) {
  auto* v = config.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

// Accumulates mapped records into chunks.
class ChunkBuilder {
 public:
  ChunkBuilder(ChunkQueue& q, const CollectOptions& o) : q_(q), o_(o) {}
  void Start(std::string stream) {
    chunk_ = Chunk();
    chunk_.stream = std::move(stream);
  }
  // Adds one record; flushes a full chunk. False when the writer gave up.
  bool Add(MappedRecord rec, const std::function<std::string()>& checkpoint,
           int64_t progress_done) {
    chunk_.records.push_back(std::move(rec));
    if (static_cast<int64_t>(chunk_.records.size()) >= o_.chunk_records) {
      chunk_.checkpoint = checkpoint();
      chunk_.progress_done = progress_done;
      return Send(false);
    }
    return true;
  }
  bool Finish(std::string checkpoint, int64_t progress_done) {
    chunk_.checkpoint = std::move(checkpoint);
    chunk_.progress_done = progress_done;
    return Send(true);
  }

 private:
  bool Send(bool done) {
    chunk_.stream_done = done;
    std::string stream = chunk_.stream;
    bool ok = q_.Push(std::move(chunk_));
    q_.FreeRecycled();
    chunk_ = Chunk();
    chunk_.stream = std::move(stream);
    return ok;
  }
  ChunkQueue& q_;
  const CollectOptions& o_;
  Chunk chunk_;
};

// ---------------------------------------------------------------------------
// File fingerprint: size, mtime and SM3 of the first 64 KiB.
struct FileId {
  int64_t size = 0, mtime_ns = 0;
  std::string head;
};
Result<FileId> Fingerprint(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Status::NotFound("文件不存在：" + path);
  FileId id;
  id.size = st.st_size;
  id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  std::ifstream in(path, std::ios::binary);
  std::string buf(65536, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
  buf.resize(static_cast<size_t>(in.gcount()));
  id.head = Sm3Hex(buf).substr(0, 32);
  return id;
}

// Shebao source tables: key columns (dependency order comes from the mapper).
std::vector<std::string> KeyColumns(const std::string& table) {
  if (table == "ab01") return {"aab001"};
  if (table == "ac01") return {"aac001"};
  if (table == "ac02") return {"aac001", "aae140"};
  if (table == "ac43") return {"aaz223"};
  if (table == "ab07") return {"aaz288"};
  if (table == "ac84") return {"aaz220"};
  if (table == "ae10") return {"aaz002"};
  return {};
}

// Tables a 社保 source may lack (older 金保 installations without the
// business log): skipped when absent instead of failing the batch.
bool OptionalTable(std::string_view table) { return table == "ae10"; }

bool PlainIdent(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

std::string DbValueText(const db::Value& v) {
  switch (v.type()) {
    case db::Value::Type::kNull:
      return {};
    case db::Value::Type::kInt64:
      return std::to_string(v.int64());
    case db::Value::Type::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", v.dbl());
      return buf;
    }
    default:
      return v.AsText().value_or("");
  }
}

// ---------------------------------------------------------------------------
// The reader side of a batch.
class BatchReader {
 public:
  BatchReader(const CollectEnv& env, const Job& job, const DialectMapper& mapper,
              const CodeMaps& codes, const CollectOptions& options, ChunkQueue& q,
              int64_t batch_time_ms)
      : env_(env), job_(job), mapper_(mapper), options_(options), q_(q), builder_(q, options) {
    ctx_.codes = &codes;
    ctx_.clock = env.clock;
    ctx_.keys = env.keys;
    if (env.keys != nullptr) ctx_.mobile_encryptor = env.keys->FieldEncryptorFor("datacenter.mobile");
    ctx_.batch_time_ms = batch_time_ms;
    ctx_.quality = &quality_;
  }

  // Stream names and the progress total, before reading.
  struct FileStream {
    std::string name, path, kind, format;
    FileId id;
    json::object checkpoint;  // empty: none or changed
    bool skip = false;
  };

  Status Plan(db::Connection& conn, int64_t* progress_total) {
    HRSS_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT stream, position_json FROM dc_checkpoint "
                                                "WHERE job_id = ?",
                                                {job_.id}));
    for (const auto& r : rows) {
      boost::system::error_code ec;
      json::value v = json::parse(r.GetText(1), ec);
      if (!ec && v.is_object()) checkpoints_[r.GetText(0)] = v.as_object();
    }
    *progress_total = 0;
    if (job_.method == "file") return PlanFiles(progress_total);
    if (job_.method == "db") return PlanDb(progress_total);
    return Status::Ok();
  }

  Status Run() {
    Status st;
    if (job_.method == "file") {
      st = RunFiles();
    } else if (job_.method == "db") {
      st = RunDb();
    } else if (job_.method == "http") {
      st = RunHttp();
    } else {
      st = Status::InvalidArgument("采集方式 " + job_.method + " 不能按批次运行");
    }
    return st;
  }

  QualityCounters& quality() { return quality_; }

 private:
  void MapRecord(std::string_view kind, ingest::Record& rec, MappedRecord* out) {
    out->line = rec.line > 0 ? rec.line : rec.position.record_no;
    mapper_.Map(kind, rec, "", ctx_, out);
    if (!out->reason_code.empty()) {
      out->columns = rec.columns;
      out->values = std::move(rec.values);
      out->record_json = json::serialize(RecordJson(*out));
    } else if (mapper_.system() == "shebao" && !out->rows.empty() &&
               !out->rows[0].person_src_key.empty()) {
      // May still be quarantined by the loader (unknown person): keep the raw values.
      out->columns = rec.columns;
      out->values = std::move(rec.values);
    }
  }

  // A pulled record's line (database and HTTP pulls): its source key's hash
  // (53 bits, exact in JSON), not its position in the pull. A quarantine item
  // is keyed by (job, stream, line), and positions restart with every pull,
  // so a new bad record would take the key of an older item and be dropped;
  // the same record pulled again finds its own item.
  static int64_t KeyLine(const std::string& joined_key) {
    return static_cast<int64_t>(ingest::RowHash({joined_key}) >> 11);
  }

  // ---- files
  Status PlanFiles(int64_t* total) {
    std::string dir = ConfigString(job_.config, "dir");
    std::string pattern = ConfigString(job_.config, "pattern", "*");
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) {
      return Status::NotFound("采集目录不存在：" + dir);
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      std::string name = entry.path().filename().string();
      if (fnmatch(pattern.c_str(), name.c_str(), 0) != 0) continue;
      FileStream f;
      f.name = name;
      f.path = entry.path().string();
      f.kind = mapper_.StreamKind(name);
      if (f.kind.empty()) continue;
      std::string ext = entry.path().extension().string();
      f.format = ConfigString(job_.config, "format", "auto");
      if (f.format == "auto" || f.format.empty()) {
        f.format = ext == ".xlsx" ? "xlsx" : ext == ".jsonl" ? "jsonl" : ext == ".tsv" ? "tsv" : "csv";
      }
      if (ext == ".xlsx") f.format = "xlsx";
      if (ext == ".csv" && f.format == "xlsx") f.format = "csv";
      HRSS_ASSIGN_OR_RETURN(f.id, Fingerprint(f.path));
      auto cp = checkpoints_.find(name);
      if (cp != checkpoints_.end()) {
        const json::object& o = cp->second;
        auto num = [&o](const char* k) {
          auto* v = o.if_contains(k);
          return v && v->is_int64() ? v->as_int64() : int64_t{-1};
        };
        bool same = num("size") == f.id.size && num("mtime") == f.id.mtime_ns &&
                    o.contains("head") && o.at("head").is_string() &&
                    o.at("head").as_string() == f.id.head;
        if (same) {
          if (o.contains("done") && o.at("done").is_bool() && o.at("done").as_bool()) {
            f.skip = true;
          } else {
            f.checkpoint = o;
          }
        }
      }
      if (!f.skip) *total += f.id.size;
      files_.push_back(std::move(f));
    }
    std::sort(files_.begin(), files_.end(), [this](const FileStream& a, const FileStream& b) {
      int ra = mapper_.KindRank(a.kind), rb = mapper_.KindRank(b.kind);
      return ra != rb ? ra < rb : a.name < b.name;
    });
    return Status::Ok();
  }

  Result<std::unique_ptr<ingest::RecordReader>> OpenFile(const FileStream& f) {
    if (f.format == "xlsx") return ingest::OpenXlsx(f.path, ConfigString(job_.config, "sheet"));
    if (f.format == "jsonl") return ingest::OpenJsonLines(f.path);
    ingest::CsvOptions o;
    HRSS_ASSIGN_OR_RETURN(o.encoding, ingest::ParseEncoding(ConfigString(job_.config, "encoding",
                                                                         "auto")));
    if (f.format == "tsv") o.delimiter = '\t';
    // 机保 contrib files are GB18030 while the workbook is XLSX: auto-detect CSVs.
    if (mapper_.system() == "jibao") o.encoding = ingest::Encoding::kAuto;
    return ingest::OpenCsv(f.path, o);
  }

  Status RunFiles() {
    int64_t base = 0;
    for (const FileStream& f : files_) {
      if (f.skip) continue;
      HRSS_ASSIGN_OR_RETURN(auto reader, OpenFile(f));
      ingest::Position pos;
      if (!f.checkpoint.empty()) {
        auto num = [&f](const char* k) {
          auto* v = f.checkpoint.if_contains(k);
          return v && v->is_int64() ? v->as_int64() : int64_t{0};
        };
        pos.offset = num("offset");
        pos.record_no = num("record_no");
        if (auto* c = f.checkpoint.if_contains("cursor"); c && c->is_string()) {
          pos.cursor = std::string(c->as_string());
        }
        if (pos.offset > 0 || pos.record_no > 0) HRSS_RETURN_IF_ERROR(reader->Seek(pos));
      }
      const bool bytes = f.format != "xlsx";
      auto checkpoint = [&f, &pos](bool done) {
        json::object o{{"offset", pos.offset},     {"record_no", pos.record_no},
                       {"cursor", pos.cursor},     {"size", f.id.size},
                       {"mtime", f.id.mtime_ns},   {"head", f.id.head},
                       {"done", done}};
        return json::serialize(o);
      };
      builder_.Start(f.name);
      ingest::Record rec;
      while (true) {
        auto more = reader->Next(&rec);
        MappedRecord m;
        if (!more.ok()) {
          if (!reader->recoverable()) return more.status();
          m.line = rec.line;
          m.reason_code = "PARSE_ERROR";
          m.reason = ReasonText("PARSE_ERROR") + "：" + more.status().message();
          m.columns = std::make_shared<std::vector<std::string>>(
              std::vector<std::string>{"error"});
          m.values = {more.status().message()};
          // The reader resynchronises at the next line; the position is not
          // known here, so it advances with the next good record.
          if (!builder_.Add(std::move(m), [&] { return checkpoint(false); },
                            base + (bytes ? pos.offset : 0))) {
            return Status::Ok();
          }
          continue;
        }
        if (!*more) break;
        pos = rec.position;
        MapRecord(f.kind, rec, &m);
        if (!builder_.Add(std::move(m), [&] { return checkpoint(false); },
                          base + (bytes ? pos.offset : 0))) {
          return Status::Ok();
        }
      }
      base += f.id.size;
      if (!builder_.Finish(checkpoint(true), base)) return Status::Ok();
    }
    return Status::Ok();
  }

  // ---- db pull (社保)
  // A source table's stream. A table never pulled before is read as a
  // snapshot, in primary-key order (the source's own order: no sort of the
  // whole table, and the standardized tables' key and person indexes take
  // their rows in runs instead of at random; county 社保 contributions in
  // aae036 order touched a random index page per row). `snapshot_hw` is
  // MAX(aae036) when the snapshot began; when it ends, the stream goes on
  // from there by change time, every row at that watermark included (rows
  // changed while the snapshot ran are read again; loading is idempotent).
  struct TableStream {
    std::string table, kind, watermark;
    std::vector<std::string> keys, last_key;
    bool snapshot = false;
    std::string snapshot_hw;
  };

  Status OpenSource() {
    std::string dialect = ConfigString(job_.config, "dialect", "sqlite");
    db::Options o;
    if (dialect == "mariadb") {
      std::string setting = ConfigString(job_.config, "dsnSetting", "datacenter.shebao_dsn");
      std::string dsn = env_.setting ? env_.setting(setting) : "";
      if (dsn.empty()) return Status::FailedPrecondition("未配置社保源库连接串（设置 " + setting + "）");
      HRSS_ASSIGN_OR_RETURN(o, db::ParseMariaDbDsn(dsn));
    } else {
      o.dialect = db::Dialect::kSqlite;
      o.sqlite_path = ConfigString(job_.config, "path");
      std::error_code ec;
      if (o.sqlite_path.empty() || !fs::exists(o.sqlite_path, ec)) {
        return Status::NotFound("社保源库文件不存在：" + o.sqlite_path);
      }
    }
    HRSS_ASSIGN_OR_RETURN(source_, db::Connect(o));
    return Status::Ok();
  }

  std::string TableWhere(const TableStream& t, db::Params* params) {
    std::string keys;
    for (size_t i = 0; i < t.keys.size(); ++i) keys += (i ? ", " : "") + t.keys[i];
    auto key_params = [&] {
      std::string q;
      for (size_t i = 0; i < t.keys.size(); ++i) {
        q += i ? ", ?" : "?";
        params->emplace_back(i < t.last_key.size() ? t.last_key[i] : "");
      }
      return q;
    };
    if (t.snapshot) {
      if (t.last_key.empty()) return "";
      return " WHERE (" + keys + ") > (" + key_params() + ")";
    }
    if (t.watermark.empty() && t.last_key.empty()) return "";
    if (t.last_key.empty()) {
      // After a snapshot: every row at its watermark too.
      params->emplace_back(t.watermark);
      return " WHERE aae036 >= ?";
    }
    params->emplace_back(t.watermark);
    params->emplace_back(t.watermark);
    return " WHERE aae036 > ? OR (aae036 = ? AND (" + keys + ") > (" + key_params() + "))";
  }

  Status PlanDb(int64_t* total) {
    HRSS_RETURN_IF_ERROR(OpenSource());
    std::vector<std::string> names;
    if (auto* t = job_.config.if_contains("tables"); t && t->is_array()) {
      for (const auto& v : t->as_array()) {
        if (v.is_string()) names.emplace_back(v.as_string());
      }
    }
    if (names.empty()) names = {"ab01", "ac01", "ac02", "ac43", "ab07", "ac84", "ae10"};
    for (const auto& name : names) {
      TableStream t;
      t.table = name;
      t.kind = mapper_.StreamKind(name);
      t.keys = KeyColumns(name);
      if (t.kind.empty() || t.keys.empty() || !PlainIdent(name)) {
        return Status::InvalidArgument("不支持的社保源表：" + name);
      }
      if (OptionalTable(name) && !source_->QueryOne("SELECT 1 FROM " + name + " WHERE 1 = 0").ok()) {
        continue;
      }
      auto cp = checkpoints_.find(name);
      if (cp != checkpoints_.end()) {
        t.watermark = ConfigString(cp->second, "aae036");
        t.snapshot = ConfigBool(cp->second, "snapshot");
        t.snapshot_hw = ConfigString(cp->second, "hw");
        if (auto* k = cp->second.if_contains("key"); k && k->is_array()) {
          for (const auto& v : k->as_array()) {
            t.last_key.push_back(v.is_string() ? std::string(v.as_string()) : "");
          }
        }
      } else {
        t.snapshot = true;
        HRSS_ASSIGN_OR_RETURN(auto hw, source_->QueryOne("SELECT COALESCE(MAX(aae036), '') FROM " + name));
        if (hw.has_value()) t.snapshot_hw = hw->OptText(0).value_or("");
      }
      db::Params params;
      std::string where = TableWhere(t, &params);
      HRSS_ASSIGN_OR_RETURN(auto n, source_->QueryOne("SELECT COUNT(*) FROM " + name + where,
                                                     params));
      if (n.has_value()) *total += n->GetInt64(0);
      tables_.push_back(std::move(t));
    }
    std::stable_sort(tables_.begin(), tables_.end(), [this](const TableStream& a,
                                                            const TableStream& b) {
      return mapper_.KindRank(a.kind) < mapper_.KindRank(b.kind);
    });
    return Status::Ok();
  }

  Status RunDb() {
    int64_t done = 0;
    for (TableStream& t : tables_) {
      db::Params params;
      std::string where = TableWhere(t, &params);
      std::string order = t.snapshot ? "" : "aae036";
      for (const auto& k : t.keys) order += (order.empty() ? "" : ", ") + k;
      std::string sql = "SELECT * FROM " + t.table + where + " ORDER BY " + order;
      builder_.Start(t.table);
      std::shared_ptr<const std::vector<std::string>> columns;
      std::vector<int> key_idx;
      int wm_idx = -1;
      auto checkpoint = [&t]() {
        json::array key;
        for (const auto& k : t.last_key) key.emplace_back(k);
        if (t.snapshot) {
          return json::serialize(json::object{{"snapshot", true}, {"hw", t.snapshot_hw}, {"key", key}});
        }
        return json::serialize(json::object{{"aae036", t.watermark}, {"key", key}});
      };
      bool stopped = false;
      Status qs = source_->QueryEach(sql, params, [&](const db::Row& row) -> Status {
        if (!columns) {
          auto cols = std::make_shared<std::vector<std::string>>();
          for (const auto& c : row.columns()) {
            std::string lc = c;
            for (auto& ch : lc) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            cols->push_back(lc);
          }
          for (const auto& k : t.keys) {
            auto it = std::find(cols->begin(), cols->end(), k);
            key_idx.push_back(it == cols->end() ? -1 : static_cast<int>(it - cols->begin()));
          }
          auto w = std::find(cols->begin(), cols->end(), "aae036");
          wm_idx = w == cols->end() ? -1 : static_cast<int>(w - cols->begin());
          columns = std::move(cols);
        }
        ingest::Record rec;
        rec.columns = columns;
        rec.values.reserve(row.size());
        for (size_t i = 0; i < row.size(); ++i) rec.values.push_back(DbValueText(row.at(i)));
        if (wm_idx >= 0 && !t.snapshot) t.watermark = rec.values[wm_idx];
        t.last_key.clear();
        std::string joined;
        for (int k : key_idx) {
          t.last_key.push_back(k >= 0 ? rec.values[k] : "");
          joined += t.last_key.back() + '\x1f';
        }
        rec.line = KeyLine(joined);
        MappedRecord m;
        MapRecord(t.kind, rec, &m);
        ++done;
        if (!builder_.Add(std::move(m), checkpoint, done)) {
          stopped = true;
          return Status::Unavailable("stopped");
        }
        return Status::Ok();
      });
      if (stopped) return Status::Ok();
      HRSS_RETURN_IF_ERROR(qs);
      if (t.snapshot) {
        // Done: by change time from the snapshot's start on.
        t.snapshot = false;
        t.watermark = t.snapshot_hw;
        t.last_key.clear();
      }
      if (!builder_.Finish(checkpoint(), done)) return Status::Ok();
    }
    return Status::Ok();
  }

  // ---- http feed (就业)
  Status RunHttp() {
    std::string base = ConfigString(job_.config, "baseUrl");
    if (std::string s = env_.setting ? env_.setting("datacenter.jiuye_base_url") : "";
        base.empty() && !s.empty()) {
      base = s;
    }
    std::string key_setting = ConfigString(job_.config, "apiKeySetting", "datacenter.jiuye_api_key");
    std::string api_key = env_.setting ? env_.setting(key_setting) : "";
    std::vector<std::string> paths;
    if (auto* p = job_.config.if_contains("paths"); p && p->is_array()) {
      for (const auto& v : p->as_array()) {
        if (v.is_string()) paths.emplace_back(v.as_string());
      }
    }
    if (paths.empty()) paths = {"/api/v1/units", "/api/v1/persons", "/api/v1/events"};
    std::stable_sort(paths.begin(), paths.end(), [this](const std::string& a, const std::string& b) {
      return mapper_.KindRank(mapper_.StreamKind(a)) < mapper_.KindRank(mapper_.StreamKind(b));
    });
    int64_t done = 0;
    for (const auto& path : paths) {
      std::string kind = mapper_.StreamKind(path);
      if (kind.empty()) return Status::InvalidArgument("未知的就业接口路径：" + path);
      ingest::HttpFeedOptions o;
      o.base_url = base;
      o.path = path;
      o.headers = {{"X-Api-Key", api_key}};
      o.limit = 1000;
      std::string cursor;
      if (auto cp = checkpoints_.find(path); cp != checkpoints_.end()) {
        cursor = ConfigString(cp->second, "cursor");
      }
      if (!cursor.empty()) {
        size_t colon = cursor.find(':');
        o.updated_since = std::atoll(cursor.substr(0, colon).c_str());
        if (colon != std::string::npos) o.after_id = cursor.substr(colon + 1);
      }
      HRSS_ASSIGN_OR_RETURN(auto reader, ingest::OpenHttpFeed(o));
      builder_.Start(path);
      auto checkpoint = [&cursor]() { return json::serialize(json::object{{"cursor", cursor}}); };
      ingest::Record rec;
      while (true) {
        HRSS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
        if (!more) break;
        if (!rec.position.cursor.empty()) cursor = rec.position.cursor;
        if (auto id = rec.Get("id"); id && !id->empty()) {
          rec.line = KeyLine(std::string(*id) + '\x1f');
        }
        MappedRecord m;
        MapRecord(kind, rec, &m);
        ++done;
        if (!builder_.Add(std::move(m), checkpoint, done)) return Status::Ok();
      }
      if (!builder_.Finish(checkpoint(), done)) return Status::Ok();
    }
    return Status::Ok();
  }

  const CollectEnv& env_;
  const Job& job_;
  const DialectMapper& mapper_;
  const CollectOptions& options_;
  ChunkQueue& q_;
  ChunkBuilder builder_;
  MapContext ctx_;
  QualityCounters quality_;
  std::map<std::string, json::object> checkpoints_;
  std::vector<FileStream> files_;
  std::vector<TableStream> tables_;
  std::unique_ptr<db::Connection> source_;
};

constexpr const char* kUpdateBatch =
    "UPDATE dc_batch SET heartbeat_ms = ?, rows_read = ?, rows_inserted = ?, rows_updated = ?, "
    "rows_unchanged = ?, rows_deleted = ?, rows_quarantined = ?, progress_done = ?, "
    "progress_total = ?, current_stream = ? WHERE id = ?";

Status SaveCheckpoint(db::Connection& conn, int64_t job_id, const std::string& stream,
                      const std::string& position, bool done, int64_t batch_id, int64_t now) {
  std::string sql =
      "INSERT INTO dc_checkpoint (job_id, stream, position_json, done, batch_id, updated_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)";
  sql += conn.dialect() == db::Dialect::kSqlite
             ? " ON CONFLICT(job_id, stream) DO UPDATE SET position_json = excluded.position_json, "
               "done = excluded.done, batch_id = excluded.batch_id, updated_at_ms = "
               "excluded.updated_at_ms"
             : " ON DUPLICATE KEY UPDATE position_json = VALUES(position_json), done = "
               "VALUES(done), batch_id = VALUES(batch_id), updated_at_ms = VALUES(updated_at_ms)";
  return conn.Exec(sql, {job_id, stream, position, int64_t{done ? 1 : 0}, batch_id, now}).status();
}

// ---------------------------------------------------------------------------
// Deferred secondary indexes (bulk first load, see collect.h). The
// bookkeeping table dc_deferred_index comes from migration datacenter v5.

// The non-unique indexes of `table` as (name, CREATE INDEX IF NOT EXISTS ..)
// pairs. Unique indexes are not deferred (the loader's upserts and probes
// use them), except on SQLite kPersonIdIndex (see collect.h); on MariaDB
// neither are prefix, FULLTEXT or other non-B-tree indexes (not recreated
// faithfully from their column list).
Result<std::vector<std::pair<std::string, std::string>>> DeferrableIndexes(
    db::Connection& conn, const std::string& table) {
  std::vector<std::pair<std::string, std::string>> out;
  if (conn.dialect() == db::Dialect::kSqlite) {
    HRSS_ASSIGN_OR_RETURN(auto idx, conn.Query("SELECT name, sql FROM sqlite_master WHERE type = "
                                               "'index' AND tbl_name = ? AND sql IS NOT NULL",
                                               {table}));
    for (const auto& r : idx) {
      std::string name = r.GetText(0), sql = r.GetText(1);
      const std::string prefix = name == kPersonIdIndex ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
      if (sql.compare(0, prefix.size(), prefix) != 0 || !PlainIdent(name)) continue;  // UNIQUE etc.
      if (sql.compare(prefix.size(), 14, "IF NOT EXISTS ") != 0) {
        sql.insert(prefix.size(), "IF NOT EXISTS ");
      }
      out.emplace_back(std::move(name), std::move(sql));
    }
    return out;
  }
  HRSS_ASSIGN_OR_RETURN(
      auto idx,
      conn.Query(
          "SELECT index_name, GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', '), "
          "MIN(non_unique), MAX(CASE WHEN sub_part IS NULL AND index_type = 'BTREE' AND "
          "column_name IS NOT NULL THEN 0 ELSE 1 END) FROM information_schema.statistics "
          "WHERE table_schema = DATABASE() AND table_name = ? GROUP BY index_name "
          "ORDER BY index_name",
          {table}));
  for (const auto& r : idx) {
    std::string name = r.GetText(0), cols = r.GetText(1);
    if (r.GetInt64(2) == 0 || r.GetInt64(3) != 0 || !PlainIdent(name)) continue;
    out.emplace_back(name,
                     "CREATE INDEX IF NOT EXISTS " + name + " ON " + table + " (" + cols + ")");
  }
  return out;
}

}  // namespace

// Records and drops the non-unique indexes of every standardized table, and
// of the golden person and unit tables, that holds no row yet. SQLite: in
// the batch's first transaction (committed with the first chunk's rows; a
// kill before that leaves nothing to rebuild). MariaDB: before it, since DDL
// commits implicitly there; each definition is recorded before its index is
// dropped, so a kill in between leaves a record whose rebuild is a no-op.
Status DeferIndexes(db::Connection& conn) {
  const bool maria = conn.dialect() == db::Dialect::kMariaDb;
  std::vector<std::string> tables = {"dc_person", "dc_unit"};
  for (const TableSpec& spec : AllSpecs()) tables.emplace_back(spec.name);
  for (const std::string& table : tables) {
    HRSS_ASSIGN_OR_RETURN(auto any, conn.QueryOne("SELECT 1 FROM " + table + " LIMIT 1"));
    if (any.has_value()) continue;
    HRSS_ASSIGN_OR_RETURN(auto idx, DeferrableIndexes(conn, table));
    for (const auto& [name, sql] : idx) {
      HRSS_RETURN_IF_ERROR(conn.Exec(std::string(maria ? "REPLACE" : "INSERT OR REPLACE") +
                                         " INTO dc_deferred_index (name, table_name, sql_text) "
                                         "VALUES (?, ?, ?)",
                                     {name, table, sql})
                               .status());
      HRSS_RETURN_IF_ERROR(
          conn.Exec("DROP INDEX IF EXISTS " + name + (maria ? " ON " + table : "")).status());
    }
  }
  return Status::Ok();
}

namespace {

// Builds the recorded indexes `rows` (name, sql_text) of dc_deferred_index.
Status BuildDeferredIndexes(
    db::Connection& conn, const std::vector<db::Row>& rows,
    const std::function<void(size_t i, size_t n, const std::string& name)>& before_each) {
  // One index at a time, each built and its record deleted together (SQLite:
  // one transaction each, so the writer lock is released between indexes;
  // MariaDB: DDL commits implicitly, and a kill between the build and the
  // delete leaves a record whose rebuild is a no-op).
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string name = rows[i].GetText(0), sql = rows[i].GetText(1);
    if (before_each) before_each(i, rows.size(), name);
    auto build = [&](db::Connection& c) -> Status {
      HRSS_RETURN_IF_ERROR(c.Exec(sql).status());
      return c.Exec("DELETE FROM dc_deferred_index WHERE name = ?", {name}).status();
    };
    const auto t1 = std::chrono::steady_clock::now();
    HRSS_RETURN_IF_ERROR(conn.dialect() == db::Dialect::kSqlite ? db::WithTransaction(conn, build)
                                                                : build(conn));
    log::Debug("datacenter.index_restored",
               {{"name", name},
                {"ms", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - t1)
                                          .count())}});
  }
  return Status::Ok();
}

}  // namespace

Status EnsurePersonIdIndex(db::Connection& conn) {
  if (conn.dialect() != db::Dialect::kSqlite) return Status::Ok();
  HRSS_ASSIGN_OR_RETURN(auto rec, conn.QueryOne("SELECT sql_text FROM dc_deferred_index WHERE "
                                                "name = ?",
                                                {std::string(kPersonIdIndex)}));
  if (!rec.has_value()) return Status::Ok();
  log::Info("datacenter.person_id_index_built_early", {});
  HRSS_RETURN_IF_ERROR(conn.Exec(rec->GetText(0)).status());
  return conn.Exec("DELETE FROM dc_deferred_index WHERE name = ?", {std::string(kPersonIdIndex)})
      .status();
}

Status RestoreDeferredIndexes(
    db::Connection& conn,
    const std::function<void(size_t i, size_t n, const std::string& name)>& before_each) {
  HRSS_ASSIGN_OR_RETURN(auto rows,
                        conn.Query("SELECT name, sql_text FROM dc_deferred_index ORDER BY name"));
  if (rows.empty()) return Status::Ok();
  const auto t0 = std::chrono::steady_clock::now();
  // Index-build settings for the sorts, put back afterwards (SQLite:
  // temporary files and worker threads; the county 居保 payments' two
  // indexes in the SQLite shell: 14.0 s → 10.3 s).
  Status st = conn.SetIndexBuild(true);
  if (st.ok()) st = BuildDeferredIndexes(conn, rows, before_each);
  Status put_back = conn.SetIndexBuild(false);
  if (st.ok()) st = put_back;
  if (!st.ok()) return st;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0)
                      .count();
  log::Info("datacenter.indexes_restored",
            {{"count", std::to_string(rows.size())}, {"ms", std::to_string(ms)}});
  return Status::Ok();
}

namespace {

// A batch's progress, or its end: to the portal's live topic (when
// `publish`; the caller throttles) and to options.on_progress.
void ReportProgress(const CollectEnv& env, const CollectOptions& options, const Batch& b,
                    bool publish) {
  if (publish && env.publish) {
    env.publish(json::object{{"batchId", b.id},
                             {"jobId", b.job_id},
                             {"status", b.status},
                             {"progressDone", b.progress_done},
                             {"progressTotal", b.progress_total},
                             {"rowsRead", b.rows_read},
                             {"rowsQuarantined", b.rows_quarantined},
                             {"currentStream", b.current_stream}});
  }
  if (options.on_progress) options.on_progress(b);
}

// RestoreDeferredIndexes for the running batch `progress` (its state so
// far): while an index is built the batch shows it as its current stream
// (set back afterwards) and a side connection keeps its heartbeat fresh (one
// index of a county table can take longer than the 30 s after which another
// run would take the batch for dead and start the job again).
Status RestoreWithHeartbeat(const CollectEnv& env, const CollectOptions& options,
                            db::Connection& conn, const Batch& progress) {
  std::optional<Periodic> heartbeat;  // started with the first index
  Status st = RestoreDeferredIndexes(conn, [&](size_t i, size_t n, const std::string& name) {
    if (!heartbeat) {
      heartbeat.emplace(std::chrono::milliseconds(std::max(options.heartbeat_every_ms, 10)),
                        [&env, id = progress.id] {
                          if (auto c = env.pool->Acquire(); c.ok()) {
                            (void)(*c)->Exec(
                                "UPDATE dc_batch SET heartbeat_ms = ? WHERE id = ? AND status = "
                                "'running'",
                                {env.clock->NowMillis(), id});
                          }
                        });
    }
    Batch b = progress;
    b.current_stream = "重建索引 " + std::to_string(i + 1) + "/" + std::to_string(n) + "：" + name;
    (void)conn.Exec("UPDATE dc_batch SET heartbeat_ms = ?, current_stream = ? WHERE id = ?",
                    {env.clock->NowMillis(), b.current_stream, b.id});
    ReportProgress(env, options, b, true);
  });
  if (heartbeat) {
    heartbeat.reset();
    (void)conn.Exec("UPDATE dc_batch SET current_stream = ? WHERE id = ?",
                    {progress.current_stream, progress.id});
  }
  return st;
}

}  // namespace

const char* const kBatchColumns =
    "id, job_id, trigger_kind, triggered_by, status, started_at_ms, finished_at_ms, heartbeat_ms, "
    "rows_read, rows_inserted, rows_updated, rows_unchanged, rows_deleted, rows_quarantined, "
    "progress_done, progress_total, current_stream, error";

Batch BatchFromRow(const db::Row& r) {
  Batch b;
  b.id = r.GetInt64(0);
  b.job_id = r.GetInt64(1);
  b.trigger = r.GetText(2);
  b.triggered_by = r.GetText(3);
  b.status = r.GetText(4);
  b.started_at_ms = r.GetInt64(5);
  b.finished_at_ms = r.GetInt64(6);
  b.heartbeat_ms = r.GetInt64(7);
  b.rows_read = r.GetInt64(8);
  b.rows_inserted = r.GetInt64(9);
  b.rows_updated = r.GetInt64(10);
  b.rows_unchanged = r.GetInt64(11);
  b.rows_deleted = r.GetInt64(12);
  b.rows_quarantined = r.GetInt64(13);
  b.progress_done = r.GetInt64(14);
  b.progress_total = r.GetInt64(15);
  b.current_stream = r.GetText(16);
  b.error = r.GetText(17);
  return b;
}

json::object BatchJson(const Batch& b, std::string_view job_name) {
  return json::object{{"id", b.id},
                      {"jobId", b.job_id},
                      {"jobName", job_name},
                      {"trigger", b.trigger},
                      {"triggeredBy", b.triggered_by},
                      {"status", b.status},
                      {"startedAt", b.started_at_ms},
                      {"finishedAt", b.finished_at_ms ? json::value(b.finished_at_ms) : nullptr},
                      {"rowsRead", b.rows_read},
                      {"rowsInserted", b.rows_inserted},
                      {"rowsUpdated", b.rows_updated},
                      {"rowsUnchanged", b.rows_unchanged},
                      {"rowsDeleted", b.rows_deleted},
                      {"rowsQuarantined", b.rows_quarantined},
                      {"progressDone", b.progress_done},
                      {"progressTotal", b.progress_total},
                      {"currentStream", b.current_stream},
                      {"error", b.error}};
}

Result<int64_t> CreateBatch(const CollectEnv& env, const Job& job, std::string_view trigger,
                            std::string_view triggered_by) {
  JobStore store(*env.pool, *env.clock);
  HRSS_RETURN_IF_ERROR(store.MarkStaleBatches().status());
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, env.pool->Acquire());
  int64_t id = 0;
  int64_t now = env.clock->NowMillis();
  HRSS_RETURN_IF_ERROR(db::WithTransaction(*conn, [&](db::Connection& c) -> Status {
    HRSS_ASSIGN_OR_RETURN(auto running,
                          c.QueryOne("SELECT COUNT(*) FROM dc_batch WHERE job_id = ? AND status = "
                                     "'running'",
                                     {job.id}));
    if (running.has_value() && running->GetInt64(0) > 0) {
      return Status::Conflict("采集任务「" + job.name + "」正在运行").WithReason("JOB_RUNNING");
    }
    HRSS_RETURN_IF_ERROR(c.Exec("INSERT INTO dc_batch (job_id, trigger_kind, triggered_by, "
                                "status, started_at_ms, heartbeat_ms) VALUES (?, ?, ?, "
                                "'running', ?, ?)",
                                {job.id, trigger, triggered_by, now, now})
                             .status());
    id = c.LastInsertId();
    return MarkBatch(c, id);
  }));
  return id;
}

Result<Batch> RunBatch(const CollectEnv& env, const Job& job, int64_t batch_id,
                       const CollectOptions& options) {
  std::string dialect = ConfigString(job.config, "dialect");
  if (job.method == "db") dialect = job.system;  // config.dialect is the database kind there
  if (dialect.empty() || FindMapper(dialect) == nullptr) dialect = job.system;
  const DialectMapper* mapper = FindMapper(dialect);
  HRSS_ASSIGN_OR_RETURN(db::PooledConnection conn, env.pool->Acquire());
  auto finish = [&](const std::string& status, const std::string& error, const LoadCounts& c,
                    int64_t done, int64_t total, const QualityCounters* q) -> Result<Batch> {
    int64_t now = env.clock->NowMillis();
    HRSS_RETURN_IF_ERROR(db::WithTransaction(*conn, [&](db::Connection& cx) -> Status {
      if (q != nullptr) HRSS_RETURN_IF_ERROR(q->Save(cx, batch_id, job.system));
      return cx
          .Exec("UPDATE dc_batch SET status = ?, error = ?, finished_at_ms = ?, heartbeat_ms = ?, "
                "rows_read = ?, rows_inserted = ?, rows_updated = ?, rows_unchanged = ?, "
                "rows_deleted = ?, rows_quarantined = ?, progress_done = ?, progress_total = ? "
                "WHERE id = ?",
                {status, error.substr(0, 1000), now, now, c.read, c.inserted, c.updated,
                 c.unchanged, c.deleted, c.quarantined, done, total, batch_id})
          .status();
    }));
    HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kBatchColumns +
                                                       " FROM dc_batch WHERE id = ?",
                                                   {batch_id}));
    Batch b = BatchFromRow(*row);
    if (env.on_committed && b.rows_inserted + b.rows_updated + b.rows_deleted > 0) {
      env.on_committed(batch_id);
    }
    ReportProgress(env, options, b, true);
    return b;
  };
  if (mapper == nullptr) {
    return finish("failed", "未知的数据方言：" + dialect, {}, 0, 0, nullptr);
  }
  HRSS_ASSIGN_OR_RETURN(CodeMaps codes, CodeMaps::Load(*conn, mapper->system()));
  // Bulk load: a big page cache for the index B-trees, fewer WAL
  // checkpoints (each one syncs the database file) and reads through mmap
  // (3.2M 居保 records of the county preset: 74 s → 47 s). The pool restores
  // the connection's settings when the batch gives it back.
  if (Status st = conn->SetBulkLoad(true); !st.ok()) {
    return finish("failed", st.message(), {}, 0, 0, nullptr);
  }
  // Indexes left dropped by a killed batch first (a batch that finds its
  // tables non-empty loads with every index).
  Batch starting;
  starting.id = batch_id;
  starting.job_id = job.id;
  starting.status = "running";
  if (Status st = RestoreWithHeartbeat(env, options, *conn, starting); !st.ok()) {
    return finish("failed", st.message(), {}, 0, 0, nullptr);
  }
  // HRSS_COLLECT_DEFER_INDEXES=0 turns the deferral off (bench A/B).
  const char* defer_env = std::getenv("HRSS_COLLECT_DEFER_INDEXES");
  const bool defer_indexes = (job.method == "file" || job.method == "db") &&
                             !(defer_env != nullptr && std::string_view(defer_env) == "0");
  const bool maria = conn->dialect() == db::Dialect::kMariaDb;
  const int64_t batch_time = env.clock->NowMillis();
  ChunkQueue queue(4);
  BatchReader reader(env, job, *mapper, codes, options, queue, batch_time);
  int64_t total = 0;
  if (Status st = reader.Plan(*conn, &total); !st.ok()) {
    return finish("failed", st.message(), {}, 0, 0, nullptr);
  }
  HRSS_RETURN_IF_ERROR(
      conn->Exec("UPDATE dc_batch SET progress_total = ? WHERE id = ?", {total, batch_id})
          .status());
  Status read_status;
  std::thread reader_thread([&] {
    read_status = reader.Run();
    queue.Close();
  });
  QualityCounters writer_quality;
  Loader loader(*conn, mapper->system(), job.id, batch_id, batch_time, &writer_quality);
  Status write_status;
  bool in_tx = false, interrupted = false, deferred = false;
  int64_t since_commit = 0, done = 0;
  std::map<std::string, std::pair<std::string, bool>> pending_cp;
  std::string current;
  auto last_publish = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  // The batch so far, as the portal and on_progress see it.
  auto running = [&] {
    Batch b = starting;
    const LoadCounts& c = loader.counts();
    b.rows_read = c.read;
    b.rows_quarantined = c.quarantined;
    b.progress_done = done;
    b.progress_total = total;
    b.current_stream = current.substr(0, 250);
    return b;
  };
  auto commit = [&]() -> Status {
    HRSS_RETURN_IF_ERROR(loader.Flush());
    int64_t now = env.clock->NowMillis();
    for (const auto& [stream, cp] : pending_cp) {
      HRSS_RETURN_IF_ERROR(SaveCheckpoint(*conn, job.id, stream, cp.first, cp.second, batch_id, now));
    }
    const LoadCounts& c = loader.counts();
    HRSS_RETURN_IF_ERROR(conn->Exec(kUpdateBatch, {now, c.read, c.inserted, c.updated, c.unchanged,
                                                   c.deleted, c.quarantined, done, total,
                                                   current.substr(0, 250), batch_id})
                             .status());
    HRSS_RETURN_IF_ERROR(conn->Commit());
    in_tx = false;
    pending_cp.clear();
    since_commit = 0;
    auto t = std::chrono::steady_clock::now();
    const bool publish = t - last_publish >= std::chrono::milliseconds(500);
    if (publish) last_publish = t;
    ReportProgress(env, options, running(), publish);
    if (options.pause_after_commit_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_after_commit_ms));
    }
    return Status::Ok();
  };
  Chunk chunk;
  if (defer_indexes && maria) {
    // Outside any transaction (DDL commits implicitly on MariaDB).
    deferred = true;
    write_status = DeferIndexes(*conn);
  }
  while (write_status.ok() && queue.Pop(&chunk)) {
    if (!in_tx) {
      write_status = conn->Begin();
      if (!write_status.ok()) break;
      in_tx = true;
      if (defer_indexes && !deferred && !maria) {
        // Committed with the first chunk's rows (a kill before that leaves
        // nothing to rebuild).
        deferred = true;
        write_status = DeferIndexes(*conn);
        if (!write_status.ok()) break;
      }
    }
    current = chunk.stream;
    since_commit += static_cast<int64_t>(chunk.records.size());
    write_status = loader.Load(chunk.stream, chunk.records);
    if (!write_status.ok()) break;
    queue.Recycle(std::move(chunk.records));
    chunk.records.clear();
    done = chunk.progress_done;
    pending_cp[chunk.stream] = {chunk.checkpoint, chunk.stream_done};
    if (since_commit >= options.commit_every || chunk.stream_done) {
      write_status = commit();
      if (!write_status.ok()) break;
      if (options.stop != nullptr && options.stop->load()) {
        interrupted = true;
        break;
      }
    }
  }
  if (in_tx && write_status.ok() && !interrupted) write_status = commit();
  if (in_tx && !write_status.ok()) (void)conn->Rollback();
  queue.Abort();
  reader_thread.join();
  if (deferred) {
    // Rebuilt whatever the outcome: readers and the fact feed need them.
    Status st = RestoreWithHeartbeat(env, options, *conn, running());
    if (!st.ok() && write_status.ok()) write_status = st;
  }
  LoadCounts counts;
  {
    HRSS_ASSIGN_OR_RETURN(auto row, conn->QueryOne(std::string("SELECT ") + kBatchColumns +
                                                       " FROM dc_batch WHERE id = ?",
                                                   {batch_id}));
    Batch b = BatchFromRow(*row);
    counts = {b.rows_read, b.rows_inserted, b.rows_updated, b.rows_unchanged, b.rows_deleted,
              b.rows_quarantined};
    done = b.progress_done;
  }
  writer_quality.Merge(reader.quality());
  if (!write_status.ok()) {
    log::Error("datacenter.batch_failed", {{"batch", std::to_string(batch_id)},
                                           {"error", write_status.ToString()}});
    return finish("failed", write_status.message(), counts, done, total, &writer_quality);
  }
  if (interrupted) return finish("interrupted", "已停止（可继续）", counts, done, total, &writer_quality);
  if (!read_status.ok()) {
    return finish("failed", read_status.message(), counts, done, total, &writer_quality);
  }
  return finish("succeeded", "", counts, total > 0 ? total : done, total, &writer_quality);
}

Result<Batch> RunJob(const CollectEnv& env, const Job& job, std::string_view trigger,
                     std::string_view triggered_by, const CollectOptions& options) {
  HRSS_ASSIGN_OR_RETURN(int64_t id, CreateBatch(env, job, trigger, triggered_by));
  return RunBatch(env, job, id, options);
}

}  // namespace hrss::datacenter
