// BackgroundLoop: a thread that calls `step` again and again until Stop(); after a step that
// did no work (returned 0) it waits `idle` (or until Wake() or Stop()). For outbox workers,
// checkpoints and periodic maintenance.
//
//   BackgroundLoop loop("outbox", kPoll, [&] { return worker.RunOnce(); });
//   loop.Start();
//   ...
//   loop.Wake();  // there is work: step now rather than after `idle`
//   loop.Stop();  // finishes the step in hand
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "tripsim/base/mutex.h"
#include "tripsim/base/thread_name.h"

namespace tripsim {

class BackgroundLoop {
 public:
  // `name` names the thread (NameThisThread); a positive `nice` lowers its priority
  // (NiceThisThread).
  BackgroundLoop(std::string name, std::chrono::milliseconds idle, std::function<int()> step,
                 int nice = 0)
      : name_(std::move(name)), idle_(idle), step_(std::move(step)), nice_(nice) {}
  ~BackgroundLoop() { Stop(); }
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  void Start() {
    thread_ = std::thread([this] {
      NameThisThread(name_);
      NiceThisThread(nice_);
      for (;;) {
        int done = step_();
        MutexLock lock(mu_);
        if (done == 0) {
          cv_.WaitFor(mu_, idle_, [this]() REQUIRES(mu_) { return stopping_ || woken_; });
        }
        if (stopping_) return;
        woken_ = false;
      }
    });
  }

  // Ends the wait after an idle step at once. Thread-safe; cheap enough for a hot path's
  // notification (a lock and a notify).
  void Wake() {
    {
      MutexLock lock(mu_);
      woken_ = true;
    }
    cv_.NotifyOne();
  }

  void Stop() {
    {
      MutexLock lock(mu_);
      stopping_ = true;
    }
    cv_.NotifyAll();
    if (thread_.joinable()) thread_.join();
  }

 private:
  const std::string name_;
  const std::chrono::milliseconds idle_;
  const std::function<int()> step_;
  const int nice_;
  Mutex mu_;
  CondVar cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  bool woken_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tripsim
