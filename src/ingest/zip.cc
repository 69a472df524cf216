#include "ingest/zip.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "ingest/internal.h"

namespace hrss::ingest {
namespace {

uint16_t Get16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               (static_cast<unsigned char>(b[at + 1]) << 8));
}
uint32_t Get32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(Get16(b, at)) | (static_cast<uint32_t>(Get16(b, at + 2)) << 16);
}
void Put16(std::string* b, uint32_t v) {
  b->push_back(static_cast<char>(v & 0xFF));
  b->push_back(static_cast<char>((v >> 8) & 0xFF));
}
void Put32(std::string* b, uint32_t v) {
  Put16(b, v & 0xFFFF);
  Put16(b, v >> 16);
}

Result<std::string> Deflate(std::string_view in) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Status::Internal("deflate failed");
  out.resize(zs.total_out);
  return out;
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  uLong c = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed in chunks.
  const char* p = data.data();
  size_t n = data.size();
  while (n > 0) {
    uInt chunk = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    c = crc32(c, reinterpret_cast<const Bytef*>(p), chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(c);
}

Result<std::string> ZipBytes(const std::vector<ZipEntry>& entries) {
  std::string out;
  std::string central;
  for (const ZipEntry& e : entries) {
    if (e.data.size() > 0xFFFFFFF0u || e.name.size() > 0xFFFF) {
      return Status::InvalidArgument("zip entry too large (no zip64 support): " + e.name);
    }
    std::string stored;
    uint16_t method = 0;
    if (e.deflate) {
      HRSS_ASSIGN_OR_RETURN(stored, Deflate(e.data));
      method = 8;
    } else {
      stored = e.data;
    }
    const uint32_t crc = Crc32(e.data);
    const uint32_t offset = static_cast<uint32_t>(out.size());
    const uint16_t flags = 0x0800;  // names are UTF-8
    // DOS time 1980-01-01 00:00 (deterministic output).
    const uint16_t dos_time = 0;
    const uint16_t dos_date = (0 << 9) | (1 << 5) | 1;
    Put32(&out, 0x04034b50);
    Put16(&out, 20);
    Put16(&out, flags);
    Put16(&out, method);
    Put16(&out, dos_time);
    Put16(&out, dos_date);
    Put32(&out, crc);
    Put32(&out, static_cast<uint32_t>(stored.size()));
    Put32(&out, static_cast<uint32_t>(e.data.size()));
    Put16(&out, static_cast<uint32_t>(e.name.size()));
    Put16(&out, 0);
    out += e.name;
    out += stored;

    Put32(&central, 0x02014b50);
    Put16(&central, 20);
    Put16(&central, 20);
    Put16(&central, flags);
    Put16(&central, method);
    Put16(&central, dos_time);
    Put16(&central, dos_date);
    Put32(&central, crc);
    Put32(&central, static_cast<uint32_t>(stored.size()));
    Put32(&central, static_cast<uint32_t>(e.data.size()));
    Put16(&central, static_cast<uint32_t>(e.name.size()));
    Put16(&central, 0);  // extra
    Put16(&central, 0);  // comment
    Put16(&central, 0);  // disk
    Put16(&central, 0);  // internal attrs
    Put32(&central, 0);  // external attrs
    Put32(&central, offset);
    central += e.name;
  }
  const uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  Put32(&out, 0x06054b50);
  Put16(&out, 0);
  Put16(&out, 0);
  Put16(&out, static_cast<uint32_t>(entries.size()));
  Put16(&out, static_cast<uint32_t>(entries.size()));
  Put32(&out, static_cast<uint32_t>(central.size()));
  Put32(&out, cd_offset);
  Put16(&out, 0);
  return out;
}

Status WriteZip(const std::string& path, const std::vector<ZipEntry>& entries) {
  HRSS_ASSIGN_OR_RETURN(std::string out, ZipBytes(entries));
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::Unavailable("cannot write " + tmp);
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!f) return Status::Unavailable("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Unavailable("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

Result<ZipArchive> ZipArchive::Open(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound(std::string(internal::BaseName(path)) + ": no such file");
  std::ostringstream ss;
  ss << f.rdbuf();
  return FromBytes(std::move(ss).str(), std::string(internal::BaseName(path)));
}

Result<ZipArchive> ZipArchive::FromBytes(std::string bytes, std::string display_name) {
  ZipArchive z;
  z.name_ = std::move(display_name);
  z.bytes_ = std::move(bytes);
  const std::string& b = z.bytes_;
  auto corrupt = [&](const std::string& why) {
    return Status::InvalidArgument(z.name_ + ": not a valid xlsx/zip archive (" + why + ")");
  };
  if (b.size() < 22) return corrupt("file too short");
  // End of central directory: search backwards over the comment (≤ 65535).
  size_t eocd = std::string::npos;
  const size_t lowest = b.size() >= 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (size_t i = b.size() - 22;; --i) {
    if (Get32(b, i) == 0x06054b50) {
      eocd = i;
      break;
    }
    if (i == lowest) break;
  }
  if (eocd == std::string::npos) return corrupt("no end-of-central-directory record");
  const uint16_t disk = Get16(b, eocd + 4);
  const uint16_t count = Get16(b, eocd + 10);
  const uint32_t cd_size = Get32(b, eocd + 12);
  const uint32_t cd_offset = Get32(b, eocd + 16);
  if (disk != 0) return corrupt("multi-disk archives are not supported");
  if (count == 0xFFFF || cd_offset == 0xFFFFFFFF) return corrupt("zip64 is not supported");
  if (static_cast<uint64_t>(cd_offset) + cd_size > eocd)
    return corrupt("central directory out of range");
  size_t p = cd_offset;
  for (uint16_t k = 0; k < count; ++k) {
    if (p + 46 > eocd || Get32(b, p) != 0x02014b50) return corrupt("bad central directory entry");
    Item it;
    it.flags = Get16(b, p + 8);
    it.method = Get16(b, p + 10);
    it.crc = Get32(b, p + 16);
    it.csize = Get32(b, p + 20);
    it.usize = Get32(b, p + 24);
    const uint16_t nlen = Get16(b, p + 28);
    const uint16_t xlen = Get16(b, p + 30);
    const uint16_t clen = Get16(b, p + 32);
    it.local_offset = Get32(b, p + 42);
    if (p + 46 + nlen > eocd) return corrupt("bad central directory entry");
    it.name = b.substr(p + 46, nlen);
    z.items_.push_back(std::move(it));
    p += 46 + static_cast<size_t>(nlen) + xlen + clen;
  }
  return z;
}

bool ZipArchive::Has(std::string_view name) const {
  for (const Item& it : items_) {
    if (it.name == name) return true;
  }
  return false;
}

std::vector<std::string> ZipArchive::Names() const {
  std::vector<std::string> out;
  for (const Item& it : items_) out.push_back(it.name);
  return out;
}

Result<std::string> ZipArchive::Read(std::string_view name, size_t max_bytes) const {
  const Item* item = nullptr;
  for (const Item& it : items_) {
    if (it.name == name) {
      item = &it;
      break;
    }
  }
  if (item == nullptr) return Status::NotFound(name_ + ": no entry " + std::string(name));
  auto corrupt = [&](const std::string& why) {
    return Status::InvalidArgument(name_ + ": corrupt entry " + std::string(name) + " (" + why +
                                   ")");
  };
  if (item->flags & 0x0001) return corrupt("encrypted entries are not supported");
  if (item->usize > max_bytes) return corrupt("uncompressed size over the limit");
  const std::string& b = bytes_;
  size_t p = item->local_offset;
  if (p + 30 > b.size() || Get32(b, p) != 0x04034b50) return corrupt("bad local header");
  const size_t data = p + 30 + Get16(b, p + 26) + Get16(b, p + 28);
  if (data > b.size() || b.size() - data < item->csize) return corrupt("data out of range");
  std::string out;
  if (item->method == 0) {
    out = b.substr(data, item->csize);
  } else if (item->method == 8) {
    out.resize(item->usize);
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Status::Internal("inflateInit2 failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data() + data));
    zs.avail_in = item->csize;
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_FINISH);
    const uLong produced = zs.total_out;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) return corrupt("inflate failed");
    if (produced != item->usize) return corrupt("size mismatch");
  } else {
    return corrupt("compression method " + std::to_string(item->method) + " is not supported");
  }
  if (out.size() != item->usize) return corrupt("size mismatch");
  if (Crc32(out) != item->crc) return corrupt("CRC-32 mismatch");
  return out;
}

}  // namespace hrss::ingest
