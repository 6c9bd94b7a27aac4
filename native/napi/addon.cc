// Module entry: tensor creation and transfer, the op dispatcher, backend and memory controls.
#include <napi.h>
#include <cstring>
#include <string>
#include "../core/allocator.h"
#include "../core/device_counters.h"
#include "../core/error.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/tensor.h"
#include "build_info.h"
#include "dispatch.h"
#include "tensor_handle.h"

namespace mmg {
namespace {

void read_shape(Napi::Env env, Napi::Value v, const char* fn, int32_t* ndim, int64_t* shape) {
  if (!v.IsArray()) throw_js(env, MMG_E_ARG, std::string(fn) + ": expected a shape array");
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() > MMG_MAX_DIMS)
    throw_js(env, MMG_E_SHAPE, std::string(fn) + ": expected at most 4 dimensions, got " + std::to_string(a.Length()));
  *ndim = static_cast<int32_t>(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    // Numbers only (no '3' coerced to 3), and checked before the cast: converting a double at or
    // beyond 2^63 to int64 is undefined behaviour. 2^53 keeps every accepted value exact.
    double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1;
    if (!e.IsNumber() || !(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<int64_t>(d)))
      throw_js(env, MMG_E_SHAPE, std::string(fn) + ": expected non-negative integer dimensions, got " + e.ToString().Utf8Value());
    shape[i] = static_cast<int64_t>(d);
  }
}

// Throws MMG_E_SHAPE (as a JS error) when the shape's byte count overflows, before any allocation.
uint64_t shape_bytes(Napi::Env env, const char* fn, int32_t ndim, const int64_t* shape, int32_t dtype) {
  try {
    return checked_bytes(fn, ndim, shape, dtype);
  } catch (const Error& e) {
    throw_js(env, e.code(), e.what());
  }
  return 0;
}

// empty(shape, dtype, device[, zero]) -> TensorHandle
Napi::Value Empty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t ndim;
  int64_t shape[MMG_MAX_DIMS];
  read_shape(env, info[0], "empty", &ndim, shape);
  int32_t dtype = info[1].ToNumber().Int32Value(), device = info[2].ToNumber().Int32Value();
  if (dtype_size(dtype) == 0) throw_js(env, MMG_E_DTYPE, "empty: unknown dtype " + std::to_string(dtype));
  bool zero = info.Length() > 3 && info[3].ToBoolean();
  uint64_t bytes = shape_bytes(env, "empty", ndim, shape, dtype);
  try {
    StoragePtr st = storage_alloc(bytes, device);
    if (zero) {
      if (device == MMG_CUDA) {
        Napi::Value t = TensorHandle::Wrap(env, st, ndim, shape, dtype, device);
        mmg_tensor v = TensorHandle::FromValue(env, t, "zeros", 0)->view();
        mmg_call call{};
        call.n_in = 1;
        call.in = &v;
        int rc = cuda_backend()->run("fill_zero", &call);
        if (rc != 0) throw Error(static_cast<mmg_error_code>(rc), call.err);
        return t;
      }
      std::memset(st->ptr, 0, bytes);
    }
    return TensorHandle::Wrap(env, st, ndim, shape, dtype, device);
  } catch (const Error& e) {
    throw_js(env, e.code(), e.what());
  }
}

int32_t typed_dtype(napi_typedarray_type t) {
  switch (t) {
    case napi_float32_array: return MMG_F32;
    case napi_float64_array: return MMG_F64;
    case napi_int32_array: return MMG_I32;
    case napi_bigint64_array: return MMG_I64;
    default: return -1;
  }
}

