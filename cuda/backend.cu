// The CUDA backend library's one exported symbol, mmg_backend_open(), and the table behind it
// (native/core/abi.h). The addon opens this library with dlopen only when asked for device
// 'cuda'; probe() explains in words why it cannot run here (no driver, no device, a device this
// build has no code for) instead of failing later inside a kernel launch.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>
#include "common.cuh"
#include "fft.cuh"

#ifndef MMG_CUDA_ARCHS
#define MMG_CUDA_ARCHS "80 90"
#endif

namespace mmg {
namespace cuda {
namespace {

std::mutex g_mu;
std::mutex g_stage_mu;
int g_device = -1;
cudaStream_t g_stream = nullptr;
cublasHandle_t g_cublas = nullptr;
cusparseHandle_t g_cusparse = nullptr;

void put(char* msg, int32_t len, const std::string& s) {
  if (msg && len > 0) std::snprintf(msg, size_t(len), "%s", s.c_str());
}

// A kernel fault (illegal address, assert, ...) leaves the context unusable: every later CUDA call
// fails with the same error. The first one is kept so later calls say so instead of failing under
// unrelated names (issue 11); only a new process recovers.
std::mutex g_poison_mu;
std::string g_poison;

bool sticky(cudaError_t e) {
  switch (e) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorAssert:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorECCUncorrectable:
    case cudaErrorLaunchTimeout:
      return true;
    default:
      return false;
  }
}

// The poisoned-context status for an entry point, or "" when the context is healthy.
std::string poisoned(const char* what) {
  std::lock_guard<std::mutex> lk(g_poison_mu);
  if (g_poison.empty()) return "";
  return std::string(what) + ": the CUDA context is unusable after an earlier device fault (" + g_poison +
         "); restart the process (MMGRAPH_CUDA_SYNC=1 names the op that faulted)";
}

void note_poison(cudaError_t e, const char* where) {
  if (!sticky(e)) return;
  std::lock_guard<std::mutex> lk(g_poison_mu);
  if (g_poison.empty()) g_poison = std::string(cudaGetErrorString(e)) + ", first seen in " + where;
}

// The device is per host thread in the CUDA runtime, and trainAsync runs ops on a worker thread:
// every entry point selects the probed device for the calling thread (once per thread).
thread_local int t_device = -1;
cudaError_t use_device() {
  if (g_device < 0 || t_device == g_device) return cudaSuccess;
  const cudaError_t e = cudaSetDevice(g_device);
  if (e == cudaSuccess) t_device = g_device;
  return e;
}

std::string version_str(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }

// The compiled architectures, e.g. "80 90" -> {80, 90}. Each comes with SASS and PTX (CMake's
// plain "80" means both), so a device runs our code when some arch has its major version and a
// minor no higher than the device's (SASS), or when the device is newer than the highest arch
// (the driver JIT-compiles that arch's PTX).
std::vector<int> compiled_archs() {
  std::vector<int> out;
  const char* s = MMG_CUDA_ARCHS;
  while (*s) {
    char* end = nullptr;
    long v = std::strtol(s, &end, 10);
    if (end == s) { ++s; continue; }
    out.push_back(int(v));
    s = end;
  }
  return out;
}

std::string archs_desc() {
  std::string s;
  for (int a : compiled_archs()) s += (s.empty() ? "sm_" : ", sm_") + std::to_string(a);
  return s;
}

__global__ void probe_kernel(int* p) {
  if (p) *p = 1;
}

// Theoretical peaks from the device's clocks, for benchmarks to report fractions of (bench/gpu.ts
// parses them): DRAM bandwidth = 2 transfers per memory clock × bus width, FP32 = 2 flops per FMA
// × FP32 lanes per SM × SMs × SM clock. The lanes per SM come from NVIDIA's tables per
// architecture (64 on sm_80 and sm_75, 128 on sm_86/89/90 and newer). Empty when unknown.
std::string peak_desc(int dev, int major, int minor) {
  int mem_khz = 0, bus_bits = 0, sm_khz = 0, sms = 0;
  if (cudaDeviceGetAttribute(&mem_khz, cudaDevAttrMemoryClockRate, dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&sm_khz, cudaDevAttrClockRate, dev) != cudaSuccess ||
      cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev) != cudaSuccess) {
    cudaGetLastError();
    return "";
  }
  const int arch = major * 10 + minor;
  const int lanes = (arch == 80 || major < 8) ? 64 : 128;
  const double gbs = 2.0 * double(mem_khz) * 1e3 * double(bus_bits) / 8.0 / 1e9;
  const double gflops = 2.0 * double(lanes) * double(sms) * double(sm_khz) * 1e3 / 1e9;
  char buf[160];
  std::snprintf(buf, sizeof buf, ", peak %.0f GB/s, %.0f FP32 GFLOP/s (from clocks)", gbs, gflops);
  return buf;
}

int probe_impl(char* msg, int32_t len) {
  int driver = 0;
  cudaDriverGetVersion(&driver);
  if (driver == 0) {
    put(msg, len, "no CUDA driver: libcuda.so.1 was not found or did not load (install the NVIDIA driver; in a container, "
                  "run it with the GPU exposed, e.g. docker --gpus all)");
    return MMG_E_DEVICE;
  }
  int runtime = 0;
  cudaRuntimeGetVersion(&runtime);
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e == cudaErrorInsufficientDriver) {
    put(msg, len, "the NVIDIA driver supports CUDA " + version_str(driver) + " but this library was built with CUDA " +
                      version_str(runtime) + ": update the driver");
    return MMG_E_DEVICE;
  }
  if (e == cudaErrorNoDevice || (e == cudaSuccess && n == 0)) {
    const char* vis = std::getenv("CUDA_VISIBLE_DEVICES");
    put(msg, len, std::string("no CUDA device is visible (driver ") + version_str(driver) + ")" +
                      (vis ? std::string(", CUDA_VISIBLE_DEVICES=") + vis : std::string()));
    return MMG_E_DEVICE;
  }
  if (e != cudaSuccess) {
    put(msg, len, std::string("cudaGetDeviceCount failed: ") + cudaGetErrorString(e));
    return MMG_E_CUDA;
  }
  int dev = 0;
  if (const char* d = std::getenv("MMGRAPH_CUDA_DEVICE")) dev = std::atoi(d);
  if (dev < 0 || dev >= n) {
    put(msg, len, "MMGRAPH_CUDA_DEVICE=" + std::to_string(dev) + " but only " + std::to_string(n) + " device(s) are visible");
    return MMG_E_DEVICE;
  }
  cudaDeviceProp p{};
  e = cudaGetDeviceProperties(&p, dev);
  if (e != cudaSuccess) {
    put(msg, len, std::string("cudaGetDeviceProperties failed: ") + cudaGetErrorString(e));
    return MMG_E_CUDA;
  }
  const int arch = p.major * 10 + p.minor;
  const std::vector<int> archs = compiled_archs();
  bool sass = false, ptx = false;
  int highest = 0;
  for (int a : archs) {
    if (a / 10 == p.major && a <= arch) sass = true;
    highest = a > highest ? a : highest;
  }
  ptx = !sass && arch > highest;
  std::string dev_desc = std::string(p.name) + " (sm_" + std::to_string(arch) + ")";
  if (!sass && !ptx) {
    put(msg, len, dev_desc + " is not supported by this build, which has code for " + archs_desc() +
                      " (rebuild with MMGRAPH_CUDA_ARCHS=" + std::to_string(arch) + " npm run build:cuda)");
    return MMG_E_DEVICE;
  }
  e = cudaSetDevice(dev);
  if (e != cudaSuccess) {
    put(msg, len, dev_desc + ": cudaSetDevice failed: " + cudaGetErrorString(e));
    return MMG_E_CUDA;
  }
  // The definitive check: does the runtime find an image of our code for this device?
  cudaFuncAttributes fa{};
  e = cudaFuncGetAttributes(&fa, probe_kernel);
  if (e == cudaErrorNoKernelImageForDevice || e == cudaErrorInvalidDeviceFunction || e == cudaErrorUnsupportedPtxVersion) {
    cudaGetLastError();
    put(msg, len, dev_desc + ": no usable kernel image in this build (" + archs_desc() + "): " +
                      cudaGetErrorString(e));
    return MMG_E_DEVICE;
  }
  if (e != cudaSuccess) {  // anything else (out of memory, a busy or faulted device) is not the build's fault
    cudaGetLastError();
    put(msg, len, dev_desc + ": cudaFuncGetAttributes failed: " + cudaGetErrorString(e));
    return MMG_E_CUDA;
  }
  if (!g_stream) {
    e = cudaStreamCreateWithFlags(&g_stream, cudaStreamNonBlocking);
    if (e != cudaSuccess) {
      put(msg, len, std::string("cudaStreamCreate failed: ") + cudaGetErrorString(e));
      return MMG_E_CUDA;
    }
  }
  g_device = dev;
  t_device = dev;
  put(msg, len, dev_desc + ", " + std::to_string(p.totalGlobalMem >> 20) + " MiB, driver " + version_str(driver) +
                    ", runtime " + version_str(runtime) + (sass ? ", native code" : ", PTX JIT from sm_" + std::to_string(highest)) +
                    peak_desc(dev, p.major, p.minor));
  return 0;
}

