// Serves the built web apps from a root folder (web/dist):
//   /assets/<file>          -> <root>/assets/<file>   (hashed names: cached a year)
//   /<app>/<path>           -> <root>/<app>/<path>, else <root>/<app>/index.html
//   /<path> (public site)   -> <root>/<path> or <root>/site/<path>, else site index
// with correct MIME types, strong ETags and 304s, pre-compressed `.gz`
// siblings for clients that accept gzip, and the SPA fallback for client-side
// routes (paths without a file extension). Paths with `..`, `.`-segments,
// backslashes or NUL are refused; a resolved file must stay inside the root.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.h"

namespace hrss::http {

class StaticFiles {
 public:
  // `root` is the web/dist folder. `apps` are the app folders served under
  // their own prefix (e.g. {"portal","m","kiosk","hall","screen"}); `site` is
  // the folder served at "/".
  StaticFiles(std::string root, std::vector<std::string> apps, std::string site = "site");

  Response Serve(const Request& req) const;

  // MIME type for a file name, by extension.
  static std::string_view MimeType(std::string_view filename);

 private:
  struct Entry;
  // Loads (or reuses) the file at `path`; null if not a regular file.
  std::shared_ptr<const Entry> Load(const std::string& path) const;
  Response Send(const Request& req, const Entry& e, std::string_view url_path) const;

  std::string root_;  // canonical, without trailing '/'
  std::vector<std::string> apps_;
  std::string site_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Entry>> cache_;  // GUARDED_BY(mu_)
};

}  // namespace hrss::http
