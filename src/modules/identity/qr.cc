#include "modules/identity/qr.h"

#include <cstdint>
#include <cstdlib>

namespace hrss::identity {

namespace {

// Error correction level M, indexed by version (0 unused).
constexpr int kEccPerBlock[11] = {-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26};
constexpr int kNumBlocks[11] = {-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5};

int RawDataModules(int ver) {
  int result = (16 * ver + 128) * ver + 64;
  if (ver >= 2) {
    int num_align = ver / 7 + 2;
    result -= (25 * num_align - 10) * num_align - 55;
    if (ver >= 7) result -= 36;
  }
  return result;
}

int DataCodewords(int ver) { return RawDataModules(ver) / 8 - kEccPerBlock[ver] * kNumBlocks[ver]; }

uint8_t GfMul(uint8_t x, uint8_t y) {
  int z = 0;
  for (int i = 7; i >= 0; --i) {
    z = (z << 1) ^ ((z >> 7) * 0x11D);
    z ^= ((y >> i) & 1) * x;
  }
  return static_cast<uint8_t>(z);
}

std::vector<uint8_t> RsDivisor(int degree) {
  std::vector<uint8_t> result(static_cast<size_t>(degree), 0);
  result.back() = 1;
  uint8_t root = 1;
  for (int i = 0; i < degree; ++i) {
    for (size_t j = 0; j < result.size(); ++j) {
      result[j] = GfMul(result[j], root);
      if (j + 1 < result.size()) result[j] ^= result[j + 1];
    }
    root = GfMul(root, 0x02);
  }
  return result;
}

std::vector<uint8_t> RsRemainder(const std::vector<uint8_t>& data,
                                 const std::vector<uint8_t>& div) {
  std::vector<uint8_t> result(div.size(), 0);
  for (uint8_t b : data) {
    uint8_t factor = b ^ result.front();
    result.erase(result.begin());
    result.push_back(0);
    for (size_t i = 0; i < result.size(); ++i) result[i] ^= GfMul(div[i], factor);
  }
  return result;
}

class Builder {
 public:
  explicit Builder(int ver) : ver_(ver), size_(ver * 4 + 17) {
    mod_.assign(size_, std::vector<bool>(size_, false));
    fn_.assign(size_, std::vector<bool>(size_, false));
  }

  void Set(int x, int y, bool dark) {
    mod_[y][x] = dark;
    fn_[y][x] = true;
  }

  std::vector<int> AlignmentPositions() const {
    if (ver_ == 1) return {};
    int num = ver_ / 7 + 2;
    int step = (ver_ * 4 + num * 2 + 1) / (num * 2 - 2) * 2;
    std::vector<int> result;
    for (int i = 0, pos = size_ - 7; i < num - 1; ++i, pos -= step)
      result.insert(result.begin(), pos);
    result.insert(result.begin(), 6);
    return result;
  }

  void DrawFunctionPatterns() {
    for (int i = 0; i < size_; ++i) {
      Set(6, i, i % 2 == 0);
      Set(i, 6, i % 2 == 0);
    }
    for (auto [cx, cy] : {std::pair{3, 3}, {size_ - 4, 3}, {3, size_ - 4}}) {
      for (int dy = -4; dy <= 4; ++dy) {
        for (int dx = -4; dx <= 4; ++dx) {
          int dist = std::max(std::abs(dx), std::abs(dy));
          int x = cx + dx, y = cy + dy;
          if (x >= 0 && x < size_ && y >= 0 && y < size_) Set(x, y, dist != 2 && dist != 4);
        }
      }
    }
    std::vector<int> pos = AlignmentPositions();
    int n = static_cast<int>(pos.size());
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        if ((i == 0 && j == 0) || (i == 0 && j == n - 1) || (i == n - 1 && j == 0)) continue;
        for (int dy = -2; dy <= 2; ++dy) {
          for (int dx = -2; dx <= 2; ++dx) {
            Set(pos[i] + dx, pos[j] + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
          }
        }
      }
    }
    DrawFormatBits(0);  // reserve; redrawn with the mask
    if (ver_ >= 7) {
      int rem = ver_;
      for (int i = 0; i < 12; ++i) rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
      long bits = static_cast<long>(ver_) << 12 | rem;
      for (int i = 0; i < 18; ++i) {
        bool bit = ((bits >> i) & 1) != 0;
        int a = size_ - 11 + i % 3, b = i / 3;
        Set(a, b, bit);
        Set(b, a, bit);
      }
    }
  }

  void DrawFormatBits(int mask) {
    int data = 0 << 3 | mask;  // level M = 0b00
    int rem = data;
    for (int i = 0; i < 10; ++i) rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    int bits = (data << 10 | rem) ^ 0x5412;
    auto bit = [bits](int i) { return ((bits >> i) & 1) != 0; };
    for (int i = 0; i <= 5; ++i) Set(8, i, bit(i));
    Set(8, 7, bit(6));
    Set(8, 8, bit(7));
    Set(7, 8, bit(8));
    for (int i = 9; i < 15; ++i) Set(14 - i, 8, bit(i));
    for (int i = 0; i < 8; ++i) Set(size_ - 1 - i, 8, bit(i));
    for (int i = 8; i < 15; ++i) Set(8, size_ - 15 + i, bit(i));
    Set(8, size_ - 8, true);
  }