// Nothing may cross the C ABI as an exception: each entry point ends in catch (...).
int probe(char* msg, int32_t len) {
  try {
    std::lock_guard<std::mutex> lk(g_mu);
    return probe_impl(msg, len);
  } catch (...) {
    put(msg, len, "probe: internal error");
    return MMG_E_INTERNAL;
  }
}

// The entry-point prologue: the calling thread's device, and the poisoned-context status.
int enter(const char* what, char* msg, int32_t len) {
  const std::string p = poisoned(what);
  if (!p.empty()) {
    put(msg, len, p);
    return MMG_E_CUDA;
  }
  const cudaError_t e = use_device();
  if (e != cudaSuccess) {
    put(msg, len, std::string(what) + ": cudaSetDevice(" + std::to_string(g_device) + ") failed: " + cudaGetErrorString(e));
    return MMG_E_CUDA;
  }
  return 0;
}

int alloc(void** ptr, uint64_t bytes, char* msg, int32_t len) {
  if (int rc = enter("alloc", msg, len)) return rc;
  try {
    *ptr = device_alloc(bytes, "alloc");
    return 0;
  } catch (const Error& e) {
    put(msg, len, e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    put(msg, len, "alloc: out of host memory");
    return MMG_E_OOM;
  } catch (...) {
    put(msg, len, "alloc: internal error");
    return MMG_E_INTERNAL;
  }
}

void free_block(void* ptr, uint64_t) {
  try {
    use_device();
    device_free(ptr);
  } catch (...) {
  }
}

// Uploads go through a ring of pinned staging slots: the JS buffer is copied into a slot at once
// (so JS may release it when we return) and the device copy stays queued on the stream, so a batch
// upload does not drain the GPU (issue 11). A slot is reused only once the event recorded behind
// its last copy has fired, which waits only when the GPU is kStageSlots uploads behind. Larger
// uploads (parameters, graphs: once per run) and a failed pinned allocation take the waiting path.
constexpr int kStageSlots = 8;
constexpr uint64_t kStageBytes = 1u << 20;
struct Stage {
  void* buf = nullptr;
  cudaEvent_t done = nullptr;
};
Stage g_stage[kStageSlots];
int g_stage_next = 0;
bool g_stage_failed = false;

// Queues a host-to-device copy through a staging slot; false when none is usable (caller waits).
bool staged_upload(void* dst, const void* src, uint64_t bytes, cudaError_t* err) {
  if (bytes > kStageBytes || g_stage_failed) return false;
  Stage& s = g_stage[g_stage_next];
  if (!s.buf) {
    if (cudaHostAlloc(&s.buf, kStageBytes, cudaHostAllocDefault) != cudaSuccess ||
        cudaEventCreateWithFlags(&s.done, cudaEventDisableTiming) != cudaSuccess) {
      cudaGetLastError();
      if (s.buf) cudaFreeHost(s.buf);
      s.buf = nullptr;
      g_stage_failed = true;
      return false;
    }
  } else if ((*err = cudaEventSynchronize(s.done)) != cudaSuccess) {
    return true;
  }
  std::memcpy(s.buf, src, bytes);
  *err = cudaMemcpyAsync(dst, s.buf, bytes, cudaMemcpyHostToDevice, g_stream);
  if (*err == cudaSuccess) *err = cudaEventRecord(s.done, g_stream);
  g_stage_next = (g_stage_next + 1) % kStageSlots;
  return true;
}

int copy(void* dst, const void* src, uint64_t bytes, int32_t kind, char* msg, int32_t len) {
  static const cudaMemcpyKind kinds[3] = {cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice};
  if (kind < 0 || kind > 2) {
    put(msg, len, "copy: bad kind " + std::to_string(kind));
    return MMG_E_INTERNAL;
  }
  if (int rc = enter("copy", msg, len)) return rc;
  cudaError_t e = cudaSuccess;
  if (kind == 0) {
    std::lock_guard<std::mutex> lk(g_stage_mu);
    if (staged_upload(dst, src, bytes, &e)) {
      if (e != cudaSuccess) {
        note_poison(e, "copy");
        put(msg, len, std::string("copy: ") + cudaGetErrorString(e) + " (an earlier kernel may have failed)");
        return MMG_E_CUDA;
      }
      return 0;
    }
  }
  e = cudaMemcpyAsync(dst, src, bytes, kinds[kind], g_stream);
  // Host buffers belong to JS and may be released as soon as we return: wait for unstaged transfers
  // that touch host memory. Device-to-device copies stay asynchronous on the stream.
  if (e == cudaSuccess && kind != 2) e = cudaStreamSynchronize(g_stream);
  if (e != cudaSuccess) {
    note_poison(e, "copy");
    put(msg, len, std::string("copy: ") + cudaGetErrorString(e) + (kind == 2 ? "" : " (an earlier kernel may have failed)"));
    return e == cudaErrorMemoryAllocation ? MMG_E_OOM : MMG_E_CUDA;
  }
  return 0;
}

int sync(char* msg, int32_t len) {
  if (int rc = enter("sync", msg, len)) return rc;
  cudaError_t e = cudaStreamSynchronize(g_stream);
  if (e != cudaSuccess) {
    note_poison(e, "sync");
    put(msg, len, std::string("sync: ") + cudaGetErrorString(e));
    return MMG_E_CUDA;
  }
  return 0;
}

int run(const char* op, mmg_call* call) {
  call->err_code = 0;
  call->err[0] = 0;
  if (int rc = enter(op, call->err, int32_t(sizeof call->err))) return call->err_code = rc;
  Kernel k = find_kernel(op, MMG_CUDA);
  if (!k) {
    std::snprintf(call->err, sizeof call->err, "%s: no CUDA kernel (this op runs on cpu and cuda-emu only)", op);
    return call->err_code = MMG_E_UNSUPPORTED;
  }
  try {
    Call c(call, op);
    k(c);
    if (debug_sync_mode()) sync_after_launch(op, "its kernels");
    return 0;
  } catch (const Error& e) {
    std::snprintf(call->err, sizeof call->err, "%s", e.what());
    return call->err_code = e.code();
  } catch (const std::bad_alloc&) {
    std::snprintf(call->err, sizeof call->err, "%s: out of host memory", op);
    return call->err_code = MMG_E_OOM;
  } catch (const std::exception& e) {
    std::snprintf(call->err, sizeof call->err, "%s: internal error: %s", op, e.what());
    return call->err_code = MMG_E_INTERNAL;
  } catch (...) {
    std::snprintf(call->err, sizeof call->err, "%s: internal error (unknown exception)", op);
    return call->err_code = MMG_E_INTERNAL;
  }
}

// kernel_names() builds a fresh vector; op_name hands out pointers, so keep one stable copy.
const std::vector<std::string>& op_list() {
  static const std::vector<std::string> names = kernel_names(MMG_CUDA);
  return names;
}
int32_t op_count() {
  try {
    return int32_t(op_list().size());
  } catch (...) {
    return 0;
  }
}
const char* op_name(int32_t i) { return i >= 0 && i < op_count() ? op_list()[size_t(i)].c_str() : ""; }

void empty_cache() {
  try {
    if (use_device() != cudaSuccess || !poisoned("emptyCache").empty()) return;
    if (g_stream) cudaStreamSynchronize(g_stream);
    fft_plans_release();
    device_empty_cache();
  } catch (...) {
  }
}

void memory_stats(uint64_t* in_use, uint64_t* cached) { device_memory_stats(in_use, cached); }

const mmg_backend_api kApi = {MMG_BACKEND_ABI_VERSION, "cuda", probe, alloc, free_block, copy, sync,
                              run, op_count, op_name, empty_cache, memory_stats};

}  // namespace

