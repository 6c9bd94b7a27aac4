// gemm_bench: C = op(A)·op(B) through one chosen GEMM implementation. For benchmarks and
// cross-checks only (bench/matmul.ts); models use matmul, which always takes the default path.
// Inputs: A [m,k] (or [k,m] when trans_a), B [k,n] (or [n,k] when trans_b); float32/float64, same dtype;
// optional C0 [m,n]: C starts as C0 and the product is added to it (gemm's beta = 1).
// Attrs: [impl (0 auto, 1 eigen, 2 built-in, 3 naive, 4 eigen capped at AVX2), trans_a (0/1), trans_b (0/1)].
// Output: C [m,n].
// impl=1 falls back to the built-in kernel in a build without Eigen. Naive is serial and O(mnk)
// scalar code: use it on small shapes only. Not differentiable.
#include <algorithm>
#include "../core/gemm.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void gemm_bench_cpu(Call& c) {
  c.expect_inputs(2, 3);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  c.expect_ndim(0, "A", 2);
  c.expect_ndim(1, "B", 2);
  const int64_t impl = c.attr_int_or(0, 0);
  MMG_CHECK(impl >= 0 && impl <= 4, MMG_E_ARG, c.op(), ": expected impl in {0 auto, 1 eigen, 2 builtin, 3 naive, 4 eigen-avx2}, got ", impl);
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  const bool ta = c.attr_int_or(1, 0) != 0, tb = c.attr_int_or(2, 0) != 0;
  const int64_t m = ta ? A.shape[1] : A.shape[0], k = ta ? A.shape[0] : A.shape[1];
  const int64_t kb = tb ? B.shape[1] : B.shape[0], n = tb ? B.shape[0] : B.shape[1];
  if (k != kb) c.shape_error("inner dimensions to agree", "A " + shape_str(A) + ", B " + shape_str(B));
  const bool acc = c.has_in(2);
  if (acc) {
    c.expect_same_dtype(0, 2, "A", "C0");
    const mmg_tensor& C0 = c.in(2);
    if (C0.ndim != 2 || C0.shape[0] != m || C0.shape[1] != n)
      c.shape_error("C0 [" + std::to_string(m) + ", " + std::to_string(n) + "]", "C0 " + shape_str(C0));
  }
  mmg_tensor& C = c.out({m, n}, A.dtype);
  const GemmImpl which = impl == 1 ? GemmImpl::Eigen : impl == 2 ? GemmImpl::Builtin : impl == 3 ? GemmImpl::Naive
                          : impl == 4 ? GemmImpl::EigenAvx2 : GemmImpl::Auto;
  MMG_FLOAT_SWITCH(A.dtype, T, c, {
    if (acc) std::copy(ptr<T>(c.in(2)), ptr<T>(c.in(2)) + m * n, ptr<T>(C));
    gemm_with<T>(which, ta, tb, m, n, k, T(1), ptr<T>(A), A.shape[1], ptr<T>(B), B.shape[1], acc ? T(1) : T(0), ptr<T>(C), n);
  });
}

}  // namespace
MMG_REGISTER_KERNEL("gemm_bench", MMG_CPU, gemm_bench_cpu);
}  // namespace mmg
