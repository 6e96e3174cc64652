#include "tripsim/store/sqlite/group_commit.h"

#include "tripsim/base/log.h"

namespace tripsim::store::sqlite {

GroupCommitWriter::GroupCommitWriter(Db db, size_t max_batch)
    : db_(std::move(db)), max_batch_(max_batch), thread_([this] { Loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  work_cv_.NotifyOne();
  thread_.join();
}

Status GroupCommitWriter::Submit(Job job) {
  Pending p{std::move(job), Status::Ok(), false, {}};
  MutexLock lock(mu_);
  if (stopping_) return Unavailable("the store is shutting down");
  queue_.push_back(&p);
  work_cv_.NotifyOne();
  p.done_cv.Wait(mu_, [&]() REQUIRES(mu_) { return p.done; });
  return p.result;
}

void GroupCommitWriter::Loop() {
  std::deque<Pending*> batch;
  for (;;) {
    {
      MutexLock lock(mu_);
      work_cv_.Wait(mu_, [&]() REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every job is done
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    {
      MutexLock lock(mu_);
      for (Pending* p : batch) {
        p->done = true;
        p->done_cv.NotifyOne();
      }
    }
    batch.clear();
  }
}

void GroupCommitWriter::RunBatch(std::deque<Pending*>& batch) {
  Status begin = db_.Exec("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (Pending* p : batch) p->result = begin;
    return;
  }
  for (Pending* p : batch) {
    Status s = db_.Exec("SAVEPOINT job");
    if (s.ok()) {
      try {
        s = p->job(db_);
      } catch (const std::exception& e) {
        s = Internal(std::string("write failed: ") + e.what());
      }
      if (!s.ok()) (void)db_.Exec("ROLLBACK TO job");
      Status release = db_.Exec("RELEASE job");
      if (s.ok() && !release.ok()) s = release;
    }
    p->result = s;
  }
  Status commit = db_.Exec("COMMIT");
  if (!commit.ok()) {
    log::Error("store.commit_failed", {{"error", commit.message()}});
    (void)db_.Exec("ROLLBACK");
    for (Pending* p : batch) {
      if (p->result.ok()) p->result = Unavailable("the write could not be committed");
    }
  }
}

}  // namespace tripsim::store::sqlite
