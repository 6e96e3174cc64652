// The SQLite dialect of the schema's versions (migrations.cc lists them with PostgreSQL's):
// kVN is version N's SQL. Versions that need no SQLite statement, or share theirs with
// PostgreSQL, are not here. Included by migrations.cc only.
#pragma once

#include <string_view>

namespace tripsim::store::sqlite_schema {

inline constexpr std::string_view kV1 = R"sql(
CREATE TABLE partners (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  api_key TEXT NOT NULL UNIQUE,
  secret_sealed TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  strategy_json TEXT NOT NULL,
  allow_list TEXT NOT NULL,
  package_types TEXT NOT NULL,
  require_body_hash INTEGER NOT NULL,
  webhook_url TEXT NOT NULL,
  webhook_secret_sealed TEXT NOT NULL,
  email_from TEXT NOT NULL,
  email_reply_to TEXT NOT NULL,
  display_name TEXT NOT NULL,
  reminder_days INTEGER NOT NULL,
  rate_limit REAL NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL
);
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners(id),
  booking_ref TEXT,
  idempotency_key TEXT,
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  departure_date TEXT NOT NULL,
  departure_day INTEGER NOT NULL,
  return_date TEXT,
  email TEXT,
  first_name TEXT,
  last_name TEXT,
  full_name TEXT,
  title TEXT,
  phone TEXT,
  pax INTEGER,
  flight_number TEXT,
  gender TEXT,
  locale TEXT,
  external_id TEXT,
  should_send_message INTEGER NOT NULL,
  channels TEXT NOT NULL,
  specs TEXT NOT NULL
);
CREATE UNIQUE INDEX bookings_partner_ref ON bookings(partner_id, booking_ref)
  WHERE booking_ref IS NOT NULL;
CREATE UNIQUE INDEX bookings_partner_key ON bookings(partner_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX bookings_partner_created ON bookings(partner_id, created_at DESC);
CREATE TABLE promo_codes (
  code TEXT PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  booking_id TEXT NOT NULL REFERENCES bookings(id),
  position INTEGER NOT NULL,
  spec_index INTEGER NOT NULL,
  package TEXT,
  destination TEXT NOT NULL,
  strategy TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  claimed_at INTEGER,
  redeemed_at INTEGER,
  valid_until INTEGER NOT NULL
);
CREATE INDEX promo_codes_booking ON promo_codes(booking_id, position);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  booking_id TEXT NOT NULL REFERENCES bookings(id),
  position INTEGER NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  promo_code TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  sent_at INTEGER,
  last_error TEXT NOT NULL,
  lease_until INTEGER
);
CREATE INDEX messages_booking ON messages(booking_id, position);
CREATE INDEX messages_due ON messages(status, due_at);
)sql";

inline constexpr std::string_view kV2 = R"sql(
CREATE TABLE esim_profiles (
  iccid TEXT PRIMARY KEY,
  smdp_address TEXT NOT NULL,
  matching_id TEXT NOT NULL,
  confirmation_code TEXT NOT NULL,
  provider TEXT NOT NULL,
  test_profile INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  promo_code TEXT UNIQUE,
  assigned_at INTEGER
);
CREATE INDEX esim_profiles_free ON esim_profiles(provider, promo_code, imported_at);
)sql";

inline constexpr std::string_view kV3 = R"sql(
CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners(id),
  event TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT NOT NULL
);
CREATE INDEX webhook_events_due ON webhook_events(status, due_at);
CREATE INDEX webhook_events_partner ON webhook_events(partner_id, created_at DESC);
)sql";

// The dashboard's counters, kept by triggers in the transaction of every change so that they
// are exactly the rows' states (design.md 10, "Stats"). Days are UTC (millis / 86400000).
inline constexpr std::string_view kV4 = R"sql(
CREATE TABLE daily_stats (
  day INTEGER NOT NULL,
  partner_id TEXT NOT NULL,
  accepted INTEGER NOT NULL DEFAULT 0,
  failed_validation INTEGER NOT NULL DEFAULT 0,
  failed_authentication INTEGER NOT NULL DEFAULT 0,
  failed_no_package INTEGER NOT NULL DEFAULT 0,
  failed_conflict INTEGER NOT NULL DEFAULT 0,
  failed_rate_limited INTEGER NOT NULL DEFAULT 0,
  failed_internal INTEGER NOT NULL DEFAULT 0,
  messages_pending INTEGER NOT NULL DEFAULT 0,
  messages_sent INTEGER NOT NULL DEFAULT 0,
  messages_failed INTEGER NOT NULL DEFAULT 0,
  messages_cancelled INTEGER NOT NULL DEFAULT 0,
  codes_issued INTEGER NOT NULL DEFAULT 0,
  codes_redeemed INTEGER NOT NULL DEFAULT 0,
  codes_revoked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, partner_id)
);
CREATE TABLE send_times (
  day INTEGER NOT NULL,
  partner_id TEXT NOT NULL,
  steps INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, partner_id, steps)
);
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX bookings_created ON bookings(created_at);

