// run(op, device, inputs, attrs) -> outputs: the one entry point for every op on every device.
#include <cstring>
#include <string>
#include <vector>
#include "../core/error.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "../core/tensor.h"
#include "dispatch.h"
#include "tensor_handle.h"

namespace mmg {
namespace {

struct HostCtx {
  int32_t device;
  std::vector<StoragePtr> outs;
};

int alloc_out(mmg_call* c, int32_t ndim, const int64_t* shape, int32_t dtype) {
  auto* ctx = static_cast<HostCtx*>(c->host_ctx);
  try {
    if (ndim < 0 || ndim > MMG_MAX_DIMS) fail(MMG_E_INTERNAL, "alloc: bad rank ", ndim);
    StoragePtr st = storage_alloc(checked_bytes("alloc", ndim, shape, dtype), ctx->device);
    mmg_tensor& t = c->out[c->n_out++];
    t = mmg_tensor{};
    t.data = st->ptr;
    t.ndim = ndim;
    for (int i = 0; i < ndim; ++i) t.shape[i] = shape[i];
    t.dtype = dtype;
    t.device = ctx->device;
    ctx->outs.push_back(std::move(st));
    return 0;
  } catch (const Error& e) {
    std::snprintf(c->err, sizeof c->err, "%s", e.what());
    return e.code();
  }
}

}  // namespace

Napi::Value Run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsArray())
    throw_js(env, MMG_E_ARG, "run: expected (op: string, device: number, inputs: Tensor[], attrs: number[])");
  std::string op = info[0].As<Napi::String>().Utf8Value();
  int32_t device = info[1].As<Napi::Number>().Int32Value();
  Napi::Array ins = info[2].As<Napi::Array>();

  std::vector<mmg_tensor> in(ins.Length());
  for (uint32_t i = 0; i < ins.Length(); ++i) {
    Napi::Value v = ins.Get(i);
    if (v.IsNull() || v.IsUndefined()) {  // an absent optional input
      in[i] = mmg_tensor{};
      in[i].device = device;
      continue;
    }
    in[i] = TensorHandle::FromValue(env, v, op.c_str(), static_cast<int>(i))->view();
    if (in[i].device != device)
      throw_js(env, MMG_E_DEVICE, op + ": expected input #" + std::to_string(i) + " on " + device_name(device) + ", got it on " +
                                      device_name(in[i].device) + " (move it with .to('" + device_name(device) + "'))");
  }
  std::vector<double> attrs;
  if (info[3].IsTypedArray()) {
    Napi::Float64Array a = info[3].As<Napi::Float64Array>();
    attrs.assign(a.Data(), a.Data() + a.ElementLength());
  } else if (info[3].IsArray()) {
    Napi::Array a = info[3].As<Napi::Array>();
    attrs.resize(a.Length());
    for (uint32_t i = 0; i < a.Length(); ++i) attrs[i] = a.Get(i).ToNumber().DoubleValue();
  }

  HostCtx ctx{device, {}};
  mmg_call call{};
  call.n_in = static_cast<int32_t>(in.size());
  call.in = in.data();
  call.n_attr = static_cast<int32_t>(attrs.size());
  call.attr = attrs.data();
  call.alloc_out = &alloc_out;
  call.host_ctx = &ctx;

  if (device == MMG_CUDA) {
    const mmg_backend_api* be = cuda_backend();
    if (!be) throw_js(env, MMG_E_DEVICE, op + ": the CUDA backend is not available: " + cuda_backend_status());
    int rc = be->run(op.c_str(), &call);
    if (rc != 0) throw_js(env, rc, call.err[0] ? std::string(call.err) : op + ": CUDA backend error");
  } else {
    Kernel k = find_kernel(op, device);
    if (!k) throw_js(env, MMG_E_UNSUPPORTED, op + ": no kernel for device " + device_name(device));
    try {
      DenormalGuard ftz;
      Call c(&call, op.c_str());
      k(c);
    } catch (const Error& e) {
      throw_js(env, e.code(), e.what());
    } catch (const std::bad_alloc&) {
      throw_js(env, MMG_E_OOM, op + ": out of host memory");
    } catch (const std::exception& e) {
      throw_js(env, MMG_E_INTERNAL, op + ": internal error: " + e.what());
    }
  }

  Napi::Array outs = Napi::Array::New(env, call.n_out);
  for (int32_t i = 0; i < call.n_out; ++i) {
    const mmg_tensor& t = call.out[i];
    outs.Set(uint32_t(i), TensorHandle::Wrap(env, ctx.outs[i], t.ndim, t.shape, t.dtype, device));
  }
  return outs;
}

}  // namespace mmg
