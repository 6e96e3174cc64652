// A thin libpq wrapper for PostgresStore: connections with a per-connection cache of prepared
// statements, result rows read by position, and a small connection pool that drops broken
// connections (a database restart heals on the next call).
//
//   pg::Pool pool(url, 16);
//   auto conn = pool.Acquire();  // returns to the pool when it goes out of scope
//   Result<pg::Rows> r = conn->Exec("SELECT name FROM partners WHERE id = $1", {id});
//   auto both = conn->ExecAll({{sql1, {id}}, {sql2, {id}}});  // one round trip, two Rows
#pragma once

#include <libpq-fe.h>

#include <deque>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tripsim/base/mutex.h"
#include "tripsim/base/status.h"

namespace tripsim::store::pg {

// One text parameter; nullopt is SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

inline Param P(std::string v) { return v; }
inline Param P(const char* v) { return std::string(v); }
inline Param P(int64_t v) { return std::to_string(v); }
inline Param P(int v) { return std::to_string(v); }
inline Param P(bool v) { return std::string(v ? "1" : "0"); }
Param P(double v);
inline Param P(const std::optional<std::string>& v) { return v; }
inline Param P(const std::optional<int64_t>& v) {
  return v ? Param(std::to_string(*v)) : std::nullopt;
}

// One statement with its parameters, for Conn::ExecAll.
struct Query {
  std::string sql;
  Params params;
};

class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r, &PQclear) {}
  int size() const { return PQntuples(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string Text(int row, int col) const { return PQgetvalue(r_.get(), row, col); }
  // Valid while the Rows live.
  std::string_view View(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  int64_t Int(int row, int col) const;
  double Double(int row, int col) const;
  std::optional<std::string> OptText(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

// Row `row` of `rows`, read by column like sqlite::Stmt's current row (for the row readers
// both stores share, store/row_codec.h). Valid while `rows` lives.
class Row {
 public:
  Row(const Rows& rows, int row) : rows_(rows), row_(row) {}
  std::string Text(int col) const { return rows_.Text(row_, col); }
  std::optional<std::string> OptText(int col) const { return rows_.OptText(row_, col); }
  int64_t Int(int col) const { return rows_.Int(row_, col); }
  std::optional<int64_t> OptInt(int col) const { return rows_.OptInt(row_, col); }
  double Double(int col) const { return rows_.Double(row_, col); }

 private:
  const Rows& rows_;
  int row_;
};

class Conn {
 public:
  ~Conn();
  static Result<std::unique_ptr<Conn>> Connect(const std::string& url);

  // Runs one statement (prepared once per connection). Errors: kAlreadyExists for a unique
  // violation, kUnavailable for a lost connection or a serialization failure / deadlock
  // (retryable() tells which), kInternal otherwise.
  Result<Rows> Exec(const std::string& sql, const Params& params = {});
  // Runs the statements in order in one round trip (libpq's pipeline mode) and returns their
  // rows, or the first failure (the statements after it are skipped). Inside a transaction
  // they are part of it; outside one, `snapshot` runs them in one read-only REPEATABLE READ
  // transaction, so that they all see the same committed data.
  Result<std::vector<Rows>> ExecAll(const std::vector<Query>& queries, bool snapshot = false);
  // Runs a script of statements without parameters (migrations, BEGIN/COMMIT).
  Status Script(const std::string& sql);

  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  bool in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  // Connected and outside any transaction: fit to go back to the pool.
  bool reusable() const { return !broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }
  // The last error was a serialization failure or deadlock: the transaction may be retried.
  bool retryable() const { return retryable_; }

 private:
  explicit Conn(PGconn* c) : conn_(c) {}
  Status Failure(PGresult* r, std::string_view what);
  // The name of `sql` prepared on this connection (prepared now if it was not yet).
  Result<const std::string*> Prepared(const std::string& sql);
  // Reads the results of `count` pipelined statements and the sync after them.
  Result<std::vector<Rows>> PipelineResults(size_t count);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  bool retryable_ = false;
};

class Pool {
 public:
  Pool(std::string url, size_t max_size) : url_(std::move(url)), max_size_(max_size) {}

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Conn* operator->() { return conn_.get(); }
    Conn& operator*() { return *conn_; }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  // A connection: an idle one, a new one, or the next one released. Waiting threads are served
  // in the order they came: under load none waits much longer than others. At most
  // kMaxConnecting connections are being opened at a time; the others wait for one of those
  // or a released one. (Sixty threads connecting at once to a busy server made it take
  // longer than the connect timeout, and those requests failed.) When an attempt fails and
  // no connection is open, the threads waiting fail with it at once, rather than each trying
  // in turn while the server cannot be reached.
  Result<Lease> Acquire() EXCLUDES(mu_);
  // Opens connections until the pool holds its most, one at a time, each handed to a waiting
  // thread or kept idle, so that a burst of requests at start does not wait for connections
  // being opened (a server starting). Returns when the pool is full, the first time a
  // connection cannot be opened, or once `stop` is requested.
  Status Fill(const std::stop_token& stop) EXCLUDES(mu_);
  // Connections open or being opened.
  size_t open() const EXCLUDES(mu_);
  static constexpr size_t kMaxConnecting = 2;
  const std::string& url() const { return url_; }

 private:
  // A thread waiting for a connection.
  struct Waiter {
    std::unique_ptr<Conn> conn;  // handed over; null: open a new one (its slot is reserved)
    Status failure;              // unless opening one just failed with nothing else to wait for
    bool served = false;
    CondVar cv;
  };

  // Opens the connection whose slot the caller reserved.
  Result<Lease> Connect() EXCLUDES(mu_);
  // Opens a connection in the slot the caller reserved, and frees the slot's "connecting" for
  // the next one; when it fails, gives the slot up (and fails the waiters when nothing is
  // open to wait for). Connect's and Fill's.
  Result<std::unique_ptr<Conn>> OpenReserved() EXCLUDES(mu_);
  void Release(std::unique_ptr<Conn> c) EXCLUDES(mu_);
  // Gives `c` to the longest waiter, or keeps it idle; when null (a connection is gone), frees
  // its slot.
  void HandOver(std::unique_ptr<Conn> c) REQUIRES(mu_);
  // Lets the longest waiter open a connection, if one may be opened now.
  void OfferSlot() REQUIRES(mu_);
  bool MayConnect() const REQUIRES(mu_) {
    return open_ < max_size_ && connecting_ < kMaxConnecting;
  }

  const std::string url_;
  const size_t max_size_;
  mutable Mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_ GUARDED_BY(mu_);
  std::deque<Waiter*> waiters_ GUARDED_BY(mu_);  // oldest first
  size_t open_ GUARDED_BY(mu_) = 0;              // connections open or being opened
  size_t connecting_ GUARDED_BY(mu_) = 0;        // being opened
};

// A column list as a string, to build a statement's text from.
inline std::string Cols(std::string_view columns) { return std::string(columns); }

}  // namespace tripsim::store::pg
