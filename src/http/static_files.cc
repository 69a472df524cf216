#include "http/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/text.h"

namespace hrss::http {

struct StaticFiles::Entry {
  std::string content;
  std::string gzip;  // empty when no .gz sibling
  std::string etag;
  std::string mime;
  int64_t mtime_ns = 0;
  int64_t gz_mtime_ns = 0;
  int64_t size = 0;
};

namespace {

constexpr int64_t kMaxCachedFile = 8 << 20;

bool ReadWholeFile(const std::string& path, std::string* out, int64_t* mtime_ns) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxCachedFile * 8) {
    ::close(fd);
    return false;
  }
  out->resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < out->size()) {
    ssize_t n = ::read(fd, out->data() + got, out->size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out->resize(got);
  *mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

int64_t StatMtime(const std::string& path, bool* regular) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    *regular = false;
    return 0;
  }
  *regular = S_ISREG(st.st_mode);
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::string ContentEtag(std::string_view data) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "\"%016llx-%zx\"", static_cast<unsigned long long>(h),
                data.size());
  return buf;
}

// True when `path` is safe to map onto the file system.
bool SafeUrlPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.find('\0') != std::string_view::npos) return false;
  if (path.find('\\') != std::string_view::npos) return false;
  size_t i = 1;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(i, slash - i);
    if (!seg.empty() && seg[0] == '.') return false;  // "..", ".", hidden files
    i = slash + 1;
  }
  return true;
}

bool HasExtension(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view last = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  return last.find('.') != std::string_view::npos;
}

// Accept-Encoding is a list of `coding [ OWS ";" OWS "q=" qvalue ]`. gzip is
// acceptable when listed (as gzip or x-gzip) with q > 0, or, when not listed,
// through "*" with q > 0. "gzip;q=0", "gzip; q=0.000" mean "not acceptable".
bool AcceptsGzip(const Request& req) {
  std::string lower = AsciiLower(req.Header("accept-encoding"));
  std::string_view rest = lower;
  std::optional<bool> gzip, star;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = TrimAscii(item.substr(0, semi));
    bool acceptable = true;
    while (semi != std::string_view::npos) {
      item = item.substr(semi + 1);
      semi = item.find(';');
      std::string_view param = TrimAscii(item.substr(0, semi));
      if (param.size() >= 2 && param[0] == 'q' && param[1] == '=') {
        acceptable = param.substr(2).find_first_of("123456789") != std::string_view::npos;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") {
      gzip = acceptable;
    } else if (coding == "*") {
      star = acceptable;
    }
  }
  if (gzip) return *gzip;
  return star.value_or(false);
}

bool IsHashedAsset(std::string_view url_path) {
  if (url_path.rfind("/assets/", 0) != 0) return false;
  // Vite names: name-<8+ chars of [A-Za-z0-9_-]>.ext
  size_t dot = url_path.rfind('.');
  size_t dash = url_path.rfind('-', dot);
  return dot != std::string_view::npos && dash != std::string_view::npos && dot - dash >= 9;
}

}  // namespace

