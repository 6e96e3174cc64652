#include "tripsim/store/postgres/pg.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace tripsim::store::pg {

Param P(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf);
}

int64_t Rows::Int(int row, int col) const {
  const char* v = PQgetvalue(r_.get(), row, col);
  int64_t out = 0;
  std::from_chars(v, v + std::char_traits<char>::length(v), out);
  return out;
}

double Rows::Double(int row, int col) const {
  return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

std::optional<std::string> Rows::OptText(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

std::optional<int64_t> Rows::OptInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

Conn::~Conn() { PQfinish(conn_); }

Result<std::unique_ptr<Conn>> Conn::Connect(const std::string& url) {
  // A connect timeout unless the URL sets one (later keywords win; the URL comes last).
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", url.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (PQstatus(c) != CONNECTION_OK) {
    std::string message = PQerrorMessage(c);
    PQfinish(c);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Unavailable("cannot connect to PostgreSQL: " + message);
  }
  std::unique_ptr<Conn> conn(new Conn(c));
  // No statement may hold a handler thread forever.
  TRIPSIM_RETURN_IF_ERROR(
      conn->Script("SET client_min_messages = warning; SET statement_timeout = '30s'"));
  return conn;
}

Status Conn::Failure(PGresult* r, std::string_view what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (r) PQclear(r);
  retryable_ = sqlstate == "40001" || sqlstate == "40P01";
  if (sqlstate == "23505") return {ErrorCode::kAlreadyExists, message};
  if (retryable_ || broken() || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01") {
    return Unavailable("PostgreSQL " + std::string(what) + ": " + message);
  }
  return Internal("PostgreSQL " + std::string(what) + ": " + message);
}

Result<Rows> Conn::Exec(const std::string& sql, const Params& params) {
  retryable_ = false;
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) return Failure(r, "prepare");
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0);
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(r, "query");
  return Rows(r);
}

Status Conn::Script(const std::string& sql) {
  retryable_ = false;
  PGresult* r = PQexec(conn_, sql.c_str());
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(r, "statement");
  PQclear(r);
  return Status::Ok();
}

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

Result<Pool::Lease> Pool::Acquire() {
  {
    MutexLock lock(mu_);
    if (!idle_.empty()) {  // (never while threads wait: a release goes to them first)
      std::unique_ptr<Conn> c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    if (open_ < max_size_) {
      open_ += 1;
    } else {
      Waiter w;
      waiters_.push_back(&w);
      w.cv.Wait(mu_, [&]() REQUIRES(mu_) { return w.served; });
      if (w.conn) return Lease(this, std::move(w.conn));
      // Handed the slot of a connection that was dropped: open one in its place.
    }
  }
  Result<std::unique_ptr<Conn>> c = Conn::Connect(url_);
  if (!c.ok()) {
    MutexLock lock(mu_);
    HandOver(nullptr);
    return c.status();
  }
  return Lease(this, std::move(c).value());
}

void Pool::Release(std::unique_ptr<Conn> c) {
  if (!c->reusable()) c.reset();  // closed, outside the lock; the next to need one connects
  MutexLock lock(mu_);
  HandOver(std::move(c));
}

void Pool::HandOver(std::unique_ptr<Conn> c) {
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->conn = std::move(c);
    w->served = true;
    w->cv.NotifyOne();  // under the lock: the waiter cannot return (and free w) before it
    return;
  }
  if (c) {
    idle_.push_back(std::move(c));
  } else {
    open_ -= 1;
  }
}

}  // namespace tripsim::store::pg
