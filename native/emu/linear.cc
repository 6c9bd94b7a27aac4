// linear on cuda-emu: the bias fill over every thread, then the CUDA setup's gemm descriptor
// through the host model of cublas<t>gemm (lib_models.h; the product is our CPU gemm).
#include <cstring>
#include "../ops/linear.h"
#include "grid.h"
#include "lib_models.h"

namespace mmg {
namespace {

void linear_emu(Call& c) {
  const LinearPlan p = linear_setup(c);
  const GemmCall& g = p.gemm;
  const int64_t total = p.n * p.out;
  if (total == 0) return;
  MMG_FLOAT_SWITCH(g.dtype, T, c, {
    T* y = static_cast<T*>(g.C);
    if (p.has_b) {
      const T* b = ptr<T>(c.in(2));
      emu::for_threads(total, [&](int64_t i) { body::linear_bias_elem(i, b, p.out, y); });
    }
    if (g.k == 0) {  // the CUDA path clears y with cudaMemsetAsync (no b) instead of calling cuBLAS
      if (!p.has_b) std::memset(y, 0, size_t(total) * sizeof(T));
    } else {
      emu::cublas_gemm<T>(g, c.op());
    }
  });
}

}  // namespace
MMG_REGISTER_KERNEL("linear", MMG_CUDA_EMU, linear_emu);
}  // namespace mmg
