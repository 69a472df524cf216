// The cube engine (olap.h). Design notes
// =====================================
//
// Storage (per cube). A cube is an immutable Snapshot swapped atomically by
// Apply: readers copy a shared_ptr under a tiny mutex and never see half a
// batch. A Snapshot holds
//   - per dimension a DimDict (immutable, copied on write when a batch brings
//     unseen codes): per level the member codes/labels, a code → id index, a
//     display rank (declared members in declaration order, then undeclared
//     codes by code, "" = 未知 last; kMonth: by code, "" last), and
//     up[level][finest id] → level id tables;
//   - segments (immutable, ≤ 1M rows): each dimension as the finest member id
//     in 1, 2 or 4 bytes (chosen by the dictionary size when the segment is
//     sealed), each value column as int32 when every value fits else int64,
//     the person as a dense uint32 id, the row key (int64) and a key order
//     (uint32 permutation) for upserts. Rows are clustered into partitions
//     by (year of the first time dim, domain, township) — the cluster key —
//     and sorted by person within a partition, so a person range is one row
//     range per partition (binary search). Per partition and dimension a
//     zone: a 64-bit mask of (id & 63) of the ids present (exact for ids <
//     64), the id when all rows share it, and for time dims the year when
//     all rows share it (kMonth level maps never change; kCode parents can,
//     so zones of kCode dims hold finest ids only);
//   - per segment a deletion bitmap (copied on write).
// Apply tombstones the live rows of upserted/deleted keys (binary search in
// the key order of the segments whose key range covers the key), appends the
// new rows as a new segment, rewrites segments that are ≥ 25% dead, and
// merges the two newest segments while the older is ≤ 2× the newer (a
// binary counter: every row is copied O(log) times). Sorting uses LSD radix
// sorts. Deletes in a batch apply after its upserts.
//
// Execution. A query becomes a Plan: per filtered dimension a uint8 table
// over finest ids (all filters of the dimension folded), the data scope as
// one table over (domain id × region id), per grouped dimension a table
// finest id → level id × stride (mixed radix) for the row part and the column
// part of the key. Each partition's zones are tested against the plan first
// (an Item): a filter that no id of the zone passes drops the partition, one
// that every id passes is not tested per row, a group key part whose zone is
// one id (or one year) is a constant, the scope is decided per partition
// (domain and township are constant in it). So a one-township or one-year
// question reads only its partitions, and a partition whose group key is
// constant aggregates with plain running sums (no per-row key). Rows of the
// remaining partitions are processed in blocks of 2048 with selection
// vectors; each step is a tight loop templated on the column width (no
// per-row virtual calls). Group ids are dense (row key × column count +
// column key) when the key space is ≤ 2^18 cells, else a first pass collects
// the row and column keys that occur and maps them to dense ids. Aggregates
// (count, sums, mins, maxs) go to dense per-thread arrays, merged at the end.
// compare: the time dimension's filters become two tables: "current" (the
// filters) and "previous" (the filters evaluated on the month shifted by 12,
// 3 or 1 months, and the shifted member exists at the grouped level), so the
// previous period is aggregated in the same scan into a second array even
// when the time filter excludes it. Totals for additive aggregates are
// combined from the cells; distinct persons are counted exactly per grouping
// set (cells, row totals, column totals, grand total): the scan walks person
// chunks (a range of dense person ids = a row range in every partition), sets
// bits in per-group bitmaps of the chunk (or, when groups × persons is too
// large, sorts (group, person) pairs of the chunk) and adds popcounts —
// chunks are disjoint in persons, so their counts add up. Threads take row
// blocks or person chunks from an atomic counter (a small std::jthread pool;
// the calling thread works too).
//
// Results are cached (LRU) under cube + version + query text + scope key and
// the cache of a cube is dropped by every Apply/Clear/AddMembers.
//
// Ordering rules (also tested): rows and columns in member order of their
// keys (lexicographic over dims); sort by measure uses the row total (= the
// cell when there are no columns), nulls last in both directions, ties by
// key ascending; columns are the column groups with data among all rows
// (before limit); totals cover every row that passes filters and scope (not
// only the top-N). The cell limit counts rows × columns (100,000).
#include "olap/olap.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace hrss::olap {
namespace json = boost::json;

namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr size_t kSegMax = 1u << 20;
constexpr int kBlock = 2048;
constexpr uint64_t kDenseCells = 1u << 18;
constexpr size_t kMaxCells = 100000;
constexpr size_t kMaxValueCols = 16;
constexpr size_t kMaxGroups = 1u << 22;

// ---- small helpers --------------------------------------------------------------

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool ValidMonth(std::string_view c) {
  if (c.size() != 6 || !IsDigits(c)) return false;
  int m = (c[4] - '0') * 10 + (c[5] - '0');
  return m >= 1 && m <= 12;
}
std::string QuarterOf(std::string_view month) {
  int m = (month[4] - '0') * 10 + (month[5] - '0');
  return std::string(month.substr(0, 4)) + "Q" + std::to_string((m - 1) / 3 + 1);
}
std::string ShiftMonth(std::string_view month, int by) {
  int y = std::stoi(std::string(month.substr(0, 4)));
  int m = (month[4] - '0') * 10 + (month[5] - '0');
  int idx = y * 12 + (m - 1) + by;
  if (idx < 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d", idx / 12, idx % 12 + 1);
  return buf;
}
// Level codes of a kMonth finest code: year, quarter, month.
std::array<std::string, 3> MonthLevels(const std::string& c) {
  if (!ValidMonth(c)) return {"", "", c};
  return {c.substr(0, 4), QuarterOf(c), c};
}

// LSD radix sort of (key, payload) pairs by key; skips bytes equal in all keys.
void RadixSort(std::vector<uint64_t>& k, std::vector<uint32_t>& v) {
  size_t n = k.size();
  if (n < 256) {
    std::vector<uint32_t> idx(n);
    for (size_t i = 0; i < n; ++i) idx[i] = static_cast<uint32_t>(i);
    std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return k[a] < k[b]; });
    std::vector<uint64_t> k2(n);
    std::vector<uint32_t> v2(n);
    for (size_t i = 0; i < n; ++i) k2[i] = k[idx[i]], v2[i] = v[idx[i]];
    k.swap(k2);
    v.swap(v2);
    return;
  }
  uint64_t diff = 0;
  for (size_t i = 1; i < n; ++i) diff |= k[i] ^ k[0];
  std::vector<uint64_t> k2(n);
  std::vector<uint32_t> v2(n);
  for (int pass = 0; pass < 8; ++pass) {
    int sh = pass * 8;
    if (((diff >> sh) & 0xff) == 0) continue;
    size_t cnt[257] = {};
    for (size_t i = 0; i < n; ++i) ++cnt[((k[i] >> sh) & 0xff) + 1];
    for (int b = 0; b < 256; ++b) cnt[b + 1] += cnt[b];
    for (size_t i = 0; i < n; ++i) {
      size_t p = cnt[(k[i] >> sh) & 0xff]++;
      k2[p] = k[i];
      v2[p] = v[i];
    }
    k.swap(k2);
    v.swap(v2);
  }
}

// Open-addressing map uint64 → uint32 (read-mostly, for remapped group keys).
struct FlatMap {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> vals;
  uint64_t mask = 0;
  static uint64_t Hash(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  void Init(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    keys.assign(cap, UINT64_MAX);
    vals.assign(cap, kNone);
    mask = cap - 1;
  }
  void Put(uint64_t k, uint32_t v) {
    for (uint64_t i = Hash(k) & mask;; i = (i + 1) & mask) {
      if (keys[i] == UINT64_MAX || keys[i] == k) {
        keys[i] = k;
        vals[i] = v;
        return;
      }
    }
  }
  uint32_t Get(uint64_t k) const {
    for (uint64_t i = Hash(k) & mask;; i = (i + 1) & mask) {
      if (keys[i] == k) return vals[i];
      if (keys[i] == UINT64_MAX) return kNone;
    }
  }
};

// ---- thread pool -------------------------------------------------------------------

class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 1; i < threads; ++i)
      workers_.emplace_back([this](std::stop_token st) { Loop(st); });
  }
  ~Pool() {
    for (auto& w : workers_) w.request_stop();
    cv_.notify_all();
  }
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(p) for the participants p in [0, parts): p = 0 on the caller,
  // the others on pool threads when they are free in time. fn must take its
  // work from a shared counter, so participants that never start lose nothing.
  void Run(int parts, const std::function<void(int)>& fn) {
    if (parts <= 1) {
      fn(0);
      return;
    }
    auto job = std::make_shared<Job>(parts);
    job->fn = &fn;
    {
      std::lock_guard lk(mu_);
      for (int p = 1; p < parts; ++p) queue_.push_back({job, p});
    }
    cv_.notify_all();
    fn(0);
    for (int p = 1; p < parts; ++p) {
      char expected = 0;
      job->claimed[p].compare_exchange_strong(expected, 2);  // not started: cancelled
    }
    std::unique_lock lk(job->mu);
    job->cv.wait(lk, [&] { return job->running == 0; });
  }

 private:
  struct Job {
    explicit Job(int parts) : claimed(parts) {
      for (auto& c : claimed) c.store(0);
    }
    const std::function<void(int)>* fn = nullptr;
    std::vector<std::atomic<char>> claimed;
    std::mutex mu;
    std::condition_variable cv;
    int running = 0;
  };
  struct Task {
    std::shared_ptr<Job> job;
    int part;
  };
  void Loop(std::stop_token st) {
    while (true) {
      Task t;
      {
        std::unique_lock lk(mu_);
        cv_.wait(lk, st, [&] { return !queue_.empty(); });
        if (st.stop_requested()) return;
        t = std::move(queue_.front());
        queue_.pop_front();
      }
      {
        std::lock_guard lk(t.job->mu);
        char expected = 0;
        if (!t.job->claimed[t.part].compare_exchange_strong(expected, 1)) continue;
        ++t.job->running;
      }
      (*t.job->fn)(t.part);
      {
        std::lock_guard lk(t.job->mu);
        --t.job->running;
      }
      t.job->cv.notify_all();
    }
  }
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<Task> queue_;
  std::vector<std::jthread> workers_;
};

// ---- dictionaries ----------------------------------------------------------------

struct LevelDict {
  std::vector<std::string> codes, labels;
  std::vector<uint32_t> decl;  // declaration sequence, kNone when undeclared
  std::unordered_map<std::string, uint32_t> index;
  std::vector<uint32_t> rank;
  uint32_t Find(const std::string& c) const {
    auto it = index.find(c);
    return it == index.end() ? kNone : it->second;
  }
};

struct DimDict {
  DimKind kind = DimKind::kCode;
  std::vector<LevelDict> levels;
  std::vector<std::vector<uint32_t>> up;  // up[l][finest] → level id
  std::map<std::pair<std::string, std::string>, std::string> parent_labels;
  uint32_t next_decl = 0;
  size_t finest() const { return levels.back().codes.size(); }

  uint32_t LevelMember(size_t l, const std::string& code, bool declared) {
    auto& L = levels[l];
    uint32_t id = L.Find(code);
    if (id == kNone) {
      id = static_cast<uint32_t>(L.codes.size());
      L.codes.push_back(code);
      std::string label;
      if (code.empty()) {
        label = "未知";
      } else if (kind == DimKind::kMonth) {
        if (l == 0 && code.size() == 4) label = code + "年";
        else if (l == 1 && code.size() == 6) label = code.substr(0, 4) + "年第" + code.substr(5) + "季度";
        else if (l == 2 && ValidMonth(code)) label = code.substr(0, 4) + "年" + std::to_string(std::stoi(code.substr(4))) + "月";
        else label = code;
      } else {
        auto it = parent_labels.find({levels.size() > 1 ? std::to_string(l) : "", code});
        label = it != parent_labels.end() ? it->second : code;
      }
      L.labels.push_back(std::move(label));
      L.decl.push_back(kNone);
      L.index.emplace(code, id);
    }
    if (declared && L.decl[id] == kNone && !code.empty()) L.decl[id] = next_decl++;
    return id;
  }
  // Adds or updates a finest member; returns its id.
  uint32_t Add(const std::string& code, const std::vector<std::string>* parents, const std::string* label) {
    size_t nl = levels.size();
    std::vector<uint32_t> ids(nl);
    if (kind == DimKind::kMonth) {
      auto lv = MonthLevels(code);
      for (size_t l = 0; l < nl; ++l) ids[l] = LevelMember(l, lv[l], parents != nullptr);
    } else {
      for (size_t l = 0; l + 1 < nl; ++l)
        ids[l] = LevelMember(l, parents && l < parents->size() ? (*parents)[l] : std::string(), parents != nullptr);
      ids[nl - 1] = LevelMember(nl - 1, code, parents != nullptr);
    }
    uint32_t f = ids[nl - 1];
    if (label && kind == DimKind::kCode) levels[nl - 1].labels[f] = code.empty() ? "未知" : *label;
    for (size_t l = 0; l < nl; ++l) {
      bool fresh = up[l].size() <= f;
      if (fresh) up[l].resize(f + 1, 0);
      if (parents || fresh) up[l][f] = ids[l];
    }
    return f;
  }
  void Rank() {
    for (auto& L : levels) {
      std::vector<uint32_t> ord(L.codes.size());
      for (uint32_t i = 0; i < ord.size(); ++i) ord[i] = i;
      std::sort(ord.begin(), ord.end(), [&](uint32_t a, uint32_t b) {
        bool ea = L.codes[a].empty(), eb = L.codes[b].empty();
        if (ea != eb) return eb;
        if (kind == DimKind::kCode && L.decl[a] != L.decl[b]) return L.decl[a] < L.decl[b];
        return L.codes[a] < L.codes[b];
      });
      L.rank.assign(ord.size(), 0);
      for (uint32_t i = 0; i < ord.size(); ++i) L.rank[ord[i]] = i;
    }
  }
  size_t Bytes() const {
    size_t b = 0;
    for (auto& L : levels) {
      for (auto& c : L.codes) b += c.size() + 48;
      for (auto& c : L.labels) b += c.size() + 32;
      b += L.rank.size() * 8;
    }
    for (auto& u : up) b += u.size() * 4;
    return b;
  }
};