cudaStream_t stream() { return g_stream; }

void release_for_retry() {
  cudaStreamSynchronize(g_stream);  // cached blocks may still be read by queued work
  device_empty_cache();
}

void sync_after_launch(const char* op, const char* kernel) {
  const cudaError_t e = cudaStreamSynchronize(g_stream);
  if (e == cudaSuccess) return;
  note_poison(e, op);
  fail(MMG_E_CUDA, op, ": ", kernel, " failed on the device: ", cudaGetErrorString(e), " [MMGRAPH_CUDA_SYNC=1]");
}

cublasHandle_t cublas(const char* op) {
  std::lock_guard<std::mutex> lk(g_mu);
  if (!g_cublas) {
    check(cublasCreate(&g_cublas), op, "cublasCreate");
    check(cublasSetStream(g_cublas, g_stream), op, "cublasSetStream");
  }
  return g_cublas;
}

cusparseHandle_t cusparse(const char* op) {
  std::lock_guard<std::mutex> lk(g_mu);
  if (!g_cusparse) {
    check(cusparseCreate(&g_cusparse), op, "cusparseCreate");
    check(cusparseSetStream(g_cusparse, g_stream), op, "cusparseSetStream");
  }
  return g_cusparse;
}

void throw_status(const char* op, const char* what, int code, const char* lib, const char* text, bool oom) {
  if (std::strcmp(lib, "CUDA") == 0) note_poison(cudaError_t(code), op);
  if (oom) {
    uint64_t used = 0, cached = 0;
    device_memory_stats(&used, &cached);
    size_t free_b = 0, total_b = 0;
    cudaMemGetInfo(&free_b, &total_b);
    fail(MMG_E_OOM, op, ": ", lib, " ran out of device memory in ", what, " (in use by mmgraph ", used >> 20, " MiB, cached ",
         cached >> 20, " MiB, device free ", free_b >> 20, " of ", total_b >> 20, " MiB)");
  }
  fail(MMG_E_CUDA, op, ": ", what, " failed: ", lib, " error ", code, " (", text ? text : "unknown", ")");
}

