#include "registry.h"
#include <algorithm>
#include <map>
#include <mutex>

namespace mmg {
namespace {
// Function-local static: registrars in other translation units run before main-like code,
// in unspecified order, so the table must exist on first use.
std::map<std::pair<std::string, int32_t>, Kernel>& table() {
  static std::map<std::pair<std::string, int32_t>, Kernel> t;
  return t;
}
}  // namespace

void register_kernel(const char* name, int32_t device, Kernel fn) { table()[{name, device}] = fn; }

Kernel find_kernel(const std::string& name, int32_t device) {
  auto it = table().find({name, device});
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> kernel_names(int32_t device) {
  std::vector<std::string> out;
  for (auto& kv : table())
    if (kv.first.second == device) out.push_back(kv.first.first);
  return out;
}

}  // namespace mmg
