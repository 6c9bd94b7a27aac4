// The only JS-visible native object: a tensor's storage, shape, dtype and device.
#pragma once
#include <napi.h>
#include "../core/abi.h"
#include "storage.h"

namespace mmg {

struct AddonData {
  Napi::FunctionReference tensor_ctor;
  Napi::FunctionReference error_ctor;  // lib/errors.ts MmgError, registered at load
  // Host bytes held by this environment's live tensors, and the amount V8 was last told about
  // (its "external memory"): see account_host_bytes.
  int64_t host_bytes = 0, host_reported = 0;
};

// Adds delta to the host bytes of live tensors and tells V8 when the total has moved far from what
// it was last told. Reporting every tensor made each training step's transient activations (a few
// hundred MB, all disposed at the step's end) look like growth to V8, which answered with three or
// four full garbage collections per step. Coarse reports still put GC pressure on tensors a program
// leaks (never disposed: the FinalizationRegistry backstop) once they add up to kHostReportStep.
void account_host_bytes(Napi::Env env, int64_t delta);

class TensorHandle : public Napi::ObjectWrap<TensorHandle> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object Wrap(Napi::Env env, StoragePtr st, int32_t ndim, const int64_t* shape, int32_t dtype, int32_t device);
  static TensorHandle* FromValue(Napi::Env env, Napi::Value v, const char* op, int index);

  explicit TensorHandle(const Napi::CallbackInfo& info);
  mmg_tensor view() const;
  bool disposed() const { return !st_; }
  const StoragePtr& storage() const { return st_; }
  void dispose(Napi::Env env);
  void Finalize(Napi::Env env) override;

 private:
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value Buffer(const Napi::CallbackInfo& info);
  Napi::Value Meta(const Napi::CallbackInfo& info);

  StoragePtr st_;
  int32_t ndim_ = 0;
  int64_t shape_[MMG_MAX_DIMS] = {0, 0, 0, 0};
  int32_t dtype_ = MMG_F32;
  int32_t device_ = MMG_CPU;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
};

// Throws a JS MmgError (or Error) with a stable .code.
[[noreturn]] void throw_js(Napi::Env env, int code, const std::string& msg);

}  // namespace mmg
