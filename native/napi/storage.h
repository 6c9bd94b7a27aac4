// Device memory owned by tensors. A Storage is shared by the tensor handle and by any external
// ArrayBuffer handed to JS, so memory is returned to the cache only when both are gone or the
// tensor is explicitly disposed (which first detaches the ArrayBuffer).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include "../core/abi.h"

namespace mmg {

struct Storage {
  void* ptr = nullptr;
  uint64_t bytes = 0;
  int32_t device = MMG_CPU;
  ~Storage() { release(); }
  void release();  // returns the memory now; later accesses see ptr == nullptr
};
using StoragePtr = std::shared_ptr<Storage>;

StoragePtr storage_alloc(uint64_t bytes, int32_t device);  // throws mmg::Error
// Copies between any two devices (host<->host, host<->cuda, cuda<->cuda).
void storage_copy(void* dst, int32_t dst_dev, const void* src, int32_t src_dev, uint64_t bytes);

// The optional CUDA backend (see backend_loader.cc).
const mmg_backend_api* cuda_backend();          // nullptr when not loaded
const char* cuda_backend_status();              // why it is (not) usable
bool load_cuda_backend(const char* path_or_null);
bool open_shared_library(const char* name, std::string* path, std::string* error);

}  // namespace mmg