// ---- segments -------------------------------------------------------------------

struct Col {
  uint8_t width = 1;  // 1, 2, 4 (dims) or 4, 8 (values)
  std::vector<uint8_t> data;
  size_t Bytes() const { return data.capacity(); }
};

template <class T>
const T* As(const Col& c) {
  return reinterpret_cast<const T*>(c.data.data());
}

template <class F>
void WithDim(const Col& c, F&& f) {
  switch (c.width) {
    case 1: f(As<uint8_t>(c)); break;
    case 2: f(As<uint16_t>(c)); break;
    default: f(As<uint32_t>(c)); break;
  }
}
template <class F>
void WithVal(const Col& c, F&& f) {
  if (c.width == 4) f(As<int32_t>(c));
  else f(As<int64_t>(c));
}

// Zone of one dimension in one partition: `mask` has bit (id & 63) for every
// finest id present (exact when all ids < 64), `single` the id when all rows
// share it, `top` (kMonth dims only, whose level maps never change) the year
// id when all rows share the year.
struct Zone {
  uint64_t mask = 0;
  uint32_t single = kNone, top = kNone;
};
// A partition: a row range of equal cluster key (year × domain × township),
// sorted by person.
struct Part {
  uint32_t lo = 0, hi = 0, pmin = 0, pmax = 0;
};

struct Segment {
  uint32_t n = 0;
  std::vector<Col> dims, vals;
  std::vector<uint32_t> person;  // dense ids, ascending within each partition
  std::vector<Part> parts;
  std::vector<Zone> zones;  // parts × dims
  std::vector<int64_t> keys;
  std::vector<uint32_t> key_order;  // rows by key
  int64_t min_key = 0, max_key = -1;
  size_t Bytes() const {
    size_t b = sizeof(*this);
    for (auto& c : dims) b += c.Bytes();
    for (auto& c : vals) b += c.Bytes();
    return b + person.capacity() * 4 + parts.capacity() * sizeof(Part) + zones.capacity() * sizeof(Zone) +
           keys.capacity() * 8 + key_order.capacity() * 4;
  }
  const Zone& Z(size_t part, size_t d) const { return zones[part * dims.size() + d]; }
  uint32_t DimAt(size_t d, uint32_t r) const {
    const Col& c = dims[d];
    if (c.width == 1) return As<uint8_t>(c)[r];
    if (c.width == 2) return As<uint16_t>(c)[r];
    return As<uint32_t>(c)[r];
  }
  int64_t ValAt(size_t v, uint32_t r) const {
    const Col& c = vals[v];
    return c.width == 4 ? As<int32_t>(c)[r] : As<int64_t>(c)[r];
  }
};

using Bits = std::vector<uint64_t>;
struct SegRef {
  std::shared_ptr<const Segment> seg;
  std::shared_ptr<const Bits> dead;  // null = none dead
  uint32_t ndead = 0;
  uint32_t live() const { return seg->n - ndead; }
  bool Dead(uint32_t r) const { return dead && ((*dead)[r >> 6] >> (r & 63) & 1); }
};

// Decoded rows (building segments).
struct RowBuf {
  std::vector<std::vector<uint32_t>> dims;
  std::vector<std::vector<int64_t>> vals;
  std::vector<uint32_t> person;
  std::vector<int64_t> keys;
  RowBuf(size_t nd, size_t nv) : dims(nd), vals(nv) {}
  size_t size() const { return keys.size(); }
  void AddFrom(const SegRef& s) {
    const Segment& g = *s.seg;
    for (uint32_t r = 0; r < g.n; ++r) {
      if (s.Dead(r)) continue;
      for (size_t d = 0; d < dims.size(); ++d) dims[d].push_back(g.DimAt(d, r));
      for (size_t v = 0; v < vals.size(); ++v) vals[v].push_back(g.ValAt(v, r));
      if (!g.person.empty()) person.push_back(g.person[r]);
      keys.push_back(g.keys[r]);
    }
  }
};

// Cluster dimensions of a cube: (dim, level) pairs whose level ids make the
// partition key, coarse first.
using Cluster = std::vector<std::pair<int, int>>;

std::shared_ptr<const Segment> Seal(const RowBuf& rb, const std::vector<std::shared_ptr<const DimDict>>& dicts,
                                    bool has_person, const Cluster& cluster) {
  auto seg = std::make_shared<Segment>();
  size_t n = rb.size();
  seg->n = static_cast<uint32_t>(n);
  std::vector<uint32_t> perm(n);
  for (uint32_t i = 0; i < n; ++i) perm[i] = i;
  // sort by (cluster key, person); the radix sort is stable
  std::vector<uint64_t> k(n, 0);
  {
    uint64_t total = 1;
    for (auto [d, l] : cluster) {
      uint64_t rdx = std::max<size_t>(dicts[d]->levels[l].codes.size(), 1);
      if (total * rdx >= (1ULL << 31)) break;
      total *= rdx;
      const auto& up = dicts[d]->up[l];
      const auto& src = rb.dims[d];
      for (size_t i = 0; i < n; ++i) k[i] = k[i] * rdx + up[src[i]];
    }
    for (size_t i = 0; i < n; ++i) k[i] = k[i] << 32 | (has_person ? rb.person[i] : 0);
  }
  RadixSort(k, perm);
  if (has_person) {
    seg->person.resize(n);
    for (size_t i = 0; i < n; ++i) seg->person[i] = static_cast<uint32_t>(k[i]);
  }
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && (k[j] >> 32) == (k[i] >> 32)) ++j;
    Part pt{static_cast<uint32_t>(i), static_cast<uint32_t>(j), 0, 0};
    if (has_person) pt.pmin = seg->person[i], pt.pmax = seg->person[j - 1];
    seg->parts.push_back(pt);
    i = j;
  }
  seg->dims.resize(rb.dims.size());
  for (size_t d = 0; d < rb.dims.size(); ++d) {
    size_t card = dicts[d]->finest();
    Col& c = seg->dims[d];
    c.width = card <= 256 ? 1 : card <= 65536 ? 2 : 4;
    c.data.resize(n * c.width);
    const auto& src = rb.dims[d];
    if (c.width == 1) for (size_t i = 0; i < n; ++i) c.data[i] = static_cast<uint8_t>(src[perm[i]]);
    else if (c.width == 2) { auto* p = reinterpret_cast<uint16_t*>(c.data.data()); for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint16_t>(src[perm[i]]); }
    else { auto* p = reinterpret_cast<uint32_t*>(c.data.data()); for (size_t i = 0; i < n; ++i) p[i] = src[perm[i]]; }
  }
  {
    size_t nd = rb.dims.size();
    seg->zones.resize(seg->parts.size() * nd);
    for (size_t d = 0; d < nd; ++d) {
      const auto& src = rb.dims[d];
      const std::vector<uint32_t>* year = dicts[d]->kind == DimKind::kMonth ? &dicts[d]->up[0] : nullptr;
      for (size_t pi = 0; pi < seg->parts.size(); ++pi) {
        const Part& pt = seg->parts[pi];
        Zone& z = seg->zones[pi * nd + d];
        uint32_t first = src[perm[pt.lo]];
        bool same = true, same_top = true;
        uint32_t top = year ? (*year)[first] : kNone;
        for (uint32_t r = pt.lo; r < pt.hi; ++r) {
          uint32_t x = src[perm[r]];
          z.mask |= 1ULL << (x & 63);
          same &= x == first;
          if (year) same_top &= (*year)[x] == top;
        }
        z.single = same ? first : kNone;
        z.top = year && same_top ? top : kNone;
      }
    }
  }
  seg->vals.resize(rb.vals.size());
  for (size_t v = 0; v < rb.vals.size(); ++v) {
    const auto& src = rb.vals[v];
    bool fits = std::all_of(src.begin(), src.end(), [](int64_t x) { return x >= INT32_MIN && x <= INT32_MAX; });
    Col& c = seg->vals[v];
    c.width = fits ? 4 : 8;
    c.data.resize(n * c.width);
    if (fits) { auto* p = reinterpret_cast<int32_t*>(c.data.data()); for (size_t i = 0; i < n; ++i) p[i] = static_cast<int32_t>(src[perm[i]]); }
    else { auto* p = reinterpret_cast<int64_t*>(c.data.data()); for (size_t i = 0; i < n; ++i) p[i] = src[perm[i]]; }
  }
  seg->keys.resize(n);
  for (size_t i = 0; i < n; ++i) seg->keys[i] = rb.keys[perm[i]];
  std::vector<uint64_t> kk(n);
  seg->key_order.resize(n);
  for (uint32_t i = 0; i < n; ++i) kk[i] = static_cast<uint64_t>(seg->keys[i]) ^ (1ULL << 63), seg->key_order[i] = i;
  RadixSort(kk, seg->key_order);
  if (n) seg->min_key = seg->keys[seg->key_order.front()], seg->max_key = seg->keys[seg->key_order.back()];
  return seg;
}

// ---- cube -----------------------------------------------------------------------

struct CubeDef {
  CubeSchema schema;
  int region = -1, domain = -1;
  Cluster cluster;  // partition key of segments: year of the first time dim, domain, township
  std::unordered_map<std::string, int> dim_index, measure_index, col_index;
};

struct Snapshot {
  std::shared_ptr<const CubeDef> def;
  std::vector<std::shared_ptr<const DimDict>> dicts;
  std::vector<SegRef> segs;
  uint32_t persons = 0;
  int64_t live = 0, dead = 0, version = 0;
};

struct Cube {
  std::mutex wmu;  // writers
  mutable std::mutex smu;
  std::shared_ptr<const Snapshot> snap;
  std::unordered_map<int64_t, uint32_t> person_ids;
  std::shared_ptr<const Snapshot> Get() const {
    std::lock_guard lk(smu);
    return snap;
  }
  void Set(std::shared_ptr<const Snapshot> s) {
    std::lock_guard lk(smu);
    snap = std::move(s);
  }
};

Status Bad(std::string m) { return Status::InvalidArgument(std::move(m)); }

const char* AggName(Agg a) {
  switch (a) {
    case Agg::kCount: return "count";
    case Agg::kSum: return "sum";
    case Agg::kAvg: return "avg";
    case Agg::kMin: return "min";
    case Agg::kMax: return "max";
    case Agg::kDistinct: return "distinct";
    case Agg::kRatio: return "ratio";
  }
  return "";
}

// ---- query plan -------------------------------------------------------------------

struct AxisDim {
  int dim, level;
};
struct FilterSpec {
  int dim, level;
  std::string op;
  std::vector<std::string> values;
};
struct Threshold {
  int measure;  // index in query measures
  std::string op, level, message;
  double value;
};

// Aggregated values of one group.
struct AggRec {
  int64_t cnt = 0, dcnt = 0;
  int64_t sum[kMaxValueCols], mn[kMaxValueCols], mx[kMaxValueCols];
};
struct MV {
  bool null = true, is_int = false;
  int64_t i = 0;
  double d = 0;
  double num() const { return is_int ? static_cast<double>(i) : d; }
};

MV EvalMeasure(const CubeDef& def, int m, const AggRec& a) {
  const MeasureDef& md = def.schema.measures[m];
  MV r;
  if (md.agg == Agg::kRatio) {
    MV n = EvalMeasure(def, def.measure_index.at(md.num), a);
    MV d = EvalMeasure(def, def.measure_index.at(md.den), a);
    if (n.null || d.null || d.num() == 0) return r;
    r.null = false;
    r.d = n.num() / d.num();
    return r;
  }
  if (a.cnt == 0) return r;
  r.null = false;
  r.is_int = true;
  int c = md.column.empty() ? 0 : def.col_index.at(md.column);
  switch (md.agg) {
    case Agg::kCount: r.i = a.cnt; break;
    case Agg::kSum: r.i = a.sum[c]; break;
    case Agg::kMin: r.i = a.mn[c]; break;
    case Agg::kMax: r.i = a.mx[c]; break;
    case Agg::kDistinct: r.i = a.dcnt; break;
    case Agg::kAvg:
      r.is_int = false;
      r.d = static_cast<double>(a.sum[c]) / static_cast<double>(a.cnt);
      break;
    default: break;
  }
  return r;
}

