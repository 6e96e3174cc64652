#include "tripsim/base/worker_pool.h"

#include <algorithm>

#include "tripsim/base/thread_name.h"

namespace tripsim {

WorkerPool::WorkerPool(const std::string& name, int threads, int nice) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    threads_.emplace_back([this, nice, thread_name = name + "-" + std::to_string(i)] {
      NameThisThread(thread_name);
      NiceThisThread(nice);
      Loop();
    });
  }
}

void WorkerPool::Post(std::function<void()> task) {
  {
    MutexLock lock(mu_);
    if (!stopping_) {
      tasks_.push_back(std::move(task));
      cv_.NotifyOne();
      return;
    }
  }
  task();
}

void WorkerPool::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.NotifyAll();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      MutexLock lock(mu_);
      cv_.Wait(mu_, [this]() REQUIRES(mu_) { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and every task is done
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace tripsim
