// spmm on cuda-emu: the CSR check's twin, then the CUDA backend's SpmmCall (native/ops/spmm.h)
// through the host model of cusparseSpMM (lib_models.h), after clearing Y (or copying the addend
// C into it) as spmm.cu does.
#include <cstring>
#include "../ops/spmm.h"
#include "csr_check.h"
#include "grid.h"
#include "lib_models.h"

namespace mmg {
namespace {

void spmm_emu(Call& c) {
  spmm_check_inputs(c);
  const int64_t nnz = device_data_check_needed(spmm_csr_checked(c)) ? emu::check_csr(c, 0, 1, c.in(3).shape[0], "A")
                                                                     : csr_checked_nnz(c, 0, 1, "A");
  const SpmmCall s = spmm_setup(c, nnz);
  if (s.rows == 0 || s.n == 0) return;
  const size_t bytes = size_t(s.rows * s.n) * dtype_size(s.dtype);
  if (const void* addend = spmm_addend(c, s.rows, s.n)) std::memcpy(s.C, addend, bytes);  // β = 1: Y = A·X + C
  else std::memset(s.C, 0, bytes);
  if (s.nnz == 0) return;
  MMG_FLOAT_SWITCH(s.dtype, T, c, emu::cusparse_spmm<T>(s, c.op()));
}

}  // namespace
MMG_REGISTER_KERNEL("spmm", MMG_CUDA_EMU, spmm_emu);
}  // namespace mmg