// fromTyped(typedArray, shape, device) -> TensorHandle (a copy; dtype follows the array type)
Napi::Value FromTyped(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throw_js(env, MMG_E_ARG, "tensor: expected a Float32Array, Float64Array, Int32Array or BigInt64Array");
  Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
  int32_t dtype = typed_dtype(ta.TypedArrayType());
  if (dtype < 0) throw_js(env, MMG_E_DTYPE, "tensor: expected a Float32Array, Float64Array, Int32Array or BigInt64Array");
  int32_t ndim;
  int64_t shape[MMG_MAX_DIMS];
  read_shape(env, info[1], "tensor", &ndim, shape);
  int32_t device = info[2].ToNumber().Int32Value();
  uint64_t bytes = shape_bytes(env, "tensor", ndim, shape, dtype);
  uint64_t n = bytes / dtype_size(dtype);
  if (static_cast<uint64_t>(ta.ElementLength()) != n)
    throw_js(env, MMG_E_SHAPE, "tensor: expected " + std::to_string(n) + " values for shape " + shape_str(ndim, shape) + ", got " +
                                   std::to_string(ta.ElementLength()));
  try {
    StoragePtr st = storage_alloc(bytes, device);
    const uint8_t* src = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    storage_copy(st->ptr, device, src, MMG_CPU, bytes);
    return TensorHandle::Wrap(env, st, ndim, shape, dtype, device);
  } catch (const Error& e) {
    throw_js(env, e.code(), e.what());
  }
}

// copyToHost(handle, typedArray): copies the tensor's bytes into a host array of equal size.
Napi::Value CopyToHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorHandle* t = TensorHandle::FromValue(env, info[0], "toArray", 0);
  Napi::TypedArray ta = info[1].As<Napi::TypedArray>();
  uint64_t bytes = t->storage()->bytes;
  if (ta.ByteLength() != bytes) throw_js(env, MMG_E_SHAPE, "toArray: destination size mismatch");
  try {
    storage_copy(static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset(), MMG_CPU, t->storage()->ptr, t->view().device, bytes);
  } catch (const Error& e) {
    throw_js(env, e.code(), e.what());
  }
  return env.Undefined();
}

// copyFromHost(handle, typedArray): overwrites the tensor's bytes.
Napi::Value CopyFromHost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorHandle* t = TensorHandle::FromValue(env, info[0], "write", 0);
  Napi::TypedArray ta = info[1].As<Napi::TypedArray>();
  uint64_t bytes = t->storage()->bytes;
  if (ta.ByteLength() != bytes) throw_js(env, MMG_E_SHAPE, "write: expected " + std::to_string(bytes) + " bytes, got " + std::to_string(ta.ByteLength()));
  try {
    storage_copy(t->storage()->ptr, t->view().device, static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset(), MMG_CPU, bytes);
  } catch (const Error& e) {
    throw_js(env, e.code(), e.what());
  }
  return env.Undefined();
}

// transfer(handle, device) -> new handle on device
Napi::Value Transfer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorHandle* t = TensorHandle::FromValue(env, info[0], "to", 0);
  int32_t device = info[1].ToNumber().Int32Value();
  mmg_tensor v = t->view();
  try {
    StoragePtr st = storage_alloc(t->storage()->bytes, device);
    storage_copy(st->ptr, device, v.data, v.device, t->storage()->bytes);
    return TensorHandle::Wrap(env, st, v.ndim, v.shape, v.dtype, device);
  } catch (const Error& e) {
    throw_js(env, e.code(), e.what());
  }
}

Napi::Value MemoryStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  HostMemoryStats s = host_memory_stats();
  o.Set("hostInUse", double(s.in_use_bytes));
  o.Set("hostCached", double(s.cached_bytes));
  o.Set("hostPeak", double(s.peak_bytes));
  o.Set("hostAllocCalls", double(s.alloc_calls));
  o.Set("hostCacheHits", double(s.cache_hits));
  if (const mmg_backend_api* be = cuda_backend()) {
    uint64_t used = 0, cached = 0;
    be->memory_stats(&used, &cached);
    o.Set("cudaInUse", double(used));
    o.Set("cudaCached", double(cached));
  }
  return o;
}

Napi::Value EmptyCache(const Napi::CallbackInfo& info) {
  host_empty_cache();
  if (const mmg_backend_api* be = cuda_backend()) be->empty_cache();
  return info.Env().Undefined();
}

// Waits for the CUDA backend's stream (a no-op when it is not loaded: CPU kernels are synchronous).
// For timing device work; any fault inside an earlier kernel surfaces here as MMG_E_CUDA.
Napi::Value Synchronize(const Napi::CallbackInfo& info) {
  if (const mmg_backend_api* be = cuda_backend()) {
    char msg[512] = {0};
    const int code = be->sync(msg, sizeof msg);
    if (code != 0) throw_js(info.Env(), code, std::string("synchronize: ") + msg);
  }
  return info.Env().Undefined();
}

