// matmul on cuda-emu: the CUDA backend's setup (native/ops/matmul.h) run through the host
// model of cublas<t>gemm. The product itself is our CPU gemm; cuBLAS's arithmetic is NVIDIA's.
#include <cstring>
#include "../ops/matmul.h"
#include "grid.h"
#include "lib_models.h"

namespace mmg {
namespace {

void matmul_emu(Call& c) {
  const GemmCall g = matmul_setup(c);
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) {  // the CUDA path clears C with cudaMemsetAsync instead of calling cuBLAS
    std::memset(g.C, 0, size_t(g.m * g.n) * dtype_size(g.dtype));
    return;
  }
  MMG_FLOAT_SWITCH(g.dtype, T, c, emu::cublas_gemm<T>(g, c.op()));
}

}  // namespace
MMG_REGISTER_KERNEL("matmul", MMG_CUDA_EMU, matmul_emu);
}  // namespace mmg
