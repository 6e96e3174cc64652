#include "tripsim/store/postgres/create_batcher.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "tripsim/base/thread_name.h"

namespace tripsim::store::pg {

CreateBatcher::CreateBatcher(Write write, BatchOptions options)
    : write_(std::move(write)), max_batch_(std::max<size_t>(1, options.max_batch)) {
  for (size_t i = 0; i < std::max<size_t>(1, options.lanes); ++i) {
    lanes_.emplace_back([this, name = "pg-writer-" + std::to_string(i)] {
      NameThisThread(name);
      Lane();
    });
  }
}

CreateBatcher::~CreateBatcher() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  work_.NotifyAll();
  for (std::thread& t : lanes_) t.join();
}

void CreateBatcher::Submit(CreateJob job) {
  {
    MutexLock lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      work_.NotifyOne();
      return;
    }
  }
  job.done(Unavailable("the store is shutting down"));
}

void CreateBatcher::Lane() {
  std::vector<CreateJob> batch;
  for (;;) {
    {
      MutexLock lock(mu_);
      work_.Wait(mu_, [&]() REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every job is written
      const auto n = static_cast<ptrdiff_t>(std::min(queue_.size(), max_batch_));
      std::move(queue_.begin(), queue_.begin() + n, std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    write_(batch);
    batch.clear();
  }
}

}  // namespace tripsim::store::pg
