// cuFFT on the backend's stream: run_fft executes the call an FftCall (native/core/hd/lib_calls.h) describes.
// Plans are cached per layout (dtype, direction, length, batch, strides, distances), at most
// kFftPlanCache of them, least recently used evicted; SMORE runs the same few shapes every step
// and plan creation costs far more than the transforms. Plans are made with auto-allocation off:
// each exec gets its work area from the caching allocator (Scratch), so the only device memory a
// cached plan holds is cuFFT's own small tables. A plan whose creation fails is destroyed before
// the error (MMG_E_CUDA, or MMG_E_OOM for CUFFT_ALLOC_FAILED) propagates; evicted plans are
// destroyed after a stream sync (their last exec may still be queued). fft_plans_release() drops
// them all (device_empty_cache time).
#pragma once
#include "common.cuh"
#include "../native/core/hd/lib_calls.h"

namespace mmg {
namespace cuda {

constexpr int kFftPlanCache = 16;

void run_fft(const FftCall& f, const char* op);
void fft_plans_release();

}  // namespace cuda
}  // namespace mmg
