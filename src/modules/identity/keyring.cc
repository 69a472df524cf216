#include "modules/identity/keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"

namespace hrss::identity {
namespace {

constexpr char kHeader[] = "hrss-keys v1";
constexpr size_t kMasterSize = 32;
constexpr off_t kMaxFileSize = 64 * 1024;

std::string Errno(int err) { return std::strerror(err); }

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes a descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Unavailable("write: " + Errno(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Creates the missing directories of `dir` with mode 0700.
Status MakeDirs(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::Ok();
  HRSS_RETURN_IF_ERROR(MakeDirs(dir.parent_path()));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Unavailable("cannot create key directory " + dir.string() + ": " + Errno(errno));
  }
  return Status::Ok();
}

void FsyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Result<std::string> ParseKeyFile(const std::string& path, std::string_view text) {
  auto malformed = [&](const std::string& why) {
    return Status::DataLoss("key file " + path + " is malformed (" + why +
                            "); it is never replaced automatically: restore it from backup");
  };
  std::string master;
  bool header_seen = false;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!header_seen) {
      if (line != kHeader) return malformed("first line is not \"" + std::string(kHeader) + "\"");
      header_seen = true;
      continue;
    }
    std::string_view trimmed = TrimAscii(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (trimmed.rfind("master=", 0) != 0) {
      return malformed("unexpected content on line " + std::to_string(line_no));
    }
    if (!master.empty()) return malformed("master given twice");
    auto decoded = HexDecode(TrimAscii(trimmed.substr(7)));
    if (!decoded.ok() || decoded->size() != kMasterSize) {
      return malformed("master must be " + std::to_string(kMasterSize * 2) + " hex digits");
    }
    master = std::move(decoded).value();
  }
  if (!header_seen) return malformed("empty file");
  if (master.empty()) return malformed("no master line");
  return master;
}

// Reads and checks an existing key file. NOT_FOUND when it does not exist.
Result<std::string> ReadKeyFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::NotFound("key file " + path + " does not exist");
    return Status::Unavailable("cannot open key file " + path + ": " + Errno(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Status::Unavailable("cannot stat key file " + path + ": " + Errno(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::FailedPrecondition("key file " + path + " is not a regular file");
  }
  if ((st.st_mode & 0077) != 0) {
    return Status::FailedPrecondition(
        "key file " + path + " is accessible by group or others (mode " + Octal(st.st_mode) +
        "); refusing to use it. Restrict it with `chmod 600 " + path +
        "` and consider the key compromised if others could read it");
  }
  if (st.st_size > kMaxFileSize) {
    return Status::DataLoss("key file " + path + " is malformed (larger than 64 KiB)");
  }
  std::string content;
  content.resize(static_cast<size_t>(st.st_size) + 1);
  size_t got = 0;
  for (;;) {
    if (got == content.size()) content.resize(content.size() * 2);
    ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      SecureWipe(&content);
      return Status::Unavailable("cannot read key file " + path + ": " + Errno(err));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
    if (got > static_cast<size_t>(kMaxFileSize)) {
      SecureWipe(&content);
      return Status::DataLoss("key file " + path + " is malformed (larger than 64 KiB)");
    }
  }
  auto master = ParseKeyFile(path, std::string_view(content.data(), got));
  SecureWipe(&content);
  return master;
}

// Creates the key file with `master`. CONFLICT when it appeared meanwhile.
Status CreateKeyFile(const std::string& path, const std::string& master) {
  std::filesystem::path final_path(path);
  std::filesystem::path dir = final_path.parent_path();
  HRSS_RETURN_IF_ERROR(MakeDirs(dir));
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + HexEncode(RandomBytes(6));
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    return Status::Unavailable("cannot create key file " + tmp + ": " + Errno(errno));
  }
  std::string content = std::string(kHeader) +
                        "\n# hrss master key. Keep it secret, keep a backup apart from the "
                        "database backups.\nmaster=" +
                        HexEncode(master) + "\n";
  Status st = WriteAll(fd.get(), content);
  SecureWipe(&content);
  if (st.ok() && ::fchmod(fd.get(), 0600) != 0) {
    st = Status::Unavailable("chmod: " + Errno(errno));
  }
  if (st.ok() && ::fsync(fd.get()) != 0) st = Status::Unavailable("fsync: " + Errno(errno));
  if (st.ok() && ::close(fd.Release()) != 0) st = Status::Unavailable("close: " + Errno(errno));
  if (st.ok() && ::link(tmp.c_str(), path.c_str()) != 0) {
    st = errno == EEXIST
             ? Status::Conflict("key file " + path + " appeared meanwhile")
             : Status::Unavailable("cannot create key file " + path + ": " + Errno(errno));
  }
  ::unlink(tmp.c_str());
  if (!st.ok()) return st.code() == Code::kConflict ? st : st.WithContext("key file " + path);
  FsyncDir(dir);
  return Status::Ok();
}

}  // namespace

KeyRing& KeyRing::operator=(const KeyRing& other) {
  if (this != &other) {
    SecureWipe(&master_);
    master_ = other.master_;
  }
  return *this;
}

KeyRing& KeyRing::operator=(KeyRing&& other) noexcept {
  if (this != &other) {
    SecureWipe(&master_);
    master_ = std::move(other.master_);
  }
  return *this;
}

KeyRing::~KeyRing() { SecureWipe(&master_); }

Result<KeyRing> KeyRing::LoadOrCreate(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("key file path is empty");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto loaded = ReadKeyFile(path);
    if (loaded.ok()) return KeyRing(std::move(loaded).value());
    if (loaded.status().code() != Code::kNotFound) return loaded.status();
    std::string master = RandomBytes(kMasterSize);
    Status st = CreateKeyFile(path, master);
    if (st.ok()) {
      log::Info("identity.keyfile_created", {{"path", path}});
      return KeyRing(std::move(master));
    }
    SecureWipe(&master);
    if (st.code() != Code::kConflict) return st;
    // Another process created it first: load theirs.
  }
  return Status::Unavailable("key file " + path + " could not be loaded or created");
}

Result<KeyRing> KeyRing::Load(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("key file path is empty");
  auto loaded = ReadKeyFile(path);
  if (!loaded.ok()) return loaded.status();
  return KeyRing(std::move(loaded).value());
}

KeyRing KeyRing::FromMaster(std::string master) { return KeyRing(std::move(master)); }

std::string KeyRing::DeriveKey(std::string_view purpose, size_t length) const {
  const std::string label = "hrss:" + std::string(purpose);
  std::string out;
  std::string block = HmacSm3(master_, label);
  out += block;
  for (int i = 2; out.size() < length; ++i) {
    std::string input = block + label;
    input.push_back(static_cast<char>(i & 0xff));
    SecureWipe(&block);
    block = HmacSm3(master_, input);
    out += block;
  }
  SecureWipe(&block);
  std::string key = out.substr(0, length);
  SecureWipe(&out);
  return key;
}

Result<std::string> KeyRing::EncryptField(std::string_view context,
                                          std::string_view plaintext) const {
  if (context.empty()) return Status::InvalidArgument("field encryption needs a context");
  return FieldEncryptorFor(context)->Encrypt(plaintext);
}

std::shared_ptr<const FieldEncryptor> KeyRing::FieldEncryptorFor(std::string_view context) const {
  std::string key = DeriveKey("field.sm4", kSm4KeySize);
  auto enc = std::make_shared<const FieldEncryptor>(key, "hrss.field:" + std::string(context));
  SecureWipe(&key);
  return enc;
}

Result<std::string> KeyRing::DecryptField(std::string_view context, std::string_view sealed) const {
  if (context.empty()) return Status::InvalidArgument("field decryption needs a context");
  std::string key = DeriveKey("field.sm4", kSm4KeySize);
  auto plain = Sm4AeadDecrypt(key, sealed, "hrss.field:" + std::string(context));
  SecureWipe(&key);
  return plain;
}

std::string KeyRing::NormaliseForIndex(std::string_view value) {
  std::string out(TrimAscii(value));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string KeyRing::BlindIndex(std::string_view context, std::string_view value) const {
  std::string key = DeriveKey("blind:" + std::string(context), kSm3Size);
  std::string normalised = NormaliseForIndex(value);
  std::string index = HmacSm3Hex(key, normalised);
  SecureWipe(&key);
  SecureWipe(&normalised);
  return index;
}

}  // namespace hrss::identity
