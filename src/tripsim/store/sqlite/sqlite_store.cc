#include "tripsim/store/sqlite/sqlite_store.h"

#include <string>
#include <vector>

#include "tripsim/store/migrations.h"
#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/sqlite_store_impl.h"

namespace tripsim::store::sqlite {
namespace {

using domain::Partner;

void BindPartner(Stmt& s, const Partner& p) {
  s.Bind(1, p.id).Bind(2, p.name).Bind(3, p.api_key).Bind(4, p.secret_sealed).Bind(5, p.enabled);
  s.Bind(6, p.strategy_json).Bind(7, JoinList(p.destination_allow_list));
  s.Bind(8, JoinList(p.package_types)).Bind(9, p.require_body_hash).Bind(10, p.webhook_url);
  s.Bind(11, p.webhook_secret_sealed).Bind(12, p.email_from).Bind(13, p.email_reply_to);
  s.Bind(14, p.display_name).Bind(15, p.reminder_days).Bind(16, p.rate_limit);
  s.Bind(17, p.created_at).Bind(18, p.previous_secret_sealed).Bind(19, p.previous_secret_until);
  s.Bind(20, p.daily_booking_limit);
}

Status Migrate(Db& db) {
  TRIPSIM_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status s = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  int current = 0;
  if (s.ok()) {
    auto q = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (q.ok() && q->Step() == Stmt::kRow) current = static_cast<int>(q->Int(0));
  }
  for (const Migration& m : Migrations()) {
    if (!s.ok() || m.version <= current) continue;
    s = db.Exec(std::string(m.sqlite));
    if (s.ok()) {
      auto ins = db.Prepare(
          "INSERT INTO schema_migrations (version, description, applied_at) "
          "VALUES (?, ?, strftime('%s','now'))");
      s = ins.ok() ? ins->Bind(1, m.version).Bind(2, m.description).Run() : ins.status();
    }
  }
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

}  // namespace

Status SqliteStore::CreatePartner(const Partner& p) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("INSERT INTO partners (" + std::string(kPartnerColumns) +
                                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    BindPartner(s, p);
    Status st = s.Run();
    if (!st.ok() && s.ConstraintViolated()) {
      return {ErrorCode::kAlreadyExists, "partner id or api key already exists"};
    }
    return st;
  });
}

Status SqliteStore::UpdatePartner(const Partner& p) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("UPDATE partners SET name=?2, api_key=?3, secret_sealed=?4, enabled=?5, "
                      "strategy_json=?6, allow_list=?7, package_types=?8, require_body_hash=?9, "
                      "webhook_url=?10, webhook_secret_sealed=?11, email_from=?12, "
                      "email_reply_to=?13, display_name=?14, reminder_days=?15, rate_limit=?16, "
                      "created_at=?17, previous_secret_sealed=?18, previous_secret_until=?19, "
                      "daily_booking_limit=?20 WHERE id=?1"));
    BindPartner(s, p);
    TRIPSIM_RETURN_IF_ERROR(s.Run());
    if (sqlite3_changes(db.raw()) == 0) return NotFound("unknown partner " + p.id);
    return Status::Ok();
  });
}

Result<std::vector<Partner>> SqliteStore::ListPartners() {
  return Read<std::vector<Partner>>([&](Db& db) -> Result<std::vector<Partner>> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT " + std::string(kPartnerColumns) +
                                           " FROM partners ORDER BY created_at, id"));
    std::vector<Partner> out;
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) out.push_back(ReadPartner(s));
    if (r == Stmt::kError) return s.Error();
    return out;
  });
}

Status SqliteStore::UpsertPackages(const std::vector<domain::Package>& packages,
                                   bool retire_missing) {
  return writer_.Submit([&](Db& db) -> Status {
    if (retire_missing) {
      TRIPSIM_RETURN_IF_ERROR(
          db.Exec("UPDATE packages SET doc = json_set(doc, '$.retired', json('true'))"));
    }
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("INSERT INTO packages (id, doc) VALUES (?, ?) "
                                           "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc"));
    for (const auto& p : packages) {
      s.Bind(1, p.id).Bind(2, EncodePackage(p));
      TRIPSIM_RETURN_IF_ERROR(s.Run());
      s.Reset();
    }
    return db.Run("UPDATE catalog_version SET version = version + 1");
  });
}

Result<int64_t> SqliteStore::CatalogVersion() {
  return Read<int64_t>([&](Db& db) -> Result<int64_t> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT version FROM catalog_version"));
    if (s.Step() != Stmt::kRow) return s.Error();
    return s.Int(0);
  });
}

Result<std::vector<domain::Package>> SqliteStore::ListPackages() {
  return Read<std::vector<domain::Package>>([&](Db& db) -> Result<std::vector<domain::Package>> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT doc FROM packages ORDER BY id"));
    std::vector<domain::Package> out;
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) {
      TRIPSIM_ASSIGN_OR_RETURN(p, DecodePackage(s.Text(0)));
      out.push_back(std::move(p));
    }
    if (r == Stmt::kError) return s.Error();
    return out;
  });
}

Status SqliteStore::Ping() {
  Result<int> r = Read<int>([](Db& db) -> Result<int> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT 1"));
    if (s.Step() != Stmt::kRow) return s.Error();
    return 1;
  });
  return r.status();
}

Result<Partner> SqliteStore::QueryPartner(const char* where, const std::string& value) {
  return Read<Partner>([&](Db& db) -> Result<Partner> {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("SELECT " + std::string(kPartnerColumns) + " FROM partners WHERE " + where));
    s.Bind(1, value);
    Stmt::StepResult r = s.Step();
    if (r == Stmt::kError) return s.Error();
    if (r == Stmt::kDone) return NotFound("partner not found");
    return ReadPartner(s);
  });
}

Db SqliteStore::Watched(Db writer) {
  checkpointer_.Watch(writer);
  return writer;
}

}  // namespace tripsim::store::sqlite

namespace tripsim::store {

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  TRIPSIM_ASSIGN_OR_RETURN(db, sqlite::Db::Open(options.path, true));
  if (options.migrate) TRIPSIM_RETURN_IF_ERROR(sqlite::Migrate(db));
  // The writer keeps the index pages it keeps touching (32 MiB instead of 2); its savepoint
  // journals are sqlite::Db::Open's; checkpoints are the Checkpointer's, on its own thread.
  TRIPSIM_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size=-32768;"));
  // Without a WAL index to watch, every read of a booking asks the file (CommitMark is empty).
  Result<std::unique_ptr<sqlite::CommitWatch>> commits = sqlite::CommitWatch::Open(options.path);
  return std::unique_ptr<Store>(
      std::make_unique<sqlite::SqliteStore>(options.path, std::move(db), options.max_batch,
                                            commits.ok() ? std::move(commits).value() : nullptr));
}

}  // namespace tripsim::store
