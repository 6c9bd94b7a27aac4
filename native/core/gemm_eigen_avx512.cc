// Eigen compiled with AVX-512 (F, DQ, VL, BW) + FMA (its own build target), chosen at run time on
// CPUs that have all four (Skylake-SP and later, Zen 4). 16-float packets double the width of the
// AVX2 copy's kernel. The macro renames Eigen's namespace so that none of its template
// instantiations can be merged with the other copies' at link time.
#if defined(MMG_HAVE_EIGEN)
#define EIGEN_DONT_PARALLELIZE
#define Eigen mmg_eigen_avx512_ns
#define MMG_EIGEN_NS eigen_avx512
#include "gemm_eigen_impl.inc"
#endif
