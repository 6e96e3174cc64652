#include "tripsim/store/sqlite/group_commit.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>

#include "tripsim/base/log.h"
#include "tripsim/base/thread_name.h"

namespace tripsim::store::sqlite {

GroupCommitWriter::GroupCommitWriter(Db db, size_t max_batch, Deferred* deferred)
    : db_(std::move(db)),
      max_batch_(max_batch),
      deferred_(deferred),
      commit_seconds_(Metrics::Global().Histogram("tripsim_store_commit_duration_seconds",
                                                  {{"store", "sqlite"}})),
      committed_(
          Metrics::Global().Counter("tripsim_store_committed_writes_total", {{"store", "sqlite"}})),
      thread_([this] {
        NameThisThread("sqlite-writer");
        Loop();
      }) {}

GroupCommitWriter::~GroupCommitWriter() {
  queue_.Close();
  thread_.join();
}

Status GroupCommitWriter::Submit(Job job) {
  std::promise<Status> result;
  SubmitAsync(std::move(job), [&result](Status s) { result.set_value(std::move(s)); });
  return result.get_future().get();
}

void GroupCommitWriter::SubmitAsync(Job job, Done done) {
  if (std::optional<Pending> refused = queue_.Push({std::move(job), std::move(done), {}})) {
    refused->done(Unavailable("the store is shutting down"));
  }
}

void GroupCommitWriter::Loop() {
  std::vector<Pending> batch;
  while (queue_.Take(batch, max_batch_)) {  // until closed, and every job is done
    const auto start = std::chrono::steady_clock::now();
    RunBatch(batch);
    commit_seconds_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    committed_->Add(static_cast<double>(
        std::count_if(batch.begin(), batch.end(), [](const Pending& p) { return p.result.ok(); })));
    for (Pending& p : batch) p.done(std::move(p.result));
    batch.clear();
  }
}

void GroupCommitWriter::RunBatch(std::vector<Pending>& batch) {
  // The batch's jobs from `open` on belong to the transaction in progress.
  size_t open = 0;
  auto fail_open_jobs = [&](size_t end, const Status& why) {
    for (size_t i = open; i < end; ++i) {
      if (batch[i].result.ok()) batch[i].result = why;
    }
  };
  if (Status begin = db_.Run("BEGIN IMMEDIATE"); !begin.ok()) {
    for (Pending& p : batch) p.result = begin;
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    Pending& p = batch[i];
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
    if (deferred_ != nullptr) deferred_->EndJob(s.ok());
    if (!db_.InTransaction()) {
      // SQLite rolled the whole transaction back under this job: the jobs before it are undone
      // as well, and the ones after it need a transaction of their own.
      log::Error("store.transaction_rolled_back", {{"error", s.message()}});
      if (deferred_ != nullptr) deferred_->Forget();
      fail_open_jobs(i + 1, Unavailable("the write could not be committed"));
      open = i + 1;
      if (open == batch.size()) return;
      if (Status begin = db_.Run("BEGIN IMMEDIATE"); !begin.ok()) {
        for (size_t j = open; j < batch.size(); ++j) batch[j].result = begin;
        return;
      }
    }
  }
  Status commit = deferred_ != nullptr ? deferred_->Flush(db_) : Status::Ok();
  if (commit.ok()) commit = db_.Run("COMMIT");
  if (!commit.ok()) {
    log::Error("store.commit_failed", {{"error", commit.message()}});
    if (db_.InTransaction()) (void)db_.Exec("ROLLBACK");
    if (deferred_ != nullptr) deferred_->Forget();
    fail_open_jobs(batch.size(), Unavailable("the write could not be committed"));
  }
}

}  // namespace tripsim::store::sqlite
