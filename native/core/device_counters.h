// What a GPU would pay for a stretch of work, counted where the host-executed backend (cuda-emu)
// stands in for it: kernel launches (one per grid a launcher runs, library calls included),
// host<->device copies, and synchronizations (every point where the CUDA backend waits for its
// stream: a device-to-host read, an in-op check that reads a result back). The counts are what
// the CUDA code paths pay for the same calls; tests assert bounds on them (the sync_count test).
// Relaxed atomics: launches may be counted from pool threads, and only totals are read.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdlib>

namespace mmg {

struct DeviceCounters {
  std::atomic<uint64_t> launches{0}, h2d{0}, d2h{0}, syncs{0};
};

inline DeviceCounters& device_counters() {
  static DeviceCounters c;
  return c;
}

inline void count_launch() { device_counters().launches.fetch_add(1, std::memory_order_relaxed); }
inline void count_sync() { device_counters().syncs.fetch_add(1, std::memory_order_relaxed); }
inline void count_h2d() { device_counters().h2d.fetch_add(1, std::memory_order_relaxed); }
// A device-to-host read: the host needs the values, so the stream is drained first.
inline void count_d2h() {
  device_counters().d2h.fetch_add(1, std::memory_order_relaxed);
  count_sync();
}

// Debug modes read once per process. MMGRAPH_CUDA_SYNC=1: the CUDA backend synchronizes after every
// launch and names the op that failed (and implies the next). MMGRAPH_CUDA_CHECK=1: data checks that
// normally run once where the data is born (CSR structure when a graph moves to the device, batch
// indices on the host) run again inside every device op call.
inline bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && v[0] && !(v[0] == '0' && v[1] == 0);
}
inline bool debug_sync_mode() {
  static const bool on = env_flag("MMGRAPH_CUDA_SYNC");
  return on;
}
inline bool debug_check_mode() {
  static const bool on = env_flag("MMGRAPH_CUDA_CHECK") || debug_sync_mode();
  return on;
}

// Whether a device op must scan its index/CSR data: always unless the caller vouches (attribute
// `checked` = 1) that the data was validated where it was born, and no debug mode asks for more.
inline bool device_data_check_needed(bool checked) { return !checked || debug_check_mode(); }

}  // namespace mmg
