// The PostgreSQL dialect of the schema's versions (migrations.cc lists them with SQLite's):
// kVN is version N's SQL. Versions that need no PostgreSQL statement, or share theirs with
// SQLite, are not here. Included by migrations.cc only.
#pragma once

#include <string_view>

namespace tripsim::store::postgres_schema {

// PostgreSQL: the same tables and meaning. Plain unique constraints (NULLs are distinct) serve
// ON CONFLICT DO NOTHING; booleans stay integers so that both dialects read rows alike.
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
  rate_limit DOUBLE PRECISION NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL
);
CREATE TABLE bookings (
  seq BIGSERIAL UNIQUE,
  id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners(id),
  booking_ref TEXT,
  idempotency_key TEXT,
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
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
  specs TEXT NOT NULL,
  UNIQUE (partner_id, booking_ref),
  UNIQUE (partner_id, idempotency_key)
);
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
  claimed_at BIGINT,
  redeemed_at BIGINT,
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
  created_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  sent_at BIGINT,
  last_error TEXT NOT NULL,
  lease_until BIGINT
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
  imported_at BIGINT NOT NULL,
  promo_code TEXT UNIQUE,
  assigned_at BIGINT
);
CREATE INDEX esim_profiles_free ON esim_profiles(provider, imported_at) WHERE promo_code IS NULL;
)sql";

inline constexpr std::string_view kV3 = R"sql(
CREATE TABLE webhook_events (
  seq BIGSERIAL UNIQUE,
  id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL REFERENCES partners(id),
  event TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_error TEXT NOT NULL
);
CREATE INDEX webhook_events_due ON webhook_events(status, due_at);
CREATE INDEX webhook_events_partner ON webhook_events(partner_id, created_at DESC);
)sql";

// PostgreSQL: concurrent transactions would all update the one counter row of a partner and
// day and wait for each other's commit; so each row is split in 16 shards (by backend), the
// triggers add signed deltas to their own shard, and readers sum the shards.
inline constexpr std::string_view kV4 = R"sql(
CREATE TABLE daily_stats (
  day INTEGER NOT NULL,
  partner_id TEXT NOT NULL,
  shard SMALLINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  failed_validation BIGINT NOT NULL DEFAULT 0,
  failed_authentication BIGINT NOT NULL DEFAULT 0,
  failed_no_package BIGINT NOT NULL DEFAULT 0,
  failed_conflict BIGINT NOT NULL DEFAULT 0,
  failed_rate_limited BIGINT NOT NULL DEFAULT 0,
  failed_internal BIGINT NOT NULL DEFAULT 0,
  messages_pending BIGINT NOT NULL DEFAULT 0,
  messages_sent BIGINT NOT NULL DEFAULT 0,
  messages_failed BIGINT NOT NULL DEFAULT 0,
  messages_cancelled BIGINT NOT NULL DEFAULT 0,
  codes_issued BIGINT NOT NULL DEFAULT 0,
  codes_redeemed BIGINT NOT NULL DEFAULT 0,
  codes_revoked BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, partner_id, shard)
);
CREATE TABLE send_times (
  day INTEGER NOT NULL,
  partner_id TEXT NOT NULL,
  steps BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (day, partner_id, steps)
);
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX bookings_created ON bookings(created_at);

-- Adds deltas to the calling backend's shard of (day, partner).
CREATE FUNCTION tripsim_stats_add(d BIGINT, p TEXT, accepted_ BIGINT, issued_ BIGINT,
                                  redeemed_ BIGINT, revoked_ BIGINT, pending_ BIGINT,
                                  sent_ BIGINT, failed_ BIGINT, cancelled_ BIGINT)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_stats (day, partner_id, shard, accepted, codes_issued, codes_redeemed,
                           codes_revoked, messages_pending, messages_sent, messages_failed,
                           messages_cancelled)
  VALUES (d, p, pg_backend_pid() % 16, accepted_, issued_, redeemed_, revoked_, pending_, sent_,
          failed_, cancelled_)
  ON CONFLICT (day, partner_id, shard) DO UPDATE SET
    accepted = daily_stats.accepted + excluded.accepted,
    codes_issued = daily_stats.codes_issued + excluded.codes_issued,
    codes_redeemed = daily_stats.codes_redeemed + excluded.codes_redeemed,
    codes_revoked = daily_stats.codes_revoked + excluded.codes_revoked,
    messages_pending = daily_stats.messages_pending + excluded.messages_pending,
    messages_sent = daily_stats.messages_sent + excluded.messages_sent,
    messages_failed = daily_stats.messages_failed + excluded.messages_failed,
    messages_cancelled = daily_stats.messages_cancelled + excluded.messages_cancelled;
