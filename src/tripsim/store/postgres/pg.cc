#include "tripsim/store/postgres/pg.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

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

Result<const std::string*> Conn::Prepared(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) return Failure(r, "prepare");
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return &it->second;
}

namespace {

std::vector<const char*> Values(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

}  // namespace

Result<Rows> Conn::Exec(const std::string& sql, const Params& params) {
  retryable_ = false;
  TRIPSIM_ASSIGN_OR_RETURN(name, Prepared(sql));
  const std::vector<const char*> values = Values(params);
  PGresult* r = PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                               nullptr, nullptr, 0);
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(r, "query");
  return Rows(r);
}

Result<std::vector<Rows>> Conn::ExecAll(const std::vector<Query>& queries, bool snapshot) {
  retryable_ = false;
  static const Query kBegin{"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}};
  static const Query kCommit{"COMMIT", {}};
  std::vector<const Query*> statements;  // in the order sent
  if (snapshot) statements.push_back(&kBegin);
  for (const Query& q : queries) statements.push_back(&q);
  if (snapshot) statements.push_back(&kCommit);
  std::vector<const std::string*> names;  // prepared before the pipeline starts
  for (const Query* q : statements) {
    TRIPSIM_ASSIGN_OR_RETURN(name, Prepared(q->sql));
    names.push_back(name);
  }
  if (PQenterPipelineMode(conn_) != 1) return Failure(nullptr, "pipeline");
  size_t sent = 0;
  for (; sent < statements.size(); ++sent) {
    const std::vector<const char*> values = Values(statements[sent]->params);
    if (PQsendQueryPrepared(conn_, names[sent]->c_str(), static_cast<int>(values.size()),
                            values.data(), nullptr, nullptr, 0) != 1) {
      break;
    }
  }
  if (PQpipelineSync(conn_) != 1) {
    (void)PQexitPipelineMode(conn_);
    return Failure(nullptr, "pipeline");
  }
  Result<std::vector<Rows>> rows = PipelineResults(sent);
  (void)PQexitPipelineMode(conn_);
  if (rows.ok() && sent < statements.size()) rows = Failure(nullptr, "pipeline");
  if (!rows.ok()) {
    if (snapshot && PQtransactionStatus(conn_) == PQTRANS_INERROR) (void)Script("ROLLBACK");
    return rows;
  }
  if (snapshot) {  // the results of BEGIN and COMMIT
    rows->erase(rows->begin());
    rows->pop_back();
  }
  return rows;
}

Result<std::vector<Rows>> Conn::PipelineResults(size_t count) {
  std::vector<Rows> out;
  Status failure;
  for (size_t i = 0; i < count; ++i) {
    // Each statement's result, then a null pointer ends it.
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) return failure.ok() ? Failure(nullptr, "pipeline") : failure;  // lost
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      out.emplace_back(r);
    } else if (failure.ok() && st != PGRES_PIPELINE_ABORTED) {
      failure = Failure(r, "query");  // (clears r)
    } else {
      PQclear(r);
    }
    while ((r = PQgetResult(conn_)) != nullptr) PQclear(r);
  }
  PGresult* sync = PQgetResult(conn_);
  const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!failure.ok()) return failure;
  if (!synced) return Failure(nullptr, "pipeline");
  return out;
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
    if (waiters_.empty() && MayConnect()) {
      open_ += 1;
      connecting_ += 1;
    } else {
      Waiter w;
      waiters_.push_back(&w);
      w.cv.Wait(mu_, [&]() REQUIRES(mu_) { return w.served; });
      if (w.conn) return Lease(this, std::move(w.conn));
      if (!w.failure.ok()) return w.failure;
      // Offered a slot (already counted): open a connection in it.
    }
  }
  return Connect();
}

Result<Pool::Lease> Pool::Connect() {
  TRIPSIM_ASSIGN_OR_RETURN(c, OpenReserved());
  return Lease(this, std::move(c));
}

Result<std::unique_ptr<Conn>> Pool::OpenReserved() {
  Result<std::unique_ptr<Conn>> c = Conn::Connect(url_);
  MutexLock lock(mu_);
  connecting_ -= 1;
  if (c.ok()) {
    OfferSlot();  // the next waiter may open one now
    return c;
  }
  open_ -= 1;
  if (open_ > connecting_) {
    OfferSlot();  // others are open: the waiters wait for them, or try again
  } else {
    for (Waiter* w : waiters_) {  // nothing open to wait for: fail now, not in turn
      w->failure = c.status();
      w->served = true;
      w->cv.NotifyOne();
    }
    waiters_.clear();
  }
  return c;
}

Status Pool::Fill(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    bool reserved = false;
    {
      MutexLock lock(mu_);
      if (open_ >= max_size_) return Status::Ok();
      if (MayConnect()) {
        open_ += 1;
        connecting_ += 1;
        reserved = true;
      }
    }
    if (!reserved) {  // others are opening connections: let them
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    TRIPSIM_ASSIGN_OR_RETURN(c, OpenReserved());
    MutexLock lock(mu_);
    HandOver(std::move(c));
  }
  return Status::Ok();
}

size_t Pool::open() const {
  MutexLock lock(mu_);
  return open_;
}

void Pool::Release(std::unique_ptr<Conn> c) {
  if (!c->reusable()) c.reset();  // closed, outside the lock; the next to need one connects
  MutexLock lock(mu_);
  HandOver(std::move(c));
}

void Pool::HandOver(std::unique_ptr<Conn> c) {
  if (!c) {
    open_ -= 1;
    OfferSlot();
  } else if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->conn = std::move(c);
    w->served = true;
    w->cv.NotifyOne();  // under the lock: the waiter cannot return (and free w) before it
  } else {
    idle_.push_back(std::move(c));
  }
}

void Pool::OfferSlot() {
  while (!waiters_.empty() && MayConnect()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    open_ += 1;
    connecting_ += 1;
    w->served = true;
    w->cv.NotifyOne();
  }
}

}  // namespace tripsim::store::pg