  void DrawCodewords(const std::vector<uint8_t>& data) {
    size_t i = 0;
    for (int right = size_ - 1; right >= 1; right -= 2) {
      if (right == 6) right = 5;
      for (int vert = 0; vert < size_; ++vert) {
        for (int j = 0; j < 2; ++j) {
          int x = right - j;
          bool upward = ((right + 1) & 2) == 0;
          int y = upward ? size_ - 1 - vert : vert;
          if (!fn_[y][x] && i < data.size() * 8) {
            mod_[y][x] = ((data[i >> 3] >> (7 - (i & 7))) & 1) != 0;
            ++i;
          }
        }
      }
    }
  }

  void ApplyMask0() {
    for (int y = 0; y < size_; ++y) {
      for (int x = 0; x < size_; ++x) {
        if (!fn_[y][x] && (x + y) % 2 == 0) mod_[y][x] = !mod_[y][x];
      }
    }
  }

  QrCode Finish() { return {ver_, size_, std::move(mod_)}; }

 private:
  int ver_, size_;
  std::vector<std::vector<bool>> mod_, fn_;
};

}  // namespace

Result<QrCode> EncodeQr(std::string_view data) {
  int ver = 1;
  for (; ver <= 10; ++ver) {
    int count_bits = ver <= 9 ? 8 : 16;
    if (4 + count_bits + static_cast<int>(data.size()) * 8 <= DataCodewords(ver) * 8) break;
  }
  if (ver > 10) return Status::InvalidArgument("二维码内容过长");
  const int capacity_bits = DataCodewords(ver) * 8;
  std::vector<bool> bits;
  auto append = [&bits](uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) bits.push_back(((v >> i) & 1) != 0);
  };
  append(0x4, 4);  // byte mode
  append(static_cast<uint32_t>(data.size()), ver <= 9 ? 8 : 16);
  for (unsigned char c : data) append(c, 8);
  append(0, std::min(4, capacity_bits - static_cast<int>(bits.size())));
  append(0, (8 - static_cast<int>(bits.size()) % 8) % 8);
  for (uint8_t pad = 0xEC; static_cast<int>(bits.size()) < capacity_bits; pad ^= 0xEC ^ 0x11) {
    append(pad, 8);
  }
  std::vector<uint8_t> codewords(bits.size() / 8, 0);
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i]) codewords[i >> 3] |= static_cast<uint8_t>(1 << (7 - (i & 7)));
  }
  // Blocks with error correction, then interleaved.
  const int num_blocks = kNumBlocks[ver];
  const int ecc_len = kEccPerBlock[ver];
  const int raw = RawDataModules(ver) / 8;
  const int num_short = num_blocks - raw % num_blocks;
  const int short_len = raw / num_blocks;
  std::vector<std::vector<uint8_t>> blocks;
  std::vector<uint8_t> div = RsDivisor(ecc_len);
  for (int i = 0, k = 0; i < num_blocks; ++i) {
    int dat_len = short_len - ecc_len + (i < num_short ? 0 : 1);
    std::vector<uint8_t> dat(codewords.begin() + k, codewords.begin() + k + dat_len);
    k += dat_len;
    std::vector<uint8_t> ecc = RsRemainder(dat, div);
    if (i < num_short) dat.push_back(0);
    dat.insert(dat.end(), ecc.begin(), ecc.end());
    blocks.push_back(std::move(dat));
  }
  std::vector<uint8_t> result;
  for (size_t i = 0; i < blocks[0].size(); ++i) {
    for (int j = 0; j < num_blocks; ++j) {
      if (i != static_cast<size_t>(short_len - ecc_len) || j >= num_short)
        result.push_back(blocks[j][i]);
    }
  }
  Builder b(ver);
  b.DrawFunctionPatterns();
  b.DrawCodewords(result);
  b.ApplyMask0();
  b.DrawFormatBits(0);
  return b.Finish();
}

std::string QrSvg(const QrCode& qr, int scale) {
  const int border = 4;
  int dim = (qr.size + 2 * border) * scale;
  std::string path;
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size; ++x) {
      if (!qr.modules[y][x]) continue;
      path += "M" + std::to_string(x + border) + "," + std::to_string(y + border) + "h1v1h-1z";
    }
  }
  int n = qr.size + 2 * border;
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(dim) +
         "\" height=\"" + std::to_string(dim) + "\" viewBox=\"0 0 " + std::to_string(n) + " " +
         std::to_string(n) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
         "<path fill=\"#000\" d=\"" +
         path + "\"/></svg>";
}

}  // namespace hrss::identity
