// CreateBatcher: PostgresStore's group commit. Booking creations queue here without waiting;
// a few lanes (threads) each take what is queued, up to a batch, and write it with one call of
// `write` (one transaction and one commit for the batch instead of one per booking), which
// answers every job of the batch. A lane takes the next batch as soon as it is free, so while
// one lane waits for its commit another writes what queued meanwhile.
//
//   CreateBatcher batcher([this](std::vector<CreateJob>& jobs) { WriteBatch(jobs); },
//                         {.lanes = 2, .max_batch = 64});
//   batcher.Submit({std::move(booking), std::move(done)});
#pragma once

#include <functional>
#include <thread>
#include <vector>

#include "tripsim/base/batch_queue.h"
#include "tripsim/store/store.h"

namespace tripsim::store::pg {

struct CreateJob {
  domain::Booking booking;
  std::function<void(Result<CreateResult>)> done;
};

struct BatchOptions {
  size_t lanes = 2;       // batches written at the same time
  size_t max_batch = 64;  // bookings in one transaction at most
};

class CreateBatcher {
 public:
  // `write` must call the `done` of every job it is given, once.
  using Write = std::function<void(std::vector<CreateJob>&)>;

  CreateBatcher(Write write, BatchOptions options);
  // Writes what is queued, then stops the lanes.
  ~CreateBatcher();
  CreateBatcher(const CreateBatcher&) = delete;
  CreateBatcher& operator=(const CreateBatcher&) = delete;

  void Submit(CreateJob job);

 private:
  void Lane();

  const Write write_;
  const size_t max_batch_;
  BatchQueue<CreateJob> queue_;
  std::vector<std::thread> lanes_;  // last: they start once the members above exist
};

}  // namespace tripsim::store::pg
