// Run-time choice between an AVX2+FMA build of a hot loop and the baseline build of the same
// source. One binary serves every x86-64 (no -march=native). Write the loop as an always_inline
// body, wrap it in two functions (one marked MMG_TARGET_AVX2), and pick with cpu_has_avx2_fma()
// (which honours the MMGRAPH_MAX_SIMD cap below).
// (GCC's target_clones("arch=haswell") is not used: its resolver selects that clone only on Intel
// Haswell-family CPUs, so AMD machines silently ran the baseline code.)
#pragma once

// The body every dispatched copy inlines (it must be inlined into each target-specific wrapper to
// be compiled for that target).
#define MMG_ALWAYS_INLINE inline __attribute__((always_inline))

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define MMG_X86_DISPATCH 1
#define MMG_TARGET_AVX2 __attribute__((target("avx2,fma")))
// What cpu_has_avx512() checks: the built-in GEMM's AVX-512 copy is compiled for this.
#define MMG_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")))
#else
#define MMG_X86_DISPATCH 0
#define MMG_TARGET_AVX2
#define MMG_TARGET_AVX512
#endif

#include <cstdlib>
#include <cstring>

namespace mmg {

// MMGRAPH_MAX_SIMD caps every run-time SIMD choice in the addon: "baseline" (or "sse2"), "avx2",
// "avx512" (the default: no cap). E.g. avx2 on CPUs whose clock drops under AVX-512 load. Read
// once; lib/native/load.ts warns about any other value (treated as no cap).
inline int simd_cap() {  // 0 baseline, 1 avx2, 2 avx512
  static const int cap = [] {
    const char* e = std::getenv("MMGRAPH_MAX_SIMD");
    if (!e) return 2;
    if (!std::strcmp(e, "baseline") || !std::strcmp(e, "sse2")) return 0;
    return !std::strcmp(e, "avx2") ? 1 : 2;
  }();
  return cap;
}

inline bool cpu_has_avx2_fma() {
#if MMG_X86_DISPATCH
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return yes && simd_cap() >= 1;
#else
  return false;
#endif
}

// AVX-512 F/DQ/VL/BW + FMA: what the AVX-512 Eigen copy (gemm_eigen_avx512.cc) is compiled for.
inline bool cpu_has_avx512() {
#if MMG_X86_DISPATCH
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
  }();
  return yes && simd_cap() >= 2;
#else
  return false;
#endif
}

}  // namespace mmg