// cuFFT has no status-string function. The codes are matched as numbers: cuFFT 11 and 12 differ
// in which enumerators their headers declare (12 dropped 0xA, 0xC, 0xF and added 0x11-0x14), and
// the values are stable across versions.
const char* cufft_status_string(cufftResult r) {
  switch (int(r)) {
    case 0x1: return "invalid plan";
    case 0x2: return "allocation failed";
    case 0x3: return "invalid type";
    case 0x4: return "invalid value";
    case 0x5: return "internal error";
    case 0x6: return "execution failed";
    case 0x7: return "setup failed";
    case 0x8: return "invalid size";
    case 0x9: return "unaligned data";
    case 0xA: return "incomplete parameter list";
    case 0xB: return "invalid device";
    case 0xC: return "parse error";
    case 0xD: return "no workspace";
    case 0xE: return "not implemented";
    case 0xF: return "license error";
    case 0x10: return "not supported";
    case 0x11: return "missing dependency";
    case 0x12: return "NVRTC failure";
    case 0x13: return "nvJitLink failure";
    case 0x14: return "NVSHMEM failure";
    default: return "cuFFT failure";
  }
}

int to_int(int64_t v, const char* op, const char* what) {
  if (v < 0 || v > 2147483647) fail(MMG_E_ARG, op, ": expected ", what, " to fit the CUDA libraries' 32-bit sizes, got ", v);
  return int(v);
}

}  // namespace cuda
}  // namespace mmg

extern "C" __attribute__((visibility("default"))) const mmg_backend_api* mmg_backend_open(void) { return &mmg::cuda::kApi; }

// fill_zero: the addon's zeros() on device 'cuda' (inputs: the tensor to clear, in place).
namespace mmg {
namespace cuda {
namespace {
void fill_zero_cuda(Call& c) {
  const mmg_tensor& t = c.in(0);
  const uint64_t bytes = uint64_t(numel(t)) * dtype_size(t.dtype);
  if (bytes) MMG_CUDA_CHECK(c.op(), cudaMemsetAsync(t.data, 0, bytes, stream()));
}
}  // namespace
MMG_CUDA_OP("fill_zero", fill_zero_cuda);
}  // namespace cuda
}  // namespace mmg
