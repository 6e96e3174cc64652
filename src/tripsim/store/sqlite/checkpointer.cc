#include "tripsim/store/sqlite/checkpointer.h"

#include <chrono>

#include "tripsim/base/log.h"

namespace tripsim::store::sqlite {

Checkpointer::Checkpointer(std::string path, int wake_pages)
    : path_(std::move(path)), wake_pages_(wake_pages), thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  cv_.NotifyAll();
  thread_.join();
}

void Checkpointer::Watch(Db& writer) { sqlite3_wal_hook(writer.raw(), &OnCommit, this); }

// Runs on the writer's thread after each commit: only a notification, never the work.
int Checkpointer::OnCommit(void* self, sqlite3*, const char*, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages >= c->wake_pages_) {
    MutexLock lock(c->mu_);
    c->due_ = true;
    c->cv_.NotifyOne();
  }
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  Db db;
  for (;;) {
    {
      MutexLock lock(mu_);
      cv_.WaitFor(mu_, std::chrono::seconds(1),
                  [this]() REQUIRES(mu_) { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    if (db.raw() == nullptr) {
      Result<Db> opened = Db::Open(path_, false);
      if (!opened.ok()) continue;  // the file is being created or moved: next time
      db = std::move(opened).value();
    }
    // PASSIVE: copies what no reader still needs, without waiting for or blocking anyone.
    // The writer starts the WAL over at its next commit once everything was copied.
    int rc =
        sqlite3_wal_checkpoint_v2(db.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log::Warn("store.checkpoint_failed", {{"error", sqlite3_errstr(rc)}});
    }
  }
}

}  // namespace tripsim::store::sqlite
