// WorkerPool: a fixed set of threads running posted tasks in order of arrival, for work that
// may block (a store write waiting for its commit, a PostgreSQL round trip) and so must not run
// on a network thread.
//
//   WorkerPool pool("worker", 64);  // threads named worker-0 ... worker-63
//   WorkerPool background("render", 1, /*nice=*/10);  // a thread that yields at peaks
//   pool.Post([] { ... });
//   pool.Stop();  // runs every task posted before, then joins
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tripsim/base/mutex.h"

namespace tripsim {

class WorkerPool {
 public:
  // A positive `nice` lowers the threads' priority (NiceThisThread).
  WorkerPool(const std::string& name, int threads, int nice = 0);
  ~WorkerPool() { Stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on one of the threads. After Stop(), runs it on the caller's thread.
  void Post(std::function<void()> task);
  // Finishes the tasks posted so far and joins the threads. Idempotent.
  void Stop();

 private:
  void Loop();

  Mutex mu_;
  CondVar cv_;
  std::deque<std::function<void()>> tasks_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace tripsim