$$;

CREATE FUNCTION tripsim_stats_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tripsim_stats_add(NEW.created_at / 86400000, NEW.partner_id, 1, 0, 0, 0, 0, 0, 0, 0);
  RETURN NULL;
END $$;
CREATE TRIGGER stats_booking_created AFTER INSERT ON bookings
  FOR EACH ROW EXECUTE FUNCTION tripsim_stats_booking();

CREATE FUNCTION tripsim_stats_code() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d INTEGER;
  p TEXT;
BEGIN
  SELECT b.created_at / 86400000, b.partner_id INTO d, p FROM bookings b WHERE b.id = NEW.booking_id;
  IF TG_OP = 'INSERT' THEN
    PERFORM tripsim_stats_add(d, p, 0, 1, (NEW.status = 'REDEEMED')::int,
                              (NEW.status = 'REVOKED')::int, 0, 0, 0, 0);
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    PERFORM tripsim_stats_add(d, p, 0, 0,
                              (NEW.status = 'REDEEMED')::int - (OLD.status = 'REDEEMED')::int,
                              (NEW.status = 'REVOKED')::int - (OLD.status = 'REVOKED')::int,
                              0, 0, 0, 0);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_code AFTER INSERT OR UPDATE OF status ON promo_codes
  FOR EACH ROW EXECUTE FUNCTION tripsim_stats_code();

CREATE FUNCTION tripsim_stats_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p TEXT;
  d INTEGER := NEW.created_at / 86400000;
BEGIN
  SELECT b.partner_id INTO p FROM bookings b WHERE b.id = NEW.booking_id;
  IF TG_OP = 'INSERT' THEN
    PERFORM tripsim_stats_add(d, p, 0, 0, 0, 0, (NEW.status = 'PENDING')::int,
                              (NEW.status = 'SENT')::int, (NEW.status = 'FAILED')::int,
                              (NEW.status = 'CANCELLED')::int);
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    PERFORM tripsim_stats_add(d, p, 0, 0, 0, 0,
                              (NEW.status = 'PENDING')::int - (OLD.status = 'PENDING')::int,
                              (NEW.status = 'SENT')::int - (OLD.status = 'SENT')::int,
                              (NEW.status = 'FAILED')::int - (OLD.status = 'FAILED')::int,
                              (NEW.status = 'CANCELLED')::int - (OLD.status = 'CANCELLED')::int);
  ELSE
    RETURN NULL;
  END IF;
  IF NEW.status = 'SENT' AND NEW.sent_at IS NOT NULL AND NEW.kind <> 'reminder' THEN
    INSERT INTO send_times (day, partner_id, steps, n)
    VALUES (d, p, GREATEST(0, (NEW.sent_at - NEW.created_at) / 10), 1)
    ON CONFLICT (day, partner_id, steps) DO UPDATE SET n = send_times.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_message AFTER INSERT OR UPDATE OF status ON messages
  FOR EACH ROW EXECUTE FUNCTION tripsim_stats_message();
)sql";

