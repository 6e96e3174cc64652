#include "tripsim/store/sqlite/commit_watch.h"

#include <array>
#include <atomic>
#include <bit>

namespace tripsim::store::sqlite {
namespace {

// The WAL index header (walformat.html 2.1): two copies of 48 bytes, in native byte order. A
// commit writes the second copy, then the first; a reader that finds them equal read a whole
// header. Words of one copy:
constexpr size_t kHeaderWords = 12;
constexpr size_t kVersion = 0;   // the index format, 3007000
constexpr size_t kChange = 2;    // moves by one with every commit
constexpr size_t kInitByte = 3;  // its first byte: whether the header is initialised
constexpr size_t kFrames = 4;    // the last committed frame; the WAL grows with each commit
constexpr uint32_t kIndexVersion = 3007000;
constexpr int kIndexRegionBytes = 32768;  // the first region of the index holds the header

using Header = std::array<uint32_t, kHeaderWords>;

Header Copy(const volatile uint32_t* words) {
  Header h;
  for (size_t i = 0; i < kHeaderWords; ++i) h[i] = words[i];
  return h;
}

}  // namespace

Result<std::unique_ptr<CommitWatch>> CommitWatch::Open(const std::string& path) {
  TRIPSIM_ASSIGN_OR_RETURN(db, Db::Open(path, false));
  {
    // Reading opens the WAL and maps its index; the answer also tells the journal mode.
    TRIPSIM_ASSIGN_OR_RETURN(mode, db.Prepare("PRAGMA journal_mode"));
    if (mode.Step() != Stmt::kRow) return mode.Error();
    if (mode.Text(0) != "wal") {
      return Status(ErrorCode::kFailedPrecondition, "the database is not in WAL mode");
    }
    TRIPSIM_ASSIGN_OR_RETURN(read, db.Prepare("SELECT count(*) FROM sqlite_schema"));
    if (read.Step() != Stmt::kRow) return read.Error();
  }
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db.raw(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return Status(ErrorCode::kFailedPrecondition, "the database's VFS shares no WAL index");
  }
  // The region the connection mapped when it read; unmapped when its last user closes.
  volatile void* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kIndexRegionBytes, 0, &region) != SQLITE_OK ||
      region == nullptr) {
    return Status(ErrorCode::kFailedPrecondition, "the WAL index is not mapped");
  }
  return std::unique_ptr<CommitWatch>(
      new CommitWatch(std::move(db), static_cast<const volatile uint32_t*>(region)));
}

std::optional<uint64_t> CommitWatch::Mark() const {
  // In the opposite order to a commit's writes, as SQLite's own readers do.
  const Header first = Copy(header_);
  std::atomic_thread_fence(std::memory_order_acquire);
  const Header second = Copy(header_ + kHeaderWords);
  std::atomic_thread_fence(std::memory_order_acquire);
  const bool initialised = std::bit_cast<std::array<uint8_t, 4>>(first[kInitByte])[0] != 0;
  if (first != second || !initialised || first[kVersion] != kIndexVersion) return std::nullopt;
  return (uint64_t{first[kChange]} << 32) | first[kFrames];
}

}  // namespace tripsim::store::sqlite
