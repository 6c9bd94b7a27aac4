// The cuFFT plan cache and executor behind run_fft (see fft.cuh).
#include <mutex>
#include <vector>
#include "fft.cuh"

namespace mmg {
namespace cuda {
namespace {

struct PlanKey {
  int32_t dtype;
  bool inverse;
  int64_t n, batch, inembed, istride, idist, onembed, ostride, odist;
  bool operator==(const PlanKey& o) const {
    return dtype == o.dtype && inverse == o.inverse && n == o.n && batch == o.batch && inembed == o.inembed && istride == o.istride &&
           idist == o.idist && onembed == o.onembed && ostride == o.ostride && odist == o.odist;
  }
};

struct Plan {
  PlanKey key;
  cufftHandle handle;
  size_t work;
  uint64_t last_use;
};

// Never destroyed at exit: by then the CUDA runtime may be gone, and the process frees it all.
std::mutex& cache_mu() {
  static std::mutex* m = new std::mutex;
  return *m;
}
std::vector<Plan>& cache() {
  static std::vector<Plan>* v = new std::vector<Plan>;
  return *v;
}
uint64_t g_tick = 0;

cufftType fft_type(const PlanKey& k) {
  if (k.dtype == MMG_F32) return k.inverse ? CUFFT_C2R : CUFFT_R2C;
  return k.inverse ? CUFFT_Z2D : CUFFT_D2Z;
}

// Creates a plan for k; on any failure the half-made handle is destroyed before the throw.
Plan make_plan(const PlanKey& k, const char* op) {
  int n[1] = {to_int(k.n, op, "FFT length")}, inembed[1] = {to_int(k.inembed, op, "FFT inembed")},
      onembed[1] = {to_int(k.onembed, op, "FFT onembed")};
  const int istride = to_int(k.istride, op, "FFT istride"), idist = to_int(k.idist, op, "FFT idist");
  const int ostride = to_int(k.ostride, op, "FFT ostride"), odist = to_int(k.odist, op, "FFT odist");
  const int batch = to_int(k.batch, op, "FFT batch");
  cufftHandle h = 0;
  check(cufftCreate(&h), op, "cufftCreate");
  struct Guard {
    cufftHandle h;
    bool armed = true;
    ~Guard() {
      if (armed) cufftDestroy(h);
    }
  } guard{h};
  check(cufftSetAutoAllocation(h, 0), op, "cufftSetAutoAllocation");
  size_t work = 0;
  MMG_LIB_CHECK(op, cufftMakePlanMany(h, 1, n, inembed, istride, idist, onembed, ostride, odist, fft_type(k), batch, &work));
  guard.armed = false;
  return Plan{k, h, work, 0};
}

void destroy_all(std::vector<Plan>& v) {
  if (v.empty()) return;
  cudaStreamSynchronize(stream());  // a queued exec may still use a plan's tables
  for (const Plan& p : v) cufftDestroy(p.handle);
  v.clear();
}

}  // namespace

void run_fft(const FftCall& f, const char* op) {
  const PlanKey key{f.dtype, f.inverse, f.n, f.batch, f.inembed, f.istride, f.idist, f.onembed, f.ostride, f.odist};
  std::lock_guard<std::mutex> lk(cache_mu());
  std::vector<Plan>& plans = cache();
  Plan* plan = nullptr;
  for (Plan& p : plans)
    if (p.key == key) plan = &p;
  if (!plan) {
    if (plans.size() >= size_t(kFftPlanCache)) {  // evict the least recently used
      size_t lru = 0;
      for (size_t i = 1; i < plans.size(); ++i)
        if (plans[i].last_use < plans[lru].last_use) lru = i;
      check(cudaStreamSynchronize(stream()), op, "cudaStreamSynchronize before cufftDestroy");
      cufftDestroy(plans[lru].handle);
      plans.erase(plans.begin() + long(lru));
    }
    plans.push_back(make_plan(key, op));
    plan = &plans.back();
  }
  plan->last_use = ++g_tick;
  // The work area returns to the allocator's cache when this call ends; later work that reuses
  // the block is queued after this exec on the same stream.
  Scratch work(plan->work, op);
  check(cufftSetStream(plan->handle, stream()), op, "cufftSetStream");
  if (plan->work) check(cufftSetWorkArea(plan->handle, work.as<void>()), op, "cufftSetWorkArea");
  if (f.dtype == MMG_F32) {
    if (f.inverse)
      MMG_LIB_CHECK(op, cufftExecC2R(plan->handle, static_cast<cufftComplex*>(f.in), static_cast<cufftReal*>(f.out)));
    else
      MMG_LIB_CHECK(op, cufftExecR2C(plan->handle, static_cast<cufftReal*>(f.in), static_cast<cufftComplex*>(f.out)));
  } else {
    if (f.inverse)
      MMG_LIB_CHECK(op, cufftExecZ2D(plan->handle, static_cast<cufftDoubleComplex*>(f.in), static_cast<cufftDoubleReal*>(f.out)));
    else
      MMG_LIB_CHECK(op, cufftExecD2Z(plan->handle, static_cast<cufftDoubleReal*>(f.in), static_cast<cufftDoubleComplex*>(f.out)));
  }
}

void fft_plans_release() {
  std::lock_guard<std::mutex> lk(cache_mu());
  destroy_all(cache());
}

}  // namespace cuda
}  // namespace mmg
