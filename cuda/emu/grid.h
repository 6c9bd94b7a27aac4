// Host launchers for the cuda-emu device: they run the kernels' bodies (cuda/ops/<op>.body.h)
// over the same index space the GPU grid covers. Element- and row-parallel bodies are independent,
// so the host may run them in any order (here: the addon's thread pool). Block-cooperative steps
// (shared-memory reductions) have twins below that keep the GPU's tiling and merge order.
#pragma once
#include <algorithm>
#include <cstdint>
#include "../../native/core/parallel.h"
#include "../../native/core/registry.h"
#include "../body_common.h"

namespace mmg {
namespace emu {

// Every "thread" i in [0, n) of a grid-stride kernel.
template <typename F>
void for_threads(int64_t n, F f) {
  parallel_for(n, 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) f(i);
  });
}

// Every block b in [0, nb) of a block-per-row kernel; `work` is the per-block cost estimate
// used only to size the host chunks.
template <typename F>
void for_blocks(int64_t nb, int64_t work, F f) {
  parallel_for(nb, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(work, 1)), [&](int64_t b, int64_t e) {
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
