#include "tripsim/store/postgres/postgres_store.h"

#include <stop_token>

#include "tripsim/base/log.h"
#include "tripsim/base/thread_name.h"
#include "tripsim/store/migrations.h"
#include "tripsim/store/postgres/postgres_store_impl.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store::pg {
namespace {

using domain::Partner;

// Any 64-bit number, the same in every instance: the key of the migration advisory lock.
constexpr int64_t kMigrationLock = 7'461'203'558'120'001;

Params PartnerParams(const Partner& p) {
  return {P(p.id),
          P(p.name),
          P(p.api_key),
          P(p.secret_sealed),
          P(p.enabled),
          P(p.strategy_json),
          P(JoinList(p.destination_allow_list)),
          P(JoinList(p.package_types)),
          P(p.require_body_hash),
          P(p.webhook_url),
          P(p.webhook_secret_sealed),
          P(p.email_from),
          P(p.email_reply_to),
          P(p.display_name),
          P(p.reminder_days),
          P(p.rate_limit),
          P(p.created_at),
          P(p.previous_secret_sealed),
          P(p.previous_secret_until),
          P(p.daily_booking_limit)};
}

Status Migrate(Conn& c) {
  TRIPSIM_RETURN_IF_ERROR(c.Script("BEGIN"));
  Status s = c.Script("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
  if (s.ok()) {
    s = c.Script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  }
  int current = 0;
  if (s.ok()) {
    auto q = c.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (q.ok()) current = static_cast<int>(q->Int(0, 0));
    s = q.status();
  }
  for (const Migration& m : Migrations()) {
    if (!s.ok() || m.version <= current) continue;
    if (!m.postgres.empty()) s = c.Script(std::string(m.postgres));  // (SQLite-only ones)
    if (s.ok()) {
      s = c.Exec(
               "INSERT INTO schema_migrations (version, description, applied_at) "
               "VALUES ($1, $2, extract(epoch from now())::bigint)",
               {P(m.version), P(std::string(m.description))})
              .status();
    }
  }
  if (!s.ok()) {
    (void)c.Script("ROLLBACK");
    return s;
  }
  return c.Script("COMMIT");
}

}  // namespace

PostgresStore::PostgresStore(const PostgresOptions& o)
    : pool_(o.url, o.pool_size),
      batcher_([this](std::vector<CreateJob>& jobs) { WriteBatch(jobs); },
               {.lanes = o.write_lanes, .max_batch = o.max_batch}) {
  if (o.fill_pool) {
    filler_ = std::jthread([this](const std::stop_token& stop) {
      NameThisThread("pg-pool-fill");
      Status s = pool_.Fill(stop);
      if (!s.ok()) log::Warn("store.pool_fill_failed", {{"error", s.message()}});
    });
  }
}

Status PostgresStore::CreatePartner(const Partner& p) {
  return Tx([&](Conn& c) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        r,
        c.Exec("INSERT INTO partners (" + Cols(kPartnerColumns) +
                   ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,"
                   "$20) "
                   "ON CONFLICT DO NOTHING RETURNING id",
               PartnerParams(p)));
    if (r.size() == 0) return {ErrorCode::kAlreadyExists, "partner id or api key already exists"};
    return Status::Ok();
  });
}

Status PostgresStore::UpdatePartner(const Partner& p) {
  return Tx([&](Conn& c) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("UPDATE partners SET name=$2, api_key=$3, secret_sealed=$4, enabled=$5, "
                  "strategy_json=$6, allow_list=$7, package_types=$8, require_body_hash=$9, "
                  "webhook_url=$10, webhook_secret_sealed=$11, email_from=$12, "
                  "email_reply_to=$13, display_name=$14, reminder_days=$15, rate_limit=$16, "
                  "created_at=$17, previous_secret_sealed=$18, previous_secret_until=$19, "
                  "daily_booking_limit=$20 WHERE id=$1 RETURNING id",
                  PartnerParams(p)));
    if (r.size() == 0) return NotFound("unknown partner " + p.id);
    return Status::Ok();
  });
}

Result<std::vector<Partner>> PostgresStore::ListPartners() {
  return Read<std::vector<Partner>>([&](Conn& c) -> Result<std::vector<Partner>> {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("SELECT " + Cols(kPartnerColumns) + " FROM partners ORDER BY created_at, id"));
    std::vector<Partner> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(ReadPartner(pg::Row(r, i)));
    return out;
  });
}

Status PostgresStore::UpsertPackages(const std::vector<domain::Package>& packages,
                                     bool retire_missing) {
  return Tx([&](Conn& c) -> Status {
    if (retire_missing) {
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE packages SET doc = (doc::jsonb || '{\"retired\": true}'::jsonb)::text")
              .status());
    }
    for (const auto& p : packages) {
      TRIPSIM_RETURN_IF_ERROR(c.Exec("INSERT INTO packages (id, doc) VALUES ($1, $2) "
                                     "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                                     {P(p.id), P(EncodePackage(p))})
                                  .status());
    }
    return c.Exec("UPDATE catalog_version SET version = version + 1").status();
  });
}

Result<int64_t> PostgresStore::CatalogVersion() {
  return Read<int64_t>([&](Conn& c) -> Result<int64_t> {
    TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT version FROM catalog_version"));
    if (r.size() != 1) return Internal("catalog_version has no row");
    return r.Int(0, 0);
  });
}

Result<std::vector<domain::Package>> PostgresStore::ListPackages() {
  return Read<std::vector<domain::Package>>([&](Conn& c) -> Result<std::vector<domain::Package>> {
    TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT doc FROM packages ORDER BY id"));
    std::vector<domain::Package> out;
    for (int i = 0; i < r.size(); ++i) {
      TRIPSIM_ASSIGN_OR_RETURN(p, DecodePackage(r.Text(i, 0)));
      out.push_back(std::move(p));
    }
    return out;
  });
}

Status PostgresStore::Ping() {
  return Read<int>([](Conn& c) -> Result<int> {
           TRIPSIM_RETURN_IF_ERROR(c.Exec("SELECT 1").status());
           return 1;
         })
      .status();
}

Result<Partner> PostgresStore::QueryPartner(const char* column, const std::string& value) {
  return Read<Partner>([&](Conn& c) -> Result<Partner> {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("SELECT " + Cols(kPartnerColumns) + " FROM partners WHERE " + column + " = $1",
                  {P(value)}));
    if (r.size() == 0) return NotFound("partner not found");
    return ReadPartner(pg::Row(r, 0));
  });
}

}  // namespace tripsim::store::pg

namespace tripsim::store {

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  auto store = std::make_unique<pg::PostgresStore>(options);
  if (options.migrate) {
    TRIPSIM_ASSIGN_OR_RETURN(c, pg::Conn::Connect(options.url));
    TRIPSIM_RETURN_IF_ERROR(pg::Migrate(*c));
  } else {
    TRIPSIM_RETURN_IF_ERROR(store->Ping());
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tripsim::store
