// adam on the CUDA backend (contract: native/ops/adam.cc): one in-place Adam step per parameter
// tensor, one thread per element (the optimizer calls the op once per parameter, as on the CPU).
// adam_plan (checks, double-precision scalars) and adam_update (the element update, in PyTorch's
// operation order and the tensor's dtype) are the CPU kernel's own: native/ops/adam.cc calls
// them. Every product that feeds a sum is written as mul_rn/add_rn so nvcc cannot contract it
// into an FMA (on the host they are plain * and +): with IEEE division and square root (nvcc's
// defaults) and flushed float denormals on both sides, a GPU step rounds like the CPU's.
#pragma once
#include <cmath>
#include "../core/tensor.h"
#include "../core/hd/block_reduce.h"

namespace mmg {
namespace body {

template <typename T>
struct AdamStep {
  T w1;             // 1 − β1, the lerp weight
  T beta2, w2;      // β2, 1 − β2
  T wd;
  T neg_step_size;  // −lr/(1 − β1ᵗ)
  T bc2_sqrt;       // √(1 − β2ᵗ)
  T eps;
};

// The element update, on locals (the CPU's loop, native/ops/adam.cc adam_range, calls it too).
template <typename T>
MMG_HD void adam_update(T& p, T g, T& m, T& v, const AdamStep<T>& k) {
  if (k.wd != T(0)) g = add_rn(g, mul_rn(k.wd, p));
  // at::lerp: the formula switches at weight 0.5 for accuracy.
  m = k.w1 < T(0.5) ? add_rn(m, mul_rn(k.w1, g - m)) : sub_rn(g, mul_rn(g - m, T(1) - k.w1));
  v = add_rn(mul_rn(v, k.beta2), mul_rn(mul_rn(k.w2, g), g));
  const T denom = hd_sqrt(v) / k.bc2_sqrt + k.eps;
  p = add_rn(p, mul_rn(k.neg_step_size, m) / denom);
}

template <typename T>
MMG_HD void adam_elem(int64_t i, T* param, const T* grad, T* m_, T* v_, const AdamStep<T>& k) {
  T p = param[i], m = m_[i], v = v_[i];
  adam_update(p, grad[i], m, v, k);
  param[i] = p;
  m_[i] = m;
  v_[i] = v;
}

}  // namespace body

struct AdamPlan {
  double lr, beta1, beta2, eps, wd, bc1, bc2;
  int64_t n;
};

// Sets the bias corrections for a step count t (≥ 1: the count after this update).
inline void adam_set_step(Call& c, AdamPlan& p, int64_t step) {
  if (step < 1) fail(MMG_E_ARG, c.op(), ": expected step >= 1 (1-based), got ", step);
  p.bc1 = 1.0 - std::pow(p.beta1, double(step));
  p.bc2 = 1.0 - std::pow(p.beta2, double(step));
}

// The checked hyper-parameters attrs [lr, beta1, beta2, eps, weight_decay] and the step count in
// attr `step_attr` (linear_input_adam and adam_multi read them as adam does).
inline AdamPlan adam_scalars(Call& c, int step_attr) {
  AdamPlan p;
  p.lr = c.attr(0);
  p.beta1 = c.attr(1);
  p.beta2 = c.attr(2);
  p.eps = c.attr(3);
  p.wd = c.attr(4);
  const int64_t step = c.attr_int(step_attr);
  if (!(p.lr >= 0)) fail(MMG_E_ARG, c.op(), ": expected a learning rate >= 0, got ", p.lr);
  if (!(p.beta1 >= 0 && p.beta1 < 1)) fail(MMG_E_ARG, c.op(), ": expected beta1 in [0, 1), got ", p.beta1);
  if (!(p.beta2 >= 0 && p.beta2 < 1)) fail(MMG_E_ARG, c.op(), ": expected beta2 in [0, 1), got ", p.beta2);
  if (!(p.eps >= 0)) fail(MMG_E_ARG, c.op(), ": expected eps >= 0, got ", p.eps);
  if (!(p.wd >= 0)) fail(MMG_E_ARG, c.op(), ": expected weight_decay >= 0, got ", p.wd);
  adam_set_step(c, p, step);
  p.n = 0;
  return p;
}

// Refuses the same memory twice among inputs [0, count) (names[i] names input i): the kernels
// declare their arrays non-aliasing, and an in-place update must not read what it writes.
inline void adam_expect_distinct(Call& c, int first, int count, const char* const* names) {
  for (int i = first; i < first + count; ++i)
    for (int j = i + 1; j < first + count; ++j)
      if (c.in(i).data == c.in(j).data && numel(c.in(i)) > 0 && numel(c.in(j)) > 0)
        fail(MMG_E_ARG, c.op(), ": expected ", names[i - first], " and ", names[j - first], " to be distinct tensors, got the same memory twice");
}

// The checks (the CPU kernel calls this too) and the double-precision scalars.
inline AdamPlan adam_plan(Call& c) {
  c.expect_inputs(4, 4);
  c.expect_float(0, "param");
  const char* names[4] = {"param", "grad", "m", "v"};
  for (int i = 1; i < 4; ++i) {
    c.expect_same_dtype(0, i, "param", names[i]);
    c.expect_same_shape(0, i, "param", names[i]);
  }
  adam_expect_distinct(c, 0, 4, names);
  AdamPlan p = adam_scalars(c, 5);
  p.n = numel(c.in(0));
  return p;
}

// The CPU's update of n contiguous elements (native/ops/adam.cc; linear_input_adam uses it too):
// adam_update per element, vectorized, AVX2 where the CPU has it, rounding alike everywhere.
void adam_update_cpu(float* p, const float* g, float* m, float* v, int64_t n, const body::AdamStep<float>& k);
void adam_update_cpu(double* p, const double* g, double* m, double* v, int64_t n, const body::AdamStep<double>& k);

template <typename T>
body::AdamStep<T> adam_step(const AdamPlan& p) {
  return {T(1.0 - p.beta1), T(p.beta2), T(1.0 - p.beta2), T(p.wd), T(-(p.lr / p.bc1)), T(std::sqrt(p.bc2)), T(p.eps)};
}

}  // namespace mmg

