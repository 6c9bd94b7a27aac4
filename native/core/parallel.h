// A small persistent thread pool. parallel_for splits [0, n) into contiguous chunks of at least
// `grain` items; the calling thread runs one chunk. Calls from several JS threads (worker_threads)
// are serialized; a nested call (from inside a chunk) runs inline.
#pragma once
#include <cstdint>
#include <functional>

namespace mmg {

int num_threads();
void set_num_threads(int n);  // 1..256; takes effect for the next parallel_for
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t begin, int64_t end)>& fn);

// Flush denormals to zero (FTZ + DAZ) for the scope; restores the caller's mode on exit, so
// JavaScript code on the same thread keeps IEEE semantics.
class DenormalGuard {
 public:
  DenormalGuard();
  ~DenormalGuard();
  DenormalGuard(const DenormalGuard&) = delete;
  DenormalGuard& operator=(const DenormalGuard&) = delete;

 private:
  unsigned saved_;
};

}  // namespace mmg
