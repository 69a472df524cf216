#include "http/static_files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "http/test_client.h"

namespace hrss::http {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::Fetch;
using testing::RawClient;
using testing::RawResponse;
using testing::TestServer;

constexpr char kSecret[] = "TOP SECRET: outside the web root";
constexpr char kHashedJs[] = "console.log('hashed asset');";
constexpr char kHashedJsGz[] = "\x1f\x8b fake gzip bytes of the asset";
constexpr char kPortalIndex[] = "<!doctype html><title>portal</title><div id=app></div>";
constexpr char kSiteIndex[] = "<!doctype html><title>site</title>";

void WriteFile(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

// A web/dist-like tree in a fresh temporary folder:
//   <tmp>/secret.txt                     outside the root
//   <tmp>/dist/site/index.html, robots.txt, escape.txt -> ../../secret.txt
//   <tmp>/dist/portal/index.html, favicon.svg
//   <tmp>/dist/m/index.html
//   <tmp>/dist/assets/index-AbCd1234.js (+ .gz), style-ZyXw9876.css, logo.png,
//                     font-Aa11Bb22.woff2, data.json, link.js -> ../../secret.txt,
//                     leak-Qq11Ww22.js (+ .gz -> ../../secret.txt)
class StaticFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/hrss-static-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = new fs::path(tmpl);
    fs::path dist = *tmp_ / "dist";
    WriteFile(*tmp_ / "secret.txt", kSecret);
    WriteFile(dist / "site/index.html", kSiteIndex);
    WriteFile(dist / "site/robots.txt", "User-agent: *\n");
    fs::create_symlink("../../secret.txt", dist / "site/escape.txt");
    WriteFile(dist / "portal/index.html", kPortalIndex);
    WriteFile(dist / "portal/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    WriteFile(dist / "m/index.html", "<!doctype html><title>mobile</title>");
    WriteFile(dist / "assets/index-AbCd1234.js", kHashedJs);
    WriteFile(dist / "assets/index-AbCd1234.js.gz", kHashedJsGz);
    WriteFile(dist / "assets/style-ZyXw9876.css", "body{margin:0}");
    WriteFile(dist / "assets/logo.png", "\x89PNG fake");
    WriteFile(dist / "assets/font-Aa11Bb22.woff2", "wOF2 fake");
    WriteFile(dist / "assets/data.json", "{\"a\":1}");
    fs::create_symlink("../../secret.txt", dist / "assets/link.js");
    WriteFile(dist / "assets/leak-Qq11Ww22.js", "console.log('leak');");
    fs::create_symlink("../../secret.txt", dist / "assets/leak-Qq11Ww22.js.gz");
    root_ = new std::string((dist).string());
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*tmp_, ec);
    delete tmp_;
    delete root_;
  }

  StaticFilesTest() : files_(*root_, {"portal", "m", "kiosk"}) {}

  Response Get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req;
    req.path = std::move(path);
    req.target = req.path;
    req.headers = std::move(headers);
    req.request_id = "test";
    return files_.Serve(req);
  }

  static fs::path* tmp_;
  static std::string* root_;
  StaticFiles files_;
};

fs::path* StaticFilesTest::tmp_ = nullptr;
std::string* StaticFilesTest::root_ = nullptr;

