#include "modules/identity/keyring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"

namespace hrss::identity {
namespace {

std::string Master(char fill = 'k') { return std::string(32, fill); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content, mode_t mode = 0600) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

mode_t Mode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class KeyRingFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = ::testing::TempDir() + "hrss_keyring_" + std::to_string(getpid()) + "_" +
           std::to_string(counter++);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

TEST(KeyRingTest, FieldRoundTrip) {
  KeyRing ring = KeyRing::FromMaster(Master());
  for (std::string plain :
       {std::string(), std::string("13812345678"), std::string("511724199001011234"),
        std::string(1000, 'x'), std::string("张三 \0 binary", 14)}) {
    auto sealed = ring.EncryptField("user.phone", plain);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    if (plain.size() >= 4) {
      EXPECT_EQ(sealed->find(plain), std::string::npos) << "plaintext visible in the ciphertext";
    }
    auto back = ring.DecryptField("user.phone", *sealed);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, plain);
  }
  // Fresh IV each time: same plaintext, different ciphertexts.
  EXPECT_NE(*ring.EncryptField("user.phone", "13812345678"),
            *ring.EncryptField("user.phone", "13812345678"));
}

TEST(KeyRingTest, FieldEncryptorMatchesEncryptField) {
  // The bulk path (keys derived once) must produce what DecryptField reads,
  // bound to the same context, and nothing another context can open.
  KeyRing ring = KeyRing::FromMaster(Master());
  auto enc = ring.FieldEncryptorFor("datacenter.mobile");
  ASSERT_NE(enc, nullptr);
  for (std::string plain : {std::string(), std::string("13812345678"), std::string(300, 'y')}) {
    auto sealed = enc->Encrypt(plain);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    auto back = ring.DecryptField("datacenter.mobile", *sealed);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, plain);
    EXPECT_FALSE(ring.DecryptField("user.phone", *sealed).ok());
    EXPECT_FALSE(KeyRing::FromMaster(std::string(32, 'z')).DecryptField("datacenter.mobile", *sealed).ok());
  }
  EXPECT_NE(*enc->Encrypt("13812345678"), *enc->Encrypt("13812345678"));
}

TEST(KeyRingTest, ContextBinding) {
  KeyRing ring = KeyRing::FromMaster(Master());
  auto sealed = ring.EncryptField("user.phone", "13812345678");
  ASSERT_TRUE(sealed.ok());
  auto moved = ring.DecryptField("user.id_number", *sealed);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.status().code(), Code::kDataLoss);
  EXPECT_FALSE(ring.EncryptField("", "x").ok());
  EXPECT_FALSE(ring.DecryptField("", *sealed).ok());
}

TEST(KeyRingTest, OtherMasterCannotDecryptAndTamperIsDetected) {
  KeyRing a = KeyRing::FromMaster(Master('a'));
  KeyRing b = KeyRing::FromMaster(Master('b'));
  auto sealed = a.EncryptField("user.phone", "13812345678");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(b.DecryptField("user.phone", *sealed).status().code(), Code::kDataLoss);
  std::string bad = *sealed;
  bad[20] ^= 1;
  EXPECT_EQ(a.DecryptField("user.phone", bad).status().code(), Code::kDataLoss);
  EXPECT_EQ(a.DecryptField("user.phone", "").status().code(), Code::kDataLoss);
}

TEST(KeyRingTest, BlindIndexStableAndContextSpecific) {
  KeyRing ring = KeyRing::FromMaster(Master());
  std::string a = ring.BlindIndex("person.id_number", "51172419900101123X");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, ring.BlindIndex("person.id_number", "51172419900101123X"));
  EXPECT_EQ(a, KeyRing::FromMaster(Master()).BlindIndex("person.id_number", "51172419900101123X"));
  // Normalisation: surrounding whitespace and ASCII case.
  EXPECT_EQ(a, ring.BlindIndex("person.id_number", "  51172419900101123x\t"));
  EXPECT_NE(a, ring.BlindIndex("person.id_number", "511724199001011230"));
  // Per context, per master, and not a plain hash of the value.
  EXPECT_NE(a, ring.BlindIndex("user.id_number", "51172419900101123X"));
  EXPECT_NE(a,
            KeyRing::FromMaster(Master('z')).BlindIndex("person.id_number", "51172419900101123X"));
  EXPECT_NE(a, Sm3Hex("51172419900101123X"));
  EXPECT_EQ(KeyRing::NormaliseForIndex(" ab 张x "), "AB 张X");
}

TEST(KeyRingTest, DeriveKey) {
  KeyRing ring = KeyRing::FromMaster(Master());
  std::string k16 = ring.DeriveKey("field.sm4");
  EXPECT_EQ(k16.size(), 16u);
  EXPECT_EQ(k16, ring.DeriveKey("field.sm4", 16));
  std::string k32 = ring.DeriveKey("audit.hmac", 32);
  EXPECT_EQ(k32, HmacSm3(Master(), "hrss:audit.hmac"));
  EXPECT_EQ(ring.DeriveKey("audit.hmac", 16), k32.substr(0, 16));
  std::string k80 = ring.DeriveKey("audit.hmac", 80);
  EXPECT_EQ(k80.size(), 80u);
  EXPECT_EQ(k80.substr(0, 32), k32);
  EXPECT_NE(k80.substr(32, 32), k32);
  EXPECT_NE(k16, ring.DeriveKey("token.sign"));
  EXPECT_EQ(ring.DeriveKey("x", 0), "");
}

