// What this binary was built with and what the CPU it runs on supports, for `mmgraph info`.
#include "build_info.h"
#include "../core/gemm.h"
#include "../core/parallel.h"

namespace mmg {

Napi::Object build_info(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("gemm", gemm_backend_name());
  o.Set("gemmSimd", gemm_simd_name());
  o.Set("cpuFeatures", cpu_features_string());
  o.Set("threads", num_threads());
#ifdef NDEBUG
  o.Set("debug", false);
#else
  o.Set("debug", true);
#endif
  return o;
}

}  // namespace mmg
