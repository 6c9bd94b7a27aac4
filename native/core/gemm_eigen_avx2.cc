// Eigen compiled with -mavx2 -mfma (its own build target). The macro renames Eigen's namespace so
// that none of its template instantiations can be merged with the baseline copy's at link time.
#if defined(MMG_HAVE_EIGEN)
#define EIGEN_DONT_PARALLELIZE
#define Eigen mmg_eigen_avx2_ns
#define MMG_EIGEN_NS eigen_avx2
#include "gemm_eigen_impl.inc"
#endif