TEST_F(StaticFilesTest, MimeTypes) {
  EXPECT_EQ(StaticFiles::MimeType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("A.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("x.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("x.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("x.json"), "application/json; charset=utf-8");
  EXPECT_EQ(StaticFiles::MimeType("x.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::MimeType("x.png"), "image/png");
  EXPECT_EQ(StaticFiles::MimeType("x.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::MimeType("x.wasm"), "application/wasm");
  EXPECT_EQ(StaticFiles::MimeType("noext"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::MimeType("x.unknown"), "application/octet-stream");

  struct Case {
    const char* path;
    const char* mime;
  };
  for (const Case& c :
       {Case{"/assets/index-AbCd1234.js", "text/javascript; charset=utf-8"},
        Case{"/assets/style-ZyXw9876.css", "text/css; charset=utf-8"},
        Case{"/assets/logo.png", "image/png"}, Case{"/assets/font-Aa11Bb22.woff2", "font/woff2"},
        Case{"/assets/data.json", "application/json; charset=utf-8"},
        Case{"/portal/favicon.svg", "image/svg+xml"}, Case{"/portal/", "text/html; charset=utf-8"},
        Case{"/robots.txt", "text/plain; charset=utf-8"}}) {
    Response r = Get(c.path);
    EXPECT_EQ(r.status, 200) << c.path;
    EXPECT_EQ(r.Header("Content-Type"), c.mime) << c.path;
  }
}

TEST_F(StaticFilesTest, ETagAndIfNoneMatchGive304) {
  Response r = Get("/assets/index-AbCd1234.js");
  ASSERT_EQ(r.status, 200);
  std::string etag(r.Header("ETag"));
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_EQ(Get("/assets/index-AbCd1234.js").Header("ETag"), etag);  // stable
  EXPECT_NE(Get("/assets/style-ZyXw9876.css").Header("ETag"), etag);

  Response nm = Get("/assets/index-AbCd1234.js", {{"if-none-match", etag}});
  EXPECT_EQ(nm.status, 304);
  EXPECT_TRUE(nm.body.empty());
  EXPECT_EQ(nm.Header("ETag"), etag);
  EXPECT_FALSE(nm.Header("Cache-Control").empty());
  // In a list, and "*".
  EXPECT_EQ(Get("/assets/index-AbCd1234.js", {{"if-none-match", "\"other\", " + etag}}).status,
            304);
  EXPECT_EQ(Get("/assets/index-AbCd1234.js", {{"if-none-match", "*"}}).status, 304);
  // A stale tag gets the file.
  Response stale = Get("/assets/index-AbCd1234.js", {{"if-none-match", "\"deadbeef-1\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, kHashedJs);
}

TEST_F(StaticFilesTest, ChangedFileGetsNewETag) {
  fs::path p = fs::path(*root_) / "site/changing.txt";
  WriteFile(p, "version one");
  Response a = Get("/changing.txt");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "version one");
  WriteFile(p, "version two!");
  struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};  // force a new mtime
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
  Response b = Get("/changing.txt");
  EXPECT_EQ(b.body, "version two!");
  EXPECT_NE(a.Header("ETag"), b.Header("ETag"));
  fs::remove(p);
  EXPECT_EQ(Get("/changing.txt").status, 404);
}

TEST_F(StaticFilesTest, GzipSiblingServedOnlyWhenAccepted) {
  auto get = [&](std::string accept) {
    return Get("/assets/index-AbCd1234.js", {{"accept-encoding", std::move(accept)}});
  };
  for (std::string yes : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "GZIP",
                          "deflate, gzip;q=0.001", "x-gzip", "*", "br, *;q=0.5"}) {
    Response r = get(yes);
    EXPECT_EQ(r.status, 200) << yes;
    EXPECT_EQ(r.Header("Content-Encoding"), "gzip") << yes;
    EXPECT_EQ(r.body, kHashedJsGz) << yes;
    EXPECT_EQ(r.Header("Vary"), "Accept-Encoding") << yes;
    EXPECT_EQ(r.Header("Content-Type"), "text/javascript; charset=utf-8") << yes;
  }
  for (std::string no :
       {"", "identity", "deflate, br", "gzip;q=0", "gzip; q=0", "gzip;q=0.000", "br, gzip;q=0",
        "gzip ; q=0 , br", "*;q=0", "gzip;q=0, *", "gzipx", "deflate;q=0.5"}) {
    Response r = get(no);
    EXPECT_EQ(r.status, 200) << no;
    EXPECT_EQ(r.Header("Content-Encoding"), "") << "'" << no << "'";
    EXPECT_EQ(r.body, kHashedJs) << no;
    EXPECT_EQ(r.Header("Vary"), "Accept-Encoding") << no;
  }
  // No sibling: plain, and no Vary.
  Response css = Get("/assets/style-ZyXw9876.css", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(css.Header("Content-Encoding"), "");
  EXPECT_EQ(css.body, "body{margin:0}");
  EXPECT_EQ(css.Header("Vary"), "");
}

TEST_F(StaticFilesTest, HashedAssetsCachedForAYearHtmlRevalidated) {
  EXPECT_EQ(Get("/assets/index-AbCd1234.js").Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/assets/style-ZyXw9876.css").Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/portal/").Header("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/portal/index.html").Header("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/portal/some/route").Header("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/").Header("Cache-Control"), "no-cache");
  // Not hashed: short cache.
  Response logo = Get("/assets/logo.png");
  EXPECT_NE(logo.Header("Cache-Control").find("max-age=3600"), std::string_view::npos);
  EXPECT_EQ(logo.Header("Cache-Control").find("immutable"), std::string_view::npos);
}

TEST_F(StaticFilesTest, SpaFallbackPerApp) {
  // The bare prefix redirects to the app's folder, keeping the query.
  Response bare = Get("/portal");
  EXPECT_EQ(bare.status, 301);
  EXPECT_EQ(bare.Header("Location"), "/portal/");
  Request with_query;
  with_query.path = "/m";
  with_query.query = "from=wechat";
  EXPECT_EQ(files_.Serve(with_query).Header("Location"), "/m/?from=wechat");
  for (std::string p : {"/portal/", "/portal/index.html", "/portal/some/deep/route",
                        "/portal/workbench"}) {
    Response r = Get(p);
    EXPECT_EQ(r.status, 200) << p;
    EXPECT_EQ(r.body, kPortalIndex) << p;
  }
  EXPECT_EQ(Get("/m/profile/edit").body, "<!doctype html><title>mobile</title>");
  // The public site at "/".
  EXPECT_EQ(Get("/").body, kSiteIndex);
  EXPECT_EQ(Get("/news/2026/notice").body, kSiteIndex);
  // An app without a build has no fallback: 404, not someone else's index.
  EXPECT_EQ(Get("/kiosk/start").status, 404);
  // Missing files with an extension are 404, not the SPA index.
  EXPECT_EQ(Get("/portal/missing.png").status, 404);
  EXPECT_EQ(Get("/assets/x.js").status, 404);
  EXPECT_EQ(Get("/assets/index-Missing1.js").status, 404);
  EXPECT_EQ(Get("/assets/no/extension").status, 404);
  // "/portalx" is not the portal.
  EXPECT_EQ(Get("/portalx/route").body, kSiteIndex);
}

TEST_F(StaticFilesTest, PathTraversalRefused) {
  for (std::string p : std::vector<std::string>{
           "/../secret.txt", "/../../etc/passwd", "/portal/../../secret.txt",
           "/portal/../../../etc/passwd", "/assets/../../secret.txt", "/./index.html",
           "/portal/./index.html", "/..", "/portal/..", "/portal\\..\\..\\secret.txt",
           "/assets/..\\..\\secret.txt", std::string("/portal/a\0b", 11),
           std::string("/../secret.txt\0.html", 20), "/.env", "/site/.hidden", "relative/path",
           ""}) {
    Response r = Get(p);
    EXPECT_NE(r.status, 200) << p;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << p;
  }
  EXPECT_EQ(Get("/../secret.txt").status, 400);
  EXPECT_EQ(Get("/portal\\..\\..\\secret.txt").status, 400);
}

TEST_F(StaticFilesTest, SymlinkEscapingTheRootIsRefused) {
  Response r = Get("/escape.txt");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos);
  r = Get("/assets/link.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos);
  // A .gz sibling that is a symlink out of the root is ignored.
  r = Get("/assets/leak-Qq11Ww22.js", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Encoding"), "");
  EXPECT_EQ(r.body, "console.log('leak');");
  r = Get("/assets/leak-Qq11Ww22.js", {{"accept-encoding", "gzip"}});  // cached
  EXPECT_EQ(r.body, "console.log('leak');");
  // Nor can the sibling be fetched directly.
  r = Get("/assets/leak-Qq11Ww22.js.gz");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("SECRET"), std::string::npos);
}

// Through a real server: raw request targets, percent-encoding, headers.
class StaticServerTest : public StaticFilesTest {
 protected:
  void SetUp() override {
    Route r;
    r.method = Method::kGet;
    r.pattern = "/{*path}";
    r.is_public = true;
    r.handler = [this](Request& req) { return files_.Serve(req); };
    ts_.Add(std::move(r));
    Route api;
    api.method = Method::kGet;
    api.pattern = "/api/v1/ping";
    api.is_public = true;
    api.handler = [](Request&) { return Response::Text(200, "pong"); };
    ts_.Add(std::move(api));
    ASSERT_TRUE(ts_.Start().ok());
  }
  TestServer ts_;
};

TEST_F(StaticServerTest, ServesAppsWithHeaders) {
  RawResponse r = Fetch(ts_.port(), "GET", "/portal/some/deep/route");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kPortalIndex);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "no-cache");
  EXPECT_FALSE(r.Header("content-security-policy").empty());
  EXPECT_EQ(r.Header("x-frame-options"), "SAMEORIGIN");

  r = Fetch(ts_.port(), "GET", "/assets/index-AbCd1234.js", "Accept-Encoding: gzip, br\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-encoding"), "gzip");
  EXPECT_EQ(r.body, kHashedJsGz);
  EXPECT_EQ(r.Header("cache-control"), "public, max-age=31536000, immutable");
  std::string etag = r.Header("etag");

  r = Fetch(ts_.port(), "GET", "/assets/index-AbCd1234.js", "Accept-Encoding: gzip;q=0\r\n");
  EXPECT_EQ(r.Header("content-encoding"), "");
  EXPECT_EQ(r.body, kHashedJs);

  // 304 over the wire: no body, and the connection stays usable.
  RawClient c(ts_.port());
  ASSERT_TRUE(c.Send(
      testing::MakeRequest("GET", "/assets/index-AbCd1234.js", "If-None-Match: " + etag + "\r\n")));
  r = c.ReadResponse();
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.Header("etag"), etag);
  ASSERT_TRUE(c.Send(testing::MakeRequest("HEAD", "/assets/index-AbCd1234.js")));
  r = c.ReadResponse(milliseconds(3000), /*head_request=*/true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-length"), std::to_string(std::string(kHashedJs).size()));
  ASSERT_TRUE(c.Send(testing::MakeRequest("GET", "/assets/x.js")));
  r = c.ReadResponse();
  EXPECT_EQ(r.status, 404);
  // Unknown APIs are never answered by the static files.
  r = Fetch(ts_.port(), "GET", "/api/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
}

TEST_F(StaticServerTest, TraversalOverTheWireRefused) {
  for (std::string target : {"/../etc/passwd",
                             "/../secret.txt",
                             "/portal/../../etc/passwd",
                             "/portal/../../secret.txt",
                             "/%2e%2e/secret.txt",
                             "/%2e%2e/%2e%2e/etc/passwd",
                             "/%2E%2E%2Fsecret.txt",
                             "/portal/%2e%2e/%2e%2e/etc/passwd",
                             "/portal/%2e%2e/%2e%2e/secret.txt",
                             "/portal/..%2f..%2fsecret.txt",
                             "/portal/..%5c..%5csecret.txt",
                             "/portal/..\\..\\secret.txt",
                             "/assets/%2e%2e%5c%2e%2e%5csecret.txt",
                             "/portal/index.html%00.js",
                             "/%00../secret.txt",
                             "/escape.txt",
                             "/assets/link.js",
                             "/assets/leak-Qq11Ww22.js.gz",
                             "//secret.txt",
                             "/.%2e/secret.txt",
                             "/%252e%252e/secret.txt"}) {
    RawResponse r = Fetch(ts_.port(), "GET", target);
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " -> " << r.status;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
  // Still serving.
  EXPECT_EQ(Fetch(ts_.port(), "GET", "/portal/").status, 200);
}

}  // namespace
}  // namespace hrss::http