CREATE TRIGGER stats_booking_created AFTER INSERT ON bookings BEGIN
  INSERT INTO daily_stats (day, partner_id, accepted)
  VALUES (NEW.created_at / 86400000, NEW.partner_id, 1)
  ON CONFLICT (day, partner_id) DO UPDATE SET accepted = accepted + 1;
END;

CREATE TRIGGER stats_code_issued AFTER INSERT ON promo_codes BEGIN
  INSERT INTO daily_stats (day, partner_id, codes_issued, codes_redeemed, codes_revoked)
  SELECT b.created_at / 86400000, b.partner_id, 1, NEW.status = 'REDEEMED', NEW.status = 'REVOKED'
  FROM bookings b WHERE b.id = NEW.booking_id
  ON CONFLICT (day, partner_id) DO UPDATE SET codes_issued = codes_issued + 1,
    codes_redeemed = codes_redeemed + excluded.codes_redeemed,
    codes_revoked = codes_revoked + excluded.codes_revoked;
END;

CREATE TRIGGER stats_code_changed AFTER UPDATE OF status ON promo_codes
WHEN NEW.status != OLD.status BEGIN
  UPDATE daily_stats SET
    codes_redeemed = codes_redeemed + (NEW.status = 'REDEEMED') - (OLD.status = 'REDEEMED'),
    codes_revoked = codes_revoked + (NEW.status = 'REVOKED') - (OLD.status = 'REVOKED')
  WHERE (day, partner_id) =
    (SELECT b.created_at / 86400000, b.partner_id FROM bookings b WHERE b.id = NEW.booking_id);
END;

CREATE TRIGGER stats_message_created AFTER INSERT ON messages BEGIN
  INSERT INTO daily_stats (day, partner_id, messages_pending, messages_sent, messages_failed,
                           messages_cancelled)
  SELECT NEW.created_at / 86400000, b.partner_id, NEW.status = 'PENDING', NEW.status = 'SENT',
         NEW.status = 'FAILED', NEW.status = 'CANCELLED'
  FROM bookings b WHERE b.id = NEW.booking_id
  ON CONFLICT (day, partner_id) DO UPDATE SET
    messages_pending = messages_pending + excluded.messages_pending,
    messages_sent = messages_sent + excluded.messages_sent,
    messages_failed = messages_failed + excluded.messages_failed,
    messages_cancelled = messages_cancelled + excluded.messages_cancelled;
  INSERT INTO send_times (day, partner_id, steps, n)
  SELECT NEW.created_at / 86400000, b.partner_id,
         MAX(0, (NEW.sent_at - NEW.created_at) / 10), 1
  FROM bookings b
  WHERE b.id = NEW.booking_id AND NEW.status = 'SENT' AND NEW.sent_at IS NOT NULL
    AND NEW.kind != 'reminder'
  ON CONFLICT (day, partner_id, steps) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stats_message_changed AFTER UPDATE OF status ON messages
WHEN NEW.status != OLD.status BEGIN
  UPDATE daily_stats SET
    messages_pending = messages_pending + (NEW.status = 'PENDING') - (OLD.status = 'PENDING'),
    messages_sent = messages_sent + (NEW.status = 'SENT') - (OLD.status = 'SENT'),
    messages_failed = messages_failed + (NEW.status = 'FAILED') - (OLD.status = 'FAILED'),
    messages_cancelled = messages_cancelled + (NEW.status = 'CANCELLED')
                         - (OLD.status = 'CANCELLED')
  WHERE (day, partner_id) =
    (SELECT NEW.created_at / 86400000, b.partner_id FROM bookings b WHERE b.id = NEW.booking_id);
  INSERT INTO send_times (day, partner_id, steps, n)
  SELECT NEW.created_at / 86400000, b.partner_id,
         MAX(0, (NEW.sent_at - NEW.created_at) / 10), 1
  FROM bookings b
  WHERE b.id = NEW.booking_id AND NEW.status = 'SENT' AND NEW.sent_at IS NOT NULL
    AND NEW.kind != 'reminder'
  ON CONFLICT (day, partner_id, steps) DO UPDATE SET n = n + 1;
END;
)sql";

// A list page's `meta.total` from the counters, not a count of the bookings: each day's row
// also holds the bookings created that day by their current status (a partner with a million
// bookings waited 85-650 ms per page for the count; docs/performance.md). The list's filters
// are whole days and a status, so the total is a sum over days. Kept by the creation's own
// upsert (no other write per booking) and a trigger on status changes; existing bookings are
// counted here, once. Bookings are never deleted (erasure blanks them); a deletion would
// still be counted.
inline constexpr std::string_view kV7 = R"sql(
ALTER TABLE daily_stats ADD COLUMN bookings_confirmed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN bookings_completed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN bookings_cancelled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN bookings_expired INTEGER NOT NULL DEFAULT 0;
INSERT INTO daily_stats (day, partner_id, bookings_confirmed, bookings_completed,
                         bookings_cancelled, bookings_expired)
  SELECT created_at / 86400000, partner_id, SUM(status = 'CONFIRMED'), SUM(status = 'COMPLETED'),
         SUM(status = 'CANCELLED'), SUM(status = 'EXPIRED')
  FROM bookings WHERE true GROUP BY 1, 2
  ON CONFLICT (day, partner_id) DO UPDATE SET
    bookings_confirmed = excluded.bookings_confirmed,
    bookings_completed = excluded.bookings_completed,
    bookings_cancelled = excluded.bookings_cancelled,
    bookings_expired = excluded.bookings_expired;

