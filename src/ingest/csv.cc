// RFC 4180 CSV reader over large blocks of raw bytes.
//
// The structural bytes (delimiter, '"', CR, LF) are ASCII and never occur
// inside a GBK/GB18030 multi-byte character (trail bytes are >= 0x30), so the
// record is split on raw bytes and each field is decoded on its own, with an
// ASCII fast path. Field strings in Record::values are reused between calls.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ingest/internal.h"
#include "ingest/reader.h"

namespace hrss::ingest {

std::optional<std::string_view> Record::Get(std::string_view name) const {
  if (!columns) return std::nullopt;
  const auto& cols = *columns;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == name) {
      if (i < values.size()) return std::string_view(values[i]);
      return std::string_view();
    }
  }
  return std::nullopt;
}

namespace {

using internal::LineMessage;

constexpr size_t kDefaultBlock = 1 << 20;
size_t g_block = kDefaultBlock;  // read size; tests shrink it to cross many block boundaries
constexpr std::string_view kBom = "\xEF\xBB\xBF";

class File {
 public:
  File() = default;
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  Status Open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      const int e = errno;
      if (e == ENOENT)
        return Status::NotFound(std::string(internal::BaseName(path)) + ": no such file");
      return Status::Unavailable(path + ": " + std::strerror(e));
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0) size_ = st.st_size;
    return Status::Ok();
  }
  // Reads up to n bytes at `offset`; returns bytes read or -1.
  int64_t ReadAt(int64_t offset, char* buf, size_t n) const {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, buf + got, n - got, offset + static_cast<int64_t>(got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return -1;
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return static_cast<int64_t>(got);
  }
  int64_t size() const { return size_; }

 private:
  int fd_ = -1;
  int64_t size_ = -1;
};

