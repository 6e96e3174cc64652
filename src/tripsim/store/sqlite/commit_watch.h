// CommitWatch: tells, without a lock or a system call, whether anything was committed to a
// WAL-mode database since a moment: by this process's writer, by a command run beside it, or
// by `sqlite3`. Internal to store/sqlite.
//
// Every connection maps the WAL index (the "-shm" file), whose header each commit rewrites as
// it makes the transaction visible (https://www.sqlite.org/walformat.html, "The WAL-Index
// Header"; the format is shared by every process and SQLite version that opens the file). The
// header's change counter moves by one with every commit and its frame count grows, so the two
// together mark the last commit: while the mark stays the same, nothing was committed.
//
//   std::unique_ptr<CommitWatch> watch = CommitWatch::Open(path).value();
//   std::optional<uint64_t> before = watch->Mark();  // taken before a read...
//   ... read ...
//   if (before && watch->Mark() == before) { /* ...that read is still current */ }
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tripsim/base/status.h"
#include "tripsim/store/sqlite/db.h"

namespace tripsim::store::sqlite {

class CommitWatch {
 public:
  // Opens a connection of its own that keeps the WAL index mapped. Fails when the database is
  // not in WAL mode or its VFS shares no WAL index.
  static Result<std::unique_ptr<CommitWatch>> Open(const std::string& path);

  CommitWatch(const CommitWatch&) = delete;
  CommitWatch& operator=(const CommitWatch&) = delete;

  // The mark of the last commit. A read that starts after Mark() returned M sees at least
  // that commit; when Mark() returns M again later, nothing was committed in between. Empty
  // while a commit is being made visible, or when the index needs recovery: then the caller
  // reads. Thread-safe; reads memory only.
  std::optional<uint64_t> Mark() const;

 private:
  CommitWatch(Db db, const volatile uint32_t* header) : db_(std::move(db)), header_(header) {}

  Db db_;                            // keeps header_ mapped while open
  const volatile uint32_t* header_;  // the WAL index's first region
};

}  // namespace tripsim::store::sqlite
