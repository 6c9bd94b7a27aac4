// The C ABI shared by the addon and every backend library (the CUDA backend is a separate
// shared object opened with dlopen, so nothing C++ may cross that boundary).
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum mmg_dtype { MMG_F32 = 0, MMG_F64 = 1, MMG_I32 = 2, MMG_I64 = 3 };

// MMG_CUDA_EMU is a host device: host memory, but every op runs through the CUDA kernels'
// per-thread bodies (native/ops/<op>.h) on a host launcher. It is how CI executes the
// logic we ship to GPU users on a machine without a GPU.
enum mmg_device { MMG_CPU = 0, MMG_CUDA = 1, MMG_CUDA_EMU = 2 };

enum mmg_error_code {
  MMG_OK = 0,
  MMG_E_SHAPE = 1,
  MMG_E_DTYPE = 2,
  MMG_E_DEVICE = 3,
  MMG_E_CUDA = 4,
  MMG_E_OOM = 5,
  MMG_E_DATA = 6,
  MMG_E_ARG = 7,
  MMG_E_INTERNAL = 8,
  MMG_E_UNSUPPORTED = 9
};

#define MMG_MAX_DIMS 4
#define MMG_MAX_OUTPUTS 6

// Dense, contiguous, row-major. A scalar has ndim 0 and one element.
typedef struct mmg_tensor {
  void* data;
  int64_t shape[MMG_MAX_DIMS];
  int32_t ndim;
  int32_t dtype;
  int32_t device;
} mmg_tensor;

typedef struct mmg_call mmg_call;
struct mmg_call {
  int32_t n_in;
  const mmg_tensor* in;   // inputs; ops documented as in-place may write their data
  int32_t n_attr;
  const double* attr;     // numeric attributes, positional, documented per op
  int32_t n_out;
  mmg_tensor out[MMG_MAX_OUTPUTS];
  // Allocates out[n_out] with the given shape/dtype on the call's device and bumps n_out.
  // Returns 0 on success, MMG_E_OOM otherwise (and fills err).
  int (*alloc_out)(mmg_call* call, int32_t ndim, const int64_t* shape, int32_t dtype);
  void* host_ctx;
  int32_t err_code;
  char err[1024];
};

// What a backend library exports (symbol "mmg_backend_open"), version-checked by the addon.
#define MMG_BACKEND_ABI_VERSION 1
typedef struct mmg_backend_api {
  int32_t abi_version;
  const char* name;            // "cuda"
  // Fills msg and returns non-zero when the backend cannot run here (no driver, no device...).
  int (*probe)(char* msg, int32_t msg_len);
  int (*alloc)(void** ptr, uint64_t bytes, char* msg, int32_t msg_len);
  void (*free)(void* ptr, uint64_t bytes);
  int (*copy)(void* dst, const void* src, uint64_t bytes, int32_t kind, char* msg, int32_t msg_len);  // kind: 0 h2d, 1 d2h, 2 d2d
  int (*sync)(char* msg, int32_t msg_len);
  int (*run)(const char* op, mmg_call* call);  // MMG_E_UNSUPPORTED when op is unknown
  int32_t (*op_count)(void);
  const char* (*op_name)(int32_t i);
  void (*empty_cache)(void);
  void (*memory_stats)(uint64_t* in_use, uint64_t* cached);
} mmg_backend_api;

typedef const mmg_backend_api* (*mmg_backend_open_fn)(void);

#ifdef __cplusplus
}
#endif