// deviceCounters(reset?: boolean) -> { launches, h2d, d2h, syncs } since the last reset
// (native/core/device_counters.h): kernel launches and in-op round trips are counted by cuda-emu,
// host<->device copies on every device.
Napi::Value DeviceCountersJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceCounters& c = device_counters();
  Napi::Object o = Napi::Object::New(env);
  o.Set("launches", double(c.launches.load()));
  o.Set("h2d", double(c.h2d.load()));
  o.Set("d2h", double(c.d2h.load()));
  o.Set("syncs", double(c.syncs.load()));
  if (info.Length() > 0 && info[0].ToBoolean().Value()) {
    c.launches = 0;
    c.h2d = 0;
    c.d2h = 0;
    c.syncs = 0;
  }
  return o;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int n = info[0].ToNumber().Int32Value();
  if (n < 1 || n > 256) throw_js(info.Env(), MMG_E_ARG, "setNumThreads: expected 1..256, got " + std::to_string(n));
  set_num_threads(n);
  return info.Env().Undefined();
}

Napi::Value NumThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), num_threads()); }

Napi::Value LoadCuda(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  bool ok = load_cuda_backend(path.c_str());
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", ok);
  o.Set("status", cuda_backend_status());
  return o;
}

Napi::Value OpenLibrary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw_js(env, MMG_E_ARG, "openLibrary: expected a path or soname string");
  std::string name = info[0].As<Napi::String>().Utf8Value(), path, error;
  bool ok = open_shared_library(name.c_str(), &path, &error);
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", ok);
  if (ok) o.Set("path", path);
  else o.Set("error", error);
  return o;
}

Napi::Value KernelNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t device = info[0].ToNumber().Int32Value();
  std::vector<std::string> names;
  if (device == MMG_CUDA) {
    if (const mmg_backend_api* be = cuda_backend())
      for (int32_t i = 0; i < be->op_count(); ++i) names.push_back(be->op_name(i));
  } else {
    names = kernel_names(device);
  }
  Napi::Array a = Napi::Array::New(env, names.size());
  for (size_t i = 0; i < names.size(); ++i) a.Set(uint32_t(i), names[i]);
  return a;
}

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  AddonData* data = info.Env().GetInstanceData<AddonData>();
  data->error_ctor = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Object InitImpl(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);
  Napi::Function ctor = TensorHandle::Define(env);
  data->tensor_ctor = Napi::Persistent(ctor);
  exports.Set("TensorHandle", ctor);
  exports.Set("run", Napi::Function::New(env, Run, "run"));
  exports.Set("empty", Napi::Function::New(env, Empty, "empty"));
  exports.Set("fromTyped", Napi::Function::New(env, FromTyped, "fromTyped"));
  exports.Set("copyToHost", Napi::Function::New(env, CopyToHost, "copyToHost"));
  exports.Set("copyFromHost", Napi::Function::New(env, CopyFromHost, "copyFromHost"));
  exports.Set("transfer", Napi::Function::New(env, Transfer, "transfer"));
  exports.Set("memoryStats", Napi::Function::New(env, MemoryStats, "memoryStats"));
  exports.Set("emptyCache", Napi::Function::New(env, EmptyCache, "emptyCache"));
  exports.Set("synchronize", Napi::Function::New(env, Synchronize, "synchronize"));
  exports.Set("deviceCounters", Napi::Function::New(env, DeviceCountersJs, "deviceCounters"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("numThreads", Napi::Function::New(env, NumThreads, "numThreads"));
  exports.Set("loadCuda", Napi::Function::New(env, LoadCuda, "loadCuda"));
  exports.Set("openLibrary", Napi::Function::New(env, OpenLibrary, "openLibrary"));
  exports.Set("kernelNames", Napi::Function::New(env, KernelNames, "kernelNames"));
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass, "setErrorClass"));
  exports.Set("buildInfo", build_info(env));
  return exports;
}

}  // namespace
Napi::Object Init(Napi::Env env, Napi::Object exports) { return InitImpl(env, exports); }
}  // namespace mmg

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return mmg::Init(env, exports); }
NODE_API_MODULE(mmgraph, InitModule)
