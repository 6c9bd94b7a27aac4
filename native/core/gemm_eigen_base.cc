// Eigen at the baseline x86-64 SIMD level (SSE2); built only when Eigen's headers exist.
#if defined(MMG_HAVE_EIGEN)
#define EIGEN_DONT_PARALLELIZE  // gemm.cc splits the work across our own thread pool
#define MMG_EIGEN_NS eigen_base
#include "gemm_eigen_impl.inc"
#endif
