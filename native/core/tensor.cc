#include "tensor.h"
#include <cmath>
#include <sstream>

namespace mmg {

const char* dtype_name(int32_t dt) {
  switch (dt) {
    case MMG_F32: return "float32";
    case MMG_F64: return "float64";
    case MMG_I32: return "int32";
    case MMG_I64: return "int64";
    default: return "unknown-dtype";
  }
}

const char* device_name(int32_t dev) {
  switch (dev) {
    case MMG_CPU: return "cpu";
    case MMG_CUDA: return "cuda";
    case MMG_CUDA_EMU: return "cuda-emu";
    default: return "unknown-device";
  }
}

const char* error_code_name(int code) {
  switch (code) {
    case MMG_E_SHAPE: return "MMG_E_SHAPE";
    case MMG_E_DTYPE: return "MMG_E_DTYPE";
    case MMG_E_DEVICE: return "MMG_E_DEVICE";
    case MMG_E_CUDA: return "MMG_E_CUDA";
    case MMG_E_OOM: return "MMG_E_OOM";
    case MMG_E_DATA: return "MMG_E_DATA";
    case MMG_E_ARG: return "MMG_E_ARG";
    case MMG_E_UNSUPPORTED: return "MMG_E_UNSUPPORTED";
    default: return "MMG_E_INTERNAL";
  }
}

std::string shape_str(int32_t ndim, const int64_t* shape) {
  std::ostringstream os;
  os << '[';
  for (int i = 0; i < ndim; ++i) os << (i ? ", " : "") << shape[i];
  os << ']';
  return os.str();
}
std::string shape_str(const mmg_tensor& t) { return shape_str(t.ndim, t.shape); }

uint64_t checked_bytes(const char* fn, int32_t ndim, const int64_t* shape, int32_t dtype) {
  constexpr uint64_t kMaxBytes = uint64_t(1) << 52;
  const uint64_t es = dtype_size(dtype);
  if (es == 0) fail(MMG_E_DTYPE, fn, ": expected a known dtype, got code ", dtype);
  uint64_t n = 1;
  bool zero = false;
  for (int i = 0; i < ndim; ++i) {
    if (shape[i] < 0) fail(MMG_E_SHAPE, fn, ": expected non-negative dimensions, got shape ", shape_str(ndim, shape));
    if (shape[i] == 0) zero = true;
  }
  if (zero) return 0;
  for (int i = 0; i < ndim; ++i) {
    const uint64_t d = static_cast<uint64_t>(shape[i]);
    // n * d * es <= kMaxBytes, checked by division so nothing overflows on the way.
    if (d > kMaxBytes / es / n)
      fail(MMG_E_SHAPE, fn, ": expected a shape of at most 2^52 bytes, got ", shape_str(ndim, shape), " of ", dtype_name(dtype),
           " (the element count overflows)");
    n *= d;
  }
  return n * es;
}

int32_t Call::device() const { return c_->n_in > 0 ? c_->in[0].device : MMG_CPU; }

const mmg_tensor& Call::in(int i) const {
  if (i >= c_->n_in) fail(MMG_E_ARG, op_, ": expected an input #", i, ", got ", c_->n_in, " inputs");
  return c_->in[i];
}

double Call::attr(int i) const {
  if (i >= c_->n_attr) fail(MMG_E_ARG, op_, ": expected attribute #", i, ", got ", c_->n_attr, " attributes");
  return c_->attr[i];
}

int64_t Call::attr_int(int i) const {
  double v = attr(i);
  if (!(std::isfinite(v)) || v != std::floor(v)) fail(MMG_E_ARG, op_, ": expected an integer attribute #", i, ", got ", v);
  return static_cast<int64_t>(v);
}

mmg_tensor& Call::out_shape(int32_t ndim, const int64_t* shape, int32_t dtype) {
  if (c_->n_out >= MMG_MAX_OUTPUTS) fail(MMG_E_INTERNAL, op_, ": too many outputs");
  int rc = c_->alloc_out(c_, ndim, shape, dtype);
  if (rc != 0) throw Error(static_cast<mmg_error_code>(rc), c_->err);
  return c_->out[c_->n_out - 1];
}

mmg_tensor& Call::out(std::initializer_list<int64_t> shape, int32_t dtype) {
  int64_t s[MMG_MAX_DIMS];
  int n = 0;
  for (int64_t v : shape) s[n++] = v;
  return out_shape(n, s, dtype);
}

void Call::expect_inputs(int n_min, int n_max) const {
  if (c_->n_in < n_min || c_->n_in > n_max)
    fail(MMG_E_ARG, op_, ": expected ", n_min, (n_min == n_max ? "" : "+"), " inputs, got ", c_->n_in);
}

void Call::expect_dtype(int i, const char* name, std::initializer_list<int32_t> ok) const {
  const mmg_tensor& t = in(i);
  for (int32_t d : ok)
    if (t.dtype == d) return;
  std::string want;
  for (int32_t d : ok) want += (want.empty() ? "" : " or ") + std::string(dtype_name(d));
  fail(MMG_E_DTYPE, op_, ": expected ", name, " to be ", want, ", got ", dtype_name(t.dtype));
}

void Call::expect_ndim(int i, const char* name, int ndim) const {
  const mmg_tensor& t = in(i);
  if (t.ndim != ndim) fail(MMG_E_SHAPE, op_, ": expected ", name, " to have ", ndim, " dimensions, got shape ", shape_str(t));
}

void Call::expect_same_dtype(int i, int j, const char* ni, const char* nj) const {
  if (in(i).dtype != in(j).dtype)
    fail(MMG_E_DTYPE, op_, ": expected ", ni, " and ", nj, " to share a dtype, got ", dtype_name(in(i).dtype), " and ",
         dtype_name(in(j).dtype));
}

void Call::expect_same_shape(int i, int j, const char* ni, const char* nj) const {
  const mmg_tensor &a = in(i), &b = in(j);
  bool same = a.ndim == b.ndim;
  for (int k = 0; same && k < a.ndim; ++k) same = a.shape[k] == b.shape[k];
  if (!same) fail(MMG_E_SHAPE, op_, ": expected ", ni, " and ", nj, " to have the same shape, got ", shape_str(a), " and ", shape_str(b));
}

void Call::shape_error(const std::string& expected, const std::string& got) const {
  fail(MMG_E_SHAPE, op_, ": expected ", expected, ", got ", got);
}

}  // namespace mmg
