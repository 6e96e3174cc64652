// PostgresStore's dashboard counters, access tokens, usage and traveller erasure.
#include "tripsim/base/date.h"
#include "tripsim/store/postgres/postgres_store_impl.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store::pg {

namespace {

// Adds $3 failed attempts for `reason` to the counters of day $1 and partner $2.
std::string CountFailedAttemptsSql(domain::FailureReason reason) {
  const std::string column = "failed_" + std::string(domain::FailureReasonName(reason));
  return "INSERT INTO daily_stats (day, partner_id, " + column +
         ") VALUES ($1, $2, $3) ON CONFLICT (day, partner_id, shard) DO UPDATE SET " + column +
         " = daily_stats." + column + " + excluded." + column;
}

}  // namespace

Status PostgresStore::RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) {
  return Tx([&](Conn& c) -> Status {
    for (const FailedAttempt& a : attempts) {
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec(CountFailedAttemptsSql(a.reason),
                 {P(static_cast<int64_t>(DateOfMillis(a.at).days)), P(a.partner_id), P(a.count)})
              .status());
    }
    return Status::Ok();
  });
}

Result<StatsData> PostgresStore::QueryStats(Date from, Date to,
                                            const std::optional<std::string>& partner_id) {
  return Read<StatsData>([&](Conn& c) -> Result<StatsData> {
    const std::string where =
        std::string(" WHERE day BETWEEN $1 AND $2") + (partner_id ? " AND partner_id = $3" : "");
    Params params = {P(static_cast<int64_t>(from.days)), P(static_cast<int64_t>(to.days))};
    if (partner_id) params.push_back(P(*partner_id));
    StatsData out;
    TRIPSIM_ASSIGN_OR_RETURN(
        rows, c.Exec("SELECT day, partner_id, SUM(accepted), SUM(failed_validation), "
                     "SUM(failed_authentication), SUM(failed_no_package), SUM(failed_conflict), "
                     "SUM(failed_rate_limited), SUM(failed_internal), SUM(messages_pending), "
                     "SUM(messages_sent), SUM(messages_failed), SUM(messages_cancelled), "
                     "SUM(codes_issued), SUM(codes_redeemed), SUM(codes_revoked) "
                     "FROM daily_stats" +
                         where + " GROUP BY day, partner_id ORDER BY day, partner_id",
                     params));
    for (int i = 0; i < rows.size(); ++i) {
      StatsRow row{Date{static_cast<int32_t>(rows.Int(i, 0))}, rows.Text(i, 1), {}};
      domain::DayCounters& k = row.counters;
      k.accepted = rows.Int(i, 2);
      for (size_t f = 0; f < k.failed.size(); ++f)
        k.failed[f] = rows.Int(i, 3 + static_cast<int>(f));
      k.messages_pending = rows.Int(i, 9);
      k.messages_sent = rows.Int(i, 10);
      k.messages_failed = rows.Int(i, 11);
      k.messages_cancelled = rows.Int(i, 12);
      k.codes_issued = rows.Int(i, 13);
      k.codes_redeemed = rows.Int(i, 14);
      k.codes_revoked = rows.Int(i, 15);
      out.rows.push_back(std::move(row));
    }
    TRIPSIM_ASSIGN_OR_RETURN(times, c.Exec("SELECT day, partner_id, steps, n FROM send_times" +
                                               where + " ORDER BY day, partner_id, steps",
                                           params));
    for (int i = 0; i < times.size(); ++i) {
      out.send_times.push_back({Date{static_cast<int32_t>(times.Int(i, 0))}, times.Text(i, 1),
                                times.Int(i, 2), times.Int(i, 3)});
    }
    return out;
  });
}

Status PostgresStore::CreateAccessToken(const AccessToken& t) {
  return Tx([&](Conn& c) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("INSERT INTO access_tokens (token_hash, partner_id, created_at) "
                  "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING token_hash",
                  {P(t.token_hash), P(t.partner_id), P(t.created_at)}));
    if (r.size() == 0) return {ErrorCode::kAlreadyExists, "token exists"};
    return Status::Ok();
  });
}

