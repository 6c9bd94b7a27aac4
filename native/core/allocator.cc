#include "allocator.h"
#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>
#include "error.h"
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define MMG_MAP_LARGE 1
#endif

namespace mmg {
namespace {

struct Cache {
  std::mutex mu;
  // Free blocks by size, ordered so that a request can take the smallest cached block that is
  // at most 1/kSlackDiv larger: batches differ in their number of distinct rows from step to step,
  // and without that slack every new size would be a fresh allocation.
  std::map<size_t, std::vector<void*>> free_lists;
  std::unordered_map<void*, size_t> live;  // block → its size (a reused block may exceed the request)
  HostMemoryStats stats{0, 0, 0, 0, 0};
};
Cache& cache() {
  static Cache* c = new Cache();  // leaked on purpose: tensors may be freed during exit
  return *c;
}
// Sizes are rounded so that tensors of nearly equal size share a bucket.
size_t bucket(size_t bytes) {
  if (bytes <= 4096) return (bytes + 63) & ~size_t(63);
  if (bytes <= (1u << 20)) return (bytes + 4095) & ~size_t(4095);
  return (bytes + 65535) & ~size_t(65535);
}

// A request of b bytes may take a cached block of up to b + b/kSlackDiv bytes: twice its size. An
// epoch's last, partial batch (e.g. 1,542 of 2,048 rows) then runs in the full batches' blocks;
// with a quarter of slack it mapped ~25 MB of fresh blocks at the end of every epoch, the run's
// peak RSS (GUME on Baby), and two models needed a fourth step to reach their steady state.
constexpr size_t kSlackDiv = 1;
// Fresh blocks up to kHeadroomMax bytes (per-batch activations; not parameters or graphs) are made
// 1/kHeadroomDiv larger than asked.
constexpr size_t kHeadroomDiv = 8;
constexpr size_t kHeadroomMax = size_t(16) << 20;
size_t with_headroom(size_t b) { return b > 512 && b <= kHeadroomMax ? bucket(b + b / kHeadroomDiv) : b; }

// Blocks of at least kMapMin bytes are mapped directly. Freeing one (empty_cache) then returns its
// pages to the OS at once; malloc keeps freed mid-size chunks in its arenas, where blocks of other
// sizes reuse them only in part, so emptying the cache before a phase with other sizes (the
// evaluation's full-graph forward) would still add that phase's blocks to the resident set.
constexpr size_t kMapMin = size_t(1) << 20;
void* sys_alloc(size_t b) {
#if MMG_MAP_LARGE
  if (b >= kMapMin) {
    void* p = mmap(nullptr, b, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : p;  // page-aligned, so 64-byte aligned
  }
#endif
  return std::aligned_alloc(64, b);
}
void sys_free(void* p, size_t b) {
#if MMG_MAP_LARGE
  if (b >= kMapMin) {
    munmap(p, b);
    return;
  }
#endif
  std::free(p);
}

}  // namespace

void* host_alloc(size_t bytes) {
  size_t b = bucket(bytes == 0 ? 1 : bytes);
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lk(c.mu);
    c.stats.alloc_calls++;
    // A block of the size this request would get fresh first (so that requests of two nearby
    // sizes do not keep taking each other's blocks), else the smallest one that fits.
    auto it = c.free_lists.find(with_headroom(b));
    if (it == c.free_lists.end()) it = c.free_lists.lower_bound(b);
    if (it != c.free_lists.end() && it->first <= std::max(b + b / kSlackDiv, with_headroom(b))) {
      void* p = it->second.back();
      it->second.pop_back();
      b = it->first;
      if (it->second.empty()) c.free_lists.erase(it);
      c.live[p] = b;
      c.stats.cached_bytes -= b;
      c.stats.in_use_bytes += b;
      c.stats.cache_hits++;
      if (c.stats.in_use_bytes > c.stats.peak_bytes) c.stats.peak_bytes = c.stats.in_use_bytes;
      return p;
    }
  }
  // A fresh block gets headroom, so that the next step's slightly larger batch fits in it.
  b = with_headroom(b);
  void* p = sys_alloc(b);
  if (!p) {
    host_empty_cache();
    p = sys_alloc(b);
  }
  if (!p) fail(MMG_E_OOM, "out of host memory: could not allocate ", b, " bytes");
  std::lock_guard<std::mutex> lk(c.mu);
  c.live[p] = b;
  c.stats.in_use_bytes += b;
  if (c.stats.in_use_bytes > c.stats.peak_bytes) c.stats.peak_bytes = c.stats.in_use_bytes;
  return p;
}

void host_free(void* p, size_t bytes) {
  if (!p) return;
  Cache& c = cache();
  std::lock_guard<std::mutex> lk(c.mu);
  size_t b = bucket(bytes == 0 ? 1 : bytes);
  auto at = c.live.find(p);
  if (at != c.live.end()) {
    b = at->second;
    c.live.erase(at);
  }
  c.free_lists[b].push_back(p);
  c.stats.in_use_bytes -= b;
  c.stats.cached_bytes += b;
}

void host_empty_cache() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lk(c.mu);
  for (auto& kv : c.free_lists)
    for (void* p : kv.second) sys_free(p, kv.first);
  c.free_lists.clear();
  c.stats.cached_bytes = 0;
}

HostMemoryStats host_memory_stats() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lk(c.mu);
  return c.stats;
}

}  // namespace mmg
