// JSON Lines reader: one object per line, UTF-8.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <unordered_map>

#include "ingest/internal.h"
#include "ingest/json_columns.h"
#include "ingest/reader.h"

namespace hrss::ingest {
namespace internal {

void JsonColumns::Fill(const boost::json::object& obj, Record* out) {
  bool grew = false;
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    if (index_.find(std::string(key)) == index_.end()) {
      if (!grew) {
        pending_ = columns_ ? *columns_ : std::vector<std::string>();
        grew = true;
      }
      index_.emplace(std::string(key), pending_.size());
      pending_.emplace_back(key);
    }
  }
  if (grew || !columns_) {
    columns_ = std::make_shared<const std::vector<std::string>>(std::move(pending_));
    pending_.clear();
  }
  out->columns = columns_;
  out->values.resize(columns_->size());
  for (auto& v : out->values) v.clear();
  for (const auto& kv : obj) {
    std::string& v = out->values[index_[std::string(kv.key())]];
    ValueText(kv.value(), &v);
  }
}

void JsonColumns::ValueText(const boost::json::value& jv, std::string* out) {
  switch (jv.kind()) {
    case boost::json::kind::null: out->clear(); break;
    case boost::json::kind::string:
      out->assign(jv.get_string().data(), jv.get_string().size());
      break;
    case boost::json::kind::int64: *out = std::to_string(jv.get_int64()); break;
    case boost::json::kind::uint64: *out = std::to_string(jv.get_uint64()); break;
    case boost::json::kind::double_: {
      // Shortest round-trip text ("12.5", not Boost's "1.25E1").
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, jv.get_double());
      out->assign(buf, r.ptr);
      break;
    }
    case boost::json::kind::bool_: *out = jv.get_bool() ? "true" : "false"; break;
    default: *out = boost::json::serialize(jv); break;
  }
}

}  // namespace internal

namespace {

constexpr size_t kBlock = 1 << 20;

class JsonLinesReader final : public RecordReader {
 public:
  explicit JsonLinesReader(std::string path) : path_(std::move(path)) {}
  ~JsonLinesReader() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Init() {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      if (errno == ENOENT) {
        return Status::NotFound(std::string(internal::BaseName(path_)) + ": no such file");
      }
      return Status::Unavailable(path_ + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0) size_ = st.st_size;
    char bom[3];
    if (::pread(fd_, bom, 3, 0) == 3 && std::memcmp(bom, "\xEF\xBB\xBF", 3) == 0) start_ = 3;
    file_off_ = start_;
    return Status::Ok();
  }

  Result<bool> Next(Record* out) override {
    std::string_view line;
    for (;;) {
      auto got = NextLine(&line);
      if (!got.ok()) return got.status();
      if (!*got) return false;
      bool blank = true;
      for (char c : line) {
        if (c != ' ' && c != '\t' && c != '\r') {
          blank = false;
          break;
        }
      }
      if (!blank) break;
    }
    ++record_no_;
    const int64_t line_no = line_no_;
    size_t bad = 0;
    if (!internal::CheckUtf8(line, &bad)) {
      return Status::InvalidArgument(
          internal::LineMessage(path_, line_no, "invalid UTF-8 byte sequence"));
    }
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec) {
      return Status::InvalidArgument(
          internal::LineMessage(path_, line_no, "not valid JSON (" + ec.message() + ")"));
    }
    if (!v.is_object()) {
      return Status::InvalidArgument(
          internal::LineMessage(path_, line_no, "a line must hold one JSON object"));
    }
    cols_.Fill(v.get_object(), out);
    out->line = line_no;
    out->position.offset = file_off_ + static_cast<int64_t>(pos_);
    out->position.record_no = record_no_;
    out->position.cursor.clear();
    return true;
  }

  Status Seek(const Position& pos) override {
    int64_t target = std::max(pos.offset, start_);
    if (size_ >= 0 && target > size_) {
      return Status::InvalidArgument(std::string(internal::BaseName(path_)) +
                                     ": position beyond the end of the file");
    }
    int64_t lines = 0;
    std::string tmp(kBlock, '\0');
    for (int64_t off = start_; off < target;) {
      ssize_t n = ::pread(fd_, tmp.data(),
                          static_cast<size_t>(std::min<int64_t>(kBlock, target - off)), off);
      if (n <= 0) return Status::Unavailable(path_ + ": read failed");
      lines += std::count(tmp.data(), tmp.data() + n, '\n');
      off += n;
    }
    buf_.clear();
    pos_ = 0;
    file_off_ = target;
    eof_ = false;
    line_no_ = lines;
    record_no_ = pos.record_no;
    return Status::Ok();
  }

  int64_t size_hint() const override { return size_; }

 private:
  Result<bool> NextLine(std::string_view* line) {
    for (;;) {
      const char* nl =
          pos_ < buf_.size()
              ? static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', buf_.size() - pos_))
              : nullptr;
      if (nl != nullptr) {
        size_t end = static_cast<size_t>(nl - buf_.data());
        *line = std::string_view(buf_.data() + pos_, end - pos_);
        pos_ = end + 1;
        ++line_no_;
        return true;
      }
      if (eof_) {
        if (pos_ >= buf_.size()) return false;
        *line = std::string_view(buf_.data() + pos_, buf_.size() - pos_);
        pos_ = buf_.size();
        ++line_no_;
        return true;
      }
      buf_.erase(0, pos_);
      file_off_ += static_cast<int64_t>(pos_);
      pos_ = 0;
      size_t old = buf_.size();
      buf_.resize(old + kBlock);
      ssize_t n;
      do {
        n = ::pread(fd_, buf_.data() + old, kBlock, file_off_ + static_cast<int64_t>(old));
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        buf_.resize(old);
        return Status::Unavailable(path_ + ": read failed");
      }
      buf_.resize(old + static_cast<size_t>(n));
      if (n == 0) eof_ = true;
    }
  }

  std::string path_;
  int fd_ = -1;
  int64_t size_ = -1;
  int64_t start_ = 0;
  std::string buf_;
  size_t pos_ = 0;
  int64_t file_off_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
  int64_t line_no_ = 0;
  int64_t record_no_ = 0;
  internal::JsonColumns cols_;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenJsonLines(const std::string& path) {
  auto r = std::make_unique<JsonLinesReader>(path);
  HRSS_RETURN_IF_ERROR(r->Init());
  return std::unique_ptr<RecordReader>(std::move(r));
}

}  // namespace hrss::ingest
