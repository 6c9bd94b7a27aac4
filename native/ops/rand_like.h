// rand_like on the CUDA backend (contract: native/ops/rand_like.cc): one thread per element,
// u[i] = the top 53 (float64) or 24 (float32) bits of splitmix64(seed, i) scaled into [0, 1).
// Integer hashing and an exact conversion: bit-identical to the CPU on any device and grid.
// The seed attributes are checked on the host with the CPU's messages.
#pragma once
#include <cmath>
#include <cstdint>
#include "../core/tensor.h"
#include "../core/hd/body_common.h"

namespace mmg {
namespace body {

// splitmix64 of counter i under `seed` (the CPU's rand_like_bits / splitmix64_at; dropout too).
MMG_HD uint64_t splitmix64_at(uint64_t seed, uint64_t i) {
  uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

template <typename T>
MMG_HD T rand_like_one(uint64_t seed, uint64_t i) {
  if constexpr (sizeof(T) == 8)
    return T(double(splitmix64_at(seed, i) >> 11) * 0x1.0p-53);
  else
    return T(float(splitmix64_at(seed, i) >> 40) * 0x1.0p-24f);
}

}  // namespace body

// One uint32 half of the 64-bit seed from attribute i (the CPU's seed_half and message).
inline uint32_t seed_half_attr(const Call& c, int i, const char* name) {
  const double v = c.attr(i);
  if (!(v >= 0 && v <= 4294967295.0) || v != std::floor(v))
    fail(MMG_E_ARG, c.op(), ": expected ", name, " to be an integer in [0, 2^32), got ", v);
  return static_cast<uint32_t>(v);
}

// The seed from attributes (lo_attr, lo_attr + 1) = (seed_lo, seed_hi); seed_hi is checked first,
// in the order the CPU kernels' expression evaluates them.
inline uint64_t seed_attrs(const Call& c, int lo_attr) {
  const uint64_t hi = seed_half_attr(c, lo_attr + 1, "seed_hi");
  const uint64_t lo = seed_half_attr(c, lo_attr, "seed_lo");
  return (hi << 32) | lo;
}

// rand_like: one float input X (values unread) and the seed; the caller allocates U like X.
inline uint64_t rand_like_plan(Call& c) {
  c.expect_inputs(1, 1);
  c.expect_float(0, "X");
  return seed_attrs(c, 0);
}

}  // namespace mmg
