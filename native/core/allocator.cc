#include "allocator.h"
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>
#include "error.h"

namespace mmg {
namespace {

struct Cache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_lists;
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

}  // namespace

void* host_alloc(size_t bytes) {
  size_t b = bucket(bytes == 0 ? 1 : bytes);
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lk(c.mu);
    c.stats.alloc_calls++;
    auto it = c.free_lists.find(b);
    if (it != c.free_lists.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.stats.cached_bytes -= b;
      c.stats.in_use_bytes += b;
      c.stats.cache_hits++;
      if (c.stats.in_use_bytes > c.stats.peak_bytes) c.stats.peak_bytes = c.stats.in_use_bytes;
      return p;
    }
  }
  void* p = std::aligned_alloc(64, b);
  if (!p) {
    host_empty_cache();
    p = std::aligned_alloc(64, b);
  }
  if (!p) fail(MMG_E_OOM, "out of host memory: could not allocate ", b, " bytes");
  std::lock_guard<std::mutex> lk(c.mu);
  c.stats.in_use_bytes += b;
  if (c.stats.in_use_bytes > c.stats.peak_bytes) c.stats.peak_bytes = c.stats.in_use_bytes;
  return p;
}

void host_free(void* p, size_t bytes) {
  if (!p) return;
  size_t b = bucket(bytes == 0 ? 1 : bytes);
  Cache& c = cache();
  std::lock_guard<std::mutex> lk(c.mu);
  c.free_lists[b].push_back(p);
  c.stats.in_use_bytes -= b;
  c.stats.cached_bytes += b;
}

void host_empty_cache() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lk(c.mu);
  for (auto& kv : c.free_lists)
    for (void* p : kv.second) std::free(p);
  c.free_lists.clear();
  c.stats.cached_bytes = 0;
}

HostMemoryStats host_memory_stats() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lk(c.mu);
  return c.stats;
}

}  // namespace mmg
