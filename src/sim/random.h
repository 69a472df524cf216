// Deterministic pseudo-random numbers for the simulators.
//
// Everything the simulators write must be byte-identical for one seed on every
// machine and library version, so nothing here uses <random>'s distributions
// (their algorithms are implementation-defined). Rng is xoshiro256** seeded
// through splitmix64; Stream() derives an independent generator for one
// entity of one system, so the output of an entity does not depend on the
// order in which entities are generated.
#pragma once

#include <cstdint>
#include <string_view>

namespace hrss::sim {

// splitmix64 step: a good 64-bit mixer.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline uint64_t Combine(uint64_t a, uint64_t b) { return Mix64(a ^ Mix64(b + 0x632BE59BD9B4E019ULL)); }

// FNV-1a of a tag, so streams can be named ("jubao.cbry").
constexpr uint64_t Tag(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : s_) {
      x += 0x9E3779B97F4A7C15ULL;
      s = Mix64(x);
    }
  }
  // The generator for entity `index` of stream `tag` under `seed`.
  static Rng Stream(uint64_t seed, uint64_t tag, uint64_t index) {
    return Rng(Combine(Combine(seed, tag), index));
  }

  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi] (inclusive).
  int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1))); }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Index drawn with the given integer weights.
  template <size_t N>
  int Weighted(const int (&w)[N]) {
    int total = 0;
    for (int x : w) total += x;
    int r = static_cast<int>(Below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < N; ++i) {
      if (r < w[i]) return static_cast<int>(i);
      r -= w[i];
    }
    return static_cast<int>(N - 1);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace hrss::sim
