// SqliteStore's dashboard counters, access tokens, usage and traveller erasure.
#include "tripsim/base/date.h"
#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/sqlite_store_impl.h"

namespace tripsim::store::sqlite {
namespace {

// Adds ?3 failed attempts for `reason` to the counters of day ?1 and partner ?2.
std::string CountFailedAttemptsSql(domain::FailureReason reason) {
  const std::string column = "failed_" + std::string(domain::FailureReasonName(reason));
  return "INSERT INTO daily_stats (day, partner_id, " + column +
         ") VALUES (?1, ?2, ?3) ON CONFLICT (day, partner_id) DO UPDATE SET " + column + " = " +
         column + " + ?3";
}

}  // namespace

Status SqliteStore::RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) {
  return writer_.Submit([&](Db& db) -> Status {
    for (const FailedAttempt& a : attempts) {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare(CountFailedAttemptsSql(a.reason)));
      s.Bind(1, static_cast<int64_t>(DateOfMillis(a.at).days)).Bind(2, a.partner_id);
      TRIPSIM_RETURN_IF_ERROR(s.Bind(3, a.count).Run());
    }
    return Status::Ok();
  });
}

Result<StatsData> SqliteStore::QueryStats(Date from, Date to,
                                          const std::optional<std::string>& partner_id) {
  return Read<StatsData>([&](Db& db) -> Result<StatsData> {
    const std::string where =
        std::string(" WHERE day BETWEEN ?1 AND ?2") + (partner_id ? " AND partner_id = ?3" : "");
    auto bind = [&](Stmt& s) {
      s.Bind(1, static_cast<int64_t>(from.days)).Bind(2, static_cast<int64_t>(to.days));
      if (partner_id) s.Bind(3, *partner_id);
    };
    StatsData out;
    TRIPSIM_ASSIGN_OR_RETURN(
        rows, db.Prepare("SELECT day, partner_id, accepted, failed_validation, "
                         "failed_authentication, failed_no_package, failed_conflict, "
                         "failed_rate_limited, failed_internal, messages_pending, "
                         "messages_sent, messages_failed, messages_cancelled, codes_issued, "
                         "codes_redeemed, codes_revoked FROM daily_stats" +
                         where + " ORDER BY day, partner_id"));
    bind(rows);
    Stmt::StepResult r;
    while ((r = rows.Step()) == Stmt::kRow) {
      StatsRow row{Date{static_cast<int32_t>(rows.Int(0))}, rows.Text(1), {}};
      domain::DayCounters& c = row.counters;
      c.accepted = rows.Int(2);
      for (size_t i = 0; i < c.failed.size(); ++i) c.failed[i] = rows.Int(3 + static_cast<int>(i));
      c.messages_pending = rows.Int(9);
      c.messages_sent = rows.Int(10);
      c.messages_failed = rows.Int(11);
      c.messages_cancelled = rows.Int(12);
      c.codes_issued = rows.Int(13);
      c.codes_redeemed = rows.Int(14);
      c.codes_revoked = rows.Int(15);
      out.rows.push_back(std::move(row));
    }
    if (r == Stmt::kError) return rows.Error();
    TRIPSIM_ASSIGN_OR_RETURN(times, db.Prepare("SELECT day, partner_id, steps, n FROM send_times" +
                                               where + " ORDER BY day, partner_id, steps"));
    bind(times);
    while ((r = times.Step()) == Stmt::kRow) {
      out.send_times.push_back(
          {Date{static_cast<int32_t>(times.Int(0))}, times.Text(1), times.Int(2), times.Int(3)});
    }
    if (r == Stmt::kError) return times.Error();
    return out;
  });
}

Status SqliteStore::CreateAccessToken(const AccessToken& t) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("INSERT INTO access_tokens (token_hash, partner_id, "
                                           "created_at) VALUES (?, ?, ?)"));
    return s.Bind(1, t.token_hash).Bind(2, t.partner_id).Bind(3, t.created_at).Run();
  });
}

Result<AccessToken> SqliteStore::FindAccessToken(const std::string& token_hash) {
  return Read<AccessToken>([&](Db& db) -> Result<AccessToken> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT token_hash, partner_id, created_at FROM "
                                           "access_tokens WHERE token_hash = ?"));
    s.Bind(1, token_hash);
    Stmt::StepResult r = s.Step();
    if (r == Stmt::kError) return s.Error();
    if (r == Stmt::kDone) return NotFound("unknown token");
    return AccessToken{s.Text(0), s.Text(1), s.Int(2)};
  });
}

