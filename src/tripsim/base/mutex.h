// Mutex and MutexLock with clang thread-safety annotations, so that `-Wthread-safety` (the
// clang build in scripts/test) checks that every GUARDED_BY member is only touched under its
// lock. Under GCC the annotations compile to nothing.
//
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_);
//   void Add() { MutexLock lock(mu_); ++count_; }
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define TRIPSIM_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define TRIPSIM_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) TRIPSIM_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY TRIPSIM_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) TRIPSIM_THREAD_ANNOTATION(guarded_by(x))
#define REQUIRES(...) TRIPSIM_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) TRIPSIM_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) TRIPSIM_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define EXCLUDES(...) TRIPSIM_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

namespace tripsim {

class CAPABILITY("mutex") Mutex {
 public:
  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  // BasicLockable, for std::condition_variable_any.
  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// A condition variable for Mutex. Wait() must be called with the mutex held (through a
// MutexLock); it releases and re-acquires it as std::condition_variable does.
class CondVar {
 public:
  template <typename Pred>
  void Wait(Mutex& mu, Pred pred) REQUIRES(mu) {
    cv_.wait(mu, pred);
  }
  template <typename Rep, typename Period, typename Pred>
  bool WaitFor(Mutex& mu, std::chrono::duration<Rep, Period> d, Pred pred) REQUIRES(mu) {
    return cv_.wait_for(mu, d, pred);
  }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable_any cv_;
};

}  // namespace tripsim
