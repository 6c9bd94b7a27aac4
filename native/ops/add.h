// add and sub on the CUDA backend (contract: native/ops/add.cc): one thread per output element.
// add_backward: dB = alpha·g, one thread per element, or with B broadcast the column sums of g
// (the deterministic two-pass body::col_sum in double, elementwise.h) times alpha.
#pragma once
#include <string>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"
#include "elementwise.h"

namespace mmg {
namespace body {

// o[i] = a[i] + alpha·b[i], or with b a row vector broadcast over rows of nc columns.
template <typename T>
MMG_HD T add_one(T a, T b, T alpha) { return a + alpha * b; }

template <typename T>
MMG_HD void add_elem(int64_t i, const T* a, const T* b, T* o, T alpha, int64_t nc, bool broadcast) {
  o[i] = add_one(a[i], b[broadcast ? i % nc : i], alpha);
}

// add_backward without broadcast: db = alpha·g.
template <typename T>
struct AddBackwardScale {
  T alpha;
  MMG_HD T operator()(T g) const { return alpha * g; }
};

// add_backward with broadcast: the column-sum term g[r, j] and the store db[j] = T(alpha·Σ).
template <typename T>
struct AddBackwardTerm {
  const T* g;
  int64_t nc;
  MMG_HD double operator()(int64_t r, int64_t j) const { return double(g[r * nc + j]); }
};
template <typename T>
struct AddBackwardEmit {
  T* db;
  double alpha;
  MMG_HD void operator()(int64_t j, double s) const { db[j] = static_cast<T>(alpha * s); }
};

}  // namespace body
}  // namespace mmg

namespace mmg {

struct AddPlan {
  int64_t n = 0, nc = 0;
  bool broadcast = false;
  double alpha = 1;
};

// Input checks with the CPU kernel's messages (row_broadcast is the CPU's own check); the caller
// allocates C like A. sub is add with alpha = −1 and no attrs (its own name for its messages).
inline AddPlan add_plan(Call& c, bool sub = false) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "A");
  c.expect_same_dtype(0, 1, "A", "B");
  const mmg_tensor &A = c.in(0), &B = c.in(1);
  AddPlan p;
  p.broadcast = row_broadcast(c, A, B);
  p.n = numel(A);
  p.nc = cols(A);
  p.alpha = sub ? -1.0 : c.attr_or(0, 1.0);
  return p;
}

struct AddBackwardPlan {
  int64_t rows = 0, nc = 0, n = 0;
  bool broadcast = false;
  double alpha = 1;
};

// add_backward: inputs (g [A's shape], B) → dB shaped like B (the caller allocates it).
inline AddBackwardPlan add_backward_plan(Call& c) {
  c.expect_inputs(2, 2);
  c.expect_float(0, "g");
  c.expect_same_dtype(0, 1, "g", "B");
  const mmg_tensor &G = c.in(0), &B = c.in(1);
  AddBackwardPlan p;
  p.broadcast = row_broadcast(c, G, B, "g");
  p.alpha = c.attr_or(0, 1.0);
  p.rows = rows(G);
  p.nc = cols(G);
  p.n = numel(G);
  return p;
}

}  // namespace mmg
