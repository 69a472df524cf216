#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace hrss {
namespace {

constexpr uint8_t kAeadVersion = 1;
constexpr std::string_view kEncKeyLabel = "hrss/v1/sm4-cbc-enc";
constexpr std::string_view kMacKeyLabel = "hrss/v1/hmac-sm3-mac";

[[noreturn]] void Fatal(const char* what) {
  std::fprintf(stderr, "hrss crypto: %s\n", what);
  std::abort();
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Algorithms are fetched once from the default provider and kept forever.
const EVP_MD* Sm3Md() {
  static const EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SM3", nullptr);
    if (m == nullptr) Fatal("SM3 is not available in this OpenSSL");
    return m;
  }();
  return md;
}

const EVP_CIPHER* FetchCipher(const char* name) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (c == nullptr) Fatal("an SM4 mode is not available in this OpenSSL");
  return c;
}

const EVP_CIPHER* Sm4Ecb() {
  static const EVP_CIPHER* c = FetchCipher("SM4-ECB");
  return c;
}

const EVP_CIPHER* Sm4Cbc() {
  static const EVP_CIPHER* c = FetchCipher("SM4-CBC");
  return c;
}

const EVP_MAC* HmacAlg() {
  static const EVP_MAC* mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) Fatal("HMAC is not available in this OpenSSL");
    return m;
  }();
  return mac;
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// A new HMAC-SM3 context keyed with `key` (any length, may be empty).
MacCtx NewHmacSm3(std::string_view key) {
  MacCtx ctx(EVP_MAC_CTX_new(const_cast<EVP_MAC*>(HmacAlg())));
  if (!ctx) Fatal("HMAC-SM3 context");
  char digest[] = "SM3";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  // A non-null pointer even for an empty key: OpenSSL treats a null key as
  // "no key set".
  static const unsigned char kEmpty = 0;
  const unsigned char* k = key.empty() ? &kEmpty : Bytes(key);
  if (EVP_MAC_init(ctx.get(), k, key.size(), params) != 1) Fatal("HMAC-SM3 init failed");
  return ctx;
}

void MacUpdate(EVP_MAC_CTX* ctx, std::string_view data) {
  if (!data.empty() && EVP_MAC_update(ctx, Bytes(data), data.size()) != 1) {
    Fatal("HMAC-SM3 update failed");
  }
}

std::string MacFinal(EVP_MAC_CTX* ctx) {
  std::string out(kSm3Size, '\0');
  size_t n = 0;
  if (EVP_MAC_final(ctx, Bytes(out), &n, out.size()) != 1 || n != kSm3Size) {
    Fatal("HMAC-SM3 failed");
  }
  return out;
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Runs an initialised context over `in` in one go and appends the result to
// `*out`. False on any OpenSSL failure (including a bad padding when
// decrypting); `*out` keeps what it had then.
bool CipherAppend(EVP_CIPHER_CTX* ctx, std::string_view in, std::string* out) {
  const size_t head = out->size();
  out->resize(head + in.size() + kSm4BlockSize);
  int n1 = 0;
  int n2 = 0;
  if (EVP_CipherUpdate(ctx, Bytes(*out) + head, &n1, Bytes(in), static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx, Bytes(*out) + head + n1, &n2) != 1) {
    out->resize(head);
    return false;
  }
  out->resize(head + static_cast<size_t>(n1) + static_cast<size_t>(n2));
  return true;
}

// Runs `cipher` over `in` in one go. Returns false on any OpenSSL failure
// (including a bad padding when decrypting).
bool RunCipher(const EVP_CIPHER* cipher, bool encrypt, bool padding, std::string_view key,
               std::string_view iv, std::string_view in, std::string* out) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return false;
  if (EVP_CipherInit_ex2(ctx.get(), cipher, Bytes(key), iv.empty() ? nullptr : Bytes(iv),
                         encrypt ? 1 : 0, nullptr) != 1) {
    return false;
  }
  if (EVP_CIPHER_CTX_set_padding(ctx.get(), padding ? 1 : 0) != 1) return false;
  out->clear();
  return CipherAppend(ctx.get(), in, out);
}

void AppendBe64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

