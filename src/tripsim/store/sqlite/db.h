// A thin RAII wrapper over the SQLite C API: a connection and prepared statements whose errors
// become Status values. Internal to store/sqlite. A Db is used by one thread at a time.
//
//   Stmt s = db.Prepare("SELECT name FROM partners WHERE id = ?").value();
//   s.Bind(1, id);
//   while (s.Step() == Stmt::kRow) Use(s.Text(0));
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tripsim/base/status.h"

namespace tripsim::store::sqlite {

class Stmt {
 public:
  enum StepResult { kRow, kDone, kError };

  Stmt() = default;
  // Owns `stmt`, or, with `in_use`, borrows it from its connection's cache: then destruction
  // resets it for the next user instead of finalizing it.
  Stmt(sqlite3* db, sqlite3_stmt* stmt, bool* in_use = nullptr)
      : db_(db), stmt_(stmt), in_use_(in_use) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_), in_use_(o.in_use_) {
    o.stmt_ = nullptr;
    o.in_use_ = nullptr;
  }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based. Text is copied (SQLITE_TRANSIENT).
  Stmt& Bind(int i, std::string_view text);
  Stmt& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& Bind(int i, const std::optional<int64_t>& v);
  Stmt& BindNull(int i);

  StepResult Step();
  // Makes the statement ready to run again with new bindings.
  void Reset();
  // Steps to completion; the Status names the SQLite error when there is one.
  Status Run();
  Status Error() const;
  bool ConstraintViolated() const;

  // Columns are 0-based.
  std::string Text(int i) const;
  std::optional<std::string> OptText(int i) const;
  int64_t Int(int i) const;
  double Double(int i) const;
  std::optional<int64_t> OptInt(int i) const;
  bool IsNull(int i) const;

 private:
  void Release();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  // set when borrowed from the cache
  int last_rc_ = SQLITE_OK;
};

class Db {
 public:
  // Opens (creating when `create`) the database file and applies the connection PRAGMAs:
  // WAL, synchronous=FULL, a busy timeout, foreign keys.
  static Result<Db> Open(const std::string& path, bool create);

  Db() = default;
  Db(Db&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // A prepared statement, from this connection's cache when the same SQL was prepared before
  // and is not in use (statements are compiled once per connection, not once per call). The
  // cache finds a text by its address first: a statement's text is nearly always a literal or
  // a static string, so the writer looks up its statements with no hashing of their text.
  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements without results, compiling them each time.
  Status Exec(const std::string& sql);
  // Runs one statement without parameters or results, compiled once (BEGIN, SAVEPOINT...).
  Status Run(std::string_view sql);
  // Whether a transaction is open: false after COMMIT, and after SQLite rolled one back by
  // itself (it may when a statement fails with SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* raw() const { return db_; }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  using ByText = std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>>;
  struct Cache {
    ByText by_text;  // node-based: the in_use flags stay put
    // The entry a text at this address had last time. The text is compared all the same: a
    // temporary string's freed address may come back holding another statement.
    std::unordered_map<const char*, ByText::value_type*> by_address;
  };

  // The cache's entry for `sql`, or null.
  ByText::value_type* Find(std::string_view sql);
  explicit Db(sqlite3* db) : db_(db), cache_(std::make_unique<Cache>()) {}
  void FinalizeCache();

  sqlite3* db_ = nullptr;
  std::unique_ptr<Cache> cache_;
};

}  // namespace tripsim::store::sqlite
