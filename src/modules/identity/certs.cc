#include "modules/identity/certs.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "core/crypto.h"

namespace hrss::identity {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

PkeyPtr LoadPem(std::string_view pem) {
  if (pem.size() > 8192) return nullptr;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return nullptr;
  EVP_PKEY* k = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return PkeyPtr(k);
}

std::string CurveName(EVP_PKEY* k) {
  char name[80] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) {
    return {};
  }
  return std::string(name, len);
}

// "SM2", "EC-P256" or "".
std::string Algorithm(EVP_PKEY* k) {
  if (EVP_PKEY_is_a(k, "SM2")) return "SM2";
  if (EVP_PKEY_is_a(k, "EC")) {
    std::string curve = CurveName(k);
    if (curve == "SM2") return "SM2";
    if (curve == "prime256v1" || curve == "P-256") return "EC-P256";
  }
  return {};
}

}  // namespace

Result<PublicKeyInfo> InspectPublicKey(std::string_view pem) {
  PkeyPtr k = LoadPem(pem);
  if (!k) return Status::InvalidArgument("无法解析公钥（须为 PEM 格式的 SM2 或 P-256 公钥）");
  PublicKeyInfo info;
  info.algorithm = Algorithm(k.get());
  if (info.algorithm.empty()) return Status::InvalidArgument("只支持 SM2 或 EC P-256 公钥");
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(k.get(), &der);
  if (len <= 0) return Status::InvalidArgument("公钥编码失败");
  info.fingerprint =
      Sm3Hex(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(len)));
  OPENSSL_free(der);
  return info;
}

bool VerifySignature(std::string_view pem, std::string_view message, std::string_view signature) {
  PkeyPtr k = LoadPem(pem);
  if (!k) return false;
  std::string alg = Algorithm(k.get());
  if (alg.empty()) return false;
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  if (mctx == nullptr) return false;
  bool ok = false;
  EVP_PKEY_CTX* pctx = nullptr;
  if (alg == "SM2") {
    pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, k.get(), nullptr);
    if (pctx != nullptr &&
        EVP_PKEY_CTX_set1_id(pctx, kSm2DefaultId, std::char_traits<char>::length(kSm2DefaultId)) ==
            1) {
      EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
      ok = EVP_DigestVerifyInit(mctx, nullptr, EVP_sm3(), nullptr, k.get()) == 1;
    }
  } else {
    ok = EVP_DigestVerifyInit(mctx, nullptr, EVP_sha256(), nullptr, k.get()) == 1;
  }
  if (ok) {
    ok = EVP_DigestVerify(mctx, reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
  }
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Base64DecodeAny(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return Status::InvalidArgument("base64 格式错误");
    s += c;
  }
  if (s.size() % 4 == 1) return Status::InvalidArgument("base64 长度错误");
  size_t pad = (4 - s.size() % 4) % 4;
  s.append(pad, '=');
  std::string out(s.size() / 4 * 3, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return Status::InvalidArgument("base64 格式错误");
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

Result<std::vector<Certificate>> CertStore::ListOf(int64_t user_id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id, user_id, name, algorithm, fingerprint, "
                                               "public_key_pem, created_at FROM idn_certificate "
                                               "WHERE user_id = ? ORDER BY id",
                                               {user_id}));
  std::vector<Certificate> out;
  for (const auto& r : rows) {
    out.push_back({r.GetInt64(0), r.GetInt64(1), r.GetText(2), r.GetText(3), r.GetText(4),
                   r.GetText(5), r.GetInt64(6)});
  }
  return out;
}

Result<Certificate> CertStore::Add(int64_t user_id, std::string_view name, std::string_view pem) {
  if (name.empty() || name.size() > 64) return Status::InvalidArgument("证书名称须为 1–64 字节");
  HRSS_ASSIGN_OR_RETURN(PublicKeyInfo info, InspectPublicKey(pem));
  Certificate c{0,
                user_id,
                std::string(name),
                info.algorithm,
                info.fingerprint,
                std::string(pem),
                clock_.NowMillis()};
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_RETURN_IF_ERROR(
      conn->Exec("INSERT INTO idn_certificate (user_id, name, algorithm, "
                 "fingerprint, public_key_pem, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                 {user_id, c.name, c.algorithm, c.fingerprint, c.public_key_pem, c.created_at})
          .status());
  c.id = conn->LastInsertId();
  return c;
}

Status CertStore::Delete(int64_t user_id, int64_t id) {
  HRSS_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  HRSS_ASSIGN_OR_RETURN(
      int64_t n,
      conn->Exec("DELETE FROM idn_certificate WHERE id = ? AND user_id = ?", {id, user_id}));
  return n == 0 ? Status::NotFound("证书不存在") : Status::Ok();
}

ChallengeStore::Challenge ChallengeStore::Issue(const std::string& username) {
  int64_t now = clock_.NowMillis();
  Challenge c{HexEncode(RandomBytes(16)), RandomBytes(32)};
  std::lock_guard lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = it->second.expires_at <= now ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() < 100000) entries_[c.id] = {username, c.bytes, now + 120'000};
  return c;
}

std::optional<std::string> ChallengeStore::Take(const std::string& id,
                                                const std::string& username) {
  int64_t now = clock_.NowMillis();
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  Entry e = std::move(it->second);
  entries_.erase(it);
  if (e.expires_at <= now || e.username != username) return std::nullopt;
  return e.bytes;
}

}  // namespace hrss::identity