DROP TRIGGER stats_booking_created;
CREATE TRIGGER stats_booking_created AFTER INSERT ON bookings BEGIN
  INSERT INTO daily_stats (day, partner_id, accepted, bookings_confirmed, bookings_completed,
                           bookings_cancelled, bookings_expired)
  VALUES (NEW.created_at / 86400000, NEW.partner_id, 1, NEW.status = 'CONFIRMED',
          NEW.status = 'COMPLETED', NEW.status = 'CANCELLED', NEW.status = 'EXPIRED')
  ON CONFLICT (day, partner_id) DO UPDATE SET accepted = accepted + 1,
    bookings_confirmed = bookings_confirmed + excluded.bookings_confirmed,
    bookings_completed = bookings_completed + excluded.bookings_completed,
    bookings_cancelled = bookings_cancelled + excluded.bookings_cancelled,
    bookings_expired = bookings_expired + excluded.bookings_expired;
END;

CREATE TRIGGER stats_booking_changed AFTER UPDATE OF status ON bookings
WHEN NEW.status != OLD.status BEGIN
  UPDATE daily_stats SET
    bookings_confirmed = bookings_confirmed + (NEW.status = 'CONFIRMED') - (OLD.status = 'CONFIRMED'),
    bookings_completed = bookings_completed + (NEW.status = 'COMPLETED') - (OLD.status = 'COMPLETED'),
    bookings_cancelled = bookings_cancelled + (NEW.status = 'CANCELLED') - (OLD.status = 'CANCELLED'),
    bookings_expired = bookings_expired + (NEW.status = 'EXPIRED') - (OLD.status = 'EXPIRED')
  WHERE day = NEW.created_at / 86400000 AND partner_id = NEW.partner_id;
END;

CREATE TRIGGER stats_booking_deleted AFTER DELETE ON bookings BEGIN
  UPDATE daily_stats SET
    bookings_confirmed = bookings_confirmed - (OLD.status = 'CONFIRMED'),
    bookings_completed = bookings_completed - (OLD.status = 'COMPLETED'),
    bookings_cancelled = bookings_cancelled - (OLD.status = 'CANCELLED'),
    bookings_expired = bookings_expired - (OLD.status = 'EXPIRED')
  WHERE day = OLD.created_at / 86400000 AND partner_id = OLD.partner_id;
END;
)sql";

// SQLite: new bookings, promo codes and messages are counted by the statements that insert
// them (sqlite/new_row_counters.cc), not by a trigger per row: the three triggers were a
// third of a booking's cost in the writer (bench/writer_cost). Changes of status are still
// counted by triggers. PostgreSQL keeps its triggers.
inline constexpr std::string_view kV9 = R"sql(
DROP TRIGGER stats_booking_created;
DROP TRIGGER stats_code_issued;
DROP TRIGGER stats_message_created;
)sql";

// SQLite: a revision per booking, moved by every later change of the booking, its promo codes
// or its messages, whoever writes the file (a server's answer cache is checked against it).
// Updates and deletions move it by trigger; a message added to an existing booking moves it
// in the statement that adds it (sqlite/booking_rows.cc, InsertMessage): an insert trigger would
// cost every new booking a statement journal.
inline constexpr std::string_view kV10 = R"sql(
ALTER TABLE bookings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER revision_booking AFTER UPDATE ON bookings
WHEN NEW.revision = OLD.revision BEGIN
  UPDATE bookings SET revision = OLD.revision + 1 WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER revision_code_changed AFTER UPDATE ON promo_codes BEGIN
  UPDATE bookings SET revision = revision + 1 WHERE id = NEW.booking_id;
END;
CREATE TRIGGER revision_code_deleted AFTER DELETE ON promo_codes BEGIN
  UPDATE bookings SET revision = revision + 1 WHERE id = OLD.booking_id;
END;
CREATE TRIGGER revision_message_changed AFTER UPDATE ON messages BEGIN
  UPDATE bookings SET revision = revision + 1 WHERE id = NEW.booking_id;
END;
CREATE TRIGGER revision_message_deleted AFTER DELETE ON messages BEGIN
  UPDATE bookings SET revision = revision + 1 WHERE id = OLD.booking_id;
END;
)sql";

}  // namespace tripsim::store::sqlite_schema
