// Opens the CUDA backend library at run time. One addon binary serves machines with and without
// a GPU: when the library, libcudart, the driver or a device is missing, we record why and
// report it; we never crash.
#include <dlfcn.h>
#include <link.h>
#include <cstdlib>
#include <mutex>
#include <string>
#include "storage.h"

namespace mmg {
namespace {
std::mutex g_mu;
const mmg_backend_api* g_backend = nullptr;
std::string g_status = "not loaded: pass device 'cuda' (or set MMGRAPH_DEVICE=cuda) to load it";
bool g_tried = false;
}  // namespace

const mmg_backend_api* cuda_backend() { return g_backend; }
const char* cuda_backend_status() { return g_status.c_str(); }

bool load_cuda_backend(const char* path) {
  std::lock_guard<std::mutex> lk(g_mu);
  if (g_backend) return true;
  std::string lib = path && *path ? path : "";
  if (lib.empty()) {
    if (const char* env = std::getenv("MMGRAPH_CUDA_LIB")) lib = env;
  }
  if (lib.empty()) {
    g_status = "no CUDA backend library was given (build it with `npm run build:cuda`, or set MMGRAPH_CUDA_LIB)";
    return false;
  }
  g_tried = true;
  void* h = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    g_status = std::string("could not open ") + lib + ": " + (e ? e : "unknown dlopen error") +
               " (is the CUDA runtime with cuBLAS, cuSPARSE and cuFFT on LD_LIBRARY_PATH?)";
    return false;
  }
  auto open = reinterpret_cast<mmg_backend_open_fn>(dlsym(h, "mmg_backend_open"));
  if (!open) {
    g_status = lib + " is not an mmgraph backend (no mmg_backend_open symbol)";
    dlclose(h);
    return false;
  }
  const mmg_backend_api* api = open();
  if (!api || api->abi_version != MMG_BACKEND_ABI_VERSION) {
    g_status = lib + " was built for backend ABI " + std::to_string(api ? api->abi_version : -1) + ", this addon needs " +
               std::to_string(MMG_BACKEND_ABI_VERSION) + ": rebuild it with `npm run build:cuda`";
    dlclose(h);
    return false;
  }
  char msg[512] = {0};
  if (api->probe(msg, sizeof msg) != 0) {
    g_status = std::string("CUDA backend loaded but unusable: ") + msg;
    // Keep the library mapped: dlclose on a library that initialised the CUDA runtime is unsafe.
    return false;
  }
  g_backend = api;
  g_status = std::string("ok: ") + msg;
  return true;
}

// Maps a shared library with RTLD_GLOBAL so that libmmgraph_cuda.so's dependencies (cudart, cuBLAS,
// cuSPARSE, cuFFT) resolve to it by soname when the backend is opened: lib/cuda_runtime.ts finds
// them outside the system search path (the NVIDIA pip wheels, the toolkit) without LD_LIBRARY_PATH,
// which cannot be changed for a running process. `name` is a path or a bare soname (then the system
// search applies). Returns the file actually mapped, or sets `error`. Never unmapped.
bool open_shared_library(const char* name, std::string* path, std::string* error) {
  void* h = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
  if (!h) {
    const char* e = dlerror();
    *error = e ? e : "unknown dlopen error";
    return false;
  }
  struct link_map* lm = nullptr;
  *path = dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm && lm->l_name ? lm->l_name : name;
  return true;
}

}  // namespace mmg