// The tag of the AEAD format (see crypto.h), from a context keyed with the
// MAC key: HMAC-SM3(mac_key, version || be64(len(aad)) || aad || iv || ct).
std::string AeadTag(EVP_MAC_CTX* keyed, std::string_view aad, std::string_view iv_and_ct) {
  std::string head;
  head.push_back(static_cast<char>(kAeadVersion));
  AppendBe64(aad.size(), &head);
  MacUpdate(keyed, head);
  MacUpdate(keyed, aad);
  MacUpdate(keyed, iv_and_ct);
  return MacFinal(keyed);
}

std::string AeadTag(std::string_view mac_key, std::string_view aad, std::string_view iv_and_ct) {
  MacCtx ctx = NewHmacSm3(mac_key);
  return AeadTag(ctx.get(), aad, iv_and_ct);
}

struct AeadKeys {
  std::string enc;
  std::string mac;
  ~AeadKeys() {
    SecureWipe(&enc);
    SecureWipe(&mac);
  }
};

void DeriveKeys(std::string_view key16, AeadKeys* keys) {
  std::string full = HmacSm3(key16, kEncKeyLabel);
  keys->enc.assign(full, 0, kSm4KeySize);
  SecureWipe(&full);
  keys->mac = HmacSm3(key16, kMacKeyLabel);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::string_view kB64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::array<uint8_t, kSm3Size> Sm3(std::string_view data) {
  std::array<uint8_t, kSm3Size> out{};
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, Sm3Md(), nullptr) != 1 ||
      n != kSm3Size) {
    Fatal("SM3 digest failed");
  }
  return out;
}

std::string Sm3Hex(std::string_view data) {
  const auto d = Sm3(data);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::string HmacSm3(std::string_view key, std::string_view data) {
  MacCtx ctx = NewHmacSm3(key);
  MacUpdate(ctx.get(), data);
  return MacFinal(ctx.get());
}

std::string HmacSm3Hex(std::string_view key, std::string_view data) {
  return HexEncode(HmacSm3(key, data));
}

Result<std::string> Sm4EncryptBlock(std::string_view key16, std::string_view block16) {
  if (key16.size() != kSm4KeySize || block16.size() != kSm4BlockSize) {
    return Status::InvalidArgument("SM4 block: key and block must be 16 bytes");
  }
  std::string out;
  if (!RunCipher(Sm4Ecb(), true, false, key16, {}, block16, &out)) {
    return Status::Internal("SM4 block encryption failed");
  }
  return out;
}

Result<std::string> Sm4DecryptBlock(std::string_view key16, std::string_view block16) {
  if (key16.size() != kSm4KeySize || block16.size() != kSm4BlockSize) {
    return Status::InvalidArgument("SM4 block: key and block must be 16 bytes");
  }
  std::string out;
  if (!RunCipher(Sm4Ecb(), false, false, key16, {}, block16, &out)) {
    return Status::Internal("SM4 block decryption failed");
  }
  return out;
}

Result<std::string> Sm4AeadEncrypt(std::string_view key16, std::string_view plaintext,
                                   std::string_view aad) {
  return Sm4AeadSealer(key16).Seal(plaintext, aad);
}

struct Sm4AeadSealer::Contexts {
  CipherCtx enc;
  MacCtx mac;
};

Sm4AeadSealer::Sm4AeadSealer(std::string_view key16) {
  if (key16.size() != kSm4KeySize) return;
  AeadKeys keys;
  DeriveKeys(key16, &keys);
  auto c = std::make_unique<Contexts>();
  c->enc.reset(EVP_CIPHER_CTX_new());
  if (!c->enc ||
      EVP_EncryptInit_ex2(c->enc.get(), Sm4Cbc(), Bytes(keys.enc), nullptr, nullptr) != 1) {
    Fatal("SM4-CBC context");
  }
  c->mac = NewHmacSm3(keys.mac);
  ctx_ = std::move(c);
}

Sm4AeadSealer::~Sm4AeadSealer() = default;

Result<std::string> Sm4AeadSealer::Seal(std::string_view plaintext, std::string_view aad) const {
  if (!ctx_) return Status::InvalidArgument("SM4 encryption: the key must be 16 bytes");
  const std::string iv = RandomBytes(kSm4BlockSize);
  CipherCtx enc(EVP_CIPHER_CTX_new());
  std::string sealed(1, static_cast<char>(kAeadVersion));
  sealed.reserve(kSm4AeadOverhead + plaintext.size() + kSm4BlockSize);
  sealed.append(iv);
  if (!enc || EVP_CIPHER_CTX_copy(enc.get(), ctx_->enc.get()) != 1 ||
      EVP_EncryptInit_ex2(enc.get(), nullptr, nullptr, Bytes(iv), nullptr) != 1 ||
      !CipherAppend(enc.get(), plaintext, &sealed)) {
    return Status::Internal("SM4 encryption failed");
  }
  MacCtx mac(EVP_MAC_CTX_dup(ctx_->mac.get()));
  if (!mac) return Status::Internal("HMAC-SM3 context");
  sealed.append(AeadTag(mac.get(), aad, std::string_view(sealed).substr(1)));
  return sealed;
}

Result<std::string> Sm4AeadDecrypt(std::string_view key16, std::string_view sealed,
                                   std::string_view aad) {
  if (key16.size() != kSm4KeySize) {
    return Status::InvalidArgument("SM4 decryption: the key must be 16 bytes");
  }
  if (sealed.size() < kSm4AeadOverhead + kSm4BlockSize ||
      (sealed.size() - kSm4AeadOverhead) % kSm4BlockSize != 0) {
    return Status::DataLoss("SM4 decryption: sealed value has a bad length");
  }
  if (static_cast<uint8_t>(sealed[0]) != kAeadVersion) {
    return Status::DataLoss("SM4 decryption: unknown format version");
  }
  AeadKeys keys;
  DeriveKeys(key16, &keys);
  const std::string_view body = sealed.substr(1, sealed.size() - 1 - kSm3Size);
  const std::string_view tag = sealed.substr(sealed.size() - kSm3Size);
  if (!ConstantTimeEquals(AeadTag(keys.mac, aad, body), tag)) {
    return Status::DataLoss("SM4 decryption: authentication failed");
  }
  std::string plaintext;
  if (!RunCipher(Sm4Cbc(), false, true, keys.enc, body.substr(0, kSm4BlockSize),
                 body.substr(kSm4BlockSize), &plaintext)) {
    return Status::DataLoss("SM4 decryption: bad padding");
  }
  return plaintext;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(Bytes(out), static_cast<int>(n)) != 1) Fatal("RAND_bytes failed");
  return out;
}

