// BatchQueue: items queued by any thread, taken in batches by the threads that write them
// (SQLite's group commit, PostgreSQL's batches of new bookings). A taker waits for the first
// item and takes what is queued by then, up to a batch: under load batches grow by themselves,
// and an item alone is never held back waiting for company.
//
//   BatchQueue<Job> queue;
//   if (std::optional<Job> refused = queue.Push(std::move(job))) refused->Fail();  // closed
//   std::vector<Job> batch;
//   while (queue.Take(batch, 64)) { Write(batch); batch.clear(); }  // on the writer thread
//   queue.Close();  // the takers finish what is queued, then Take returns false
#pragma once

#include <algorithm>
#include <deque>
#include <iterator>
#include <optional>
#include <vector>

#include "tripsim/base/mutex.h"

namespace tripsim {

template <typename T>
class BatchQueue {
 public:
  // Queues `item` and returns nullopt; once closed, queues nothing and hands `item` back.
  std::optional<T> Push(T item) EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      if (!closed_) {
        items_.push_back(std::move(item));
        ready_.NotifyOne();
        return std::nullopt;
      }
    }
    return item;
  }

  // Waits for an item, then moves the oldest ones, `max` at most, to the end of `batch`.
  // Returns false, taking nothing, once the queue is closed and empty.
  bool Take(std::vector<T>& batch, size_t max) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    ready_.Wait(mu_, [&]() REQUIRES(mu_) { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    const auto n = static_cast<std::ptrdiff_t>(std::min(items_.size(), std::max<size_t>(1, max)));
    std::move(items_.begin(), items_.begin() + n, std::back_inserter(batch));
    items_.erase(items_.begin(), items_.begin() + n);
    return true;
  }

  // Refuses new items from now on; the takers still get those queued.
  void Close() EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      closed_ = true;
    }
    ready_.NotifyAll();
  }

 private:
  Mutex mu_;
  CondVar ready_;
  std::deque<T> items_ GUARDED_BY(mu_);
  bool closed_ GUARDED_BY(mu_) = false;
};

}  // namespace tripsim