json::value ToJson(const MV& v) {
  if (v.null) return nullptr;
  if (v.is_int) return v.i;
  return v.d;
}

int CmpMV(const MV& a, const MV& b) {
  if (a.is_int && b.is_int) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  double x = a.num(), y = b.num();
  return x < y ? -1 : x > y ? 1 : 0;
}

struct Needs {
  bool distinct = false;
  std::vector<int> sum_cols, min_cols, max_cols;
};
void CollectNeeds(const CubeDef& def, int m, Needs& n) {
  const MeasureDef& md = def.schema.measures[m];
  auto add = [](std::vector<int>& v, int c) {
    if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  };
  switch (md.agg) {
    case Agg::kRatio:
      CollectNeeds(def, def.measure_index.at(md.num), n);
      CollectNeeds(def, def.measure_index.at(md.den), n);
      break;
    case Agg::kDistinct: n.distinct = true; break;
    case Agg::kSum:
    case Agg::kAvg: add(n.sum_cols, def.col_index.at(md.column)); break;
    case Agg::kMin: add(n.min_cols, def.col_index.at(md.column)); break;
    case Agg::kMax: add(n.max_cols, def.col_index.at(md.column)); break;
    default: break;
  }
}

// Per-thread scan state.
struct TState {
  std::vector<int64_t> cnt;
  std::vector<std::vector<int64_t>> sum, mn, mx;  // by needs index
  std::vector<uint64_t> bits;
  std::vector<int64_t> dcnt;
  std::vector<uint64_t> pairs;
  std::unordered_set<uint64_t> rkeys, ckeys;  // pass 1
  int64_t excluded = 0;
  uint32_t sel[kBlock], selc[kBlock], selp[kBlock];
  uint64_t rk[kBlock], ck[kBlock];
  uint32_t gid[kBlock], gid2[kBlock];
};

struct GroupPart {
  int dim;
  bool row;
  std::vector<uint64_t> pmap;  // finest id → level id × stride
  bool year = false;           // kMonth dim grouped by year: key = zone top × stride
  uint64_t stride = 0;
};

// What a filter table passes, summarised for zone tests: passH/failH have bit
// (id & 63) of the passing/failing finest ids; ystate (kMonth dims) per year
// id: 0 no month passes, 1 every month passes, 2 some.
struct FInfo {
  uint64_t passH = 0, failH = 0;
  std::vector<uint8_t> ystate;
};

FInfo Summarise(const DimDict& dict, const std::vector<uint8_t>& tab) {
  FInfo f;
  size_t nf = dict.finest();
  if (dict.kind == DimKind::kMonth) f.ystate.assign(dict.levels[0].codes.size(), 3);  // 3 = none seen yet
  for (size_t x = 0; x < nf; ++x) {
    (tab[x] ? f.passH : f.failH) |= 1ULL << (x & 63);
    if (!f.ystate.empty()) {
      uint8_t& y = f.ystate[dict.up[0][x]];
      uint8_t v = tab[x] ? 1 : 0;
      y = y == 3 ? v : y == v ? v : 2;
    }
  }
  for (auto& y : f.ystate)
    if (y == 3) y = 0;
  return f;
}

// 0: no row of the zone passes, 1: every row passes, 2: test per row.
int ZoneTest(const Zone& z, const std::vector<uint8_t>& tab, const FInfo& f) {
  if (z.single != kNone) return tab[z.single] ? 1 : 0;
  if (z.top != kNone && z.top < f.ystate.size() && f.ystate[z.top] != 2) return f.ystate[z.top];
  if (!(z.mask & f.passH)) return 0;
  if (!(z.mask & f.failH)) return 1;
  return 2;
}

// A partition (or a piece of one) to scan, with what the zones decided.
struct Item {
  uint32_t seg = 0, part = 0, lo = 0, hi = 0;
  uint64_t fmask = 0;          // filters tested per row (bit i: Plan::filters[i])
  uint32_t vmask = 0;          // group parts varying per row (bit i: Plan::parts[i])
  uint64_t rk0 = 0, ck0 = 0;   // constant key parts
  uint8_t tcur = 1, tprev = 0;  // time tables: 0 none, 1 all, 2 per row
  bool rvar = false, cvar = false;
  bool tconst = false;  // current time key constant (tkey)
  uint64_t tkey = 0;
  bool scope_row = false;  // scope tested per row
};

struct Plan {
  const Snapshot* snap;
  const CubeDef* def;
  std::vector<std::pair<int, std::vector<uint8_t>>> filters;  // dim → table
  std::vector<FInfo> finfo;                                   // per filter
  bool scope_on = false;
  std::vector<uint8_t> scope_tab;  // domain id × region count + region id
  uint32_t nreg = 0;
  std::vector<GroupPart> parts;
  // compare
  int tdim = -1;
  bool trow = false;
  std::vector<uint8_t> tcur, tprev;
  std::vector<uint64_t> tmap, tprevmap;
  FInfo tcur_info, tprev_info;
  bool tyear = false;  // time grouped by year
  uint64_t tstride = 0;
  // keys
  bool dense = true;
  uint64_t rspace = 1, cspace = 1;
  FlatMap rmap, cmap;
  uint64_t R = 1, C = 1, G = 1, Gc = 1;  // rows, cols, cells, cells (+prev)
  bool totals_d = false;  // distinct totals sets
  uint64_t D = 0;         // distinct id space
  Needs needs;
  // distinct
  bool use_bits = true;
  uint32_t chunk_persons = 64;
  uint32_t chunk_words = 1;

  // The item of partition `pi` of segment `s`; false when no row of it can
  // pass. *excluded: it was dropped by the scope alone.
  bool MakeItem(const SegRef& sr, uint32_t s, uint32_t pi, Item& it, bool* excluded) const {
    const Segment& g = *sr.seg;
    const Part& pt = g.parts[pi];
    *excluded = false;
    it = Item{};
    it.seg = s, it.part = pi, it.lo = pt.lo, it.hi = pt.hi;
    for (size_t fi = 0; fi < filters.size(); ++fi) {
      int r = ZoneTest(g.Z(pi, filters[fi].first), filters[fi].second, finfo[fi]);
      if (r == 0) return false;
      if (r == 2) it.fmask |= 1ULL << fi;
    }
    if (tdim >= 0) {
      const Zone& z = g.Z(pi, tdim);
      it.tcur = static_cast<uint8_t>(ZoneTest(z, tcur, tcur_info));
      it.tprev = static_cast<uint8_t>(ZoneTest(z, tprev, tprev_info));
      if (!it.tcur && !it.tprev) return false;
      if (z.single != kNone) it.tconst = true, it.tkey = tmap[z.single];
      else if (tyear && z.top != kNone) it.tconst = true, it.tkey = z.top * tstride;
    }
    for (size_t gi = 0; gi < parts.size(); ++gi) {
      const GroupPart& gp = parts[gi];
      const Zone& z = g.Z(pi, gp.dim);
      uint64_t& k0 = gp.row ? it.rk0 : it.ck0;
      if (z.single != kNone) {
        k0 += gp.pmap[z.single];
      } else if (gp.year && z.top != kNone) {
        k0 += z.top * gp.stride;
      } else {
        it.vmask |= 1u << gi;
        (gp.row ? it.rvar : it.cvar) = true;
      }
    }
    if (scope_on) {
      uint32_t reg = g.Z(pi, def->region).single;
      uint32_t dom = def->domain >= 0 ? g.Z(pi, def->domain).single : 0;
      if (reg == kNone || dom == kNone) {
        it.scope_row = true;
      } else if (!scope_tab[dom * nreg + reg]) {
        *excluded = it.tcur != 0;
        return false;
      }
    }
    return true;
  }
};

template <class T>
int FilterTab(const T* col, const uint8_t* tab, const uint32_t* in, int n, uint32_t* out, uint32_t lo) {
  int m = 0;
  for (int j = 0; j < n; ++j) {
    uint32_t i = in[j];
    out[m] = i;
    m += tab[col[lo + i]];
  }
  return m;
}
template <class T>
void AddKey(const T* col, const uint64_t* pmap, const uint32_t* sel, int n, uint64_t* key, uint32_t lo, bool first) {
  if (first) for (int j = 0; j < n; ++j) key[sel[j]] = pmap[col[lo + sel[j]]];
  else for (int j = 0; j < n; ++j) key[sel[j]] += pmap[col[lo + sel[j]]];
}

#if defined(__x86_64__)
__attribute__((target("popcnt")))
#endif
int64_t CountAndClear(uint64_t* w, uint32_t n) {
  int64_t c = 0;
  for (uint32_t k = 0; k < n; ++k) c += __builtin_popcountll(w[k]), w[k] = 0;
  return c;
}

class Scanner {
 public:
  Scanner(const Plan& p) : p_(p) {}

  // Pass 1 (remap mode): collect row/col keys.
  void CollectKeys(TState& t, const SegRef& s, const Item& it, uint32_t lo, uint32_t hi) {
    int nc = 0, np = 0;
    if (!Select(t, s, it, lo, hi, nc, np, true)) return;
    for (int j = 0; j < nc; ++j) {
      uint32_t i = t.selc[j];
      uint64_t tv = p_.tdim >= 0 ? (it.tconst ? it.tkey : p_.tmap[TimeAt(s, lo + i)]) : 0;
      t.rkeys.insert(RowKey(t, it, i) + (p_.trow ? tv : 0));
      t.ckeys.insert(ColKey(t, it, i) + (p_.trow ? 0 : tv));
    }
    for (int j = 0; j < np; ++j) {
      uint32_t i = t.selp[j];
      uint64_t tv = p_.tprevmap[TimeAt(s, lo + i)];
      t.rkeys.insert(RowKey(t, it, i) + (p_.trow ? tv : 0));
      t.ckeys.insert(ColKey(t, it, i) + (p_.trow ? 0 : tv));
    }
  }

  // Pass 2: aggregate rows [lo, hi) of an item; person_base for bitmaps.
  void Aggregate(TState& t, const SegRef& s, const Item& it, uint32_t lo, uint32_t hi, uint32_t person_base) {
    int nc = 0, np = 0;
    if (!Select(t, s, it, lo, hi, nc, np, true)) return;
    if (nc) {
      if (!it.rvar && !it.cvar && (p_.tdim < 0 || it.tconst)) {
        uint64_t r = it.rk0, c = it.ck0;
        if (p_.tdim >= 0) (p_.trow ? r : c) += it.tkey;
        uint64_t g = p_.dense ? r * p_.C + c : p_.rmap.Get(r) * p_.C + p_.cmap.Get(c);
        AccumulateConst(t, *s.seg, lo, t.selc, nc, nc == static_cast<int>(hi - lo), g, person_base);
      } else {
        Gids(t, s, it, lo, t.selc, nc, false);
        Accumulate(t, *s.seg, lo, t.selc, nc, person_base, true);
      }
    }
    if (np) {
      Gids(t, s, it, lo, t.selp, np, true);
      Accumulate(t, *s.seg, lo, t.selp, np, person_base, false);
    }
  }

  // Whether some row of [lo, hi) passes the filters (scope ignored).
  bool AnyPasses(TState& t, const SegRef& s, const Item& it, uint32_t lo, uint32_t hi) {
    int nc = 0, np = 0;
    Select(t, s, it, lo, hi, nc, np, false);
    return nc > 0;
  }

 private:
  uint32_t TimeAt(const SegRef& s, uint32_t r) const { return s.seg->DimAt(p_.tdim, r); }
  static uint64_t RowKey(const TState& t, const Item& it, uint32_t i) { return it.rk0 + (it.rvar ? t.rk[i] : 0); }
  static uint64_t ColKey(const TState& t, const Item& it, uint32_t i) { return it.ck0 + (it.cvar ? t.ck[i] : 0); }

