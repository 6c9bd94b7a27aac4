#include "parallel.h"
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define MMG_HAVE_MXCSR 1
#endif

namespace mmg {

DenormalGuard::DenormalGuard() : saved_(0) {
#ifdef MMG_HAVE_MXCSR
  saved_ = _mm_getcsr();
  _mm_setcsr(saved_ | 0x8040u);  // FTZ (bit 15) | DAZ (bit 6)
#endif
}
DenormalGuard::~DenormalGuard() {
#ifdef MMG_HAVE_MXCSR
  _mm_setcsr(saved_);
#endif
}

namespace {

thread_local bool t_inside_pool = false;

class Pool {
 public:
  Pool() {
    int n = static_cast<int>(std::thread::hardware_concurrency());
    if (const char* env = std::getenv("MMGRAPH_NUM_THREADS")) {
      int v = std::atoi(env);
      if (v >= 1 && v <= 256) n = v;
    }
    target_ = std::max(1, n);
  }
  ~Pool() { stop_workers(); }

  int threads() const { return target_; }
  void set_threads(int n) {
    std::lock_guard<std::mutex> run(run_mu_);
    stop_workers();
    target_ = std::max(1, std::min(256, n));
  }

  void run(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    if (n <= 0) return;
    grain = std::max<int64_t>(1, grain);
    int64_t chunks = std::min<int64_t>(target_, (n + grain - 1) / grain);
    if (chunks <= 1 || t_inside_pool) {
      fn(0, n);
      return;
    }
    std::unique_lock<std::mutex> run(run_mu_, std::try_to_lock);
    if (!run.owns_lock()) {  // another JS thread is using the pool: do our share serially
      fn(0, n);
      return;
    }
    ensure_workers();
    chunks = std::min<int64_t>(chunks, static_cast<int64_t>(workers_.size()) + 1);
    bool wake;
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = &fn;
      job_n_ = n;
      job_chunks_ = chunks;
      next_chunk_.store(1);
      pending_.store(chunks - 1);
      generation_.store(generation_.load() + 1, std::memory_order_release);
      wake = sleepers_ > 0;
    }
    if (wake) cv_.notify_all();  // spinning workers see the new generation without a syscall
    t_inside_pool = true;
    run_chunk(0);
    // Help with chunks the workers have not picked up yet.
    for (int64_t c; (c = next_chunk_.fetch_add(1)) < job_chunks_;) {
      run_chunk(c);
      finish_one();
    }
    t_inside_pool = false;
    for (int i = 0; i < kSpin && pending_.load(std::memory_order_acquire) != 0; ++i) cpu_relax();
    std::unique_lock<std::mutex> lk(mu_);
    if (pending_.load() != 0) {
      caller_waiting_ = true;
      done_cv_.wait(lk, [&] { return pending_.load() == 0; });
      caller_waiting_ = false;
    }
    job_ = nullptr;
    if (error_) {
      std::exception_ptr e = error_;
      error_ = nullptr;
      lk.unlock();
      std::rethrow_exception(e);
    }
  }

 private:
  // A chunk that throws (an allocation failure, a data error found by a worker) must neither
  // escape a worker thread (std::terminate: the process would abort) nor leave the caller before
  // the other chunks finish: the first exception is kept and rethrown by run() after the wait.
  void run_chunk(int64_t c) {
    int64_t b = job_n_ * c / job_chunks_, e = job_n_ * (c + 1) / job_chunks_;
    if (b >= e) return;
    try {
      (*job_)(b, e);
    } catch (...) {
      std::lock_guard<std::mutex> lk(mu_);
      if (!error_) error_ = std::current_exception();
    }
  }
  void finish_one() {
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::lock_guard<std::mutex> lk(mu_);  // the caller checks pending_ under mu_ before it sleeps
    if (caller_waiting_) done_cv_.notify_all();
  }
  static void cpu_relax() {
#ifdef MMG_HAVE_MXCSR
    _mm_pause();
#endif
  }
  void ensure_workers() {
    int want = target_ - 1;
    if (static_cast<int>(workers_.size()) == want) return;
    stop_workers();
    stopping_ = false;
    for (int i = 0; i < want; ++i) workers_.emplace_back([this] { worker(); });
  }
  void stop_workers() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stopping_ = true;
      generation_.store(generation_.load() + 1, std::memory_order_release);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }
  // A worker spins for a while (kSpin pauses, tens of microseconds) on the job counter before it
  // sleeps: a training step runs hundreds of short parallel ops back to back, and waking a thread
  // through the kernel for each (condition variable, futex) cost more than many of the ops did.
  void worker() {
    DenormalGuard ftz;
    t_inside_pool = true;
    uint64_t seen = generation_.load(std::memory_order_acquire);
    for (;;) {
      bool got = false;
      for (int i = 0; i < kSpin; ++i) {
        if (generation_.load(std::memory_order_acquire) != seen) {
          got = true;
          break;
        }
        cpu_relax();
      }
      if (!got) {
        std::unique_lock<std::mutex> lk(mu_);
        ++sleepers_;
        cv_.wait(lk, [&] { return stopping_ || generation_.load() != seen; });
        --sleepers_;
      }
      {
        std::lock_guard<std::mutex> lk(mu_);
        if (stopping_) return;
        seen = generation_.load();
      }
      for (int64_t c; (c = next_chunk_.fetch_add(1)) < job_chunks_;) {
        run_chunk(c);
        finish_one();
      }
    }
  }

  static constexpr int kSpin = 4000;
  int target_ = 1;
  std::exception_ptr error_;  // the first exception of the current job's chunks (guarded by mu_)
  std::mutex run_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
  int sleepers_ = 0;             // workers blocked on cv_ (guarded by mu_)
  bool caller_waiting_ = false;  // run() blocked on done_cv_ (guarded by mu_)
  std::atomic<uint64_t> generation_{0};
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t job_n_ = 0, job_chunks_ = 0;
  std::atomic<int64_t> pending_{0};
  std::atomic<int64_t> next_chunk_{0};
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: worker threads must not outlive a dead pool at exit
  return *p;
}

}  // namespace

int num_threads() { return pool().threads(); }
void set_num_threads(int n) { pool().set_threads(n); }
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) { pool().run(n, grain, fn); }

}  // namespace mmg
