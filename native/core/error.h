// Errors: every failure inside a kernel is an mmg::Error carrying a stable code. The N-API layer
// turns it into a JS MmgError; nothing in the addon aborts the process.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>
#include "abi.h"

namespace mmg {

class Error : public std::runtime_error {
 public:
  Error(mmg_error_code code, const std::string& msg) : std::runtime_error(msg), code_(code) {}
  mmg_error_code code() const { return code_; }

 private:
  mmg_error_code code_;
};

const char* error_code_name(int code);

namespace detail {
inline void append(std::ostringstream&) {}
template <typename T, typename... Rest>
void append(std::ostringstream& os, const T& v, const Rest&... rest) {
  os << v;
  append(os, rest...);
}
}  // namespace detail

template <typename... Parts>
[[noreturn]] void fail(mmg_error_code code, const Parts&... parts) {
  std::ostringstream os;
  detail::append(os, parts...);
  throw Error(code, os.str());
}

}  // namespace mmg

// MMG_CHECK(cond, code, "op: expected ...", value): cheap argument checks that read like the message.
#define MMG_CHECK(cond, code, ...)          \
  do {                                      \
    if (!(cond)) ::mmg::fail(code, __VA_ARGS__); \
  } while (0)