  // Fills t.selc (current) and t.selp (previous period) with row offsets,
  // t.rk/t.ck with the varying key parts without the compare time dim.
  bool Select(TState& t, const SegRef& s, const Item& it, uint32_t lo, uint32_t hi, int& nc, int& np, bool scope_on) {
    const Segment& g = *s.seg;
    int n = 0;
    nc = np = 0;
    uint32_t len = hi - lo;
    if (s.dead) {
      const Bits& b = *s.dead;
      for (uint32_t i = 0; i < len; ++i) {
        uint32_t r = lo + i;
        t.sel[n] = i;
        n += !(b[r >> 6] >> (r & 63) & 1);
      }
    } else {
      for (uint32_t i = 0; i < len; ++i) t.sel[i] = i;
      n = static_cast<int>(len);
    }
    for (uint64_t fm = it.fmask; fm; fm &= fm - 1) {
      if (!n) return false;
      const auto& [d, tab] = p_.filters[std::countr_zero(fm)];
      WithDim(g.dims[d], [&](auto col) { n = FilterTab(col, tab.data(), t.sel, n, t.sel, lo); });
    }
    if (!n) return false;
    // varying group key parts
    bool rfirst = true, cfirst = true;
    for (uint32_t vm = it.vmask; vm; vm &= vm - 1) {
      const GroupPart& gp = p_.parts[std::countr_zero(vm)];
      uint64_t* key = gp.row ? t.rk : t.ck;
      bool& first = gp.row ? rfirst : cfirst;
      WithDim(g.dims[gp.dim], [&](auto col) { AddKey(col, gp.pmap.data(), t.sel, n, key, lo, first); });
      first = false;
    }
    auto copy_or_filter = [&](uint8_t mode, const std::vector<uint8_t>& tab, uint32_t* out) {
      if (mode == 0) return 0;
      if (mode == 1) {
        std::memcpy(out, t.sel, n * sizeof(uint32_t));
        return n;
      }
      int m = 0;
      WithDim(g.dims[p_.tdim], [&](auto col) { m = FilterTab(col, tab.data(), t.sel, n, out, lo); });
      return m;
    };
    if (p_.tdim >= 0) {
      nc = copy_or_filter(it.tcur, p_.tcur, t.selc);
      np = copy_or_filter(it.tprev, p_.tprev, t.selp);
    } else {
      std::memcpy(t.selc, t.sel, n * sizeof(uint32_t));
      nc = n;
    }
    if (scope_on && it.scope_row) {
      const uint8_t* tab = p_.scope_tab.data();
      auto scope = [&](uint32_t* sel, int cnt) {
        int m = 0;
        const Col& rc = g.dims[p_.def->region];
        if (p_.def->domain >= 0) {
          for (int j = 0; j < cnt; ++j) {
            uint32_t i = sel[j];
            sel[m] = i;
            m += tab[g.DimAt(p_.def->domain, lo + i) * p_.nreg + g.DimAt(p_.def->region, lo + i)];
          }
        } else {
          WithDim(rc, [&](auto col) { m = FilterTab(col, tab, sel, cnt, sel, lo); });
        }
        return m;
      };
      int before = nc;
      nc = scope(t.selc, nc);
      t.excluded += before - nc;
      if (np) np = scope(t.selp, np);
    }
    return nc + np > 0;
  }

  void Gids(TState& t, const SegRef& s, const Item& it, uint32_t lo, const uint32_t* sel, int n, bool prev) {
    const std::vector<uint64_t>* tm = p_.tdim < 0 ? nullptr : prev ? &p_.tprevmap : &p_.tmap;
    bool tc = !prev && it.tconst;
    uint64_t off = prev ? p_.G : 0;
    const Segment& g = *s.seg;
    for (int j = 0; j < n; ++j) {
      uint32_t i = sel[j];
      uint64_t r = RowKey(t, it, i), c = ColKey(t, it, i);
      if (tm) {
        uint64_t tv = tc ? it.tkey : (*tm)[g.DimAt(p_.tdim, lo + i)];
        if (p_.trow) r += tv;
        else c += tv;
      }
      if (p_.dense) {
        t.gid[i] = static_cast<uint32_t>(off + r * p_.C + c);
      } else {
        uint64_t rr = p_.rmap.Get(r), cc = p_.cmap.Get(c);
        t.gid[i] = static_cast<uint32_t>(off + rr * p_.C + cc);
      }
    }
  }

  // All selected rows in one group g (current period); full: sel is lo..hi.
  void AccumulateConst(TState& t, const Segment& g, uint32_t lo, const uint32_t* sel, int n, bool full, uint64_t gg,
                       uint32_t pbase) {
    t.cnt[gg] += n;
    const Needs& nd = p_.needs;
    for (size_t k = 0; k < nd.sum_cols.size(); ++k) {
      int64_t acc = 0;
      WithVal(g.vals[nd.sum_cols[k]], [&](auto v) {
        if (full) for (int j = 0; j < n; ++j) acc += v[lo + j];
        else for (int j = 0; j < n; ++j) acc += v[lo + sel[j]];
      });
      t.sum[k][gg] += acc;
    }
    for (size_t k = 0; k < nd.min_cols.size(); ++k) {
      int64_t acc = t.mn[k][gg];
      WithVal(g.vals[nd.min_cols[k]], [&](auto v) {
        for (int j = 0; j < n; ++j) { int64_t x = v[lo + sel[j]]; acc = x < acc ? x : acc; }
      });
      t.mn[k][gg] = acc;
    }
    for (size_t k = 0; k < nd.max_cols.size(); ++k) {
      int64_t acc = t.mx[k][gg];
      WithVal(g.vals[nd.max_cols[k]], [&](auto v) {
        for (int j = 0; j < n; ++j) { int64_t x = v[lo + sel[j]]; acc = x > acc ? x : acc; }
      });
      t.mx[k][gg] = acc;
    }
    if (!nd.distinct) return;
    const uint32_t* person = g.person.data() + lo;
    uint64_t slots[4] = {gg, 0, 0, 0};
    int ns = 1;
    if (p_.totals_d) {
      uint64_t r = gg / p_.C, c = gg % p_.C;
      slots[1] = p_.Gc + r, slots[2] = p_.Gc + p_.R + c, slots[3] = p_.Gc + p_.R + p_.C;
      ns = 4;
    }
    uint32_t last = UINT32_MAX;
    if (p_.use_bits) {
      uint32_t w = p_.chunk_words;
      for (int si = 0; si < ns; ++si) {
        uint64_t* bits = t.bits.data() + slots[si] * w;
        last = UINT32_MAX;
        for (int j = 0; j < n; ++j) {
          uint32_t pl = person[sel[j]] - pbase;
          if (pl == last) continue;
          last = pl;
          bits[pl >> 6] |= 1ULL << (pl & 63);
        }
      }
    } else {
      for (int j = 0; j < n; ++j) {
        uint32_t pl = person[sel[j]] - pbase;
        if (pl == last) continue;
        last = pl;
        for (int si = 0; si < ns; ++si) t.pairs.push_back(slots[si] << 32 | pl);
      }
    }
  }

  void Accumulate(TState& t, const Segment& g, uint32_t lo, const uint32_t* sel, int n, uint32_t pbase, bool cur) {
    int64_t* cnt = t.cnt.data();
    for (int j = 0; j < n; ++j) ++cnt[t.gid[sel[j]]];
    const Needs& nd = p_.needs;
    for (size_t k = 0; k < nd.sum_cols.size(); ++k) {
      int64_t* a = t.sum[k].data();
      WithVal(g.vals[nd.sum_cols[k]], [&](auto v) {
        for (int j = 0; j < n; ++j) a[t.gid[sel[j]]] += v[lo + sel[j]];
      });
    }
    for (size_t k = 0; k < nd.min_cols.size(); ++k) {
      int64_t* a = t.mn[k].data();
      WithVal(g.vals[nd.min_cols[k]], [&](auto v) {
        for (int j = 0; j < n; ++j) { int64_t x = v[lo + sel[j]]; int64_t& y = a[t.gid[sel[j]]]; y = x < y ? x : y; }
      });
    }
    for (size_t k = 0; k < nd.max_cols.size(); ++k) {
      int64_t* a = t.mx[k].data();
      WithVal(g.vals[nd.max_cols[k]], [&](auto v) {
        for (int j = 0; j < n; ++j) { int64_t x = v[lo + sel[j]]; int64_t& y = a[t.gid[sel[j]]]; y = x > y ? x : y; }
      });
    }
    if (!nd.distinct) return;
    const uint32_t* person = g.person.data() + lo;
    auto emit = [&](auto&& put) {
      for (int j = 0; j < n; ++j) {
        uint32_t i = sel[j];
        uint32_t pl = person[i] - pbase;
        uint64_t gg = t.gid[i];
        put(gg, pl);
        if (cur && p_.totals_d) {
          uint64_t r = gg / p_.C, c = gg % p_.C;
          put(p_.Gc + r, pl);
          put(p_.Gc + p_.R + c, pl);
          put(p_.Gc + p_.R + p_.C, pl);
        }
      }
    };
    if (p_.use_bits) {
      uint64_t* bits = t.bits.data();
      uint32_t w = p_.chunk_words;
      emit([&](uint64_t gg, uint32_t pl) { bits[gg * w + (pl >> 6)] |= 1ULL << (pl & 63); });
    } else {
      emit([&](uint64_t gg, uint32_t pl) { t.pairs.push_back(gg << 32 | pl); });
    }
  }

  const Plan& p_;
};

// ---- result cache ------------------------------------------------------------------