// adam_multi: one Adam step for several tensors in one launch (issue 11: a launch per tensor cost
// more than the updates of the small ones). Inputs: groups (param, grad, m, v), one per tensor,
// all of one float dtype; attrs [lr, beta1, beta2, eps, weight_decay, step_0, step_1, ...] with
// one step count per tensor. Each element gets exactly adam's update; the CPU runs the tensors in
// turn, the GPU one launch per kAdamMultiMax tensors, its blocks dealt out by a prefix over the
// tensors' block counts.
#include <string>
#include <vector>
namespace mmg {
namespace body {

// The launch's tensors travel in the kernel's argument block (no upload, so no wait on the
// stream); 32 tensors keep it under the 4 KB every CUDA version accepts.
constexpr int kAdamMultiMax = 32;
constexpr int kAdamMultiPerThread = 4;
constexpr int64_t kAdamMultiBlockElems = int64_t(kBlock) * kAdamMultiPerThread;

template <typename T>
struct AdamMultiChunk {
  int count;
  AdamStep<T> k;  // the factors every tensor shares; the step-dependent two are per tensor
  T* p[kAdamMultiMax];
  const T* g[kAdamMultiMax];
  T* m[kAdamMultiMax];
  T* v[kAdamMultiMax];
  int64_t n[kAdamMultiMax];
  int64_t first_block[kAdamMultiMax + 1];  // tensor i owns blocks [first_block[i], first_block[i + 1])
  T neg_step_size[kAdamMultiMax], bc2_sqrt[kAdamMultiMax];
};

// Thread t of block b: the tensor that owns the block, then elements base + e·kBlock + t.
template <typename T>
MMG_HD void adam_multi_thread(const AdamMultiChunk<T>& ch, int64_t b, int t) {
  int i = 0;
  while (i + 1 < ch.count && ch.first_block[i + 1] <= b) ++i;
  AdamStep<T> k = ch.k;
  k.neg_step_size = ch.neg_step_size[i];
  k.bc2_sqrt = ch.bc2_sqrt[i];
  const int64_t base = (b - ch.first_block[i]) * kAdamMultiBlockElems;
  for (int e = 0; e < kAdamMultiPerThread; ++e) {
    const int64_t j = base + int64_t(e) * kBlock + t;
    if (j < ch.n[i]) adam_elem(j, ch.p[i], ch.g[i], ch.m[i], ch.v[i], k);
  }
}

}  // namespace body

// The checks (CPU, CUDA and cuda-emu alike) and one AdamPlan per tensor (n = its element count).
inline std::vector<AdamPlan> adam_multi_plan(Call& c) {
  if (c.n_in() < 4 || c.n_in() % 4 != 0)
    fail(MMG_E_ARG, c.op(), ": expected inputs in groups of four (param, grad, m, v), got ", c.n_in(), " inputs");
  const int count = c.n_in() / 4;
  if (c.n_attr() != 5 + count)
    fail(MMG_E_ARG, c.op(), ": expected ", 5 + count, " attributes (lr, beta1, beta2, eps, weight_decay and a step for each of ",
         count, " tensors), got ", c.n_attr());
  c.expect_float(0, "param 0");
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i)
    for (const char* what : {"param ", "grad ", "m ", "v "}) names.push_back(what + std::to_string(i));
  for (int i = 0; i < count; ++i)
    for (int j = 0; j < 4; ++j) {
      const int a = 4 * i, b = 4 * i + j;
      c.expect_same_dtype(0, b, names[0].c_str(), names[b].c_str());
      if (j > 0) c.expect_same_shape(a, b, names[a].c_str(), names[b].c_str());
    }
  std::vector<const char*> cn;
  for (const std::string& s : names) cn.push_back(s.c_str());
  adam_expect_distinct(c, 0, c.n_in(), cn.data());
  std::vector<AdamPlan> plans(size_t(count), adam_scalars(c, 5));
  for (int i = 0; i < count; ++i) {
    if (i > 0) adam_set_step(c, plans[size_t(i)], c.attr_int(5 + i));
    plans[size_t(i)].n = numel(c.in(4 * i));
  }
  return plans;
}

