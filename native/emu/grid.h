// Host launchers for the cuda-emu device: they run the kernels' bodies (native/ops/<op>.h)
// over the same index space the GPU grid covers. Element- and row-parallel bodies are independent,
// so the host may run them in any order (here: the addon's thread pool). Block-cooperative steps
// (shared-memory reductions) have twins below that keep the GPU's tiling and merge order.
#pragma once
#include <algorithm>
#include <cstdint>
#include "../core/device_counters.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/hd/body_common.h"
#include "../core/hd/index_check.h"

namespace mmg {
namespace emu {

// Launch accounting: a grid started from inside another grid's body is part of that launch (a
// host twin's helper, not a separate kernel), so only the outermost one counts. The flag is per
// thread and is set on the pool threads that run the body too.
inline thread_local bool t_in_launch = false;
struct LaunchScope {
  bool outer;
  LaunchScope() : outer(!t_in_launch) {
    if (outer) count_launch();
  }
};
struct InBody {
  bool prev;
  InBody() : prev(t_in_launch) { t_in_launch = true; }
  ~InBody() { t_in_launch = prev; }
};

// Every "thread" i in [0, n) of a grid-stride kernel.
template <typename F>
void for_threads(int64_t n, F f) {
  LaunchScope launch;
  parallel_for(n, 1 << 14, [&](int64_t b, int64_t e) {
    InBody in;
    for (int64_t i = b; i < e; ++i) f(i);
  });
}

// Every block b in [0, nb) of a block-per-row kernel; `work` is the per-block cost estimate
// used only to size the host chunks.
template <typename F>
void for_blocks(int64_t nb, int64_t work, F f) {
  LaunchScope launch;
  parallel_for(nb, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(work, 1)), [&](int64_t b, int64_t e) {
    InBody in;
    for (int64_t i = b; i < e; ++i) f(i);
  });
}

// Twin of the shared-memory tree reduction over body::kBlock partials (body::tree_sum_step).
template <typename T>
T block_tree_sum(T* p) {
  for (int s = body::kBlock / 2; s > 0; s >>= 1)
    for (int t = 0; t < s; ++t) body::tree_sum_step(p, t, s);
  return p[0];
}

// Twin of a block that forms one partial per thread (partial(t), t < body::kBlock) and sums them
// with cuda::block_tree_sum.
template <typename T, typename F>
T block_sum(F partial) {
  T p[body::kBlock];
  for (int t = 0; t < body::kBlock; ++t) p[t] = partial(t);
  return block_tree_sum(p);
}

}  // namespace emu
}  // namespace mmg

namespace mmg {
namespace emu {

// Twin of cuda::check_indices: the smallest bad position, like the GPU's atomicMin.
template <typename I>
void check_indices(const char* op, const I* idx, int64_t count, int64_t n) {
  if (count == 0) return;
  count_launch();  // index_check.cu: one scan kernel, then the first bad position read back
  count_d2h();
  ::mmg::check_indices(op, idx, count, n);
}

}  // namespace emu
}  // namespace mmg

#include <vector>
namespace mmg {
namespace emu {

// Twin of cuda::sum_doubles_to (without the divisor and NaN handling, which callers apply).
inline double sum_doubles(const double* v, int64_t n) {
  const int64_t nb = (n + body::kSumChunk - 1) / body::kSumChunk;
  std::vector<double> partial(size_t(nb > 0 ? nb : 1));
  for_blocks(nb, body::kSumChunk, [&](int64_t b) {
    const int64_t lo = b * body::kSumChunk, hi = std::min(n, lo + body::kSumChunk);
    partial[size_t(b)] = block_sum<double>([&](int t) { return body::strided_sum(v, lo, hi, t); });
  });
  return block_sum<double>([&](int t) { return body::strided_sum(partial.data(), 0, nb, t); });
}

}  // namespace emu
}  // namespace mmg