class Cache {
 public:
  explicit Cache(size_t cap) : cap_(cap) {}
  std::optional<json::object> Get(const std::string& k) {
    std::lock_guard lk(mu_);
    auto it = map_.find(k);
    if (it == map_.end()) return std::nullopt;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }
  void Put(const std::string& cube, const std::string& k, json::object v) {
    if (cap_ == 0) return;
    std::lock_guard lk(mu_);
    if (map_.count(k)) return;
    lru_.emplace_front(cube + "\x1f" + k, std::move(v));
    map_[k] = lru_.begin();
    while (lru_.size() > cap_) {
      auto& back = lru_.back();
      map_.erase(back.first.substr(back.first.find('\x1f') + 1));
      lru_.pop_back();
    }
  }
  void Drop(std::string_view cube) {
    std::lock_guard lk(mu_);
    std::string prefix = std::string(cube) + "\x1f";
    for (auto it = lru_.begin(); it != lru_.end();) {
      if (it->first.compare(0, prefix.size(), prefix) == 0) {
        map_.erase(it->first.substr(prefix.size()));
        it = lru_.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  size_t cap_;
  std::mutex mu_;
  std::list<std::pair<std::string, json::object>> lru_;
  std::unordered_map<std::string, std::list<std::pair<std::string, json::object>>::iterator> map_;
};

}  // namespace

// ---- Scope ------------------------------------------------------------------------

std::string Scope::CacheKey() const {
  if (all) return "*";
  std::string k;
  for (auto& [d, s] : domains) {
    k += d;
    k += '=';
    if (!s) {
      k += '*';
    } else {
      for (auto& c : *s) k += c + ",";
    }
    k += ';';
  }
  return k;
}

// ---- Engine ------------------------------------------------------------------------

struct Engine::Impl {
  EngineOptions opt;
  std::unique_ptr<Pool> pool;
  mutable Cache cache;
  mutable std::shared_mutex mu;  // cubes map
  std::vector<std::string> order;
  std::unordered_map<std::string, std::unique_ptr<Cube>> cubes;

  explicit Impl(EngineOptions o) : opt(o), cache(o.cache_entries) {
    int n = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    pool = std::make_unique<Pool>(n);
  }

  Cube* Find(std::string_view name) const {
    std::shared_lock lk(mu);
    auto it = cubes.find(std::string(name));
    return it == cubes.end() ? nullptr : it->second.get();
  }

  Result<json::object> Run(const json::value& q, const Scope& scope) const;
  Status Apply(Cube& c, const FactBatch& b);
};

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(options)) {}
Engine::~Engine() = default;

Status Engine::DefineCube(CubeSchema s) {
  if (s.name.empty()) return Bad("数据立方体名称不能为空");
  auto def = std::make_shared<CubeDef>();
  if (s.dims.empty()) return Bad("数据立方体「" + s.name + "」没有维度");
  if (s.value_columns.size() > kMaxValueCols) return Bad("数值列最多16个");
  for (size_t i = 0; i < s.value_columns.size(); ++i)
    if (!def->col_index.emplace(s.value_columns[i], static_cast<int>(i)).second)
      return Bad("数值列重复：" + s.value_columns[i]);
  for (size_t i = 0; i < s.dims.size(); ++i) {
    auto& d = s.dims[i];
    if (d.name.empty()) return Bad("维度名称不能为空");
    if (!def->dim_index.emplace(d.name, static_cast<int>(i)).second) return Bad("维度重复：" + d.name);
    if (d.kind == DimKind::kMonth) {
      d.levels = {{"year", "年"}, {"quarter", "季度"}, {"month", "月"}};
    }
    if (d.levels.empty()) return Bad("维度「" + d.name + "」没有层级");
    std::set<std::string> ln;
    for (auto& l : d.levels)
      if (l.name.empty() || !ln.insert(l.name).second) return Bad("维度「" + d.name + "」的层级名称重复或为空");
    std::set<std::string> mc;
    for (auto& m : d.members) {
      if (!mc.insert(m.code).second) return Bad("维度「" + d.name + "」的成员重复：" + m.code);
      if (d.kind == DimKind::kCode && m.parents.size() != d.levels.size() - 1)
        return Bad("维度「" + d.name + "」的成员「" + m.code + "」上级层级数不符");
    }
  }
  for (size_t i = 0; i < s.measures.size(); ++i) {
    auto& m = s.measures[i];
    if (m.name.empty()) return Bad("指标名称不能为空");
    if (!def->measure_index.emplace(m.name, static_cast<int>(i)).second) return Bad("指标重复：" + m.name);
  }
  if (s.measures.empty()) return Bad("数据立方体「" + s.name + "」没有指标");
  for (auto& m : s.measures) {
    switch (m.agg) {
      case Agg::kSum: case Agg::kAvg: case Agg::kMin: case Agg::kMax:
        if (!def->col_index.count(m.column)) return Bad("指标「" + m.name + "」引用了未知的数值列：" + m.column);
        break;
      case Agg::kDistinct:
        if (!s.has_person) return Bad("指标「" + m.name + "」需要人员列");
        break;
      case Agg::kRatio:
        if (!def->measure_index.count(m.num) || !def->measure_index.count(m.den))
          return Bad("比率指标「" + m.name + "」引用了未知的指标");
        break;
      default: break;
    }
  }
  // ratio cycles
  for (size_t i = 0; i < s.measures.size(); ++i) {
    std::function<bool(int, int)> cyc = [&](int m, int depth) -> bool {
      if (depth > static_cast<int>(s.measures.size())) return true;
      auto& md = s.measures[m];
      if (md.agg != Agg::kRatio) return false;
      return cyc(def->measure_index.at(md.num), depth + 1) || cyc(def->measure_index.at(md.den), depth + 1);
    };
    if (cyc(static_cast<int>(i), 0)) return Bad("比率指标「" + s.measures[i].name + "」存在循环引用");
  }
  auto rit = def->dim_index.find(s.region_dim);
  if (rit == def->dim_index.end()) return Bad("数据立方体「" + s.name + "」缺少区域维度");
  def->region = rit->second;
  if (!s.domain_dim.empty()) {
    auto dit = def->dim_index.find(s.domain_dim);
    if (dit == def->dim_index.end()) return Bad("未知的业务领域维度：" + s.domain_dim);
    def->domain = dit->second;
  } else if (s.fixed_domain.empty()) {
    return Bad("数据立方体「" + s.name + "」缺少业务领域");
  }
  auto snap = std::make_shared<Snapshot>();
  for (auto& d : s.dims) {
    auto dd = std::make_shared<DimDict>();
    dd->kind = d.kind;
    dd->levels.resize(d.levels.size());
    dd->up.resize(d.levels.size());
    for (auto& pl : d.parent_labels) {
      for (size_t l = 0; l < d.levels.size(); ++l)
        if (d.levels[l].name == pl.level) dd->parent_labels[{d.levels.size() > 1 ? std::to_string(l) : "", pl.code}] = pl.label;
    }
    for (auto& m : d.members) dd->Add(m.code, &m.parents, &m.label);
    dd->Rank();
    snap->dicts.push_back(std::move(dd));
  }
  for (size_t i = 0; i < s.dims.size(); ++i)
    if (s.dims[i].kind == DimKind::kMonth) {
      def->cluster.push_back({static_cast<int>(i), 0});
      break;
    }
  if (def->domain >= 0) def->cluster.push_back({def->domain, static_cast<int>(s.dims[def->domain].levels.size()) - 1});
  def->cluster.push_back({def->region, static_cast<int>(s.dims[def->region].levels.size()) - 1});
  def->schema = std::move(s);
  snap->def = def;
  std::string name = def->schema.name;
  std::unique_lock lk(impl_->mu);
  auto& slot = impl_->cubes[name];
  if (!slot) {
    slot = std::make_unique<Cube>();
    impl_->order.push_back(name);
  } else {
    std::lock_guard wl(slot->wmu);
    snap->version = slot->Get()->version + 1;
    slot->person_ids.clear();
  }
  slot->Set(std::move(snap));
  impl_->cache.Drop(name);
  return Status::Ok();
}

Status Engine::AddMembers(std::string_view cube, std::string_view dim, const std::vector<MemberDef>& members) {
  Cube* c = impl_->Find(cube);
  if (!c) return Bad("未知的数据立方体：" + std::string(cube));
  std::lock_guard wl(c->wmu);
  auto old = c->Get();
  auto it = old->def->dim_index.find(std::string(dim));
  if (it == old->def->dim_index.end()) return Bad("未知的维度：" + std::string(dim));
  int d = it->second;
  const auto& dd = *old->dicts[d];
  if (dd.kind != DimKind::kCode) return Bad("时间维度不能添加成员");
  for (auto& m : members)
    if (m.parents.size() != dd.levels.size() - 1) return Bad("成员「" + m.code + "」上级层级数不符");
  auto nd = std::make_shared<DimDict>(dd);
  for (auto& m : members) nd->Add(m.code, &m.parents, &m.label);
  nd->Rank();
  auto ns = std::make_shared<Snapshot>(*old);
  // A finest id beyond the width of existing segments cannot appear in them, so
  // widening is only a matter of new segments.
  ns->dicts[d] = std::move(nd);
  ns->version++;
  c->Set(std::move(ns));
  impl_->cache.Drop(cube);
  return Status::Ok();
}

Status Engine::Clear(std::string_view cube) {
  Cube* c = impl_->Find(cube);
  if (!c) return Bad("未知的数据立方体：" + std::string(cube));
  std::lock_guard wl(c->wmu);
  auto ns = std::make_shared<Snapshot>(*c->Get());
  ns->segs.clear();
  ns->live = ns->dead = 0;
  ns->version++;
  c->Set(std::move(ns));
  impl_->cache.Drop(cube);
  return Status::Ok();
}

Status Engine::Apply(std::string_view cube, const FactBatch& b) {
  Cube* c = impl_->Find(cube);
  if (!c) return Bad("未知的数据立方体：" + std::string(cube));
  HRSS_RETURN_IF_ERROR(impl_->Apply(*c, b));
  impl_->cache.Drop(cube);
  return Status::Ok();
}

Status Engine::Impl::Apply(Cube& c, const FactBatch& b) {
  std::lock_guard wl(c.wmu);
  auto old = c.Get();
  const CubeDef& def = *old->def;
  const CubeSchema& s = def.schema;
  size_t n = b.keys.size(), nd = s.dims.size(), nv = s.value_columns.size();
  if (b.dims.size() != nd) return Bad("批次的维度列数与数据立方体不符");
  for (auto& d : b.dims)
    if (d.size() != n) return Bad("批次的维度列行数不符");
  if (b.values.size() != nv) return Bad("批次的数值列数与数据立方体不符");
  for (auto& v : b.values)
    if (v.size() != n) return Bad("批次的数值列行数不符");
  if (s.has_person ? b.person.size() != n : !b.person.empty()) return Bad("批次的人员列行数不符");
  if (n == 0 && b.deletes.empty()) return Status::Ok();

  // last occurrence of each key wins; deletes apply after upserts
  std::unordered_set<int64_t> deleted(b.deletes.begin(), b.deletes.end());
  std::unordered_map<int64_t, uint32_t> last;
  last.reserve(n);
  for (uint32_t i = 0; i < n; ++i) last[b.keys[i]] = i;
  std::vector<uint32_t> rows;
  rows.reserve(last.size());
  for (uint32_t i = 0; i < n; ++i)
    if (last[b.keys[i]] == i && !deleted.count(b.keys[i])) rows.push_back(i);

  // tombstones
  std::vector<int64_t> touch;
  touch.reserve(last.size() + deleted.size());
  for (auto& [k, i] : last) touch.push_back(k);
  for (auto k : deleted)
    if (!last.count(k)) touch.push_back(k);
  std::sort(touch.begin(), touch.end());
  auto ns = std::make_shared<Snapshot>(*old);
  std::vector<std::shared_ptr<Bits>> nbits(ns->segs.size());
  bool changed = !rows.empty();
  int64_t killed = 0;
  for (size_t si = 0; si < ns->segs.size(); ++si) {
    SegRef& sr = ns->segs[si];
    const Segment& g = *sr.seg;
    auto lo = std::lower_bound(touch.begin(), touch.end(), g.min_key);
    for (auto it = lo; it != touch.end() && *it <= g.max_key; ++it) {
      auto kb = std::lower_bound(g.key_order.begin(), g.key_order.end(), *it,
                                 [&](uint32_t r, int64_t k) { return g.keys[r] < k; });
      for (; kb != g.key_order.end() && g.keys[*kb] == *it; ++kb) {
        uint32_t r = *kb;
        if (nbits[si] ? ((*nbits[si])[r >> 6] >> (r & 63) & 1) : sr.Dead(r)) continue;
        if (!nbits[si]) nbits[si] = sr.dead ? std::make_shared<Bits>(*sr.dead) : std::make_shared<Bits>((g.n + 63) / 64, 0);
        (*nbits[si])[r >> 6] |= 1ULL << (r & 63);
        ++sr.ndead;
        ++killed;
      }
    }
    if (nbits[si]) sr.dead = nbits[si];
  }
  if (killed) changed = true;
  if (!changed) return Status::Ok();

  // dictionaries and persons
  std::vector<std::shared_ptr<DimDict>> ndicts(nd);
  RowBuf rb(nd, nv);
  for (size_t d = 0; d < nd; ++d) {
    const DimDict* dict = ns->dicts[d].get();
    auto& out = rb.dims[d];
    out.resize(rows.size());
    for (size_t j = 0; j < rows.size(); ++j) {
      const std::string& code = b.dims[d][rows[j]];
      uint32_t id = dict->levels.back().Find(code);
      if (id == kNone) {
        if (!ndicts[d]) {
          ndicts[d] = std::make_shared<DimDict>(*dict);
          dict = ndicts[d].get();
        }
        id = ndicts[d]->Add(code, nullptr, nullptr);
      }
      out[j] = id;
    }
    if (ndicts[d]) {
      ndicts[d]->Rank();
      ns->dicts[d] = ndicts[d];
    }
  }
  for (size_t v = 0; v < nv; ++v) {
    rb.vals[v].resize(rows.size());
    for (size_t j = 0; j < rows.size(); ++j) rb.vals[v][j] = b.values[v][rows[j]];
  }
  rb.keys.resize(rows.size());
  for (size_t j = 0; j < rows.size(); ++j) rb.keys[j] = b.keys[rows[j]];
  if (s.has_person) {
    rb.person.resize(rows.size());
    for (size_t j = 0; j < rows.size(); ++j) {
      auto [it, fresh] = c.person_ids.try_emplace(b.person[rows[j]], static_cast<uint32_t>(c.person_ids.size()));
      (void)fresh;
      rb.person[j] = it->second;
    }
    ns->persons = static_cast<uint32_t>(c.person_ids.size());
  }

  // compaction of mostly dead segments
  std::vector<SegRef> segs;
  for (auto& sr : ns->segs) {
    if (sr.ndead == sr.seg->n) continue;
    if (sr.ndead * 4 >= sr.seg->n) {
      RowBuf keep(nd, nv);
      keep.AddFrom(sr);
      segs.push_back({Seal(keep, ns->dicts, s.has_person, def.cluster), nullptr, 0});
    } else {
      segs.push_back(sr);
    }
  }
  // new rows
  for (size_t at = 0; at < rb.size(); at += kSegMax) {
    size_t end = std::min(rb.size(), at + kSegMax);
    if (at == 0 && end == rb.size()) {
      segs.push_back({Seal(rb, ns->dicts, s.has_person, def.cluster), nullptr, 0});
    } else {
      RowBuf part(nd, nv);
      for (size_t d = 0; d < nd; ++d) part.dims[d].assign(rb.dims[d].begin() + at, rb.dims[d].begin() + end);
      for (size_t v = 0; v < nv; ++v) part.vals[v].assign(rb.vals[v].begin() + at, rb.vals[v].begin() + end);
      if (s.has_person) part.person.assign(rb.person.begin() + at, rb.person.begin() + end);
      part.keys.assign(rb.keys.begin() + at, rb.keys.begin() + end);
      segs.push_back({Seal(part, ns->dicts, s.has_person, def.cluster), nullptr, 0});
    }
  }
  // binary-counter merging of the newest segments
  while (segs.size() >= 2) {
    auto& a = segs[segs.size() - 2];
    auto& z = segs.back();
    if (a.live() + z.live() > kSegMax || a.live() > 2 * static_cast<size_t>(z.live())) break;
    RowBuf m(nd, nv);
    m.AddFrom(a);
    m.AddFrom(z);
    SegRef merged{Seal(m, ns->dicts, s.has_person, def.cluster), nullptr, 0};
    segs.pop_back();
    segs.back() = std::move(merged);
  }
  ns->segs = std::move(segs);
  ns->live = ns->dead = 0;
  for (auto& sr : ns->segs) ns->live += sr.live(), ns->dead += sr.ndead;
  ns->version++;
  c.Set(std::move(ns));
  return Status::Ok();
}

std::vector<CubeStats> Engine::Stats() const {
  std::vector<CubeStats> out;
  std::shared_lock lk(impl_->mu);
  for (auto& name : impl_->order) {
    Cube& c = *impl_->cubes.at(name);
    auto s = c.Get();
    CubeStats st{.name = name, .rows = s->live, .dead_rows = s->dead, .bytes = 0, .version = s->version};
    size_t b = 0;
    for (auto& sr : s->segs) b += sr.seg->Bytes() + (sr.dead ? sr.dead->capacity() * 8 : 0);
    for (auto& d : s->dicts) b += d->Bytes();
    b += s->persons * 24;  // person id map
    st.bytes = static_cast<int64_t>(b);
    out.push_back(std::move(st));
  }
  return out;
}

json::object Engine::Describe() const {
  json::array cubes;
  std::shared_lock lk(impl_->mu);
  for (auto& name : impl_->order) {
    auto s = impl_->cubes.at(name)->Get();
    const CubeSchema& sc = s->def->schema;
    json::object o;
    o["name"] = sc.name;
    o["label"] = sc.label;
    json::array dims;
    for (size_t d = 0; d < sc.dims.size(); ++d) {
      const auto& dd = sc.dims[d];
      const DimDict& dict = *s->dicts[d];
      json::object jd;
      jd["name"] = dd.name;
      jd["label"] = dd.label;
      json::array lv;
      for (auto& l : dd.levels) lv.push_back(json::object{{"name", l.name}, {"label", l.label}});
      jd["levels"] = std::move(lv);
      if (dict.finest() <= 500) {
        const auto& F = dict.levels.back();
        std::vector<uint32_t> ord(F.codes.size());
        for (uint32_t i = 0; i < ord.size(); ++i) ord[F.rank[i]] = i;
        json::array ms;
        for (uint32_t f : ord) {
          json::array parents;
          for (size_t l = 0; l + 1 < dict.levels.size(); ++l) parents.push_back(json::string(dict.levels[l].codes[dict.up[l][f]]));
          ms.push_back(json::object{{"code", F.codes[f]}, {"label", F.labels[f]}, {"parents", std::move(parents)}});
        }
        jd["members"] = std::move(ms);
      }
      dims.push_back(std::move(jd));
    }
    o["dims"] = std::move(dims);
    json::array ms;
    for (auto& m : sc.measures) ms.push_back(json::object{{"name", m.name}, {"label", m.label}, {"unit", m.unit}, {"agg", AggName(m.agg)}});
    o["measures"] = std::move(ms);
    o["rows"] = s->live;
    o["version"] = s->version;
    cubes.push_back(std::move(o));
  }
  return json::object{{"cubes", std::move(cubes)}};
}

Result<json::object> Engine::Query(const json::value& query, const Scope& scope) const {
  auto t0 = std::chrono::steady_clock::now();
  auto r = impl_->Run(query, scope);
  if (r.ok()) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    r->insert_or_assign("elapsedUs", static_cast<int64_t>(us));
  }
  return r;
}

