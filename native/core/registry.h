// The op registry: each op's file registers its kernels by name and device; the N-API layer
// and the backend loader look them up here. Nothing central lists the ops.
#pragma once
#include <string>
#include <vector>
#include "tensor.h"

namespace mmg {

using Kernel = void (*)(Call&);

void register_kernel(const char* name, int32_t device, Kernel fn);
Kernel find_kernel(const std::string& name, int32_t device);
std::vector<std::string> kernel_names(int32_t device);

struct KernelRegistrar {
  KernelRegistrar(const char* name, int32_t device, Kernel fn) { register_kernel(name, device, fn); }
};

}  // namespace mmg

#define MMG_CONCAT_INNER(a, b) a##b
#define MMG_CONCAT(a, b) MMG_CONCAT_INNER(a, b)
// MMG_REGISTER_KERNEL("matmul", MMG_CPU, matmul_cpu);
#define MMG_REGISTER_KERNEL(name, device, fn) \
  static ::mmg::KernelRegistrar MMG_CONCAT(mmg_registrar_, __LINE__)(name, device, fn)
