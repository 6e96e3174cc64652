// SqliteStore: the embedded default Store (design.md 7). One file in WAL mode with
// synchronous=FULL; writes go through a GroupCommitWriter, reads use a small pool of
// read-only connections. Several processes (the server and the operator's CLI) may open the
// same file at once.
//
//   auto store = OpenSqliteStore({.path = "var/tripsim.db"});
//   if (!store.ok()) Die(store.status());
#pragma once

#include <memory>
#include <string>

#include "tripsim/store/store.h"

namespace tripsim::store {

struct SqliteOptions {
  std::string path;        // the database file; its folder must exist
  size_t max_batch = 512;  // the most writes in one commit
  bool migrate = true;     // apply pending migrations on open
};

// Opens (creating when needed) and migrates the database.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace tripsim::store
