// Unit tests of the identity building blocks: TOTP (RFC 6238 vectors),
// base32, password policy and Argon2id cost, data scopes (union per domain,
// record checks, rendered SQL predicates run on both dialects), the
// permission catalog, and signature verification for SM2 and P-256.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>

#include "db/test_fixture.h"
#include "modules/identity/catalog.h"
#include "modules/identity/certs.h"
#include "modules/identity/data_scope.h"
#include "modules/identity/orgs.h"
#include "modules/identity/password.h"
#include "modules/identity/qr.h"
#include "modules/identity/throttle.h"
#include "modules/identity/totp.h"

namespace hrss::identity {
namespace {

TEST(Totp, Rfc6238Sha1Vectors) {
  const std::string secret = "12345678901234567890";
  // RFC 6238 appendix B (8-digit codes; the 6-digit code is the last 6).
  EXPECT_EQ(TotpCodeAt(secret, 59), "287082");
  EXPECT_EQ(TotpCodeAt(secret, 1111111109), "081804");
  EXPECT_EQ(TotpCodeAt(secret, 1111111111), "050471");
  EXPECT_EQ(TotpCodeAt(secret, 1234567890), "005924");
  EXPECT_EQ(TotpCodeAt(secret, 2000000000), "279037");
}

TEST(Totp, WindowAndNoReuse) {
  const std::string secret = "12345678901234567890";
  int64_t t = 1111111109;
  int64_t step = t / 30;
  EXPECT_EQ(TotpVerify(secret, TotpCode(secret, step), t, 0), step);
  EXPECT_EQ(TotpVerify(secret, TotpCode(secret, step - 1), t, 0), step - 1);
  EXPECT_EQ(TotpVerify(secret, TotpCode(secret, step + 1), t, 0), step + 1);
  EXPECT_FALSE(TotpVerify(secret, TotpCode(secret, step + 2), t, 0));
  EXPECT_FALSE(TotpVerify(secret, TotpCode(secret, step), t, step));  // already used
  EXPECT_FALSE(TotpVerify(secret, "12345", t, 0));
  EXPECT_FALSE(TotpVerify(secret, "abcdef", t, 0));
}

TEST(Totp, Base32RoundTripAndUri) {
  EXPECT_EQ(Base32Encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  auto d = Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, "12345678901234567890");
  EXPECT_FALSE(Base32Decode("ABC1").ok());
  std::string uri = TotpUri("大竹人社", "admin", "12345678901234567890");
  EXPECT_EQ(uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_NE(uri.find("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), std::string::npos);
  EXPECT_NE(uri.find("period=30"), std::string::npos);
}

TEST(PasswordPolicy, Rules) {
  EXPECT_TRUE(CheckPasswordPolicy("Dazhu@2026", "clerk").ok());
  EXPECT_TRUE(CheckPasswordPolicy("dazhu@2026", "clerk").ok());  // lower+digit+symbol
  for (const char* bad : {"Ab1!", "abcdefgh", "abcdefg1", "ABCDEFG1"}) {
    Status st = CheckPasswordPolicy(bad, "clerk");
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.reason(), "PASSWORD_POLICY");
  }
  EXPECT_FALSE(CheckPasswordPolicy("My-CLERK-2026", "clerk").ok());  // contains the username
}

TEST(PasswordHasher, Argon2idVerifiesAndCostIsBounded) {
  PasswordHasher h;  // production parameters: t=2, m=19 MiB, p=1
  auto t0 = std::chrono::steady_clock::now();
  auto hash = h.Hash("Dazhu@2026");
  auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(h.Verify(*hash, "Dazhu@2026"));
  EXPECT_FALSE(h.Verify(*hash, "Dazhu@2027"));
  EXPECT_FALSE(h.Verify("garbage", "Dazhu@2026"));
  EXPECT_NE(*hash, *h.Hash("Dazhu@2026"));  // salted
  std::printf("argon2id t=2 m=19MiB p=1: %.1f ms\n", ms);
  EXPECT_LT(ms, 1000);  // generous: a debug build on a loaded CI machine
}

OrgTree DemoTree() {
  return OrgTree({
      {1, 0, "bureau", "局", "bureau", "511724", 0},
      {2, 1, "dept-shebao", "社保股", "department", "511724", 1},
      {3, 2, "team", "社保股一组", "department", "", 2},
      {10, 1, "station-zy", "竹阳", "station", "511724001", 10},
      {11, 1, "station-bt", "白塔", "station", "511724003", 11},
  });
}

TEST(DataScope, ResolutionUnionAndRecordChecks) {
  OrgTree tree = DemoTree();
  DataScope own;
  own.Add({"jubao", ScopeKind::kOwnOrg, {}}, tree, 10, 100);
  EXPECT_TRUE(own.Allows(10));
  EXPECT_FALSE(own.Allows(11));
  EXPECT_TRUE(own.AllowsDivision("511724001"));
  EXPECT_FALSE(own.AllowsDivision("511724003"));
  EXPECT_FALSE(own.Allows(0, 100));  // own_org is not "own records"

  DataScope self;
  self.Add({"jubao", ScopeKind::kSelf, {}}, tree, 10, 100);
  EXPECT_TRUE(self.Allows(11, 100));
  EXPECT_FALSE(self.Allows(10, 101));

  DataScope sub;
  sub.Add({"shebao", ScopeKind::kOrgSubtree, {2}}, tree, 10, 100);
  EXPECT_TRUE(sub.Allows(2));
  EXPECT_TRUE(sub.Allows(3));
  EXPECT_FALSE(sub.Allows(1));
  EXPECT_TRUE(sub.division_codes().empty());  // departments own records by org only

  DataScope u = own;
  u.Union(self);
  EXPECT_TRUE(u.Allows(10));
  EXPECT_TRUE(u.Allows(11, 100));
  EXPECT_FALSE(u.Allows(11, 101));
  EXPECT_TRUE(u.Covers(own));
  EXPECT_FALSE(own.Covers(u));

  DataScope bureau;  // the bureau's own org covers the county by division code
  bureau.Add({"jubao", ScopeKind::kList, {1}}, tree, 0, 0);
  EXPECT_TRUE(bureau.AllowsDivision("511724003"));
  EXPECT_FALSE(bureau.AllowsDivision("511723001"));

  EXPECT_TRUE(DataScope::All().Covers(u));
  EXPECT_FALSE(u.Covers(DataScope::All()));
  EXPECT_TRUE(DataScope().empty());
  EXPECT_FALSE(DataScope().Allows(10, 100));
}

TEST(DataScope, ValidateGrant) {
  OrgTree tree = DemoTree();
  EXPECT_TRUE(ValidateGrant({"jubao", ScopeKind::kList, {10, 11}}, tree).ok());
  EXPECT_FALSE(ValidateGrant({"jubao", ScopeKind::kList, {}}, tree).ok());
  EXPECT_FALSE(ValidateGrant({"jubao", ScopeKind::kOrgSubtree, {99}}, tree).ok());
  EXPECT_FALSE(ValidateGrant({"nonsense", ScopeKind::kAll, {}}, tree).ok());
  EXPECT_EQ(SplitIds("1,2,x,3,,-4"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(JoinIds({5, 6}), "5,6");
}

// The rendered predicate filters real rows the same way on both dialects.
class DataScopeSql : public db::testing::DbTest {};

TEST_P(DataScopeSql, PredicateMatchesAllowsOnBothDialects) {
  DB_ASSERT_OK(Script(
      "CREATE TABLE rec (id INTEGER PRIMARY KEY, org_id INTEGER, owner_id INTEGER, town TEXT)",
      "CREATE TABLE rec (id BIGINT PRIMARY KEY, org_id BIGINT, owner_id BIGINT, town "
      "VARCHAR(12))"));
  struct R {
    int64_t id, org, owner;
    const char* town;
  };
  const R rows[] = {{1, 10, 100, "511724001"}, {2, 11, 101, "511724003"}, {3, 11, 100, "511724003"},
                    {4, 2, 102, ""},           {5, 3, 103, ""},           {6, 1, 104, "511724"}};
  {
    auto c = pool_->Acquire();
    for (const R& r : rows) {
      DB_ASSERT_OK((*c)->Exec("INSERT INTO rec (id, org_id, owner_id, town) VALUES (?, ?, ?, ?)",
                              {r.id, r.org, r.owner, r.town})
                       .status());
    }
  }
  OrgTree tree = DemoTree();
  DataScope s;
  s.Add({"jubao", ScopeKind::kOwnOrg, {}}, tree, 10, 100);
  s.Add({"jubao", ScopeKind::kSelf, {}}, tree, 10, 100);
  s.Add({"jubao", ScopeKind::kOrgSubtree, {3}}, tree, 10, 100);
  auto ids = [&](const ScopeColumns& cols) {
    SqlFilter f = s.Where(cols);
    auto c = pool_->Acquire();
    auto result = (*c)->Query("SELECT id FROM rec WHERE " + f.sql + " ORDER BY id", f.params);
    EXPECT_TRUE(result.ok()) << f.sql << " " << result.status().ToString();
    std::vector<int64_t> out;
    if (result.ok()) {
      for (const auto& r : *result) out.push_back(r.GetInt64(0));
    }
    return out;
  };
  EXPECT_EQ(ids({.org = "org_id", .owner = "owner_id"}), (std::vector<int64_t>{1, 3, 5}));
  for (const R& r : rows) {
    bool expected = r.id == 1 || r.id == 3 || r.id == 5;
    EXPECT_EQ(s.Allows(r.org, r.owner), expected) << r.id;
  }
  EXPECT_EQ(ids({.org = "org_id"}), (std::vector<int64_t>{1, 5}));
  EXPECT_EQ(ids({.division = "town"}), (std::vector<int64_t>{1}));
  EXPECT_EQ(ids({}), (std::vector<int64_t>{}));  // no columns: nothing (fails closed)
  EXPECT_EQ(DataScope::All().Where({.org = "org_id"}).sql, "1=1");
  EXPECT_EQ(DataScope().Where({.org = "org_id"}).sql, "1=0");
  // A county-wide division part matches every township by prefix.
  DataScope county;
  county.Add({"jubao", ScopeKind::kList, {1}}, tree, 0, 0);
  SqlFilter f = county.Where({.division = "town"});
  auto c = pool_->Acquire();
  auto n = (*c)->QueryOne("SELECT COUNT(*) AS n FROM rec WHERE " + f.sql, f.params);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->GetInt64("n"), 4);
}

HRSS_INSTANTIATE_DB_TEST(DataScopeSql);

TEST(Catalog, KeysAreValidatedAndIdempotent) {
  PermissionCatalog c;
  EXPECT_TRUE(c.Add({"x:y:read", "读", PermissionKind::kApi, ""}).ok());
  EXPECT_TRUE(c.Add({"x:y:read", "读", PermissionKind::kApi, ""}).ok());
  EXPECT_EQ(c.Add({"x:y:read", "别名", PermissionKind::kApi, ""}).code(), Code::kConflict);
  EXPECT_EQ(c.Add({"Bad Key", "x", PermissionKind::kApi, ""}).code(), Code::kInvalidArgument);
  EXPECT_TRUE(RegisterIdentityPermissions(c).ok());
  EXPECT_TRUE(RegisterIdentityPermissions(c).ok());
  for (const char* k :
       {"system:user:read", "system:user:write", "system:org:read", "system:org:write",
        "security:role:read", "security:role:write", "security:role:grant", "security:session:read",
        "security:session:kick", "audit:log:read", "pii:unmask", "datacenter", "analytics"}) {
    EXPECT_TRUE(c.Contains(k)) << k;
  }
  EXPECT_TRUE(IsImplicitPermission("self:profile"));
  EXPECT_FALSE(IsImplicitPermission("selfish:x"));
}

// --- Signatures for certificate sign-in.

struct Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

std::string PublicPem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string Sign(EVP_PKEY* k, bool sm2, const std::string& msg) {
  EVP_MD_CTX* m = EVP_MD_CTX_new();
  EVP_PKEY_CTX* p = nullptr;
  if (sm2) {
    p = EVP_PKEY_CTX_new_from_pkey(nullptr, k, nullptr);
    EVP_PKEY_CTX_set1_id(p, kSm2DefaultId, 16);
    EVP_MD_CTX_set_pkey_ctx(m, p);
  }
  EVP_DigestSignInit(m, nullptr, sm2 ? EVP_sm3() : EVP_sha256(), nullptr, k);
  size_t len = 0;
  EVP_DigestSign(m, nullptr, &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  std::string sig(len, '\0');
  EVP_DigestSign(m, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  sig.resize(len);
  EVP_MD_CTX_free(m);
  EVP_PKEY_CTX_free(p);
  return sig;
}

TEST(Certs, Sm2AndP256SignaturesVerify) {
  for (bool sm2 : {false, true}) {
    Key k;
    k.pkey = sm2 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2")
                 : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ASSERT_NE(k.pkey, nullptr);
    std::string pem = PublicPem(k.pkey);
    auto info = InspectPublicKey(pem);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->algorithm, sm2 ? "SM2" : "EC-P256");
    EXPECT_EQ(info->fingerprint.size(), 64u);
    std::string msg = "challenge bytes";
    std::string sig = Sign(k.pkey, sm2, msg);
    EXPECT_TRUE(VerifySignature(pem, msg, sig)) << (sm2 ? "SM2" : "P-256");
    EXPECT_FALSE(VerifySignature(pem, "other message", sig));
    std::string bad = sig;
    bad[bad.size() / 2] ^= 1;
    EXPECT_FALSE(VerifySignature(pem, msg, bad));
  }
  Key rsa;
  rsa.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  EXPECT_FALSE(InspectPublicKey(PublicPem(rsa.pkey)).ok());
  EXPECT_FALSE(InspectPublicKey("not a key").ok());
  EXPECT_EQ(*Base64DecodeAny(Base64Encode("\x01\x02\xff hello")), "\x01\x02\xff hello");
}

}  // namespace
}  // namespace hrss::identity

namespace hrss::identity {
namespace {

TEST(Qr, StructureAndSvg) {
  auto q = EncodeQr("otpauth://totp/x:admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=x");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->size, 17 + 4 * q->version);
  // Finder pattern corners are dark, their separators light.
  for (auto [x, y] : {std::pair{0, 0}, {q->size - 1, 0}, {0, q->size - 1}})
    EXPECT_TRUE(q->modules[y][x]);
  EXPECT_FALSE(q->modules[7][7]);
  EXPECT_TRUE(q->modules[q->size - 8][8]);  // the dark module
  std::string svg = QrSvg(*q);
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_FALSE(EncodeQr(std::string(300, 'x')).ok());
}

// Decodes generated codes with zbarimg when it is installed (zbar-tools).
TEST(Qr, DecodesWithZbarWhenAvailable) {
  if (std::system("command -v zbarimg >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "zbarimg not installed";
  for (const std::string& text : {std::string("hello"), std::string(90, 'z'), std::string(150, 'x'),
                                  TotpUri("大竹人社", "clerk_zhuyang", std::string(20, '\x07'))}) {
    auto q = EncodeQr(text);
    ASSERT_TRUE(q.ok());
    std::string file = ::testing::TempDir() + "hrss_qr_test.pbm";
    FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    const int s = 4, b = 4, n = (q->size + 2 * b) * s;
    std::fprintf(f, "P1\n%d %d\n", n, n);
    for (int y = 0; y < n; ++y) {
      for (int x = 0; x < n; ++x) {
        int mx = x / s - b, my = y / s - b;
        bool dark = mx >= 0 && my >= 0 && mx < q->size && my < q->size && q->modules[my][mx];
        std::fputs(dark ? "1 " : "0 ", f);
      }
      std::fputs("\n", f);
    }
    std::fclose(f);
    std::string cmd = "zbarimg -q --raw " + file + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    EXPECT_EQ(out, text) << "version " << q->version;
  }
}

}  // namespace
}  // namespace hrss::identity

namespace hrss::identity {
namespace {

TEST(LoginThrottle, PerAddressPerAccountAndLoopback) {
  ManualClock clock;
  LoginThrottle t(clock);
  for (int i = 0; i < 30; ++i) t.RecordFailure("10.1.1.1", "u" + std::to_string(i));
  EXPECT_EQ(t.Check("10.1.1.1", "fresh").reason(), "RATE_LIMITED");
  EXPECT_TRUE(t.Check("10.1.1.2", "fresh").ok());
  // 100 failures per account per hour, from many addresses (or the proxy).
  for (int i = 0; i < 100; ++i) t.RecordFailure("127.0.0.1", "victim");
  EXPECT_EQ(t.Check("10.2.2.2", "victim").reason(), "RATE_LIMITED");
  EXPECT_TRUE(t.Check("127.0.0.1", "someone").ok());  // the proxy address is not throttled
  clock.Advance(std::chrono::minutes(61));
  EXPECT_TRUE(t.Check("10.2.2.2", "victim").ok());
  EXPECT_TRUE(t.Check("10.1.1.1", "fresh").ok());
}

}  // namespace
}  // namespace hrss::identity
