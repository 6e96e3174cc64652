#include "tripsim/store/sqlite/checkpointer.h"

#include <chrono>

#include "tripsim/base/log.h"

namespace tripsim::store::sqlite {

Checkpointer::Checkpointer(std::string path, int wake_pages)
    : path_(std::move(path)),
      wake_pages_(wake_pages),
      loop_("checkpoint", std::chrono::seconds(1), [this] { return CheckpointOnce(); }) {
  loop_.Start();
}

void Checkpointer::Watch(Db& writer) { sqlite3_wal_hook(writer.raw(), &OnCommit, this); }

// Runs on the writer's thread after each commit. Usually only a notification: the loop copies
// the WAL meanwhile. But under steady writes the loop never copies the last frames before the
// next commit adds more, and the WAL starts over only at a write that finds it all copied; so
// past four times the threshold the writer copies the remainder itself (what the loop left,
// a short stall) and the WAL starts over at its next transaction.
int Checkpointer::OnCommit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages >= 4 * c->wake_pages_) {
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= c->wake_pages_) {
    c->loop_.Wake();
  }
  return SQLITE_OK;
}

int Checkpointer::CheckpointOnce() {
  if (db_.raw() == nullptr) {
    Result<Db> opened = Db::Open(path_, false);
    if (!opened.ok()) return 0;  // the file is being created or moved: next time
    db_ = std::move(opened).value();
  }
  // PASSIVE: copies what no reader still needs, without waiting for or blocking anyone.
  // The writer starts the WAL over at its next commit once everything was copied.
  int rc =
      sqlite3_wal_checkpoint_v2(db_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    log::Warn("store.checkpoint_failed", {{"error", sqlite3_errstr(rc)}});
  }
  return 0;  // then wait a second, or for the writer's next wake-up
}

}  // namespace tripsim::store::sqlite
