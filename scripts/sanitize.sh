#!/usr/bin/env bash
# Sanitizer job: builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer into its own
# folder (build-asan/, never build/), then runs the op tests and the fuzz suite against it.
#   scripts/sanitize.sh build          build only
#   scripts/sanitize.sh test [jest…]   run the tests (extra args go to jest, e.g. --json --outputFile=F)
#   scripts/sanitize.sh                both
# The build is the built-in-kernel variant (MMGRAPH_NO_EIGEN=1): every line of our own C++ is
# compiled and checked, while Eigen's two extra SIMD copies, which take most of a full build's
# time, are left out. -O1 keeps the compile short and the stacks readable.
# Node itself is not instrumented, so the ASan runtime is preloaded (gcc's libasan) and leak
# detection is off: node does not free everything at exit, which LeakSanitizer would report as
# leaks that are not ours. Any other ASan report, or any UBSan report (no recovery), aborts the
# process and fails the test that was running.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${MMGRAPH_ASAN_DIR:-$ROOT/build-asan}
what=${1:-all}
[ $# -gt 0 ] && shift

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

build() {
  # node-gyp builds into ./build of the folder it runs in: a folder of links to the sources keeps
  # the normal build/ untouched.
  mkdir -p "$DIR"
  for f in binding.gyp package.json native cuda scripts node_modules; do ln -sfn "$ROOT/$f" "$DIR/$f"; done
  (cd "$DIR" && MMGRAPH_NO_EIGEN=1 CFLAGS="$SAN -O1" CXXFLAGS="$SAN -O1" LDFLAGS="-fsanitize=address,undefined" \
    npx node-gyp rebuild -j "${JOBS:-2}")
  [ -f "$DIR/build/Release/mmgraph.node" ]
}

run_tests() {
  local asan
  asan=$(gcc -print-file-name=libasan.so)
  [ -f "$asan" ] || { echo "sanitize: gcc's libasan.so not found"; return 1; }
  MMGRAPH_ADDON="$DIR/build/Release/mmgraph.node" MMGRAPH_QUIET=1 LD_PRELOAD="$asan" \
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:detect_odr_violation=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    npx jest --selectProjects cpu --testPathPattern 'test/(ops|fuzz)/' --maxWorkers=2 "$@"
}

case $what in
  build) build ;;
  test) run_tests "$@" ;;
  all) build && run_tests "$@" ;;
  *) echo "usage: scripts/sanitize.sh [build|test|all] [jest args]"; exit 2 ;;
esac
