// Run-time choice between an AVX2+FMA build of a hot loop and the baseline build of the same
// source. One binary serves every x86-64 (no -march=native). Write the loop as an always_inline
// body, wrap it in two functions (one marked MMG_TARGET_AVX2), and pick with cpu_has_avx2_fma().
// (GCC's target_clones("arch=haswell") is not used: its resolver selects that clone only on Intel
// Haswell-family CPUs, so AMD machines silently ran the baseline code.)
#pragma once

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define MMG_X86_DISPATCH 1
#define MMG_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define MMG_X86_DISPATCH 0
#define MMG_TARGET_AVX2
#endif

namespace mmg {

inline bool cpu_has_avx2_fma() {
#if MMG_X86_DISPATCH
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return yes;
#else
  return false;
#endif
}

}  // namespace mmg
