#include "tripsim/store/sqlite/db.h"

#include <mutex>

namespace tripsim::store::sqlite {
namespace {

Status SqliteError(sqlite3* db, int rc) {
  ErrorCode code = rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_IOERR ||
                           rc == SQLITE_FULL || rc == SQLITE_CANTOPEN
                       ? ErrorCode::kUnavailable
                       : ErrorCode::kInternal;
  return {code, std::string("sqlite: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
}

// Statements past these many distinct texts are compiled for each use.
constexpr size_t kMaxCached = 256;

}  // namespace

void Stmt::Release() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  in_use_ = nullptr;
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    Release();
    db_ = o.db_;
    stmt_ = o.stmt_;
    in_use_ = o.in_use_;
    o.stmt_ = nullptr;
    o.in_use_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() { Release(); }

Stmt& Stmt::Bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, const std::optional<std::string>& v) {
  return v ? Bind(i, std::string_view(*v)) : BindNull(i);
}

Stmt& Stmt::Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Stmt::StepResult Stmt::Step() {
  last_rc_ = sqlite3_step(stmt_);
  if (last_rc_ == SQLITE_ROW) return kRow;
  if (last_rc_ == SQLITE_DONE) return kDone;
  return kError;
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Status Stmt::Run() {
  StepResult r;
  while ((r = Step()) == kRow) {
  }
  return r == kDone ? Status::Ok() : Error();
}

Status Stmt::Error() const { return SqliteError(db_, last_rc_); }

bool Stmt::ConstraintViolated() const { return (last_rc_ & 0xff) == SQLITE_CONSTRAINT; }

std::string Stmt::Text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string();
}

std::optional<std::string> Stmt::OptText(int i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

int64_t Stmt::Int(int i) const { return sqlite3_column_int64(stmt_, i); }

double Stmt::Double(int i) const { return sqlite3_column_double(stmt_, i); }

std::optional<int64_t> Stmt::OptInt(int i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

bool Stmt::IsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

Result<Db> Db::Open(const std::string& path, bool create) {
  // Before SQLite's first use, two process-wide settings:
  // - without memory statistics, which nothing reads, an allocation inside SQLite takes no
  //   process-wide lock (readers, the writer and the checkpointer allocate at the same time);
  // - the undo journal of a savepoint or statement (the writer opens one per job and per
  //   statement) is one block of up to 1 MiB, spilled to a temporary file past it. SQLite's
  //   default is 64 KiB, past which a booking's journal spilled; kept in memory instead
  //   (temp_store=MEMORY) it grows by 1 KiB blocks, four allocations per page journaled. The
  //   writer's instructions per booking: 252,000 -> 222,000 (bench/writer_cost).
  static std::once_flag configured;
  std::call_once(configured, [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
  });
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return Status(ErrorCode::kUnavailable,
                  "cannot open database " + path + ": " + sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(raw, 10000);
  TRIPSIM_RETURN_IF_ERROR(
      db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  return db;
}

void Db::FinalizeCache() {
  if (!cache_) return;
  for (auto& [sql, c] : cache_->by_text) sqlite3_finalize(c.stmt);
  cache_->by_text.clear();
  cache_->by_address.clear();
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    FinalizeCache();
    sqlite3_close_v2(db_);
    db_ = o.db_;
    cache_ = std::move(o.cache_);
    o.db_ = nullptr;
  }
  return *this;
}

Db::~Db() {
  FinalizeCache();
  sqlite3_close_v2(db_);
}

Db::ByText::value_type* Db::Find(std::string_view sql) {
  auto known = cache_->by_address.find(sql.data());
  if (known != cache_->by_address.end() && known->second->first == sql) return known->second;
  auto it = cache_->by_text.find(sql);
  if (it == cache_->by_text.end()) return nullptr;
  if (cache_->by_address.size() < kMaxCached * 2) cache_->by_address[sql.data()] = &*it;
  return &*it;
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  ByText::value_type* entry = cache_ ? Find(sql) : nullptr;
  if (entry != nullptr && !entry->second.in_use) {
    entry->second.in_use = true;
    return Stmt(db_, entry->second.stmt, &entry->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc);
  if (cache_ && entry == nullptr && cache_->by_text.size() < kMaxCached) {
    auto it = cache_->by_text.try_emplace(std::string(sql), Cached{stmt, true}).first;
    cache_->by_address[sql.data()] = &*it;
    return Stmt(db_, stmt, &it->second.in_use);
  }
  return Stmt(db_, stmt);
}

Status Db::Run(std::string_view sql) {
  TRIPSIM_ASSIGN_OR_RETURN(stmt, Prepare(sql));
  return stmt.Run();
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db_, rc);
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

}  // namespace tripsim::store::sqlite
