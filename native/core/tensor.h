// C++ helpers over the C tensor struct: sizes, typed access, and the argument checks every op
// shares, so an op's file states only its own contract.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include "abi.h"
#include "error.h"

namespace mmg {

inline size_t dtype_size(int32_t dt) {
  switch (dt) {
    case MMG_F32: return 4;
    case MMG_F64: return 8;
    case MMG_I32: return 4;
    case MMG_I64: return 8;
    default: return 0;
  }
}
const char* dtype_name(int32_t dt);
const char* device_name(int32_t dev);

inline int64_t numel(const mmg_tensor& t) {
  int64_t n = 1;
  for (int i = 0; i < t.ndim; ++i) n *= t.shape[i];
  return n;
}
// Every op views a tensor as a matrix: the last dimension is the columns, the rest are rows.
inline int64_t cols(const mmg_tensor& t) { return t.ndim == 0 ? 1 : t.shape[t.ndim - 1]; }
inline int64_t rows(const mmg_tensor& t) {
  int64_t c = cols(t);
  return c == 0 ? 0 : numel(t) / c;
}
std::string shape_str(const mmg_tensor& t);
std::string shape_str(int32_t ndim, const int64_t* shape);

// Bytes a tensor of this shape and dtype needs, checked before anything is allocated: a negative
// dimension, an element count that overflows int64, or a byte count beyond what any machine can
// address (2^52 bytes) throws MMG_E_SHAPE naming `fn`, instead of wrapping around to a small size.
uint64_t checked_bytes(const char* fn, int32_t ndim, const int64_t* shape, int32_t dtype);

template <typename T> struct dtype_of;
template <> struct dtype_of<float> { static constexpr int32_t value = MMG_F32; };
template <> struct dtype_of<double> { static constexpr int32_t value = MMG_F64; };
template <> struct dtype_of<int32_t> { static constexpr int32_t value = MMG_I32; };
template <> struct dtype_of<int64_t> { static constexpr int32_t value = MMG_I64; };

template <typename T>
inline T* ptr(const mmg_tensor& t) { return static_cast<T*>(t.data); }

// The call an op receives: inputs, positional attributes, and output allocation.
class Call {
 public:
  Call(mmg_call* c, const char* op) : c_(c), op_(op) {}
  const char* op() const { return op_; }
  int32_t device() const;
  int n_in() const { return c_->n_in; }
  int n_attr() const { return c_->n_attr; }
  const mmg_tensor& in(int i) const;
  // Optional input: absent when index >= n_in or the tensor has no data (passed as null).
  bool has_in(int i) const { return i < c_->n_in && c_->in[i].data != nullptr; }
  double attr(int i) const;
  double attr_or(int i, double dflt) const { return i < c_->n_attr ? c_->attr[i] : dflt; }
  int64_t attr_int(int i) const;
  int64_t attr_int_or(int i, int64_t dflt) const { return i < c_->n_attr ? attr_int(i) : dflt; }
  mmg_tensor& out(std::initializer_list<int64_t> shape, int32_t dtype);
  mmg_tensor& out_shape(int32_t ndim, const int64_t* shape, int32_t dtype);
  mmg_tensor& out_like(const mmg_tensor& t) { return out_shape(t.ndim, t.shape, t.dtype); }

  // Checks whose messages read "<op>: expected <what>, got <actual>".
  void expect_inputs(int n_min, int n_max) const;
  void expect_dtype(int i, const char* name, std::initializer_list<int32_t> ok) const;
  void expect_float(int i, const char* name) const { expect_dtype(i, name, {MMG_F32, MMG_F64}); }
  void expect_index(int i, const char* name) const { expect_dtype(i, name, {MMG_I32, MMG_I64}); }
  void expect_ndim(int i, const char* name, int ndim) const;
  void expect_same_dtype(int i, int j, const char* ni, const char* nj) const;
  void expect_same_shape(int i, int j, const char* ni, const char* nj) const;
  [[noreturn]] void shape_error(const std::string& expected, const std::string& got) const;

 private:
  mmg_call* c_;
  const char* op_;
};

// Dispatch a templated body on a float dtype: MMG_FLOAT_SWITCH(dt, T, { body using T }).
#define MMG_FLOAT_SWITCH(dt, T, call, ...)                                      \
  do {                                                                         \
    if ((dt) == MMG_F32) { using T = float; __VA_ARGS__; }                     \
    else if ((dt) == MMG_F64) { using T = double; __VA_ARGS__; }               \
    else ::mmg::fail(MMG_E_DTYPE, (call).op(), ": expected float32 or float64, got ", ::mmg::dtype_name(dt)); \
  } while (0)

#define MMG_INDEX_SWITCH(dt, I, call, ...)                                      \
  do {                                                                         \
    if ((dt) == MMG_I32) { using I = int32_t; __VA_ARGS__; }                   \
    else if ((dt) == MMG_I64) { using I = int64_t; __VA_ARGS__; }              \
    else ::mmg::fail(MMG_E_DTYPE, (call).op(), ": expected int32 or int64 indices, got ", ::mmg::dtype_name(dt)); \
  } while (0)

}  // namespace mmg
