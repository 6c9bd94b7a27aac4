// mmgraph_cuda_ops <libmmgraph_cuda.so>: prints the ops the backend library registers, one per
// line. Needs the library's dependencies (libcudart, cuBLAS...) to load, but no driver or GPU:
// registration happens in static constructors, before any CUDA call.
#include <dlfcn.h>
#include <cstdio>
#include "../../native/core/abi.h"

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "build-cuda/libmmgraph_cuda.so";
  void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::fprintf(stderr, "mmgraph_cuda_ops: %s\n", dlerror());
    return 2;
  }
  auto open = reinterpret_cast<mmg_backend_open_fn>(dlsym(h, "mmg_backend_open"));
  const mmg_backend_api* api = open ? open() : nullptr;
  if (!api || api->abi_version != MMG_BACKEND_ABI_VERSION) {
    std::fprintf(stderr, "mmgraph_cuda_ops: %s is not a backend of ABI %d\n", path, MMG_BACKEND_ABI_VERSION);
    return 2;
  }
  for (int32_t i = 0; i < api->op_count(); ++i) std::printf("%s\n", api->op_name(i));
  return 0;
}