TEST_F(KeyRingFileTest, CreatesWithSafePermissionsAndReloadsSameKeys) {
  std::string path = dir_ + "/a/keys/hrss.keys";
  auto first = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(dir_ + "/a/keys"), 0700u);
  EXPECT_EQ(Mode(dir_ + "/a"), 0700u);
  std::string content = ReadFile(path);
  EXPECT_EQ(content.rfind("hrss-keys v1\n", 0), 0u) << content;
  EXPECT_NE(content.find("\nmaster="), std::string::npos);
  // No temporary files left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_ + "/a/keys")) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);

  auto second = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->DeriveKey("audit.hmac", 32), second->DeriveKey("audit.hmac", 32));
  EXPECT_EQ(ReadFile(path), content) << "an existing key file must never be rewritten";
  auto loaded = KeyRing::Load(path);
  ASSERT_TRUE(loaded.ok());
  auto sealed = first->EncryptField("user.phone", "13812345678");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*loaded->DecryptField("user.phone", *sealed), "13812345678");

  // Another file, another master.
  auto other = KeyRing::LoadOrCreate(dir_ + "/b.keys");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->DeriveKey("audit.hmac", 32), first->DeriveKey("audit.hmac", 32));
}

TEST_F(KeyRingFileTest, KnownFileFormat) {
  std::string master = Master('m');
  std::string path = dir_ + "/hrss.keys";
  WriteFile(path, "hrss-keys v1\n# comment\n\nmaster=" + HexEncode(master) + "\n");
  auto ring = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ(ring->DeriveKey("field.sm4"), KeyRing::FromMaster(master).DeriveKey("field.sm4"));
  // Upper-case hex and CRLF line ends are accepted too.
  std::string hex = HexEncode(master);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  WriteFile(path, "hrss-keys v1\r\nmaster=" + hex + "\r\n");
  ring = KeyRing::Load(path);
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ(ring->DeriveKey("field.sm4"), KeyRing::FromMaster(master).DeriveKey("field.sm4"));
}

TEST_F(KeyRingFileTest, RefusesFileReadableByOthers) {
  std::string path = dir_ + "/hrss.keys";
  ASSERT_TRUE(KeyRing::LoadOrCreate(path).ok());
  std::string content = ReadFile(path);
  for (mode_t mode : {0644, 0640, 0604, 0660, 0606}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto r = KeyRing::LoadOrCreate(path);
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
    EXPECT_NE(r.status().message().find("chmod 600"), std::string::npos) << r.status().message();
    EXPECT_EQ(ReadFile(path), content);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);  // read-only for the owner is fine
  EXPECT_TRUE(KeyRing::LoadOrCreate(path).ok());
  // A directory in place of the file.
  std::filesystem::create_directories(dir_ + "/dir.keys");
  EXPECT_EQ(KeyRing::LoadOrCreate(dir_ + "/dir.keys").status().code(), Code::kFailedPrecondition);
}

TEST_F(KeyRingFileTest, RefusesMalformedFileAndNeverReplacesIt) {
  std::string path = dir_ + "/hrss.keys";
  const std::string good_hex = HexEncode(Master());
  const std::vector<std::string> bad = {
      "",
      "garbage",
      "hrss-keys v2\nmaster=" + good_hex + "\n",
      "master=" + good_hex + "\n",
      "hrss-keys v1\n",
      "hrss-keys v1\nmaster=" + good_hex.substr(0, 62) + "\n",
      "hrss-keys v1\nmaster=" + good_hex + "00\n",
      "hrss-keys v1\nmaster=" + good_hex.substr(0, 63) + "g\n",
      "hrss-keys v1\nmaster=" + good_hex + "\nmaster=" + good_hex + "\n",
      "hrss-keys v1\nmaster=" + good_hex + "\nextra=1\n",
      "hrss-keys v1\n" + std::string(70000, '#') + "\n",
  };
  for (const std::string& content : bad) {
    WriteFile(path, content);
    auto r = KeyRing::LoadOrCreate(path);
    ASSERT_FALSE(r.ok()) << content.substr(0, 80);
    EXPECT_EQ(r.status().code(), Code::kDataLoss) << r.status().ToString();
    EXPECT_EQ(ReadFile(path), content) << "a malformed key file must be left alone";
    EXPECT_EQ(KeyRing::Load(path).status().code(), Code::kDataLoss);
  }
}

TEST_F(KeyRingFileTest, LoadDoesNotCreate) {
  std::string path = dir_ + "/missing/hrss.keys";
  auto r = KeyRing::Load(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/missing"));
  EXPECT_EQ(KeyRing::LoadOrCreate("").status().code(), Code::kInvalidArgument);
}

TEST_F(KeyRingFileTest, ConcurrentCreatorsAgreeOnOneKey) {
  std::string path = dir_ + "/race/hrss.keys";
  constexpr int kThreads = 8;
  std::vector<std::string> keys(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto r = KeyRing::LoadOrCreate(path);
      if (!r.ok()) {
        ++failures;
        return;
      }
      keys[i] = r->DeriveKey("audit.hmac", 32);
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  for (int i = 1; i < kThreads; ++i) EXPECT_EQ(keys[i], keys[0]);
  auto again = KeyRing::Load(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->DeriveKey("audit.hmac", 32), keys[0]);
}

TEST(KeyRingTest, CopyAndMoveKeepTheKeys) {
  KeyRing a = KeyRing::FromMaster(Master());
  KeyRing b = a;
  KeyRing c = std::move(a);
  EXPECT_EQ(b.DeriveKey("p"), c.DeriveKey("p"));
  KeyRing d = KeyRing::FromMaster(Master('d'));
  d = b;
  EXPECT_EQ(d.DeriveKey("p"), c.DeriveKey("p"));
}

}  // namespace
}  // namespace hrss::identity