struct FieldSpan {
  uint32_t begin;  // offset in the record bytes
  uint32_t end;
  bool quoted;  // needs unescaping ("" → ")
};

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::string path, CsvOptions options) : path_(std::move(path)), options_(options) {
    std::memset(special_, 0, sizeof special_);
    special_[static_cast<unsigned char>(options_.delimiter)] = 1;
    special_['"'] = 1;
    special_['\r'] = 1;
    special_['\n'] = 1;
  }

  Status Init() {
    HRSS_RETURN_IF_ERROR(file_.Open(path_));
    // Encoding detection from the first block.
    std::string head(std::min<int64_t>(kDefaultBlock, std::max<int64_t>(file_.size(), 0)), '\0');
    int64_t n = file_.ReadAt(0, head.data(), head.size());
    if (n < 0) return Status::Unavailable(path_ + ": read failed");
    head.resize(static_cast<size_t>(n));
    if (std::string_view(head).starts_with(kBom)) bom_ = kBom.size();
    enc_ = options_.encoding;
    if (enc_ == Encoding::kAuto) {
      if (bom_ > 0) {
        enc_ = Encoding::kUtf8;
      } else {
        // A block may end inside a character: ignore a short invalid tail.
        std::string_view h(head);
        size_t bad = 0;
        bool ok = internal::CheckUtf8(h, &bad);
        if (!ok && static_cast<int64_t>(h.size()) < file_.size() && bad + 4 >= h.size()) ok = true;
        enc_ = ok ? Encoding::kUtf8 : Encoding::kGb18030;
        // All ASCII so far: decided by the first non-ASCII field instead.
        undecided_ = ok && internal::IsAscii(h);
      }
    }
    if (enc_ == Encoding::kUtf8 && std::string_view(head).starts_with(kBom)) {
      bom_ = kBom.size();
    } else if (enc_ != Encoding::kUtf8) {
      bom_ = 0;
    }
    next_offset_ = bom_;
    buf_file_off_ = static_cast<int64_t>(bom_);
    line_ = 1;
    if (options_.header) {
      Record header;
      auto r = ReadRecord(&header, /*is_header=*/true);
      if (!r.ok()) return r.status();
      if (!*r) {
        columns_ = std::make_shared<std::vector<std::string>>();
      } else {
        columns_ = std::make_shared<std::vector<std::string>>(std::move(header.values));
      }
      data_start_ = next_offset_;
      data_start_line_ = line_;
      record_no_ = 0;
    } else {
      data_start_ = next_offset_;
      data_start_line_ = 1;
    }
    return Status::Ok();
  }

  Result<bool> Next(Record* out) override { return ReadRecord(out, false); }

  Status Seek(const Position& pos) override {
    int64_t target = std::max(pos.offset, data_start_);
    if (file_.size() >= 0 && target > file_.size()) {
      return Status::InvalidArgument(std::string(internal::BaseName(path_)) +
                                     ": position beyond the end of the file");
    }
    // Count the lines before the target so messages keep naming real lines.
    int64_t line = data_start_line_;
    std::string tmp(kDefaultBlock, '\0');
    for (int64_t off = data_start_; off < target;) {
      size_t want = static_cast<size_t>(std::min<int64_t>(kDefaultBlock, target - off));
      int64_t n = file_.ReadAt(off, tmp.data(), want);
      if (n <= 0) return Status::Unavailable(path_ + ": read failed");
      line += std::count(tmp.data(), tmp.data() + n, '\n');
      off += n;
    }
    buf_.clear();
    buf_pos_ = 0;
    buf_file_off_ = target;
    eof_ = false;
    next_offset_ = target;
    line_ = line;
    record_no_ = pos.offset < data_start_ ? 0 : pos.record_no;
    return Status::Ok();
  }

  int64_t size_hint() const override { return file_.size(); }

 private:
  // Makes at least `need` bytes available from buf_pos_ unless at EOF.
  // Returns false on a read error.
  bool Fill() {
    if (eof_) return true;
    if (buf_pos_ > 0) {
      buf_.erase(0, buf_pos_);
      buf_file_off_ += static_cast<int64_t>(buf_pos_);
      buf_pos_ = 0;
    }
    size_t old = buf_.size();
    const size_t block = g_block;
    buf_.resize(old + block);
    int64_t n = file_.ReadAt(buf_file_off_ + static_cast<int64_t>(old), buf_.data() + old, block);
    if (n < 0) {
      buf_.resize(old);
      return false;
    }
    buf_.resize(old + static_cast<size_t>(n));
    if (n == 0) eof_ = true;
    return true;
  }

  // Offset in the file of the byte at buf_ index i.
  int64_t FileOff(size_t i) const { return buf_file_off_ + static_cast<int64_t>(i); }

  // Skips to just after the next LF at or after file offset `from`.
  void ResyncAfterLine(int64_t from) {
    // The caller ensured buf_ holds from `from` on (or we re-read).
    size_t i = static_cast<size_t>(from - buf_file_off_);
    for (;;) {
      const char* nl =
          static_cast<const char*>(std::memchr(buf_.data() + i, '\n', buf_.size() - i));
      if (nl != nullptr) {
        buf_pos_ = static_cast<size_t>(nl - buf_.data()) + 1;
        next_offset_ = FileOff(buf_pos_);
        return;
      }
      if (eof_) {
        buf_pos_ = buf_.size();
        next_offset_ = FileOff(buf_pos_);
        return;
      }
      size_t keep = buf_.size();
      buf_pos_ = keep;  // drop what was scanned
      if (!Fill()) {
        eof_ = true;
        return;
      }
      i = 0;
    }
  }

  Result<bool> ReadRecord(Record* out, bool is_header) {
    for (;;) {
      if (buf_.empty() || buf_pos_ >= buf_.size()) {
        if (eof_ && buf_pos_ >= buf_.size()) return false;
        if (!Fill()) return Status::Unavailable(path_ + ": read failed");
        if (buf_pos_ >= buf_.size()) return false;
      }
      // Parse one record starting at buf_pos_.
      const int64_t start_line = line_;
      size_t i = buf_pos_;
      fields_.clear();
      int64_t newlines = 0;
      bool complete = false;
      bool unterminated = false;
      size_t rec_end = 0;  // index just after the record terminator
      for (;;) {
        // One field.
        const size_t n = buf_.size();
        if (i < n && buf_[i] == '"') {
          size_t fb = i + 1;
          size_t j = fb;
          bool closed = false;
          bool has_escape = false;
          while (j < n) {
            const char* q = static_cast<const char*>(std::memchr(buf_.data() + j, '"', n - j));
            if (q == nullptr) {
              j = n;
              break;
            }
            size_t k = static_cast<size_t>(q - buf_.data());
            if (k + 1 < n && buf_[k + 1] == '"') {
              has_escape = true;
              j = k + 2;
              continue;
            }
            if (k + 1 >= n && !eof_) {
              j = n;  // need more data to know whether it is doubled
              break;
            }
            j = k;
            closed = true;
            break;
          }
          if (!closed) {
            if (eof_) unterminated = true;
            break;  // need more data (or unterminated)
          }
          newlines += std::count(buf_.data() + fb, buf_.data() + j, '\n');
          size_t fe = j;
          j += 1;  // past the closing quote
          // Lenient: text between the closing quote and the delimiter is kept.
          size_t extra_b = j;
          while (j < n && !special_[static_cast<unsigned char>(buf_[j])]) ++j;
          if (j >= n && !eof_) break;
          if (j > extra_b) {
            // Rare: copy into scratch as an unquoted continuation.
            fields_.push_back(
                {static_cast<uint32_t>(fb - buf_pos_), static_cast<uint32_t>(j - buf_pos_), true});
            extra_tail_ = true;
          } else {
            fields_.push_back({static_cast<uint32_t>(fb - buf_pos_),
                               static_cast<uint32_t>(fe - buf_pos_), has_escape});
          }
          i = j;
        } else {
          size_t j = i;
          while (j < n && (!special_[static_cast<unsigned char>(buf_[j])] || buf_[j] == '"')) ++j;
          if (j >= n && !eof_) break;
          fields_.push_back(
              {static_cast<uint32_t>(i - buf_pos_), static_cast<uint32_t>(j - buf_pos_), false});
          i = j;
        }
        // Now at a delimiter, CR, LF, or end of data.
        const size_t n2 = buf_.size();
        if (i >= n2) {  // EOF without a final newline
          complete = true;
          rec_end = i;
          break;
        }
        char c = buf_[i];
        if (c == options_.delimiter) {
          ++i;
          if (i >= n2 && eof_) {
            fields_.push_back(
                {static_cast<uint32_t>(i - buf_pos_), static_cast<uint32_t>(i - buf_pos_), false});
            complete = true;
            rec_end = i;
            break;
          }
          continue;
        }
        if (c == '\n') {
          ++newlines;
          complete = true;
          rec_end = i + 1;
          fields_.back().end =
              std::min<uint32_t>(fields_.back().end, static_cast<uint32_t>(i - buf_pos_));
          break;
        }
        if (c == '\r') {
          if (i + 1 < n2 && buf_[i + 1] == '\n') {
            ++newlines;
            complete = true;
            rec_end = i + 2;
            break;
          }
          if (i + 1 >= n2 && !eof_) break;  // need more to see the LF
          // A lone CR ends the record too (old Mac files) — count it as a line.
          ++newlines;
          complete = true;
          rec_end = i + 1;
          break;
        }
        // A quote inside an unquoted field is literal: continue the field.
        size_t j = i;
        while (j < n2 && buf_[j] != options_.delimiter && buf_[j] != '\n' && buf_[j] != '\r') ++j;
        if (j >= n2 && !eof_) break;
        fields_.back().end = static_cast<uint32_t>(j - buf_pos_);
        fields_.back().quoted = false;
        i = j;
      }
      const size_t rec_len = (complete ? rec_end : buf_.size()) - buf_pos_;
      if (!complete && !unterminated) {
        if (static_cast<int64_t>(rec_len) > options_.max_record_bytes) {
          int64_t from = FileOff(buf_pos_);
          ResyncAfterLine(from);
          line_ = start_line + 1;
          return Status::InvalidArgument(LineMessage(
              path_, start_line,
              "record longer than " + std::to_string(options_.max_record_bytes) + " bytes"));
        }
        if (eof_) {
          // Should not happen; treat as end.
          buf_pos_ = buf_.size();
          return false;
        }
        if (!Fill()) return Status::Unavailable(path_ + ": read failed");
        extra_tail_ = false;
        continue;  // re-parse with more data
      }
      if (unterminated) {
        ResyncAfterLine(FileOff(buf_pos_));
        line_ = start_line + 1;
        ++record_no_;
        return Status::InvalidArgument(
            LineMessage(path_, start_line, "unterminated quoted field (missing closing \")"));
      }
      if (static_cast<int64_t>(rec_len) > options_.max_record_bytes) {
        buf_pos_ = rec_end;
        next_offset_ = FileOff(buf_pos_);
        line_ = start_line + newlines;
        ++record_no_;
        return Status::InvalidArgument(LineMessage(
            path_, start_line,
            "record longer than " + std::to_string(options_.max_record_bytes) + " bytes"));
      }
      std::string_view rec(buf_.data() + buf_pos_, rec_len);
      buf_pos_ = rec_end;
      next_offset_ = FileOff(buf_pos_);
      line_ = start_line + newlines;
      // Blank line: no record.
      if (fields_.size() == 1 && fields_[0].begin == fields_[0].end && !(rec[0] == '"')) {
        continue;
      }
      if (!is_header) ++record_no_;
      Status st = Build(rec, out, is_header, start_line);
      extra_tail_ = false;
      if (!st.ok()) return st;
      return true;
    }
  }

  Status Build(std::string_view rec, Record* out, bool is_header, int64_t line) {
    size_t ncols = fields_.size();
    if (!is_header) {
      if (!columns_) {
        auto cols = std::make_shared<std::vector<std::string>>();
        for (size_t k = 0; k < fields_.size(); ++k) cols->push_back("c" + std::to_string(k + 1));
        columns_ = std::move(cols);
      }
      ncols = columns_->size();
      if (fields_.size() > ncols) {
        // Trailing empty fields (a stray delimiter at the end) are dropped.
        for (size_t k = ncols; k < fields_.size(); ++k) {
          if (fields_[k].end > fields_[k].begin) {
            out->line = line;
            return Status::InvalidArgument(LineMessage(path_, line,
                                                       std::to_string(fields_.size()) +
                                                           " fields but the header has " +
                                                           std::to_string(ncols) + " columns"));
          }
        }
      }
      out->columns = columns_;
      out->position.offset = next_offset_;
      out->position.record_no = record_no_;
      out->position.cursor.clear();
      out->line = line;
    }
    out->values.resize(ncols);
    for (size_t k = 0; k < ncols; ++k) {
      std::string& v = out->values[k];
      v.clear();
      if (k >= fields_.size()) continue;
      const FieldSpan& f = fields_[k];
      std::string_view raw = rec.substr(f.begin, f.end - f.begin);
      if (f.quoted) {
        scratch_.clear();
        for (size_t p = 0; p < raw.size(); ++p) {
          char c = raw[p];
          if (c == '"') {
            if (p + 1 < raw.size() && raw[p + 1] == '"') {
              scratch_.push_back('"');
              ++p;
            }
            // A lone quote is the closing one of a field with a tail: dropped.
            continue;
          }
          scratch_.push_back(c);
        }
        raw = scratch_;
      }
      if (internal::IsAscii(raw)) {
        v.assign(raw.data(), raw.size());
        continue;
      }
      size_t bad = 0;
      if (undecided_) {
        enc_ = internal::CheckUtf8(raw, &bad) ? Encoding::kUtf8 : Encoding::kGb18030;
        undecided_ = false;
      }
      if (enc_ == Encoding::kUtf8) {
        if (!internal::CheckUtf8(raw, &bad)) {
          return Status::InvalidArgument(LineMessage(
              path_, line, "invalid UTF-8 byte sequence in column " + std::to_string(k + 1)));
        }
        v.assign(raw.data(), raw.size());
      } else if (!internal::AppendGb18030(raw, &v, &bad)) {
        v.clear();
        return Status::InvalidArgument(
            LineMessage(path_, line,
                        "invalid " + std::string(internal::EncodingName(enc_)) +
                            " byte sequence in column " + std::to_string(k + 1)));
      }
    }
    return Status::Ok();
  }

  std::string path_;
  CsvOptions options_;
  File file_;
  Encoding enc_ = Encoding::kUtf8;
  bool undecided_ = false;  // kAuto and the first block was all ASCII
  size_t bom_ = 0;
  unsigned char special_[256];

  std::string buf_;
  size_t buf_pos_ = 0;
  int64_t buf_file_off_ = 0;
  bool eof_ = false;

  int64_t next_offset_ = 0;
  int64_t line_ = 1;
  int64_t record_no_ = 0;
  int64_t data_start_ = 0;
  int64_t data_start_line_ = 1;
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<FieldSpan> fields_;
  std::string scratch_;
  bool extra_tail_ = false;
};

}  // namespace

namespace internal {
void SetCsvBlockSizeForTesting(size_t bytes) { g_block = bytes == 0 ? kDefaultBlock : bytes; }
}  // namespace internal

Result<std::unique_ptr<RecordReader>> OpenCsv(const std::string& path, const CsvOptions& options) {
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
    return Status::InvalidArgument("CSV delimiter may not be a quote or a line break");
  }
  auto reader = std::make_unique<CsvReader>(path, options);
  HRSS_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace hrss::ingest
