// reshape: y = x with a new shape of the same element count; the attrs are the new dimensions
// (0 to 4 of them, at most one −1, inferred). Any dtype (float and index tensors alike).
// y is a COPY, not a view: a tensor's dispose() (and tidy()) frees its storage at once, so a view
// sharing storage would dangle as soon as its base was disposed; one parallel memcpy is cheap next
// to the ops around it. Backward (lib/ops/reshape.ts): reshape g back to x's shape.
#include <cstring>
#include <string>
#include "../core/reduce.h"
#include "../core/registry.h"

namespace mmg {
namespace {

void reshape_cpu(Call& c) {
  c.expect_inputs(1, 1);
  const mmg_tensor& X = c.in(0);
  const size_t esize = dtype_size(X.dtype);
  if (esize == 0) fail(MMG_E_DTYPE, "reshape: expected a known dtype, got ", X.dtype);
  int64_t shape[MMG_MAX_DIMS];
  const int n_attr = c.n_attr();
  if (n_attr > MMG_MAX_DIMS) fail(MMG_E_ARG, "reshape: expected at most ", MMG_MAX_DIMS, " dimensions, got ", n_attr);
  std::string want = "[";
  int infer = -1;
  int64_t known = 1;
  for (int i = 0; i < n_attr; ++i) {
    const int64_t d = c.attr_int(i);
    want += (i ? ", " : "") + std::to_string(d);
    if (d == -1) {
      if (infer >= 0) fail(MMG_E_ARG, "reshape: expected at most one -1 dimension, got two");
      infer = i;
    } else if (d < 0) {
      fail(MMG_E_ARG, "reshape: expected dimensions >= 0 or -1, got ", d);
    } else {
      known *= d;
    }
    shape[i] = d;
  }
  want += "]";
  const int64_t n = numel(X);
  if (infer >= 0) {
    if (known == 0 || n % known != 0) c.shape_error("a shape whose -1 fits " + std::to_string(n) + " elements", want);
    shape[infer] = n / known;
  } else if (known != n) {
    c.shape_error("a shape with " + std::to_string(n) + " elements (x is " + shape_str(X) + ")", want);
  }
  mmg_tensor& Y = c.out_shape(n_attr, shape, X.dtype);
  const char* src = static_cast<const char*>(X.data);
  char* dst = static_cast<char*>(Y.data);
  const int64_t bytes = n * static_cast<int64_t>(esize);
  parallel_for(bytes, int64_t(esize) * kGrain, [&](int64_t b, int64_t e) { std::memcpy(dst + b, src + b, size_t(e - b)); });
}

}  // namespace
MMG_REGISTER_KERNEL("reshape", MMG_CPU, reshape_cpu);
}  // namespace mmg