Result<Usage> SqliteStore::QueryUsage(int64_t from_millis, int64_t to_millis,
                                      const std::optional<std::string>& partner_id) {
  return Read<Usage>([&](Db& db) -> Result<Usage> {
    const std::string where = std::string(" WHERE b.created_at >= ?1 AND b.created_at < ?2") +
                              (partner_id ? " AND b.partner_id = ?3" : "");
    auto bind = [&](Stmt& s) {
      s.Bind(1, from_millis).Bind(2, to_millis);
      if (partner_id) s.Bind(3, *partner_id);
    };
    Usage out;
    TRIPSIM_ASSIGN_OR_RETURN(
        counts, db.Prepare("SELECT b.partner_id, COUNT(*), SUM(b.status = 'CANCELLED') "
                           "FROM bookings b" +
                           where + " GROUP BY b.partner_id ORDER BY b.partner_id"));
    bind(counts);
    Stmt::StepResult r;
    while ((r = counts.Step()) == Stmt::kRow) {
      out.bookings.emplace_back(counts.Text(0), counts.Int(1));
      out.cancelled.emplace_back(counts.Text(0), counts.Int(2));
    }
    if (r == Stmt::kError) return counts.Error();
    TRIPSIM_ASSIGN_OR_RETURN(
        codes, db.Prepare("SELECT b.partner_id, p.package, COUNT(*), "
                          "SUM(p.status = 'REDEEMED') FROM promo_codes p "
                          "JOIN bookings b ON b.id = p.booking_id" +
                          where +
                          " AND p.status != 'REVOKED' GROUP BY b.partner_id, p.package "
                          "ORDER BY b.partner_id, p.package"));
    bind(codes);
    while ((r = codes.Step()) == Stmt::kRow) {
      UsageRow row{codes.Text(0), std::nullopt, codes.Int(2), codes.Int(3)};
      if (auto doc = codes.OptText(1)) {
        TRIPSIM_ASSIGN_OR_RETURN(pkg, DecodePackage(*doc));
        row.package = std::move(pkg);
      }
      out.packages.push_back(std::move(row));
    }
    if (r == Stmt::kError) return codes.Error();
    return out;
  });
}

Result<int64_t> SqliteStore::EraseTraveller(const std::string& email) {
  return Erase("lower(email) = lower(?1)", [&](Stmt& s) { s.Bind(1, email); });
}

Result<int64_t> SqliteStore::EraseTripsEndedBefore(Date day) {
  return Erase("COALESCE(return_date, departure_date) < ?1",
               [&](Stmt& s) { s.Bind(1, FormatDate(day)); });
}

Result<int64_t> SqliteStore::BookingsOnDay(const std::string& partner_id, Date day) {
  return Read<int64_t>([&](Db& db) -> Result<int64_t> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT accepted FROM daily_stats WHERE day = ? "
                                           "AND partner_id = ?"));
    s.Bind(1, static_cast<int64_t>(day.days)).Bind(2, partner_id);
    Stmt::StepResult r = s.Step();
    if (r == Stmt::kError) return s.Error();
    return r == Stmt::kRow ? s.Int(0) : int64_t{0};
  });
}

Result<int64_t> SqliteStore::Erase(const std::string& where,
                                   const std::function<void(Stmt&)>& bind) {
  int64_t erased = 0;
  Status st = writer_.Submit([&](Db& db) -> Status {
    const std::string selected = "SELECT id FROM bookings WHERE (" + where +
                                 ") AND (email IS NOT NULL OR first_name IS NOT NULL OR "
                                 "last_name IS NOT NULL OR full_name IS NOT NULL OR "
                                 "phone IS NOT NULL)";
    TRIPSIM_ASSIGN_OR_RETURN(
        m, db.Prepare("UPDATE messages SET recipient = '', status = CASE WHEN status = "
                      "'PENDING' THEN 'CANCELLED' ELSE status END WHERE booking_id IN (" +
                      selected + ")"));
    bind(m);
    TRIPSIM_RETURN_IF_ERROR(m.Run());
    TRIPSIM_ASSIGN_OR_RETURN(
        b, db.Prepare("UPDATE bookings SET email = NULL, first_name = NULL, last_name = NULL, "
                      "full_name = NULL, title = NULL, phone = NULL, gender = NULL, "
                      "flight_number = NULL WHERE id IN (" +
                      selected + ")"));
    bind(b);
    TRIPSIM_RETURN_IF_ERROR(b.Run());
    erased = sqlite3_changes(db.raw());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return erased;
}

}  // namespace tripsim::store::sqlite
