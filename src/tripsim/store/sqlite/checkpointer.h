// Checkpointer: copies the WAL back into the database file on its own thread and connection,
// so that the writer never stalls on a checkpoint (thousands of page writes and an fsync) while
// requests wait for its commits. Internal to store/sqlite.
//
//   Checkpointer checkpointer(path);
//   checkpointer.Watch(writer_db);  // the writer's commits wake it when the WAL has grown
#pragma once

#include <string>

#include "tripsim/base/background_loop.h"
#include "tripsim/store/sqlite/db.h"

namespace tripsim::store::sqlite {

class Checkpointer {
 public:
  // Checkpoints once the WAL holds `wake_pages` pages, and at least every second; past four
  // times that, the writer finishes the checkpoint itself so that the WAL starts over.
  explicit Checkpointer(std::string path, int wake_pages = 1000);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes over the automatic checkpoints of `writer`: its commits wake this thread instead of
  // checkpointing themselves. REQUIRES: `writer` is closed before this Checkpointer goes.
  void Watch(Db& writer);

 private:
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages);
  // One PASSIVE checkpoint on the loop's own connection (opened on first use).
  int CheckpointOnce();

  const std::string path_;
  const int wake_pages_;
  Db db_;                // used by the loop's thread only
  BackgroundLoop loop_;  // after db_: stops before it closes
};

}  // namespace tripsim::store::sqlite