std::string HexEncode(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (char c : data) {
    const auto b = static_cast<uint8_t>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Status::InvalidArgument("hex: odd length");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("hex: not a hex digit");
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(data[i])) << 16 |
                       static_cast<uint32_t>(static_cast<uint8_t>(data[i + 1])) << 8 |
                       static_cast<uint8_t>(data[i + 2]);
    out.push_back(kB64Alphabet[(v >> 18) & 63]);
    out.push_back(kB64Alphabet[(v >> 12) & 63]);
    out.push_back(kB64Alphabet[(v >> 6) & 63]);
    out.push_back(kB64Alphabet[v & 63]);
  }
  const size_t rest = data.size() - i;
  if (rest == 1) {
    const uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(data[i])) << 16;
    out.push_back(kB64Alphabet[(v >> 18) & 63]);
    out.push_back(kB64Alphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    const uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(data[i])) << 16 |
                       static_cast<uint32_t>(static_cast<uint8_t>(data[i + 1])) << 8;
    out.push_back(kB64Alphabet[(v >> 18) & 63]);
    out.push_back(kB64Alphabet[(v >> 12) & 63]);
    out.push_back(kB64Alphabet[(v >> 6) & 63]);
  }
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return Status::InvalidArgument("base64url: impossible length");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = B64Value(c);
    if (v < 0) return Status::InvalidArgument("base64url: bad character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) {
    return Status::InvalidArgument("base64url: non-canonical trailing bits");
  }
  return out;
}

void SecureWipe(std::string* s) {
  if (!s->empty()) OPENSSL_cleanse(s->data(), s->size());
  s->clear();
}

}  // namespace hrss
