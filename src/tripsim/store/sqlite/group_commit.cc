#include "tripsim/store/sqlite/group_commit.h"

#include <algorithm>
#include <future>

#include "tripsim/base/log.h"
#include "tripsim/base/thread_name.h"

namespace tripsim::store::sqlite {

GroupCommitWriter::GroupCommitWriter(Db db, size_t max_batch)
    : db_(std::move(db)), max_batch_(max_batch), thread_([this] {
        NameThisThread("sqlite-writer");
        Loop();
      }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  work_cv_.NotifyOne();
  thread_.join();
}

Status GroupCommitWriter::Submit(Job job) {
  std::promise<Status> result;
  SubmitAsync(std::move(job), [&result](Status s) { result.set_value(std::move(s)); });
  return result.get_future().get();
}

void GroupCommitWriter::SubmitAsync(Job job, Done done) {
  {
    MutexLock lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done), Status::Ok()});
      work_cv_.NotifyOne();
      return;
    }
  }
  done(Unavailable("the store is shutting down"));
}

void GroupCommitWriter::Loop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      MutexLock lock(mu_);
      work_cv_.Wait(mu_, [&]() REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every job is done
      const size_t n = std::min(queue_.size(), max_batch_);
      std::move(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n),
                std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    }
    RunBatch(batch);
    for (Pending& p : batch) p.done(std::move(p.result));
    batch.clear();
  }
}

void GroupCommitWriter::RunBatch(std::vector<Pending>& batch) {
  Status begin = db_.Run("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (Pending& p : batch) p.result = begin;
    return;
  }
  for (Pending& p : batch) {
    Status s = db_.Run("SAVEPOINT job");
    if (s.ok()) {
      try {
        s = p.job(db_);
      } catch (const std::exception& e) {
        s = Internal(std::string("write failed: ") + e.what());
      }
      if (!s.ok()) (void)db_.Run("ROLLBACK TO job");
      Status release = db_.Run("RELEASE job");
      if (s.ok() && !release.ok()) s = release;
    }
    p.result = s;
  }
  Status commit = db_.Run("COMMIT");
  if (!commit.ok()) {
    log::Error("store.commit_failed", {{"error", commit.message()}});
    (void)db_.Exec("ROLLBACK");
    for (Pending& p : batch) {
      if (p.result.ok()) p.result = Unavailable("the write could not be committed");
    }
  }
}

}  // namespace tripsim::store::sqlite
