// GroupCommitWriter: one thread owns the write connection and commits many callers' writes in
// one transaction and one fsync (design.md 7, issue "Performance").
//
// Each job runs inside its own SAVEPOINT: a job that fails is rolled back alone and its
// neighbours still commit. A job's completion is called only after the batch holding it is
// durable. When SQLite rolls the whole transaction back under a failing job (the disk full, an
// I/O error), the jobs it undid fail with kUnavailable and the rest of the batch goes on in a
// new transaction.
//
// A store may defer work to the end of each transaction (Deferred): what its jobs leave there is
// written once, just before the COMMIT, for the whole batch.
//
//   Status s = writer.Submit([&](Db& db) -> Status { ...statements...; return Status::Ok(); });
//   writer.SubmitAsync(std::move(job), [](Status s) { ...answer... });  // does not wait
#pragma once

#include <functional>
#include <thread>
#include <vector>

#include "tripsim/base/batch_queue.h"
#include "tripsim/base/metrics.h"

#include "tripsim/store/sqlite/db.h"

namespace tripsim::store::sqlite {

class GroupCommitWriter {
 public:
  using Job = std::function<Status(Db&)>;
  using Done = std::function<void(Status)>;

  // What jobs leave for the end of their transaction: rows that every job of a batch would
  // otherwise rewrite in turn (the dashboard's counters). Called on the writer thread only.
  class Deferred {
   public:
    virtual ~Deferred() = default;
    // After each job: what the job left is kept (it succeeded) or dropped (it was rolled back).
    virtual void EndJob(bool kept) = 0;
    // Writes what the transaction's kept jobs left, inside the transaction, and forgets it.
    // A failure fails the transaction's jobs, as a failed COMMIT does.
    virtual Status Flush(Db& db) = 0;
    // The transaction was rolled back whole: forgets what its jobs left.
    virtual void Forget() = 0;
  };

  // Takes ownership of the write connection; starts the writer thread. `deferred`, when given,
  // must outlive the writer.
  GroupCommitWriter(Db db, size_t max_batch, Deferred* deferred = nullptr);
  // Finishes every submitted job, then stops the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `job` in the next batch and waits for the batch's commit. Returns the job's own
  // failure, or kUnavailable when the commit failed. Thread-safe.
  Status Submit(Job job);
  // Runs `job` in the next batch and returns at once; after the batch's commit, calls `done`
  // with what Submit would return, on the writer thread (so `done` must be quick: hand the
  // result on). Thread-safe.
  void SubmitAsync(Job job, Done done);

 private:
  struct Pending {
    Job job;
    Done done;
    Status result;  // written by the writer before `done` is called
  };

  void Loop();
  void RunBatch(std::vector<Pending>& batch);

  Db db_;  // used by the writer thread only
  const size_t max_batch_;
  Deferred* const deferred_;               // may be null
  HistogramSeries* const commit_seconds_;  // the batches' times, for /metrics
  CounterSeries* const committed_;         // the jobs they held
  BatchQueue<Pending> queue_;
  std::thread thread_;
};

}  // namespace tripsim::store::sqlite
