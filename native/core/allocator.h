// Caching host allocator. Training allocates the same sizes every step; returning blocks to a
// free list instead of the OS keeps their pages mapped, so a step never pays for page faults on
// freshly mapped memory. Blocks are 64-byte aligned (one cache line, one AVX-512 vector).
#pragma once
#include <cstddef>
#include <cstdint>

namespace mmg {

void* host_alloc(size_t bytes);  // throws mmg::Error(MMG_E_OOM) with the size on failure
void host_free(void* p, size_t bytes);
void host_empty_cache();
struct HostMemoryStats {
  uint64_t in_use_bytes, cached_bytes, peak_bytes, alloc_calls, cache_hits;
};
HostMemoryStats host_memory_stats();

}  // namespace mmg
