// Caching device allocator. cudaMalloc/cudaFree synchronise the device and cost tens of
// microseconds, and a training step allocates hundreds of tensors, so freed blocks are kept in
// size-ordered free lists and handed out again. Sizes are rounded (512 B below 1 MiB, 2 MiB
// above) so blocks fit many requests; a cached block is reused only when it wastes at most half.
// All work runs on the backend's single stream, so a block freed by the host can be handed to
// the next op at once: that op's kernels are queued after every kernel that used the block.
#include <cstdio>
#include <map>
#include <mutex>
#include <unordered_map>
#include "common.cuh"

namespace mmg {
namespace cuda {
namespace {

std::mutex g_mu;
std::multimap<uint64_t, void*> g_free;           // block size -> block
std::unordered_map<void*, uint64_t> g_size;       // every live or cached block -> its size
uint64_t g_in_use = 0, g_cached = 0;

uint64_t round_size(uint64_t b) {
  const uint64_t small = 512, big = 2ull << 20;
  if (b == 0) b = 1;
  return b < (1ull << 20) ? (b + small - 1) / small * small : (b + big - 1) / big * big;
}

std::string human(uint64_t b) {
  char s[64];
  if (b >= (1ull << 30)) std::snprintf(s, sizeof s, "%.2f GiB", b / double(1ull << 30));
  else if (b >= (1ull << 20)) std::snprintf(s, sizeof s, "%.2f MiB", b / double(1ull << 20));
  else std::snprintf(s, sizeof s, "%llu B", static_cast<unsigned long long>(b));
  return s;
}

void release_cached_locked() {
  for (auto& kv : g_free) {
    cudaFree(kv.second);  // errors here only mean the context is gone; nothing to recover
    g_size.erase(kv.second);
  }
  g_free.clear();
  g_cached = 0;
}

}  // namespace

void* device_alloc(uint64_t bytes, const char* op) {
  std::lock_guard<std::mutex> lk(g_mu);
  const uint64_t want = round_size(bytes);
  auto it = g_free.lower_bound(want);
  if (it != g_free.end() && it->first <= 2 * want) {
    void* p = it->second;
    g_cached -= it->first;
    g_in_use += it->first;
    g_free.erase(it);
    return p;
  }
  void* p = nullptr;
  cudaError_t e = cudaMalloc(&p, want);
  if (e == cudaErrorMemoryAllocation) {
    cudaGetLastError();  // clear the (non-sticky) error before retrying
    release_cached_locked();
    e = cudaMalloc(&p, want);
  }
  if (e != cudaSuccess) {
    cudaGetLastError();
    size_t free_b = 0, total_b = 0;
    cudaMemGetInfo(&free_b, &total_b);
    if (e == cudaErrorMemoryAllocation)
      fail(MMG_E_OOM, op, ": out of CUDA memory allocating ", human(want), " (in use by mmgraph ", human(g_in_use), ", cached ",
           human(g_cached), ", device free ", human(free_b), " of ", human(total_b),
           "); free tensors with dispose()/tidy(), call emptyCache(), or use smaller batches");
    fail(MMG_E_CUDA, op, ": cudaMalloc(", human(want), ") failed: ", cudaGetErrorString(e));
  }
  g_size[p] = want;
  g_in_use += want;
  return p;
}

void device_free(void* p) {
  if (!p) return;
  std::lock_guard<std::mutex> lk(g_mu);
  auto it = g_size.find(p);
  if (it == g_size.end()) return;  // not ours (already released by empty_cache): ignore, never crash
  g_in_use -= it->second;
  g_cached += it->second;
  g_free.emplace(it->second, p);
}

void device_empty_cache() {
  std::lock_guard<std::mutex> lk(g_mu);
  release_cached_locked();
}

void device_memory_stats(uint64_t* in_use, uint64_t* cached) {
  std::lock_guard<std::mutex> lk(g_mu);
  if (in_use) *in_use = g_in_use;
  if (cached) *cached = g_cached;
}

}  // namespace cuda
}  // namespace mmg
