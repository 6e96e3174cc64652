#include "tripsim/store/postgres/create_batcher.h"

#include <algorithm>
#include <optional>
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
  queue_.Close();
  for (std::thread& t : lanes_) t.join();
}

void CreateBatcher::Submit(CreateJob job) {
  if (std::optional<CreateJob> refused = queue_.Push(std::move(job))) {
    refused->done(Unavailable("the store is shutting down"));
  }
}

void CreateBatcher::Lane() {
  std::vector<CreateJob> batch;
  while (queue_.Take(batch, max_batch_)) {  // until closed, and every job is written
    write_(batch);
    batch.clear();
  }
}

}  // namespace tripsim::store::pg