Result<AccessToken> PostgresStore::FindAccessToken(const std::string& token_hash) {
  return Read<AccessToken>([&](Conn& c) -> Result<AccessToken> {
    TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT token_hash, partner_id, created_at FROM "
                                       "access_tokens WHERE token_hash = $1",
                                       {P(token_hash)}));
    if (r.size() == 0) return NotFound("unknown token");
    return AccessToken{r.Text(0, 0), r.Text(0, 1), r.Int(0, 2)};
  });
}

Result<Usage> PostgresStore::QueryUsage(int64_t from_millis, int64_t to_millis,
                                        const std::optional<std::string>& partner_id) {
  return Read<Usage>([&](Conn& c) -> Result<Usage> {
    const std::string where = std::string(" WHERE b.created_at >= $1 AND b.created_at < $2") +
                              (partner_id ? " AND b.partner_id = $3" : "");
    Params params = {P(from_millis), P(to_millis)};
    if (partner_id) params.push_back(P(*partner_id));
    Usage out;
    TRIPSIM_ASSIGN_OR_RETURN(
        counts, c.Exec("SELECT b.partner_id, COUNT(*), SUM((b.status = 'CANCELLED')::int) "
                       "FROM bookings b" +
                           where + " GROUP BY b.partner_id ORDER BY b.partner_id",
                       params));
    for (int i = 0; i < counts.size(); ++i) {
      out.bookings.emplace_back(counts.Text(i, 0), counts.Int(i, 1));
      out.cancelled.emplace_back(counts.Text(i, 0), counts.Int(i, 2));
    }
    TRIPSIM_ASSIGN_OR_RETURN(
        codes, c.Exec("SELECT b.partner_id, p.package, COUNT(*), "
                      "SUM((p.status = 'REDEEMED')::int) FROM promo_codes p "
                      "JOIN bookings b ON b.id = p.booking_id" +
                          where +
                          " AND p.status <> 'REVOKED' GROUP BY b.partner_id, p.package "
                          "ORDER BY b.partner_id, p.package NULLS FIRST",
                      params));
    for (int i = 0; i < codes.size(); ++i) {
      UsageRow row{codes.Text(i, 0), std::nullopt, codes.Int(i, 2), codes.Int(i, 3)};
      if (auto doc = codes.OptText(i, 1)) {
        TRIPSIM_ASSIGN_OR_RETURN(pkg, DecodePackage(*doc));
        row.package = std::move(pkg);
      }
      out.packages.push_back(std::move(row));
    }
    return out;
  });
}

Result<int64_t> PostgresStore::EraseTraveller(const std::string& email) {
  return Erase("lower(email) = lower($1)", P(email));
}

Result<int64_t> PostgresStore::EraseTripsEndedBefore(Date day) {
  return Erase("COALESCE(return_date, departure_date) < $1", P(FormatDate(day)));
}

Result<int64_t> PostgresStore::BookingsOnDay(const std::string& partner_id, Date day) {
  return Read<int64_t>([&](Conn& c) -> Result<int64_t> {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("SELECT COALESCE(SUM(accepted), 0) FROM daily_stats WHERE day = $1 AND "
                  "partner_id = $2",
                  {P(static_cast<int64_t>(day.days)), P(partner_id)}));
    return r.Int(0, 0);
  });
}

Result<int64_t> PostgresStore::Erase(const std::string& where, const pg::Param& value) {
  int64_t erased = 0;
  Status st = Tx([&](Conn& c) -> Status {
    const std::string selected = "SELECT id FROM bookings WHERE (" + where +
                                 ") AND (email IS NOT NULL OR first_name IS NOT NULL OR "
                                 "last_name IS NOT NULL OR full_name IS NOT NULL OR "
                                 "phone IS NOT NULL)";
    TRIPSIM_RETURN_IF_ERROR(
        c.Exec("UPDATE messages SET recipient = '', status = CASE WHEN status = 'PENDING' "
               "THEN 'CANCELLED' ELSE status END WHERE booking_id IN (" +
                   selected + ")",
               {value})
            .status());
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("UPDATE bookings SET email = NULL, first_name = NULL, last_name = NULL, "
                  "full_name = NULL, title = NULL, phone = NULL, gender = NULL, "
                  "flight_number = NULL WHERE id IN (" +
                      selected + ") RETURNING id",
                  {value}));
    erased = r.size();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return erased;
}

}  // namespace tripsim::store::pg
