// The only JS-visible native object: a tensor's storage, shape, dtype and device.
#pragma once
#include <napi.h>
#include "../core/abi.h"
#include "storage.h"

namespace mmg {

struct AddonData {
  Napi::FunctionReference tensor_ctor;
  Napi::FunctionReference error_ctor;  // lib/errors.ts MmgError, registered at load
};

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
