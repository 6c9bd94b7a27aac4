#include "tensor_handle.h"
#include "../core/device_counters.h"
#include "../core/error.h"
#include "../core/tensor.h"

namespace mmg {

constexpr int64_t kHostReportStep = int64_t(256) << 20;

void account_host_bytes(Napi::Env env, int64_t delta) {
  AddonData* data = env.GetInstanceData<AddonData>();
  if (!data) {
    Napi::MemoryManagement::AdjustExternalMemory(env, delta);
    return;
  }
  data->host_bytes += delta;
  const int64_t drift = data->host_bytes - data->host_reported;
  if (drift >= kHostReportStep || drift <= -kHostReportStep) {
    Napi::MemoryManagement::AdjustExternalMemory(env, drift);
    data->host_reported = data->host_bytes;
  }
}

namespace {
struct Pending {  // passed through an External to the constructor by Wrap()
  StoragePtr st;
  int32_t ndim, dtype, device;
  const int64_t* shape;
};
}  // namespace

void throw_js(Napi::Env env, int code, const std::string& msg) {
  AddonData* data = env.GetInstanceData<AddonData>();
  Napi::String m = Napi::String::New(env, msg);
  Napi::String c = Napi::String::New(env, error_code_name(code));
  if (data && !data->error_ctor.IsEmpty()) {
    Napi::Object err = data->error_ctor.New({m, c});
    throw Napi::Error(env, err);
  }
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", c);
  throw e;
}

Napi::Function TensorHandle::Define(Napi::Env env) {
  return DefineClass(env, "TensorHandle",
                     {InstanceMethod<&TensorHandle::Dispose>("dispose"), InstanceMethod<&TensorHandle::Buffer>("buffer"),
                      InstanceMethod<&TensorHandle::Meta>("meta")});
}

TensorHandle::TensorHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TensorHandle>(info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    throw_js(info.Env(), MMG_E_ARG, "TensorHandle: tensors are created by mmgraph functions, not with new");
  auto* p = info[0].As<Napi::External<Pending>>().Data();
  st_ = p->st;
  ndim_ = p->ndim;
  dtype_ = p->dtype;
  device_ = p->device;
  for (int i = 0; i < ndim_; ++i) shape_[i] = p->shape[i];
  // Tell V8 about the native memory so GC pressure reflects it (the FinalizationRegistry backstop).
  if (st_ && st_->device != MMG_CUDA) account_host_bytes(info.Env(), static_cast<int64_t>(st_->bytes));
}

Napi::Object TensorHandle::Wrap(Napi::Env env, StoragePtr st, int32_t ndim, const int64_t* shape, int32_t dtype, int32_t device) {
  Pending p{std::move(st), ndim, dtype, device, shape};
  AddonData* data = env.GetInstanceData<AddonData>();
  return data->tensor_ctor.New({Napi::External<Pending>::New(env, &p)});
}

TensorHandle* TensorHandle::FromValue(Napi::Env env, Napi::Value v, const char* op, int index) {
  AddonData* data = env.GetInstanceData<AddonData>();
  if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(data->tensor_ctor.Value()))
    throw_js(env, MMG_E_ARG, std::string(op) + ": expected input #" + std::to_string(index) + " to be a tensor");
  TensorHandle* t = Napi::ObjectWrap<TensorHandle>::Unwrap(v.As<Napi::Object>());
  if (t->disposed())
    throw_js(env, MMG_E_ARG, std::string(op) + ": expected input #" + std::to_string(index) + " to be a live tensor, got a disposed one");
  return t;
}

mmg_tensor TensorHandle::view() const {
  mmg_tensor t{};
  t.data = st_ ? st_->ptr : nullptr;
  t.ndim = ndim_;
  for (int i = 0; i < MMG_MAX_DIMS; ++i) t.shape[i] = i < ndim_ ? shape_[i] : 0;
  t.dtype = dtype_;
  t.device = device_;
  return t;
}

void TensorHandle::dispose(Napi::Env env) {
  if (!st_) return;
  if (!buffer_.IsEmpty()) {
    Napi::ArrayBuffer ab = buffer_.Value();
    if (!ab.IsEmpty() && !ab.IsDetached()) ab.Detach();  // views read as empty, never as freed memory
    buffer_.Reset();
  }
  if (st_->device != MMG_CUDA) account_host_bytes(env, -static_cast<int64_t>(st_->bytes));
  // Other owners (a detached ArrayBuffer awaiting GC) can no longer reach the memory: free it now
  // so the next step's allocation of the same size reuses it.
  st_->release();
  st_.reset();
}

void TensorHandle::Finalize(Napi::Env env) {
  if (st_ && st_->device != MMG_CUDA) account_host_bytes(env, -static_cast<int64_t>(st_->bytes));
}

Napi::Value TensorHandle::Dispose(const Napi::CallbackInfo& info) {
  dispose(info.Env());
  return info.Env().Undefined();
}

Napi::Value TensorHandle::Buffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!st_) throw_js(env, MMG_E_ARG, "tensor.data: expected a live tensor, got a disposed one");
  if (device_ == MMG_CUDA)
    throw_js(env, MMG_E_DEVICE, "tensor.data: expected a host tensor, got one on cuda (copy it with .to('cpu') first)");
  if (!buffer_.IsEmpty()) return buffer_.Value();
  if (device_ == MMG_CUDA_EMU) count_d2h();  // on a GPU this view would be a copy to the host
  // The finalizer holds its own reference to the storage, so a view outliving the handle stays valid.
  auto* keep = new StoragePtr(st_);
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(
      env, st_->ptr, st_->bytes, [](Napi::Env, void*, StoragePtr* k) { delete k; }, keep);
  buffer_ = Napi::Persistent(ab);
  return ab;
}

Napi::Value TensorHandle::Meta(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array a = Napi::Array::New(env, 3 + ndim_);
  a.Set(uint32_t(0), Napi::Number::New(env, dtype_));
  a.Set(uint32_t(1), Napi::Number::New(env, device_));
  a.Set(uint32_t(2), Napi::Number::New(env, st_ ? 0 : 1));
  for (int i = 0; i < ndim_; ++i) a.Set(uint32_t(3 + i), Napi::Number::New(env, static_cast<double>(shape_[i])));
  return a;
}

}  // namespace mmg