// ---- query ---------------------------------------------------------------------------

namespace {

Result<std::string> Str(const json::object& o, std::string_view k, std::string_view what) {
  auto it = o.find(k);
  if (it == o.end() || !it->value().is_string()) return Bad(std::string(what) + "必须是字符串");
  return std::string(it->value().as_string());
}

}  // namespace

Result<json::object> Engine::Impl::Run(const json::value& qv, const Scope& scope) const {
  if (!qv.is_object()) return Bad("查询必须是JSON对象");
  const json::object& q = qv.as_object();
  static const std::set<std::string> known = {"cube", "rows", "columns", "measures", "filters", "sort",
                                              "limit", "compare", "thresholds", "totals"};
  for (auto& kv : q)
    if (!known.count(std::string(kv.key()))) return Bad("查询包含未知字段：" + std::string(kv.key()));
  auto cname = Str(q, "cube", "cube（数据立方体）");
  if (!cname.ok()) return cname.status();
  Cube* cube = Find(*cname);
  if (!cube) return Bad("未知的数据立方体：" + *cname);
  auto snap = cube->Get();
  const CubeDef& def = *snap->def;
  const CubeSchema& sc = def.schema;

  std::string ckey = *cname + "|" + std::to_string(snap->version) + "|" + json::serialize(qv) + "|" + scope.CacheKey();
  if (auto hit = cache.Get(ckey)) {
    (*hit)["cached"] = true;
    return std::move(*hit);
  }

  auto dim_level = [&](const json::value& v, const char* where, int& d, int& l) -> Status {
    if (!v.is_object()) return Bad(std::string(where) + "的每一项必须是对象");
    auto dn = Str(v.as_object(), "dim", std::string(where) + "的 dim（维度）");
    if (!dn.ok()) return dn.status();
    auto it = def.dim_index.find(*dn);
    if (it == def.dim_index.end()) return Bad("未知的维度：" + *dn);
    d = it->second;
    const auto& levels = sc.dims[d].levels;
    auto lv = v.as_object().if_contains("level");
    if (!lv) {
      l = static_cast<int>(levels.size()) - 1;
      return Status::Ok();
    }
    if (!lv->is_string()) return Bad(std::string(where) + "的 level（层级）必须是字符串");
    for (size_t i = 0; i < levels.size(); ++i)
      if (levels[i].name == lv->as_string()) {
        l = static_cast<int>(i);
        return Status::Ok();
      }
    return Bad("维度「" + sc.dims[d].label + "」没有层级：" + std::string(lv->as_string()));
  };

  std::vector<AxisDim> rows, cols;
  std::set<int> used;
  for (auto [key, out, maxn, what] : {std::tuple{"rows", &rows, 4, "行维度"}, std::tuple{"columns", &cols, 2, "列维度"}}) {
    auto v = q.if_contains(key);
    if (!v) continue;
    if (!v->is_array()) return Bad(std::string(what) + "必须是数组");
    if (static_cast<int>(v->as_array().size()) > maxn) return Bad(std::string(what) + "最多" + std::to_string(maxn) + "个");
    for (auto& e : v->as_array()) {
      int d, l;
      HRSS_RETURN_IF_ERROR(dim_level(e, what, d, l));
      if (!used.insert(d).second) return Bad("维度在行和列中重复：" + sc.dims[d].name);
      out->push_back({d, l});
    }
  }
  std::vector<int> measures;
  {
    auto v = q.if_contains("measures");
    if (!v || !v->is_array() || v->as_array().empty()) return Bad("measures（指标）必须是非空数组");
    if (v->as_array().size() > 8) return Bad("指标最多8个");
    for (auto& e : v->as_array()) {
      if (!e.is_string()) return Bad("指标名称必须是字符串");
      auto it = def.measure_index.find(std::string(e.as_string()));
      if (it == def.measure_index.end()) return Bad("未知的指标：" + std::string(e.as_string()));
      if (std::find(measures.begin(), measures.end(), it->second) != measures.end())
        return Bad("指标重复：" + std::string(e.as_string()));
      measures.push_back(it->second);
    }
  }
  std::vector<FilterSpec> filters;
  if (auto v = q.if_contains("filters")) {
    if (!v->is_array()) return Bad("filters（筛选）必须是数组");
    if (v->as_array().size() > 32) return Bad("筛选条件最多32个");
    for (auto& e : v->as_array()) {
      FilterSpec f;
      HRSS_RETURN_IF_ERROR(dim_level(e, "筛选条件", f.dim, f.level));
      auto op = Str(e.as_object(), "op", "筛选条件的 op（运算符）");
      if (!op.ok()) return op.status();
      f.op = *op;
      if (f.op != "in" && f.op != "not_in" && f.op != "between" && f.op != "eq")
        return Bad("不支持的筛选运算符：" + f.op);
      auto vals = e.as_object().if_contains("values");
      if (!vals && f.op == "eq") vals = e.as_object().if_contains("value");
      if (vals && vals->is_string()) {
        f.values.push_back(std::string(vals->as_string()));
      } else {
        if (!vals || !vals->is_array()) return Bad("筛选条件的 values（取值）必须是数组");
        if (vals->as_array().size() > 10000) return Bad("筛选取值最多10000个");
        for (auto& x : vals->as_array()) {
          if (!x.is_string()) return Bad("筛选取值必须是字符串（成员代码）");
          f.values.push_back(std::string(x.as_string()));
        }
      }
      if (f.op == "between" && f.values.size() != 2) return Bad("between 筛选需要两个取值");
      if (f.op == "eq" && f.values.size() != 1) return Bad("eq 筛选需要一个取值");
      if ((f.op == "in" || f.op == "not_in") && f.values.empty()) return Bad("in/not_in 筛选至少需要一个取值");
      if (f.op != "between") {
        const DimDict& dict = *snap->dicts[f.dim];
        for (auto& c : f.values) {
          bool ok = dict.levels[f.level].Find(c) != kNone;
          if (!ok && dict.kind == DimKind::kMonth) {
            if (f.level == 0) ok = c.size() == 4 && IsDigits(c);
            else if (f.level == 1) ok = c.size() == 6 && IsDigits(c.substr(0, 4)) && c[4] == 'Q' && c[5] >= '1' && c[5] <= '4';
            else ok = ValidMonth(c);
          }
          if (!ok)
            return Bad("维度「" + sc.dims[f.dim].label + "」层级「" + sc.dims[f.dim].levels[f.level].label +
                       "」中没有成员：" + c);
        }
      }
      filters.push_back(std::move(f));
    }
  }
  // sort
  bool sort_measure = false, sort_desc = false;
  int sort_m = -1;
  if (auto v = q.if_contains("sort"); v && !v->is_null()) {
    if (!v->is_object()) return Bad("sort（排序）必须是对象");
    auto& so = v->as_object();
    auto by = Str(so, "by", "排序的 by");
    if (!by.ok()) return by.status();
    if (*by == "measure") {
      sort_measure = true;
      auto m = Str(so, "measure", "排序的 measure（指标）");
      if (!m.ok()) return m.status();
      auto it = def.measure_index.find(*m);
      if (it == def.measure_index.end()) return Bad("未知的排序指标：" + *m);
      auto pos = std::find(measures.begin(), measures.end(), it->second);
      if (pos == measures.end()) return Bad("排序指标必须是查询的指标之一：" + *m);
      sort_m = it->second;
    } else if (*by != "key") {
      return Bad("排序方式必须是 measure 或 key");
    }
    if (auto d = so.if_contains("dir")) {
      if (!d->is_string() || (d->as_string() != "asc" && d->as_string() != "desc"))
        return Bad("排序方向必须是 asc 或 desc");
      sort_desc = d->as_string() == "desc";
    }
  }
  int64_t limit = -1;
  if (auto v = q.if_contains("limit"); v && !v->is_null()) {
    if (!v->is_int64() && !v->is_uint64()) return Bad("limit（前N项）必须是整数");
    limit = v->is_int64() ? v->as_int64() : -1;
    if (limit < 1 || limit > 10000) return Bad("limit（前N项）必须在1到10000之间");
  }
  // compare
  int shift = 0;
  int tdim = -1, tlevel = -1;
  std::string ctype;
  if (auto v = q.if_contains("compare"); v && !v->is_null()) {
    if (!v->is_object()) return Bad("compare（同比环比）必须是对象");
    auto t = Str(v->as_object(), "type", "对比的 type");
    if (!t.ok()) return t.status();
    ctype = *t;
    if (ctype == "yoy") shift = 12;
    else if (ctype == "qoq") shift = 3;
    else if (ctype == "mom") shift = 1;
    else return Bad("对比类型必须是 yoy（同比）、qoq（环比季度）或 mom（环比月度）");
    for (auto* axis : {&rows, &cols})
      for (auto& a : *axis)
        if (tdim < 0 && sc.dims[a.dim].kind == DimKind::kMonth) tdim = a.dim, tlevel = a.level;
    if (tdim < 0) return Bad("同比/环比需要把时间维度放在行或列中");
    if ((ctype == "qoq" && tlevel < 1) || (ctype == "mom" && tlevel < 2))
      return Bad(ctype == "qoq" ? "季度环比需要时间维度的层级为季度或月" : "月度环比需要时间维度的层级为月");
  }
  std::vector<Threshold> thresholds;
  if (auto v = q.if_contains("thresholds"); v && !v->is_null()) {
    if (!v->is_array()) return Bad("thresholds（预警阈值）必须是数组");
    if (v->as_array().size() > 32) return Bad("预警阈值最多32个");
    for (auto& e : v->as_array()) {
      if (!e.is_object()) return Bad("预警阈值的每一项必须是对象");
      auto& o = e.as_object();
      Threshold th;
      auto m = Str(o, "measure", "预警阈值的 measure（指标）");
      if (!m.ok()) return m.status();
      auto it = def.measure_index.find(*m);
      auto pos = it == def.measure_index.end() ? measures.end() : std::find(measures.begin(), measures.end(), it->second);
      if (pos == measures.end()) return Bad("预警阈值的指标必须是查询的指标之一：" + *m);
      th.measure = static_cast<int>(pos - measures.begin());
      auto op = Str(o, "op", "预警阈值的 op（运算符）");
      if (!op.ok()) return op.status();
      th.op = *op;
      if (th.op != "lt" && th.op != "gt" && th.op != "change_lt" && th.op != "change_gt")
        return Bad("不支持的预警运算符：" + th.op);
      if (th.op.starts_with("change") && tdim < 0) return Bad("变化率预警需要同比或环比（compare）");
      auto val = o.if_contains("value");
      if (!val || !val->is_number()) return Bad("预警阈值的 value 必须是数字");
      th.value = val->to_number<double>();
      th.level = "warn";
      if (auto lv = o.if_contains("level")) {
        if (!lv->is_string() || (lv->as_string() != "info" && lv->as_string() != "warn" && lv->as_string() != "alarm"))
          return Bad("预警级别必须是 info、warn 或 alarm");
        th.level = std::string(lv->as_string());
      }
      if (auto msg = o.if_contains("message")) {
        if (!msg->is_string()) return Bad("预警说明必须是字符串");
        th.message = std::string(msg->as_string());
      }
      if (th.message.empty()) {
        const std::string& label = sc.measures[*pos].label;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", th.value);
        th.message = th.op == "lt" ? label + "低于" + buf : th.op == "gt" ? label + "高于" + buf
                   : th.op == "change_lt" ? label + "变化率低于" + buf : label + "变化率高于" + buf;
      }
      thresholds.push_back(std::move(th));
    }
  }
  bool totals = false;
  if (auto v = q.if_contains("totals"); v && !v->is_null()) {
    if (!v->is_bool()) return Bad("totals（合计）必须是布尔值");
    totals = v->as_bool();
  }

  // ---- plan
  Plan p;
  p.snap = snap.get();
  p.def = &def;
  for (int m : measures) CollectNeeds(def, m, p.needs);
  // filters folded per dim; compare time dim's filters separately
  std::map<int, std::vector<const FilterSpec*>> by_dim;
  for (auto& f : filters) by_dim[f.dim].push_back(&f);
  auto passes = [](const FilterSpec& f, const std::string& code) {
    if (f.op == "between") return code >= f.values[0] && code <= f.values[1];
    bool in = std::find(f.values.begin(), f.values.end(), code) != f.values.end();
    return f.op == "not_in" ? !in : in;
  };
  for (auto& [d, fs] : by_dim) {
    if (d == tdim) continue;
    const DimDict& dict = *snap->dicts[d];
    std::vector<uint8_t> tab(std::max<size_t>(dict.finest(), 1), 1);
    for (auto* f : fs) {
      const auto& L = dict.levels[f->level];
      std::vector<uint8_t> lv(L.codes.size());
      for (size_t i = 0; i < L.codes.size(); ++i) lv[i] = passes(*f, L.codes[i]);
      for (size_t x = 0; x < dict.finest(); ++x) tab[x] &= lv[dict.up[f->level][x]];
    }
    p.filters.emplace_back(d, std::move(tab));
    p.finfo.push_back(Summarise(dict, p.filters.back().second));
  }
  // filters with the fewest passing rows first would be better; keep order simple
  // scope
  {
    const DimDict& rd = *snap->dicts[def.region];
    p.nreg = static_cast<uint32_t>(rd.finest());
    std::vector<std::string> doms;
    if (def.domain >= 0) doms = snap->dicts[def.domain]->levels.back().codes;
    else doms = {sc.fixed_domain};
    p.scope_tab.assign(doms.size() * std::max<uint32_t>(p.nreg, 1), 0);
    bool all = true;
    for (size_t di = 0; di < doms.size(); ++di) {
      for (uint32_t r = 0; r < p.nreg; ++r) {
        const std::string& rc = rd.levels.back().codes[r];
        bool ok = scope.all;
        if (!ok) {
          auto it = scope.domains.find(doms[di]);
          if (it != scope.domains.end()) {
            if (!it->second) ok = true;
            else {
              const auto& set = *it->second;
              ok = set.count(rc) || (rc.size() == 9 && set.count(rc.substr(0, 6)));
            }
          }
        }
        p.scope_tab[di * p.nreg + r] = ok;
        all &= ok;
      }
    }
    p.scope_on = !all;
  }
  // group parts
  auto radix = [&](const AxisDim& a) -> uint64_t { return std::max<size_t>(snap->dicts[a.dim]->levels[a.level].codes.size(), 1); };
  bool overflow = false;
  auto mul = [&](uint64_t a, uint64_t b) {
    if (b && a > (1ULL << 62) / b) overflow = true;
    return a * b;
  };
  for (int pass = 0; pass < 2; ++pass) {
    auto& axis = pass == 0 ? rows : cols;
    uint64_t stride = 1;
    for (size_t i = axis.size(); i-- > 0;) {
      const AxisDim& a = axis[i];
      const DimDict& dict = *snap->dicts[a.dim];
      std::vector<uint64_t> pm(std::max<size_t>(dict.finest(), 1));
      for (size_t x = 0; x < dict.finest(); ++x) pm[x] = dict.up[a.level][x] * stride;
      if (a.dim == tdim) {
        p.tdim = tdim;
        p.trow = pass == 0;
        p.tmap = pm;
        p.tyear = a.level == 0;
        p.tstride = stride;
        // current and previous period tables
        const auto& F = dict.levels.back();
        p.tcur.assign(pm.size(), 1);
        p.tprev.assign(pm.size(), 0);
        p.tprevmap.assign(pm.size(), 0);
        for (size_t x = 0; x < dict.finest(); ++x) {
          const std::string& code = F.codes[x];
          auto lv = MonthLevels(code);
          bool cur = true;
          for (auto& [d, fs] : by_dim)
            if (d == tdim)
              for (auto* f : fs) cur = cur && passes(*f, lv[f->level]);
          p.tcur[x] = cur;
          if (!ValidMonth(code)) continue;
          std::string sh = ShiftMonth(code, shift);
          if (sh.empty()) continue;
          auto slv = MonthLevels(sh);
          bool ok = true;
          for (auto& [d, fs] : by_dim)
            if (d == tdim)
              for (auto* f : fs) ok = ok && passes(*f, slv[f->level]);
          uint32_t target = dict.levels[a.level].Find(slv[a.level]);
          if (ok && target != kNone) {
            p.tprev[x] = 1;
            p.tprevmap[x] = target * stride;
          }
        }
      } else {
        p.parts.push_back({a.dim, pass == 0, std::move(pm), dict.kind == DimKind::kMonth && a.level == 0, stride});
      }
      stride = mul(stride, radix(a));
    }
    (pass == 0 ? p.rspace : p.cspace) = stride;
  }
  if (overflow || mul(p.rspace, p.cspace) > (1ULL << 62)) return Bad("分组组合过多，请减少维度或增加筛选条件");
  bool cmp = tdim >= 0;
  if (cmp) {
    p.tcur_info = Summarise(*snap->dicts[tdim], p.tcur);
    p.tprev_info = Summarise(*snap->dicts[tdim], p.tprev);
  }
  p.dense = p.rspace * p.cspace * (cmp ? 2 : 1) <= kDenseCells;

  // work items: the partitions whose zones may pass, with what the zones decided
  const auto& segs = snap->segs;
  std::vector<Item> items, excl;  // excl: dropped by the scope alone
  for (uint32_t s = 0; s < segs.size(); ++s) {
    const Segment& g = *segs[s].seg;
    for (uint32_t pi = 0; pi < g.parts.size(); ++pi) {
      Item it;
      bool ex = false;
      if (p.MakeItem(segs[s], s, pi, it, &ex)) items.push_back(it);
      else if (ex) excl.push_back(it);
    }
  }
  struct Unit {
    uint32_t item, lo, hi;
  };
  std::vector<Unit> units;
  constexpr uint32_t kUnit = 1u << 16;
  for (uint32_t i = 0; i < items.size(); ++i)
    for (uint32_t lo = items[i].lo; lo < items[i].hi; lo += kUnit) units.push_back({i, lo, std::min(items[i].hi, lo + kUnit)});
  int threads = pool->size();
  auto run_units = [&](std::vector<std::unique_ptr<TState>>& st, auto&& body) {
    std::atomic<size_t> next{0};
    int parts = static_cast<int>(std::min<size_t>(threads, std::max<size_t>(units.size(), 1)));
    st.resize(parts);
    pool->Run(parts, [&](int part) {
      for (size_t u; (u = next.fetch_add(1)) < units.size();) {
        if (!st[part]) st[part] = std::make_unique<TState>();
        body(*st[part], units[u]);
      }
    });
  };
  Scanner scanner(p);
  std::vector<uint64_t> rkeys, ckeys;  // remap: sorted keys
  if (!p.dense) {
    std::vector<std::unique_ptr<TState>> st;
    run_units(st, [&](TState& t, const Unit& u) {
      const Item& it = items[u.item];
      for (uint32_t lo = u.lo; lo < u.hi; lo += kBlock) scanner.CollectKeys(t, segs[it.seg], it, lo, std::min(u.hi, lo + kBlock));
    });
    std::unordered_set<uint64_t> rs, cs;
    for (auto& t : st)
      if (t) rs.insert(t->rkeys.begin(), t->rkeys.end()), cs.insert(t->ckeys.begin(), t->ckeys.end());
    rkeys.assign(rs.begin(), rs.end());
    ckeys.assign(cs.begin(), cs.end());
    std::sort(rkeys.begin(), rkeys.end());
    std::sort(ckeys.begin(), ckeys.end());
    if (rkeys.empty()) rkeys.push_back(0);
    if (ckeys.empty()) ckeys.push_back(0);
    if (rkeys.size() * ckeys.size() > kMaxGroups) return Bad("分组过多，请减少维度或增加筛选条件");
    p.rmap.Init(rkeys.size());
    for (uint32_t i = 0; i < rkeys.size(); ++i) p.rmap.Put(rkeys[i], i);
    p.cmap.Init(ckeys.size());
    for (uint32_t i = 0; i < ckeys.size(); ++i) p.cmap.Put(ckeys[i], i);
    p.R = rkeys.size();
    p.C = ckeys.size();
  } else {
    p.R = p.rspace;
    p.C = p.cspace;
  }
  p.G = p.R * p.C;
  p.Gc = p.G * (cmp ? 2 : 1);
  bool need_tot = totals || (sort_measure && !cols.empty());
  p.totals_d = p.needs.distinct && need_tot;
  p.D = p.Gc + (p.totals_d ? p.R + p.C + 1 : 0);

  auto init_state = [&](TState& t) {
    if (!t.cnt.empty()) return;
    t.cnt.assign(p.Gc, 0);
    t.sum.assign(p.needs.sum_cols.size(), std::vector<int64_t>(p.Gc, 0));
    t.mn.assign(p.needs.min_cols.size(), std::vector<int64_t>(p.Gc, INT64_MAX));
    t.mx.assign(p.needs.max_cols.size(), std::vector<int64_t>(p.Gc, INT64_MIN));
    if (p.needs.distinct) {
      t.dcnt.assign(p.D, 0);
      if (p.use_bits) t.bits.assign(p.D * p.chunk_words, 0);
    }
  };
  std::vector<std::unique_ptr<TState>> st;
  if (p.needs.distinct) {
    // persons in chunks: a chunk's rows are, per item, one row range (items
    // are sorted by person); chunks are disjoint in persons, so their counts add
    uint64_t P = std::max<uint32_t>(snap->persons, 1);
    uint64_t pw = (P + 63) / 64;
    p.use_bits = p.D * pw <= 8 * static_cast<uint64_t>(snap->live) + (1u << 20);
    // several chunks per thread, at most 256 chunks (every chunk costs a binary
    // search per partition it overlaps)
    uint64_t spread = (pw + 4 * threads - 1) / (4 * threads);
    uint64_t atleast = (pw + 255) / 256;
    uint64_t cw = p.use_bits ? std::min<uint64_t>((1u << 17) / p.D, spread)   // bitmaps ≤ 1 MB when possible
                             : std::min<uint64_t>(1024, spread);               // ≤ 65,536 persons
    p.chunk_words = static_cast<uint32_t>(std::clamp<uint64_t>(std::max(cw, atleast), 1, pw));
    p.chunk_persons = p.chunk_words * 64;
    uint32_t nchunks = static_cast<uint32_t>((P + p.chunk_persons - 1) / p.chunk_persons);
    // the items overlapping each chunk; chunks that no item touches are skipped
    std::vector<std::vector<uint32_t>> chunk_items(nchunks);
    for (uint32_t i = 0; i < items.size(); ++i) {
      const Part& pt = segs[items[i].seg].seg->parts[items[i].part];
      for (uint32_t c = pt.pmin / p.chunk_persons; c <= pt.pmax / p.chunk_persons && c < nchunks; ++c)
        chunk_items[c].push_back(i);
    }
    std::vector<uint32_t> chunks;
    for (uint32_t c = 0; c < nchunks; ++c)
      if (!chunk_items[c].empty()) chunks.push_back(c);
    std::atomic<uint32_t> next{0};
    int parts = static_cast<int>(std::min<size_t>(threads, chunks.size()));
    st.resize(parts);
    pool->Run(parts, [&](int part) {
      for (uint32_t ci; (ci = next.fetch_add(1)) < chunks.size();) {
        if (!st[part]) st[part] = std::make_unique<TState>();
        TState& t = *st[part];
        init_state(t);
        uint32_t p0 = chunks[ci] * p.chunk_persons, p1 = p0 + p.chunk_persons;
        for (uint32_t ii : chunk_items[chunks[ci]]) {
          const Item& it = items[ii];
          const SegRef& s = segs[it.seg];
          const Part& pt = s.seg->parts[it.part];
          uint32_t lo = it.lo, hi = it.hi;
          const uint32_t* person = s.seg->person.data();
          if (pt.pmin < p0) lo = static_cast<uint32_t>(std::lower_bound(person + lo, person + hi, p0) - person);
          if (pt.pmax >= p1) hi = static_cast<uint32_t>(std::lower_bound(person + lo, person + hi, p1) - person);
          for (uint32_t b = lo; b < hi; b += kBlock) scanner.Aggregate(t, s, it, b, std::min(hi, b + kBlock), p0);
        }
        if (p.use_bits) {
          uint64_t* bits = t.bits.data();
          for (uint64_t g = 0; g < p.D; ++g) t.dcnt[g] += CountAndClear(bits + g * p.chunk_words, p.chunk_words);
        } else {
          std::sort(t.pairs.begin(), t.pairs.end());
          for (size_t i = 0; i < t.pairs.size(); ++i)
            if (i == 0 || t.pairs[i] != t.pairs[i - 1]) ++t.dcnt[t.pairs[i] >> 32];
          t.pairs.clear();
        }
      }
    });
  } else {
    run_units(st, [&](TState& t, const Unit& u) {
      init_state(t);
      const Item& it = items[u.item];
      for (uint32_t lo = u.lo; lo < u.hi; lo += kBlock) scanner.Aggregate(t, segs[it.seg], it, lo, std::min(u.hi, lo + kBlock), 0);
    });
  }
  // rows dropped by the scope alone (whole partitions) still make the answer "scoped"
  int64_t excluded_parts = 0;
  {
    int64_t seen = 0;
    for (auto& t : st)
      if (t) seen += t->excluded;
    if (!seen && !excl.empty()) {
      TState t;
      for (size_t i = 0; i < excl.size() && !excluded_parts; ++i) {
        const Item& it = excl[i];
        for (uint32_t lo = it.lo; lo < it.hi && !excluded_parts; lo += kBlock)
          if (scanner.AnyPasses(t, segs[it.seg], it, lo, std::min(it.hi, lo + kBlock))) excluded_parts = 1;
      }
    }
  }
  // merge
  TState* acc = nullptr;
  std::unique_ptr<TState> empty;
  for (auto& t : st) {
    if (!t) continue;
    if (!acc) {
      acc = t.get();
      continue;
    }
    for (uint64_t g = 0; g < p.Gc; ++g) acc->cnt[g] += t->cnt[g];
    for (size_t k = 0; k < acc->sum.size(); ++k) for (uint64_t g = 0; g < p.Gc; ++g) acc->sum[k][g] += t->sum[k][g];
    for (size_t k = 0; k < acc->mn.size(); ++k) for (uint64_t g = 0; g < p.Gc; ++g) acc->mn[k][g] = std::min(acc->mn[k][g], t->mn[k][g]);
    for (size_t k = 0; k < acc->mx.size(); ++k) for (uint64_t g = 0; g < p.Gc; ++g) acc->mx[k][g] = std::max(acc->mx[k][g], t->mx[k][g]);
    for (uint64_t g = 0; g < acc->dcnt.size(); ++g) acc->dcnt[g] += t->dcnt[g];
    acc->excluded += t->excluded;
  }
  if (!acc) {
    empty = std::make_unique<TState>();
    init_state(*empty);
    acc = empty.get();
  }
  const TState& A = *acc;

  auto rec_of = [&](uint64_t g, uint64_t dg) {
    AggRec r;
    r.cnt = A.cnt[g];
    for (size_t k = 0; k < p.needs.sum_cols.size(); ++k) r.sum[p.needs.sum_cols[k]] = A.sum[k][g];
    for (size_t k = 0; k < p.needs.min_cols.size(); ++k) r.mn[p.needs.min_cols[k]] = A.mn[k][g];
    for (size_t k = 0; k < p.needs.max_cols.size(); ++k) r.mx[p.needs.max_cols[k]] = A.mx[k][g];
    if (p.needs.distinct && dg != UINT64_MAX) r.dcnt = A.dcnt[dg];
    return r;
  };
  auto combine = [&](AggRec& into, const AggRec& r) {
    if (r.cnt == 0) return;
    bool first = into.cnt == 0;
    into.cnt += r.cnt;
    for (int c : p.needs.sum_cols) into.sum[c] = (first ? 0 : into.sum[c]) + r.sum[c];
    for (int c : p.needs.min_cols) into.mn[c] = first ? r.mn[c] : std::min(into.mn[c], r.mn[c]);
    for (int c : p.needs.max_cols) into.mx[c] = first ? r.mx[c] : std::max(into.mx[c], r.mx[c]);
  };
  // rows / columns with data
  std::vector<uint8_t> rhas(p.R, 0), chas(p.C, 0);
  for (uint64_t r = 0; r < p.R; ++r)
    for (uint64_t c = 0; c < p.C; ++c)
      if (A.cnt[r * p.C + c]) rhas[r] = 1, chas[c] = 1;
  // decode keys into level ids
  auto decode = [&](const std::vector<AxisDim>& axis, uint64_t key) {
    std::vector<uint32_t> ids(axis.size());
    for (size_t i = axis.size(); i-- > 0;) {
      uint64_t rad = radix(axis[i]);
      ids[i] = static_cast<uint32_t>(key % rad);
      key /= rad;
    }
    return ids;
  };
  struct Key {
    uint64_t idx;
    std::vector<uint32_t> ids;
  };
  auto collect = [&](const std::vector<AxisDim>& axis, const std::vector<uint8_t>& has, const std::vector<uint64_t>& keys) {
    std::vector<Key> out;
    for (uint64_t i = 0; i < has.size(); ++i)
      if (has[i]) out.push_back({i, decode(axis, p.dense ? i : keys[i])});
    std::sort(out.begin(), out.end(), [&](const Key& a, const Key& b) {
      for (size_t k = 0; k < axis.size(); ++k) {
        const auto& rank = snap->dicts[axis[k].dim]->levels[axis[k].level].rank;
        if (a.ids[k] != b.ids[k]) return rank[a.ids[k]] < rank[b.ids[k]];
      }
      return false;
    });
    return out;
  };
  std::vector<Key> rlist = collect(rows, rhas, rkeys), clist = collect(cols, chas, ckeys);
  if (rows.empty() && cols.empty() && rlist.empty()) {
    // grand total with no rows: one row, one column of nulls
  }
  // totals records
  std::vector<AggRec> rtot, ctot;
  AggRec grand;
  if (need_tot) {
    rtot.assign(p.R, AggRec{});
    ctot.assign(p.C, AggRec{});
    for (uint64_t r = 0; r < p.R; ++r) {
      if (!rhas[r]) continue;
      for (uint64_t c = 0; c < p.C; ++c) {
        AggRec x = rec_of(r * p.C + c, UINT64_MAX);
        combine(rtot[r], x);
        combine(ctot[c], x);
        combine(grand, x);
      }
    }
    if (p.totals_d) {
      for (uint64_t r = 0; r < p.R; ++r) rtot[r].dcnt = A.dcnt[p.Gc + r];
      for (uint64_t c = 0; c < p.C; ++c) ctot[c].dcnt = A.dcnt[p.Gc + p.R + c];
      grand.dcnt = A.dcnt[p.Gc + p.R + p.C];
    }
  }
  // sort rows
  if (sort_measure) {
    std::vector<MV> val(p.R);
    for (auto& k : rlist) val[k.idx] = EvalMeasure(def, sort_m, !cols.empty() ? rtot[k.idx] : rec_of(k.idx * p.C, p.needs.distinct ? k.idx * p.C : UINT64_MAX));
    std::stable_sort(rlist.begin(), rlist.end(), [&](const Key& a, const Key& b) {
      const MV &x = val[a.idx], &y = val[b.idx];
      if (x.null != y.null) return y.null;
      if (x.null) return false;
      int c = CmpMV(x, y);
      return sort_desc ? c > 0 : c < 0;
    });
  } else if (sort_desc) {
    std::reverse(rlist.begin(), rlist.end());
  }
  if (limit > 0 && static_cast<int64_t>(rlist.size()) > limit) rlist.resize(limit);
  size_t ncols_out = cols.empty() ? 1 : clist.size();
  size_t nrows_out = rows.empty() ? 1 : rlist.size();
  if (rows.empty()) rlist = {Key{0, {}}};
  if (cols.empty()) clist = {Key{0, {}}};
  if (nrows_out * ncols_out > kMaxCells)
    return Bad("结果超过100000个单元格（" + std::to_string(nrows_out) + "行×" + std::to_string(ncols_out) +
               "列），请增加筛选条件、减少维度或设置前N项");

  // ---- response
  json::object res;
  res["cube"] = sc.name;
  res["version"] = snap->version;
  res["cached"] = false;
  res["elapsedUs"] = 0;
  res["scoped"] = A.excluded + excluded_parts > 0;
  auto dims_json = [&](const std::vector<AxisDim>& axis) {
    json::array a;
    for (auto& x : axis)
      a.push_back(json::object{{"dim", sc.dims[x.dim].name}, {"level", sc.dims[x.dim].levels[x.level].name},
                               {"label", sc.dims[x.dim].levels[x.level].label}});
    return a;
  };
  res["rowDims"] = dims_json(rows);
  res["colDims"] = dims_json(cols);
  json::array mj;
  for (int m : measures) mj.push_back(json::object{{"name", sc.measures[m].name}, {"label", sc.measures[m].label}, {"unit", sc.measures[m].unit}});
  res["measures"] = std::move(mj);
  auto keys_json = [&](const std::vector<AxisDim>& axis, const std::vector<Key>& list) {
    json::array a;
    for (auto& k : list) {
      json::array ks;
      for (size_t i = 0; i < axis.size(); ++i) {
        const auto& L = snap->dicts[axis[i].dim]->levels[axis[i].level];
        ks.push_back(json::object{{"code", L.codes[k.ids[i]]}, {"label", L.labels[k.ids[i]]}});
      }
      a.push_back(json::object{{"keys", std::move(ks)}});
    }
    return a;
  };
  res["rows"] = keys_json(rows, rlist);
  res["columns"] = keys_json(cols, clist);
  json::array cells, prevs, changes, warnings;
  for (size_t ri = 0; ri < rlist.size(); ++ri) {
    json::array crow, prow, chrow;
    for (size_t ci = 0; ci < clist.size(); ++ci) {
      uint64_t g = rlist[ri].idx * p.C + clist[ci].idx;
      AggRec cur = rec_of(g, g);
      json::array cv, pv, chv;
      std::vector<MV> curv, chg;
      for (int m : measures) {
        MV v = EvalMeasure(def, m, cur);
        curv.push_back(v);
        cv.push_back(ToJson(v));
      }
      if (cmp) {
        AggRec pr = rec_of(p.G + g, p.G + g);
        for (size_t mi = 0; mi < measures.size(); ++mi) {
          MV v = EvalMeasure(def, measures[mi], pr);
          pv.push_back(ToJson(v));
          MV c;
          if (!v.null && !curv[mi].null && v.num() != 0) {
            c.null = false;
            c.d = (curv[mi].num() - v.num()) / v.num();
          }
          chg.push_back(c);
          chv.push_back(ToJson(c));
        }
      }
      for (auto& th : thresholds) {
        const MV& v = th.op.starts_with("change") ? chg[th.measure] : curv[th.measure];
        if (v.null) continue;
        double x = v.num();
        bool hit = th.op.ends_with("lt") ? x < th.value : x > th.value;
        if (hit)
          warnings.push_back(json::object{{"row", ri}, {"col", ci}, {"measure", sc.measures[measures[th.measure]].name},
                                          {"level", th.level}, {"value", ToJson(v)}, {"message", th.message}});
      }
      crow.push_back(std::move(cv));
      if (cmp) prow.push_back(std::move(pv)), chrow.push_back(std::move(chv));
    }
    cells.push_back(std::move(crow));
    if (cmp) prevs.push_back(std::move(prow)), changes.push_back(std::move(chrow));
  }
  res["cells"] = std::move(cells);
  if (cmp) {
    res["prev"] = std::move(prevs);
    res["change"] = std::move(changes);
  }
  if (totals) {
    auto vals = [&](const AggRec& r) {
      json::array a;
      for (int m : measures) a.push_back(ToJson(EvalMeasure(def, m, r)));
      return a;
    };
    json::array rt, ct;
    for (auto& k : rlist) rt.push_back(vals(rows.empty() ? grand : rtot[k.idx]));
    for (auto& k : clist) ct.push_back(vals(cols.empty() ? grand : ctot[k.idx]));
    res["rowTotals"] = std::move(rt);
    res["colTotals"] = std::move(ct);
    res["grandTotal"] = vals(grand);
  }
  res["warnings"] = std::move(warnings);
  cache.Put(sc.name, ckey, res);
  return res;
}

}  // namespace hrss::olap
