// cooccurrence_graph: SINGER's collaborative item–item graph (spec singer.md §4.3): top-k of the
// item co-occurrence similarity per row, then D^-½·S̃·D^-½.
// Inputs: the binary interaction matrix R (n_users × n_items) as CSR, R indptr int32 [U+1] and
//   R indices int32 [nnz] (item ids), and its transpose Rt (n_items × n_users) the same way. Both
//   must be coalesced (strictly ascending ids per row, so duplicate pairs are already collapsed)
//   and Rt must be exactly Rᵀ: all three are checked (MMG_E_DATA naming the first bad row).
// Attrs: [k (≥ 1), mode (0 = cosine, 1 = count, 2 = two_hop; default 0), dtype (0 = float32,
//   1 = float64; default 0)].
// Outputs: indptr int32 [I+1], indices int32 [nnz'], values [nnz'] in dtype; columns ascending.
// With C = RᵀR, deg_i = |users of i|, deg_u = |items of u|, for j ≠ i:
//   cosine  sim_ij = C_ij / sqrt(deg_i·deg_j)
//   count   sim_ij = C_ij
//   two_hop sim_ij = (Σ_{u ∋ i, j} 1/deg_u) / sqrt(deg_i·deg_j)   (= (R̂ᵀR̂)_ij, R̂ = D_u^-½ R D_i^-½)
// (sums over users in ascending order, in double). Row i keeps its min(k, #co-occurring items)
// largest sim_ij > 0 (self excluded; ties: larger value, then lower column): S̃. Then
// D_i = Σ_j S̃_ij (in column order), w_ij = T(D_i^-½ · S̃_ij · D_j^-½), 0^-½ := 0. A cold item (or
// one whose users have no other item) has an empty row.
// Memory O(Σ_i min(k, candidates_i)) for the kept lists plus one dense double accumulator and
// touched list of n_items entries per worker thread; time O(Σ_u deg_u²) for the counts.
// Parallel over item rows; deterministic and bitwise equal to the CUDA kernel (the bodies are
// shared: native/ops/cooccurrence_graph.h). Not differentiable: the graph is built once.
#include <vector>
#include "cooccurrence_graph.h"
#include "../core/parallel.h"
#include "../core/registry.h"
#include "csr_check.h"

namespace mmg {
namespace {

// Serial so the errors name the first bad row (a kernel must not throw inside parallel_for).
void check_structure(const Call& c, const CoocArgs& a, const int32_t* rp, const int32_t* rj, const int32_t* tp, const int32_t* tj) {
  uint64_t r_bad = kCoocNone, t_bad = kCoocNone, missing = kCoocNone;
  for (int64_t u = 0; u < a.n_users && r_bad == kCoocNone; ++u)
    if (body::cooc_row_unsorted(rp, rj, u)) r_bad = uint64_t(u);
  for (int64_t i = 0; i < a.n_items && t_bad == kCoocNone; ++i)
    if (body::cooc_row_unsorted(tp, tj, i)) t_bad = uint64_t(i);
  if (r_bad == kCoocNone && t_bad == kCoocNone)
    for (int64_t u = 0; u < a.n_users && missing == kCoocNone; ++u)
      if (body::cooc_pair_missing(rp, rj, tp, tj, u)) missing = uint64_t(u);
  cooc_report(c, r_bad, t_bad, missing);
}

template <typename T>
void write_outputs(Call& c, int64_t n, const std::vector<int64_t>& off, const std::vector<int32_t>& cnt, const std::vector<double>& kv,
                   const std::vector<int32_t>& kj, const std::vector<double>& dinv) {
  const CoocHostOut<T> o = cooc_host_outputs<T>(c, n, cnt.data());
  parallel_for(n, 256, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) body::cooc_emit(r, off.data(), cnt.data(), o.p, kv.data(), kj.data(), dinv.data(), o.j, o.v);
  });
}

void cooccurrence_graph_cpu(Call& c) {
  const CoocInputs in = cooc_inputs(c, check_csr);
  const CoocArgs& a = in.a;
  const int32_t *rp = in.rp, *rj = in.rj, *tp = in.tp, *tj = in.tj;
  check_structure(c, a, rp, rj, tp, tj);

  const int64_t n = a.n_items;
  std::vector<int32_t> bound(static_cast<size_t>(n));
  parallel_for(n, 256, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; ++i) bound[i] = body::cooc_row_bound(i, a.k, n, rp, tp, tj);
  });
  std::vector<int64_t> off(static_cast<size_t>(n) + 1, 0);
  for (int64_t i = 0; i < n; ++i) off[i + 1] = off[i] + bound[i];
  std::vector<double> kv(static_cast<size_t>(off[n]));
  std::vector<int32_t> kj(static_cast<size_t>(off[n]));
  std::vector<int32_t> cnt(static_cast<size_t>(n), 0);
  // One dense accumulator and touched list per chunk (≤ one chunk per worker), cleared sparsely
  // through the touched list after each row.
  parallel_for(n, 16, [&](int64_t r0, int64_t r1) {
    std::vector<double> acc(static_cast<size_t>(n), 0.0);
    std::vector<int32_t> touched(static_cast<size_t>(n));
    for (int64_t i = r0; i < r1; ++i) {
      int64_t ncand = 0;
      auto claim = [&]() { return ncand++; };
      for (int64_t q = tp[i]; q < tp[i + 1]; ++q) {
        const int64_t u = tj[q];
        body::cooc_scatter(0, 1, i, body::cooc_user_weight(a.mode, rp, u), rj + rp[u], rp[u + 1] - rp[u], acc.data(), touched.data(),
                           claim);
      }
      double* v = kv.data() + off[i];
      int32_t* ix = kj.data() + off[i];
      int32_t size = 0;
      for (int64_t q = 0; q < ncand; ++q) {
        const int32_t j = touched[q];
        if (bound[i] > 0) body::topk_heap_push(v, ix, &size, bound[i], body::cooc_sim(a.mode, acc[j], tp, i, j), j);
        acc[j] = 0;
      }
      cnt[i] = size;
    }
  });
  std::vector<double> dinv(static_cast<size_t>(n));
  parallel_for(n, 256, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) body::cooc_row_finish(r, off.data(), cnt.data(), kv.data(), kj.data(), dinv.data());
  });
  if (a.dtype == MMG_F64) write_outputs<double>(c, n, off, cnt, kv, kj, dinv);
  else write_outputs<float>(c, n, off, cnt, kv, kj, dinv);
}

}  // namespace
MMG_REGISTER_KERNEL("cooccurrence_graph", MMG_CPU, cooccurrence_graph_cpu);
}  // namespace mmg
