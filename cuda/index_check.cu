// check_indices (common.cuh): one pass over the indices on the device; atomicMin keeps the first
// bad position, so the message names the same entry the CPU kernel names.
#include "../native/core/hd/index_check.h"
#include "common.cuh"

namespace mmg {
namespace cuda {
namespace {

template <typename I>
__global__ void first_bad_index_kernel(const I* idx, int64_t count, int64_t n, unsigned long long* first) {
  MMG_GRID_STRIDE(i, count) {
    if (!body::index_in_range(idx[i], n)) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

}  // namespace

void check_indices(const char* op, const void* idx, int32_t index_dtype, int64_t count, int64_t n) {
  if (count == 0) return;
  Scratch first(sizeof(unsigned long long), op);
  const unsigned long long none = ~0ull;
  MMG_CUDA_CHECK(op, cudaMemcpyAsync(first.as<unsigned long long>(), &none, sizeof none, cudaMemcpyHostToDevice, stream()));
  if (index_dtype == MMG_I32)
    first_bad_index_kernel<<<blocks_for(count), body::kBlock, 0, stream()>>>(static_cast<const int32_t*>(idx), count, n,
                                                                             first.as<unsigned long long>());
  else
    first_bad_index_kernel<<<blocks_for(count), body::kBlock, 0, stream()>>>(static_cast<const int64_t*>(idx), count, n,
                                                                             first.as<unsigned long long>());
  check_launch(op, "first_bad_index_kernel");
  unsigned long long pos = none;
  MMG_CUDA_CHECK(op, cudaMemcpyAsync(&pos, first.as<unsigned long long>(), sizeof pos, cudaMemcpyDeviceToHost, stream()));
  MMG_CUDA_CHECK(op, cudaStreamSynchronize(stream()));
  if (pos == none) return;
  int64_t value = 0;
  const size_t es = index_dtype == MMG_I32 ? 4 : 8;
  const char* at = static_cast<const char*>(idx) + pos * es;
  if (index_dtype == MMG_I32) {
    int32_t v = 0;
    MMG_CUDA_CHECK(op, cudaMemcpy(&v, at, es, cudaMemcpyDeviceToHost));
    value = v;
  } else {
    MMG_CUDA_CHECK(op, cudaMemcpy(&value, at, es, cudaMemcpyDeviceToHost));
  }
  index_error(op, n, static_cast<int64_t>(pos), value);
}

}  // namespace cuda
}  // namespace mmg
