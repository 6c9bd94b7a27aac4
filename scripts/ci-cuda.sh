#!/usr/bin/env bash
# CI step: compile and link the CUDA backend for sm_80 and sm_90. There is no GPU in CI, so this
# proves the .cu files compile (a compile or link error fails CI) and that the library loads
# far enough to list its ops; the kernels' logic is exercised by the cuda-emu tests.
#   - installs cuBLAS, cuSPARSE, cuFFT (+ nvJitLink, which libcusparse loads) from pip into
#     .cuda-libs/ when missing (PIP_INDEX_URL / MMGRAPH_PIP_INDEX pick the index);
#   - builds build-cuda/libmmgraph_cuda.so through scripts/build-cuda.js.
set -euo pipefail
cd "$(dirname "$0")/.."
LIBS=${MMGRAPH_CUDA_LIBS:-$PWD/.cuda-libs}
start=$(date +%s)

command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ] || [ -n "${CUDACXX:-}" ] \
  || { echo "ci-cuda: nvcc not found (install the CUDA toolkit or set CUDACXX)"; exit 1; }

have() { ls "$LIBS"/nvidia/*/lib/"$1"* >/dev/null 2>&1; }
if ! have libcublas.so || ! have libcusparse.so || ! have libcufft.so || ! have libnvJitLink.so; then
  echo "ci-cuda: installing cuBLAS, cuSPARSE, cuFFT, nvJitLink into $LIBS"
  index=()
  if [ -n "${MMGRAPH_PIP_INDEX:-}" ]; then index=(--index-url "$MMGRAPH_PIP_INDEX");
  elif [ -z "${PIP_INDEX_URL:-}" ] && [ -d /opt/pypi-more/simple ]; then index=(--index-url file:///opt/pypi-more/simple); fi
  python3 -m pip install --quiet --no-deps --disable-pip-version-check "${index[@]}" --target "$LIBS" \
    nvidia-cublas nvidia-cusparse nvidia-cufft nvidia-nvjitlink
fi

MMGRAPH_CUDA_LIBS="$LIBS" MMGRAPH_CUDA_ARCHS="${MMGRAPH_CUDA_ARCHS:-80;90}" node scripts/build-cuda.js

lib=build-cuda/libmmgraph_cuda.so
[ -f "$lib" ] || { echo "ci-cuda: $lib was not produced"; exit 1; }
# Both architectures must be in the fat binary: ask cuobjdump when the toolkit has it, otherwise
# check the flags every .cu file was compiled with.
obj=$(command -v cuobjdump || echo /usr/local/cuda/bin/cuobjdump)
for a in $(echo "${MMGRAPH_CUDA_ARCHS:-80;90}" | tr ';' ' '); do
  if [ -x "$obj" ]; then
    "$obj" --list-elf "$lib" | grep -q "sm_$a" || { echo "ci-cuda: no sm_$a code in $lib"; exit 1; }
  else
    grep -q "code=\[compute_$a,sm_$a\]" build-cuda/CMakeFiles/mmgraph_cuda.dir/flags.make \
      || { echo "ci-cuda: .cu files were not compiled for sm_$a"; exit 1; }
  fi
done
# The library loads (no GPU needed) and registers its ops.
n=$(./build-cuda/mmgraph_cuda_ops "$lib" | wc -l)
[ "$n" -gt 0 ] || { echo "ci-cuda: $lib registers no ops"; exit 1; }
echo "ci-cuda: $lib built for archs ${MMGRAPH_CUDA_ARCHS:-80;90} with $n ops in $(( $(date +%s) - start )) s"