StaticFiles::StaticFiles(std::string root, std::vector<std::string> apps, std::string site)
    : apps_(std::move(apps)), site_(std::move(site)) {
  char buf[PATH_MAX];
  if (::realpath(root.c_str(), buf)) {
    root_ = buf;
  } else {
    root_ = std::move(root);
  }
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string_view StaticFiles::MimeType(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext = AsciiLower(name.substr(dot + 1));
  struct M {
    const char* ext;
    const char* mime;
  };
  static constexpr M kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json; charset=utf-8"},
      {"map", "application/json; charset=utf-8"},
      {"webmanifest", "application/manifest+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
      {"wasm", "application/wasm"},
      {"mp4", "video/mp4"},
      {"webm", "video/webm"},
      {"m3u8", "application/vnd.apple.mpegurl"},
      {"ts", "video/mp2t"},
      {"mp3", "audio/mpeg"},
  };
  for (const auto& m : kTypes) {
    if (ext == m.ext) return m.mime;
  }
  return "application/octet-stream";
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::Load(const std::string& path) const {
  bool regular = false;
  int64_t mtime = StatMtime(path, &regular);
  if (!regular) return nullptr;
  bool gz_regular = false;
  int64_t gz_mtime = StatMtime(path + ".gz", &gz_regular);
  if (!gz_regular) gz_mtime = 0;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(path);
    if (it != cache_.end() && it->second->mtime_ns == mtime && it->second->gz_mtime_ns == gz_mtime) {
      return it->second;
    }
  }
  // The file must resolve inside the root (no symlink escapes).
  auto inside_root = [&](const std::string& p) {
    char buf[PATH_MAX];
    if (!::realpath(p.c_str(), buf)) return false;
    std::string_view real(buf);
    return real.size() > root_.size() && real.compare(0, root_.size(), root_) == 0 &&
           real[root_.size()] == '/';
  };
  if (!inside_root(path)) return nullptr;
  // So must its pre-compressed sibling, or a symlinked .gz would leak a file
  // from outside the root to every client that accepts gzip.
  bool gz_ok = gz_regular && inside_root(path + ".gz");
  auto e = std::make_shared<Entry>();
  if (!ReadWholeFile(path, &e->content, &e->mtime_ns)) return nullptr;
  if (gz_ok) {
    int64_t ignored = 0;
    if (ReadWholeFile(path + ".gz", &e->gzip, &ignored)) e->gz_mtime_ns = gz_mtime;
  } else if (gz_regular) {
    e->gz_mtime_ns = gz_mtime;  // a refused sibling: cache the entry without it
  }
  e->size = static_cast<int64_t>(e->content.size());
  e->etag = ContentEtag(e->content);
  e->mime = std::string(MimeType(path));
  if (e->size <= kMaxCachedFile) {
    std::lock_guard lock(mu_);
    if (cache_.size() > 4096) cache_.clear();
    cache_[path] = e;
  }
  return e;
}

Response StaticFiles::Send(const Request& req, const Entry& e, std::string_view url_path) const {
  Response r;
  r.headers.reserve(6);
  r.SetHeader("Content-Type", e.mime);
  r.SetHeader("ETag", e.etag);
  bool html = e.mime.rfind("text/html", 0) == 0;
  if (IsHashedAsset(url_path)) {
    r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  } else if (html) {
    r.SetHeader("Cache-Control", "no-cache");
  } else {
    r.SetHeader("Cache-Control", "public, max-age=3600");
  }
  if (!e.gzip.empty()) r.SetHeader("Vary", "Accept-Encoding");
  std::string_view inm = req.Header("if-none-match");
  if (!inm.empty() && (inm == e.etag || inm.find(e.etag) != std::string_view::npos || inm == "*")) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  if (!e.gzip.empty() && AcceptsGzip(req)) {
    r.SetHeader("Content-Encoding", "gzip");
    r.body = e.gzip;
  } else {
    r.body = e.content;
  }
  return r;
}

Response StaticFiles::Serve(const Request& req) const {
  const std::string& path = req.path;
  if (!SafeUrlPath(path)) {
    return Response::Error(Status::InvalidArgument("非法的路径"), req.request_id);
  }
  auto not_found = [&] {
    Response r = Response::Text(404, "<!doctype html><meta charset=utf-8><title>404</title>"
                                     "<p>页面不存在</p>", "text/html; charset=utf-8");
    return r;
  };
  // Which app does the path belong to?
  std::string app = site_;
  std::string rel = path;  // path below the app folder
  bool assets = path.rfind("/assets/", 0) == 0;
  if (!assets) {
    for (const auto& a : apps_) {
      if (path.size() > a.size() && path[0] == '/' && path.compare(1, a.size(), a) == 0 &&
          (path.size() == a.size() + 1 || path[a.size() + 1] == '/')) {
        app = a;
        rel = path.substr(a.size() + 1);
        break;
      }
    }
  }
  if (app != site_ && rel.empty()) {
    // "/portal" -> "/portal/": the app's relative URLs resolve under its prefix.
    Response r;
    r.status = 301;
    r.SetHeader("Location", path + "/" + (req.query.empty() ? "" : "?" + req.query));
    return r;
  }
  if (rel.empty()) rel = "/";
  std::vector<std::string> candidates;
  if (assets) {
    candidates.push_back(root_ + path);
  } else {
    if (rel.back() == '/') rel += "index.html";
    candidates.push_back(root_ + "/" + app + rel);
    if (app == site_) candidates.push_back(root_ + path);
  }
  for (const auto& c : candidates) {
    if (auto e = Load(c)) return Send(req, *e, path);
  }
  // SPA fallback: client-side routes have no file extension.
  if (!assets && !HasExtension(path)) {
    if (auto e = Load(root_ + "/" + app + "/index.html")) return Send(req, *e, path);
  }
  return not_found();
}

}  // namespace hrss::http
