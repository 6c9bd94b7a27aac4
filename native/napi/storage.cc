#include "storage.h"
#include <cstring>
#include "../core/allocator.h"
#include "../core/device_counters.h"
#include "../core/error.h"
#include "../core/tensor.h"

namespace mmg {

static bool is_host(int32_t dev) { return dev == MMG_CPU || dev == MMG_CUDA_EMU; }

void Storage::release() {
  if (!ptr) return;
  if (is_host(device)) host_free(ptr, bytes);
  else if (const mmg_backend_api* be = cuda_backend()) be->free(ptr, bytes);
  ptr = nullptr;
}

StoragePtr storage_alloc(uint64_t bytes, int32_t device) {
  auto s = std::make_shared<Storage>();
  s->bytes = bytes;
  s->device = device;
  if (is_host(device)) {
    s->ptr = host_alloc(bytes);
    return s;
  }
  if (device != MMG_CUDA) fail(MMG_E_DEVICE, "alloc: expected device cpu, cuda or cuda-emu, got ", device);
  const mmg_backend_api* be = cuda_backend();
  if (!be) fail(MMG_E_DEVICE, "alloc: the CUDA backend is not available: ", cuda_backend_status());
  char msg[512] = {0};
  int rc = be->alloc(&s->ptr, bytes == 0 ? 1 : bytes, msg, sizeof msg);
  if (rc != 0) {
    s->ptr = nullptr;
    throw Error(static_cast<mmg_error_code>(rc), msg);
  }
  return s;
}

void storage_copy(void* dst, int32_t dst_dev, const void* src, int32_t src_dev, uint64_t bytes) {
  if (bytes == 0) return;
  // Copies that cross the host/device line, counted for cuda-emu as for cuda (device_counters.h).
  if (src_dev == MMG_CPU && dst_dev != MMG_CPU) count_h2d();
  else if (dst_dev == MMG_CPU && src_dev != MMG_CPU) count_d2h();
  if (is_host(dst_dev) && is_host(src_dev)) {
    std::memcpy(dst, src, bytes);
    return;
  }
  const mmg_backend_api* be = cuda_backend();
  if (!be) fail(MMG_E_DEVICE, "copy: the CUDA backend is not available: ", cuda_backend_status());
  int kind = is_host(src_dev) ? 0 : (is_host(dst_dev) ? 1 : 2);
  char msg[512] = {0};
  int rc = be->copy(dst, src, bytes, kind, msg, sizeof msg);
  if (rc != 0) throw Error(static_cast<mmg_error_code>(rc), msg);
}

}  // namespace mmg
