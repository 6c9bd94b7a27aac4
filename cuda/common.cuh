// What every cuda/*.cu and cuda/ops/*.cu file shares: status checks for the CUDA runtime, cuBLAS,
// cuSPARSE and cuFFT that throw mmg::Error (MMG_E_CUDA, or MMG_E_OOM with the sizes involved),
// the backend's one stream and library handles, scratch memory from the caching allocator, and
// launch helpers. Nothing here aborts or exits: inside Node that would kill the user's process.
// backend.cu's run() turns every mmg::Error into an error code and message for the addon.
#pragma once
#include <cublas_v2.h>
#include <cufft.h>
#include <cuda_runtime.h>
#include <cusparse.h>
#include <cstdint>
#include "../native/core/device_counters.h"
#include "../native/core/registry.h"
#include "../native/core/hd/body_common.h"

namespace mmg {
namespace cuda {

[[noreturn]] void throw_status(const char* op, const char* what, int code, const char* lib, const char* text, bool oom);

inline void check(cudaError_t e, const char* op, const char* what) {
  if (e != cudaSuccess) throw_status(op, what, int(e), "CUDA", cudaGetErrorString(e), e == cudaErrorMemoryAllocation);
}
inline void check(cublasStatus_t s, const char* op, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) throw_status(op, what, int(s), "cuBLAS", cublasGetStatusString(s), s == CUBLAS_STATUS_ALLOC_FAILED);
}
inline void check(cusparseStatus_t s, const char* op, const char* what) {
  if (s != CUSPARSE_STATUS_SUCCESS)
    throw_status(op, what, int(s), "cuSPARSE", cusparseGetErrorString(s), s == CUSPARSE_STATUS_ALLOC_FAILED);
}
const char* cufft_status_string(cufftResult r);
inline void check(cufftResult r, const char* op, const char* what) {
  if (r != CUFFT_SUCCESS) throw_status(op, what, int(r), "cuFFT", cufft_status_string(r), r == CUFFT_ALLOC_FAILED);
}

// MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(...)): the failing call's text goes into the message.
#define MMG_CUDA_CHECK(op, expr) ::mmg::cuda::check((expr), (op), #expr)

// Library calls allocate their own device memory (workspaces, plans), which can fail while our
// allocator holds freed blocks in its cache. On an out-of-memory status the cache is returned to
// the driver (release_for_retry, backend.cu) and the call made once more.
inline bool is_oom(cudaError_t e) { return e == cudaErrorMemoryAllocation; }
inline bool is_oom(cublasStatus_t s) { return s == CUBLAS_STATUS_ALLOC_FAILED; }
inline bool is_oom(cusparseStatus_t s) { return s == CUSPARSE_STATUS_ALLOC_FAILED; }
inline bool is_oom(cufftResult r) { return r == CUFFT_ALLOC_FAILED; }
void release_for_retry();
template <typename F>
auto retry_oom(F f) -> decltype(f()) {
  auto s = f();
  if (is_oom(s)) {
    release_for_retry();
    s = f();
  }
  return s;
}
// MMG_LIB_CHECK(op, cublasSgemm(...)): MMG_CUDA_CHECK for a library call, with one retry after
// releasing the cache on out-of-memory.
#define MMG_LIB_CHECK(op, expr) ::mmg::cuda::check(::mmg::cuda::retry_oom([&] { return (expr); }), (op), #expr)

// Errors a kernel launch reports at once (bad configuration, no image for this device). Faults
// inside a kernel surface at the next synchronisation (backend sync/copy) as MMG_E_CUDA, under
// whichever op synchronizes; MMGRAPH_CUDA_SYNC=1 (debug_sync_mode) waits after every launch
// instead, so the fault is reported with the op and kernel that caused it.
void sync_after_launch(const char* op, const char* kernel);
inline void check_launch(const char* op, const char* kernel) {
  check(cudaGetLastError(), op, kernel);
  if (debug_sync_mode()) sync_after_launch(op, kernel);
}

// The backend's single stream: every kernel, library call and copy is ordered on it, which is
// also what makes reusing a freed block for the next op safe without events.
cudaStream_t stream();
cublasHandle_t cublas(const char* op);
cusparseHandle_t cusparse(const char* op);

// The caching device allocator (allocator.cu). alloc throws MMG_E_OOM with the requested size,
// the bytes in use and cached, and the device's free/total memory.
void* device_alloc(uint64_t bytes, const char* op);
void device_free(void* p);
void device_empty_cache();
void device_memory_stats(uint64_t* in_use, uint64_t* cached);

// Scratch memory for one op, returned to the cache when the launcher returns (stream order makes
// that safe: later work that reuses the block runs after this op's kernels).
class Scratch {
 public:
  Scratch(uint64_t bytes, const char* op) : p_(bytes ? device_alloc(bytes, op) : nullptr) {}
  ~Scratch() { if (p_) device_free(p_); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  template <typename T> T* as() const { return static_cast<T*>(p_); }

 private:
  void* p_;
};

// Grid size for a grid-stride loop over n threads (capped: each thread then loops).
inline unsigned blocks_for(int64_t n) {
  int64_t b = (n + body::kBlock - 1) / body::kBlock;
  return static_cast<unsigned>(b < 1 ? 1 : (b > 65535 * 16 ? 65535 * 16 : b));
}

// Grid-stride loop: `for (i over [0, n))` spread over the whole grid.
#define MMG_GRID_STRIDE(i, n) \
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (n); i += int64_t(blockDim.x) * gridDim.x)

// Shared-memory block sum with the same pairs and order as the host twin (emu::block_tree_sum).
// Every thread of the block must call it; the result is valid in all threads.
template <typename T>
__device__ T block_tree_sum(T v, T* shared) {
  const int t = threadIdx.x;
  shared[t] = v;
  __syncthreads();
  for (int s = body::kBlock / 2; s > 0; s >>= 1) {
    body::tree_sum_step(shared, t, s);
    __syncthreads();
  }
  T r = shared[0];
  __syncthreads();
  return r;
}

// Warp-per-row kernels (body_common.h: kWarp, kWarpRows): grid size, lane index and the row loop.
// Rows beyond the grid are taken by a warp-stride loop; the loop condition is uniform in a warp,
// so every lane of a warp reaches the same __shfl_xor_sync calls.
inline unsigned warp_row_blocks(int64_t rows) {
  const int64_t b = (rows + body::kWarpRows - 1) / body::kWarpRows;
  return static_cast<unsigned>(b < 1 ? 1 : (b > 65535 * 16 ? 65535 * 16 : b));
}
__device__ __forceinline__ int lane_index() { return int(threadIdx.x) & (body::kWarp - 1); }
#define MMG_WARP_ROWS(r, nrows)                                                                     \
  for (int64_t r = int64_t(blockIdx.x) * body::kWarpRows + threadIdx.x / body::kWarp; r < (nrows); \
       r += int64_t(gridDim.x) * body::kWarpRows)

// Xor-butterfly merges of the lanes' values (twins: emu::warp_sum / emu::warp_max_lanes). Every
// lane of the warp must call them; the sum is valid in every lane.
template <typename T>
__device__ T warp_sum(T v) {
  for (int m = body::kWarp / 2; m > 0; m >>= 1) v = body::warp_sum_merge(v, __shfl_xor_sync(0xffffffffu, v, m));
  return v;
}
template <typename T>
__device__ T warp_max(T v) {
  for (int m = body::kWarp / 2; m > 0; m >>= 1) v = body::warp_max_merge(v, __shfl_xor_sync(0xffffffffu, v, m));
  return v;
}

// Indices live in device memory; an out-of-range one would fault and poison the CUDA context, so
// ops check them on the device first (index_check.cu). Fails with the CPU's MMG_E_DATA message
// for the first bad position: "<op>: expected indices in [0, n), got idx[i] = v". Synchronises.
void check_indices(const char* op, const void* idx, int32_t index_dtype, int64_t count, int64_t n);

// cuBLAS/cuSPARSE take int sizes: refuse (MMG_E_ARG) rather than truncate.
int to_int(int64_t v, const char* op, const char* what);

}  // namespace cuda
}  // namespace mmg

// Registers a CUDA kernel under the op's name, as native/ops files do for MMG_CPU.
#define MMG_CUDA_OP(name, fn) MMG_REGISTER_KERNEL(name, MMG_CUDA, fn)
