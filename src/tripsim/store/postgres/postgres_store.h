// PostgresStore: the Store on PostgreSQL 15 through libpq (design.md 7), for several tripsimd
// instances sharing one database. Each write is one transaction on a pooled connection (new
// bookings from CreateBookingAsync are gathered into batches of a transaction each):
// unique constraints with ON CONFLICT resolve concurrent duplicates across instances, row locks
// (SELECT ... FOR UPDATE) serialize a cancellation, claim or redemption, and the outboxes are
// claimed with FOR UPDATE SKIP LOCKED under a lease, so instances share the work and take over
// a crashed one's claims when its lease ends. Migrations run under an advisory lock.
//
//   auto store = OpenPostgresStore({.url = "postgresql://tripsim@db/tripsim"}).value();
#pragma once

#include <memory>
#include <string>

#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::store {

struct PostgresOptions {
  std::string url;         // a libpq connection URI: postgresql://user:pass@host:port/db
  size_t pool_size = 16;   // connections at most
  bool fill_pool = false;  // open them all at once (in the background), not each on first use
  bool migrate = true;     // apply pending migrations on open (under an advisory lock)
  // Booking creations (Store::CreateBookingAsync) are written in batches, a transaction each:
  size_t write_lanes = 2;  // batches written at the same time (a pooled connection each)
  size_t max_batch = 64;   // bookings in one batch at most
};

// Connects (kUnavailable naming the problem when the database cannot be reached) and migrates.
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

}  // namespace tripsim::store