// The launches: kAdamMultiMax tensors per chunk, empty tensors left out.
template <typename T>
std::vector<body::AdamMultiChunk<T>> adam_multi_chunks(Call& c, const std::vector<AdamPlan>& plans) {
  std::vector<body::AdamMultiChunk<T>> out;
  for (size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].n == 0) continue;
    if (out.empty() || out.back().count == body::kAdamMultiMax) {
      out.emplace_back();
      out.back().count = 0;
      out.back().k = adam_step<T>(plans[i]);
      out.back().first_block[0] = 0;
    }
    body::AdamMultiChunk<T>& ch = out.back();
    const body::AdamStep<T> k = adam_step<T>(plans[i]);
    const int j = ch.count++;
    const int t = 4 * int(i);
    ch.p[j] = ptr<T>(c.in(t));
    ch.g[j] = ptr<T>(c.in(t + 1));
    ch.m[j] = ptr<T>(c.in(t + 2));
    ch.v[j] = ptr<T>(c.in(t + 3));
    ch.n[j] = plans[i].n;
    ch.neg_step_size[j] = k.neg_step_size;
    ch.bc2_sqrt[j] = k.bc2_sqrt;
    ch.first_block[j + 1] = ch.first_block[j] + (plans[i].n + body::kAdamMultiBlockElems - 1) / body::kAdamMultiBlockElems;
  }
  return out;
}

}  // namespace mmg
