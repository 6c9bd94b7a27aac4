// cooccurrence_graph on cuda-emu: the CUDA launcher's steps with the same bodies
// (cooccurrence_graph.h): the structure scan keeping the first bad row of each check (the
// GPU's atomicMin), per-row bounds, the row kernel's G persistent blocks (per user, threads
// 0..kBlock-1 in turn; local heaps, merge levels and the emit over the same slots), the row finish
// and the weights.
#include <algorithm>
#include <vector>
#include "../ops/cooccurrence_graph.h"
#include "csr_check.h"
#include "grid.h"

namespace mmg {
namespace {

template <typename T>
void emit(Call& c, int64_t n, const std::vector<int64_t>& off, const std::vector<int32_t>& cnt, const std::vector<double>& kv,
          const std::vector<int32_t>& kj, const std::vector<double>& dinv) {
  count_d2h();  // the .cu reads the kept counts back and sends the row pointers (and waits)
  count_h2d();
  count_sync();
  const CoocHostOut<T> o = cooc_host_outputs<T>(c, n, cnt.data());
  emu::for_threads(n, [&](int64_t r) { body::cooc_emit(r, off.data(), cnt.data(), o.p, kv.data(), kj.data(), dinv.data(), o.j, o.v); });
}

void cooccurrence_graph_emu(Call& c) {
  const CoocInputs in = cooc_inputs(c, emu::check_csr);
  const CoocArgs& a = in.a;
  const int32_t *rp = in.rp, *rj = in.rj, *tp = in.tp, *tj = in.tj;
  const int64_t n = a.n_items;
  {
    uint64_t bad[3] = {kCoocNone, kCoocNone, kCoocNone};
    for (int64_t r = 0; r < std::max(a.n_users, n); ++r) {
      if (r < a.n_users && bad[0] == kCoocNone && body::cooc_row_unsorted(rp, rj, r)) bad[0] = uint64_t(r);
      if (r < n && bad[1] == kCoocNone && body::cooc_row_unsorted(tp, tj, r)) bad[1] = uint64_t(r);
      if (r < a.n_users && bad[2] == kCoocNone && body::cooc_pair_missing(rp, rj, tp, tj, r)) bad[2] = uint64_t(r);
    }
    count_launch();  // cooccurrence_graph.cu: one structure scan, its three results read back
    count_d2h();
    cooc_report(c, bad[0], bad[1], bad[2]);
  }

  std::vector<int32_t> bound(static_cast<size_t>(n));
  emu::for_threads(n, [&](int64_t i) { bound[size_t(i)] = body::cooc_row_bound(i, a.k, n, rp, tp, tj); });
  std::vector<int64_t> off(static_cast<size_t>(n) + 1, 0);
  int64_t kmax = 0;
  for (int64_t i = 0; i < n; ++i) {
    off[size_t(i) + 1] = off[size_t(i)] + bound[size_t(i)];
    kmax = std::max<int64_t>(kmax, bound[size_t(i)]);
  }
  count_d2h();  // the .cu forms these offsets on the host: bounds read back, offsets sent (and waited for)
  count_h2d();
  count_sync();
  const int64_t kept = off[size_t(n)];
  std::vector<double> kv(static_cast<size_t>(kept));
  std::vector<int32_t> kj(static_cast<size_t>(kept));
  std::vector<int32_t> cnt(static_cast<size_t>(n), 0);
  std::vector<double> dinv(static_cast<size_t>(n), 0.0);
  if (kept > 0) {
    const CoocPlan p = cooc_plan(n, kmax);
    const int64_t lists = p.blocks * body::kBlock * int64_t(p.cap);
    std::vector<double> acc_all(static_cast<size_t>(p.blocks * n), 0.0), lv(static_cast<size_t>(2 * lists));
    std::vector<int32_t> touched_all(static_cast<size_t>(p.blocks * n)), li(static_cast<size_t>(2 * lists));
    emu::for_blocks(p.blocks, n, [&](int64_t b) {
      double* acc = acc_all.data() + b * n;
      int32_t* touched = touched_all.data() + b * n;
      const int64_t base = b * body::kBlock * int64_t(p.cap);
      double *v0 = lv.data() + base, *v1 = lv.data() + lists + base;
      int32_t *i0 = li.data() + base, *i1 = li.data() + lists + base;
      int32_t len[body::kBlock];
      for (int64_t i = b; i < n; i += p.blocks) {
        const int32_t k = bound[size_t(i)];
        if (k == 0) continue;
        int32_t ncand = 0;
        auto claim = [&]() { return ncand++; };
        for (int64_t q = tp[i]; q < tp[i + 1]; ++q) {
          const int64_t u = tj[q];
          const double w = body::cooc_user_weight(a.mode, rp, u);
          for (int t = 0; t < body::kBlock; ++t) body::cooc_scatter(t, body::kBlock, i, w, rj + rp[u], rp[u + 1] - rp[u], acc, touched, claim);
        }
        for (int t = 0; t < body::kBlock; ++t)
          len[t] = body::cooc_local(t, a.mode, i, tp, acc, touched, ncand, p.cap, v0 + int64_t(t) * p.cap, i0 + int64_t(t) * p.cap);
        bool in0 = true;
        for (int s = 1; s < body::kBlock; s <<= 1) {
          // One barrier interval per merge level, race-checked (grid.h list_phase).
          emu::list_phase(len, v0, i0, v1, i1, int64_t(body::kBlock) * p.cap, [&](int t) {
            if (in0) body::topk_merge_step(t, s, p.cap, k, len, v0, i0, v1, i1);
            else body::topk_merge_step(t, s, p.cap, k, len, v1, i1, v0, i0);
          });
          in0 = !in0;
        }
        for (int t = 0; t < body::kBlock; ++t)
          body::cooc_emit_list(t, len[0], in0 ? v0 : v1, in0 ? i0 : i1, kv.data() + off[size_t(i)], kj.data() + off[size_t(i)]);
        cnt[size_t(i)] = len[0];
      }
    });
    emu::for_threads(n, [&](int64_t r) { body::cooc_row_finish(r, off.data(), cnt.data(), kv.data(), kj.data(), dinv.data()); });
  }
  if (a.dtype == MMG_F64) emit<double>(c, n, off, cnt, kv, kj, dinv);
  else emit<float>(c, n, off, cnt, kv, kj, dinv);
}

}  // namespace
MMG_REGISTER_KERNEL("cooccurrence_graph", MMG_CUDA_EMU, cooccurrence_graph_emu);
}  // namespace mmg
