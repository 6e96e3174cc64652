#include "tripsim/store/migrations.h"

#include <array>

#include "tripsim/store/migrations_postgres.h"
#include "tripsim/store/migrations_sqlite.h"

namespace tripsim::store {
namespace {

// Secret rotation with a grace period, and daily booking limits (issue 10). The same SQL
// serves both dialects.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE partners ADD COLUMN previous_secret_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN previous_secret_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE partners ADD COLUMN daily_booking_limit INTEGER NOT NULL DEFAULT 0;
)sql";

// A catalog version that every import moves, so that servers list the packages again only
// after a change (they check it every few seconds).
constexpr std::string_view kV8 = R"sql(
CREATE TABLE catalog_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);
)sql";

constexpr std::array<Migration, 10> kMigrations = {{
    {1, "partners, packages, bookings, promo codes, messages", sqlite_schema::kV1,
     postgres_schema::kV1},
    {2, "eSIM profile inventory", sqlite_schema::kV2, postgres_schema::kV2},
    {3, "webhook outbox", sqlite_schema::kV3, postgres_schema::kV3},
    {4, "dashboard counters and access tokens", sqlite_schema::kV4, postgres_schema::kV4},
    {5, "previous API secret during rotation, daily booking limit", kV5, kV5},
    {6, "dashboard counters kept by a PL/pgSQL function (PostgreSQL)", "", postgres_schema::kV6},
    {7, "bookings per day of creation and status in the counters (list totals)", sqlite_schema::kV7,
     postgres_schema::kV7},
    {8, "a catalog version, so that servers reload the catalog only after a change", kV8, kV8},
    {9, "new rows counted by the statements that insert them (SQLite)", sqlite_schema::kV9, ""},
    {10, "a revision per booking, for answers cached by the server (SQLite)", sqlite_schema::kV10,
     ""},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace tripsim::store
