// GroupCommitWriter: one thread owns the write connection and commits many callers' writes in
// one transaction and one fsync (design.md 7, issue "Performance").
//
// Each job runs inside its own SAVEPOINT: a job that fails is rolled back alone and its
// neighbours still commit. Submit() returns only after the batch holding the job is durable.
//
//   Status s = writer.Submit([&](Db& db) -> Status { ...statements...; return Status::Ok(); });
#pragma once

#include <deque>
#include <functional>
#include <thread>

#include "tripsim/base/mutex.h"

#include "tripsim/store/sqlite/db.h"

namespace tripsim::store::sqlite {

class GroupCommitWriter {
 public:
  using Job = std::function<Status(Db&)>;

  // Takes ownership of the write connection; starts the writer thread.
  GroupCommitWriter(Db db, size_t max_batch);
  // Finishes every submitted job, then stops the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `job` in the next batch and waits for the batch's commit. Returns the job's own
  // failure, or kUnavailable when the commit failed. Thread-safe.
  Status Submit(Job job);

 private:
  struct Pending {
    Job job;
    Status result;      // written by the writer before `done`
    bool done = false;  // guarded by mu_
    CondVar done_cv;    // its own, so that a batch wakes only its own submitters
  };

  void Loop();
  void RunBatch(std::deque<Pending*>& batch);

  Db db_;  // used by the writer thread only
  const size_t max_batch_;
  Mutex mu_;
  CondVar work_cv_;  // the writer waits for jobs
  std::deque<Pending*> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tripsim::store::sqlite