// PostgreSQL: the dashboard counters' upsert in PL/pgSQL, same statement. A SQL-language
// function that is not inlined is parsed and planned again at every call (PostgreSQL 15), and
// the triggers call it for every booking, promo code and message; PL/pgSQL keeps its plan for
// the session. Booking creation on PostgreSQL: 675-968 -> 864-1,336/s (docs/performance.md).
// SQLite keeps its counters in its triggers' own statements: nothing to change there.
inline constexpr std::string_view kV6 = R"sql(
CREATE OR REPLACE FUNCTION tripsim_stats_add(d BIGINT, p TEXT, accepted_ BIGINT, issued_ BIGINT,
                                             redeemed_ BIGINT, revoked_ BIGINT, pending_ BIGINT,
                                             sent_ BIGINT, failed_ BIGINT, cancelled_ BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO daily_stats (day, partner_id, shard, accepted, codes_issued, codes_redeemed,
                           codes_revoked, messages_pending, messages_sent, messages_failed,
                           messages_cancelled)
  VALUES (d, p, pg_backend_pid() % 16, accepted_, issued_, redeemed_, revoked_, pending_, sent_,
          failed_, cancelled_)
  ON CONFLICT (day, partner_id, shard) DO UPDATE SET
    accepted = daily_stats.accepted + excluded.accepted,
    codes_issued = daily_stats.codes_issued + excluded.codes_issued,
    codes_redeemed = daily_stats.codes_redeemed + excluded.codes_redeemed,
    codes_revoked = daily_stats.codes_revoked + excluded.codes_revoked,
    messages_pending = daily_stats.messages_pending + excluded.messages_pending,
    messages_sent = daily_stats.messages_sent + excluded.messages_sent,
    messages_failed = daily_stats.messages_failed + excluded.messages_failed,
    messages_cancelled = daily_stats.messages_cancelled + excluded.messages_cancelled;
END $$;
)sql";

// PostgreSQL: the same columns in each shard; the booking triggers add their deltas through
// one more PL/pgSQL function (to the calling backend's shard, as tripsim_stats_add). The
// existing bookings are counted last, into a shard of their own: the ALTER and DROP before
// wait for the bookings being written by instances still running and hold new ones until this
// commits, so every booking is counted once.
inline constexpr std::string_view kV7 = R"sql(
ALTER TABLE daily_stats ADD COLUMN bookings_confirmed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN bookings_completed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN bookings_cancelled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_stats ADD COLUMN bookings_expired BIGINT NOT NULL DEFAULT 0;

-- Adds a booking's deltas (accepted, then one per status) to the calling backend's shard.
CREATE FUNCTION tripsim_stats_add_booking(d BIGINT, p TEXT, accepted_ BIGINT,
                                          confirmed_ BIGINT, completed_ BIGINT,
                                          cancelled_ BIGINT, expired_ BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO daily_stats (day, partner_id, shard, accepted, bookings_confirmed,
                           bookings_completed, bookings_cancelled, bookings_expired)
  VALUES (d, p, pg_backend_pid() % 16, accepted_, confirmed_, completed_, cancelled_, expired_)
  ON CONFLICT (day, partner_id, shard) DO UPDATE SET
    accepted = daily_stats.accepted + excluded.accepted,
    bookings_confirmed = daily_stats.bookings_confirmed + excluded.bookings_confirmed,
    bookings_completed = daily_stats.bookings_completed + excluded.bookings_completed,
    bookings_cancelled = daily_stats.bookings_cancelled + excluded.bookings_cancelled,
    bookings_expired = daily_stats.bookings_expired + excluded.bookings_expired;
END $$;

CREATE OR REPLACE FUNCTION tripsim_stats_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM tripsim_stats_add_booking(OLD.created_at / 86400000, OLD.partner_id, 0,
                                      -(OLD.status = 'CONFIRMED')::int,
                                      -(OLD.status = 'COMPLETED')::int,
                                      -(OLD.status = 'CANCELLED')::int,
                                      -(OLD.status = 'EXPIRED')::int);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tripsim_stats_add_booking(NEW.created_at / 86400000, NEW.partner_id,
                                      (TG_OP = 'INSERT')::int,
                                      (NEW.status = 'CONFIRMED')::int,
                                      (NEW.status = 'COMPLETED')::int,
                                      (NEW.status = 'CANCELLED')::int,
                                      (NEW.status = 'EXPIRED')::int);
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER stats_booking_created ON bookings;
CREATE TRIGGER stats_booking AFTER INSERT OR DELETE OR UPDATE OF status ON bookings
  FOR EACH ROW EXECUTE FUNCTION tripsim_stats_booking();

INSERT INTO daily_stats (day, partner_id, shard, bookings_confirmed, bookings_completed,
                         bookings_cancelled, bookings_expired)
  SELECT created_at / 86400000, partner_id, 16, COUNT(*) FILTER (WHERE status = 'CONFIRMED'),
         COUNT(*) FILTER (WHERE status = 'COMPLETED'), COUNT(*) FILTER (WHERE status = 'CANCELLED'),
         COUNT(*) FILTER (WHERE status = 'EXPIRED')
  FROM bookings GROUP BY 1, 2;
)sql";

}  // namespace tripsim::store::postgres_schema
