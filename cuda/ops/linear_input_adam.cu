// linear_input_adam: one kernel (contract: linear_input_adam.h). Block (bx, by) owns rows
// [64·bx, 64·bx + 64) and columns [64·by, 64·by + 64) of dX; thread (ty, tx) of the 16 × 16 grid
// holds rows ty + 16i and columns tx + 16j (i, j < 4) in registers, so each warp reads and writes
// X, m and v in runs of 16 consecutive elements. dY's and W's slices pass through shared memory
// 16 values of o at a time; each element is still summed over q = 0, 1, ... in order with one
// FMA per term (body::linear_input_grad, the cuda-emu twin). Then adam's update, from registers.
#include "../common.cuh"
#include "../../native/ops/linear_input_adam.h"

namespace mmg {
namespace cuda {
namespace {

using body::kLiaDepth;
using body::kLiaSide;
using body::kLiaTile;

template <typename T>
__global__ void linear_input_adam_kernel(int64_t n, int64_t k, int64_t o, T* p, const T* __restrict__ dy, const T* __restrict__ w,
                                         T* m, T* v, body::AdamStep<T> st) {
  __shared__ T sa[kLiaDepth][kLiaTile];  // dY[r0 + r, q0 + q] at sa[q][r]
  __shared__ T sb[kLiaDepth][kLiaTile];  // W[q0 + q, c0 + c] at sb[q][c]
  const int tx = threadIdx.x % kLiaSide, ty = threadIdx.x / kLiaSide;
  const int64_t r0 = int64_t(blockIdx.x) * kLiaTile, c0 = int64_t(blockIdx.y) * kLiaTile;
  T acc[4][4];
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) acc[i][j] = T(0);
  for (int64_t q0 = 0; q0 < o; q0 += kLiaDepth) {
    for (int e = threadIdx.x; e < kLiaDepth * kLiaTile; e += body::kBlock) {
      const int rr = e / kLiaDepth, qa = e % kLiaDepth;  // dY read along its rows (q fastest)
      const int64_t r = r0 + rr, q = q0 + qa;
      sa[qa][rr] = r < n && q < o ? dy[r * o + q] : T(0);
      const int qb = e / kLiaTile, cc = e % kLiaTile;  // W read along its rows (c fastest)
      const int64_t qw = q0 + qb, cw = c0 + cc;
      sb[qb][cc] = qw < o && cw < k ? w[qw * k + cw] : T(0);
    }
    __syncthreads();
    // Only real terms: a padded zero times an infinite W would add a NaN.
    const int depth = int(o - q0 < kLiaDepth ? o - q0 : kLiaDepth);
    for (int q = 0; q < depth; ++q) {
      T a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) a[i] = sa[q][ty + kLiaSide * i];
#pragma unroll
      for (int j = 0; j < 4; ++j) b[j] = sb[q][tx + kLiaSide * j];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] = body::hd_fma(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const int64_t r = r0 + ty + kLiaSide * i;
    if (r >= n) continue;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int64_t c = c0 + tx + kLiaSide * j;
      if (c < k) body::linear_input_adam_elem(r * k + c, acc[i][j], p, m, v, st);
    }
  }
}

void linear_input_adam_cuda(Call& c) {
  const LinearInputAdamPlan a = linear_input_adam_plan(c);
  if (a.adam.n == 0) return;
  const int64_t bx = (a.n + kLiaTile - 1) / kLiaTile, by = (a.k + kLiaTile - 1) / kLiaTile;
  if (bx > 0x7fffffff || by > 65535)
    fail(MMG_E_ARG, c.op(), ": expected at most 2^31 - 1 row tiles and 65535 column tiles of 64 on cuda, got ", bx, " and ", by);
  const dim3 grid{unsigned(bx), unsigned(by), 1u};
  MMG_FLOAT_SWITCH(c.in(0).dtype, T, c, {
    linear_input_adam_kernel<T><<<grid, body::kBlock, 0, stream()>>>(a.n, a.k, a.o, ptr<T>(c.in(0)), ptr<T>(c.in(1)), ptr<T>(c.in(2)),
                                                                     ptr<T>(c.in(3)), ptr<T>(c.in(4)), adam_step<T>(a.adam));
  });
  check_launch(c.op(), "linear_input_adam_kernel");
}

}  // namespace
MMG_CUDA_OP("linear_input_adam", linear_input_adam_cuda);
}  // namespace cuda
}  // namespace mmg
