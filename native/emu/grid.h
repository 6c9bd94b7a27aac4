// Host launchers for the cuda-emu device: they run the kernels' bodies (native/ops/<op>.h)
// over the same index space the GPU grid covers. Element- and row-parallel bodies are independent,
// so the host may run them in any order (here: the addon's thread pool). Block-cooperative steps
// (shared-memory reductions) and warp butterflies have twins below that keep the GPU's tiling and
// merge order; shared scratch is poisoned so that a missing barrier shows (BlockShared).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>
#include <limits>
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

// Twin of a warp-per-row launch (cuda::warp_row_blocks, MMG_WARP_ROWS): row r is one warp. Warps
// share nothing but their block, so the host may run the rows in any order.
template <typename F>
void for_warp_rows(int64_t rows, int64_t work, F f) {
  for_blocks(rows, work, f);
}

// Twin of the xor butterfly (cuda::warp_sum / warp_max): lane values v[0..kWarp), every step
// reading all lanes' values from before the step (a shuffle exchanges registers in lockstep).
template <typename T, typename M>
void warp_butterfly(T* v, M merge) {
  for (int m = body::kWarp / 2; m > 0; m >>= 1) {
    T o[body::kWarp];
    std::copy(v, v + body::kWarp, o);
    for (int l = 0; l < body::kWarp; ++l) v[l] = merge(o[l], o[l ^ m]);
  }
}

// Twin of cuda::warp_sum over lane partials partial(l), l < kWarp (the same in every lane).
template <typename T, typename F>
T warp_sum(F partial) {
  T v[body::kWarp];
  for (int l = 0; l < body::kWarp; ++l) v[l] = partial(l);
  warp_butterfly(v, [](T a, T b) { return body::warp_sum_merge(a, b); });
  return v[0];
}

// Twin of cuda::warp_max: every lane's result into m[0..kWarp) (lanes can differ on NaN rows).
template <typename T, typename F>
void warp_max_lanes(F partial, T* m) {
  for (int l = 0; l < body::kWarp; ++l) m[l] = partial(l);
  warp_butterfly(m, [](T a, T b) { return body::warp_max_merge(a, b); });
}

// Shared memory of a block-cooperative twin. On the GPU a thread sees another thread's shared
// writes only after a __syncthreads(); the host runs a phase's threads one after another, so a
// read that a missing barrier makes racy would still find a plausible value. Here it does not:
//   - the scratch starts poisoned (NaN; the lowest value for integers), so reading a slot no
//     earlier phase wrote gives poison;
//   - phase(f) runs f(t, sh) for every thread t of one barrier interval twice from the same
//     contents, threads ascending and then descending. Where some thread read a slot another
//     thread wrote in the same interval the two runs disagree, and the whole scratch is poisoned.
// f must touch nothing but the scratch (it runs twice): compute register values before the phase.
template <typename T>
constexpr T poison_value() {
  return std::numeric_limits<T>::has_quiet_NaN ? std::numeric_limits<T>::quiet_NaN() : std::numeric_limits<T>::lowest();
}
template <typename T, int N = body::kBlock>
struct BlockShared {
  T v[N];
  BlockShared() { poison(); }
  void poison() { std::fill(v, v + N, poison_value<T>()); }
  template <typename F>
  void phase(F f) {
    T start[N], up[N];
    std::copy(v, v + N, start);
    for (int t = 0; t < body::kBlock; ++t) f(t, v);
    std::copy(v, v + N, up);
    std::copy(start, start + N, v);
    for (int t = body::kBlock - 1; t >= 0; --t) f(t, v);
    if (std::memcmp(up, v, sizeof v) != 0) poison();
  }
};

// One barrier interval of a block whose shared memory holds per-thread lists (the top-K merges of
// topk_rows and cooccurrence_graph): the lengths len[kBlock] and two double-buffered list arrays
// (values va/vb, indices ia/ib, `entries` each). Like BlockShared::phase, f(t) runs for every
// thread ascending and then, from the same contents, descending; if the results differ, some
// thread read what another wrote in the same interval (a missing barrier) and every list entry is
// poisoned (NaN values, index -1), so the op's output shows it.
template <typename T, typename F>
void list_phase(int32_t* len, T* va, int32_t* ia, T* vb, int32_t* ib, int64_t entries, F f) {
  const size_t ne = size_t(entries);
  std::vector<int32_t> len0(len, len + body::kBlock), lenUp(size_t(body::kBlock));
  std::vector<T> va0(va, va + ne), vb0(vb, vb + ne), vaUp(ne), vbUp(ne);
  std::vector<int32_t> ia0(ia, ia + ne), ib0(ib, ib + ne), iaUp(ne), ibUp(ne);
  for (int t = 0; t < body::kBlock; ++t) f(t);
  std::copy(len, len + body::kBlock, lenUp.begin());
  std::copy(va, va + ne, vaUp.begin());
  std::copy(vb, vb + ne, vbUp.begin());
  std::copy(ia, ia + ne, iaUp.begin());
  std::copy(ib, ib + ne, ibUp.begin());
  std::copy(len0.begin(), len0.end(), len);
  std::copy(va0.begin(), va0.end(), va);
  std::copy(vb0.begin(), vb0.end(), vb);
  std::copy(ia0.begin(), ia0.end(), ia);
  std::copy(ib0.begin(), ib0.end(), ib);
  for (int t = body::kBlock - 1; t >= 0; --t) f(t);
  const bool same = std::equal(len, len + body::kBlock, lenUp.begin()) && std::memcmp(va, vaUp.data(), ne * sizeof(T)) == 0 &&
                    std::memcmp(vb, vbUp.data(), ne * sizeof(T)) == 0 && std::equal(ia, ia + ne, iaUp.begin()) &&
                    std::equal(ib, ib + ne, ibUp.begin());
  if (same) return;
  std::fill(va, va + ne, poison_value<T>());
  std::fill(vb, vb + ne, poison_value<T>());
  std::fill(ia, ia + ne, -1);
  std::fill(ib, ib + ne, -1);
}

// Twin of cuda::block_tree_sum: thread t's value p[t] stored to shared memory, a barrier, then one
// barrier interval per tree step (body::tree_sum_step), then shared[0].
template <typename T>
T block_tree_sum(const T* p) {
  BlockShared<T> sh;
  sh.phase([&](int t, T* s) { s[t] = p[t]; });
  for (int s = body::kBlock / 2; s > 0; s >>= 1) sh.phase([&](int t, T* q) { body::tree_sum_step(q, t, s); });
  return sh.v[0];
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
