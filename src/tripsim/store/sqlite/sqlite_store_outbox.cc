// SqliteStore's outboxes: due emails and webhook events claimed under a lease, and their
// outcomes recorded (with the webhook events they raise).
#include "tripsim/base/clock.h"
#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/booking_rows.h"
#include "tripsim/store/sqlite/sqlite_store_impl.h"

namespace tripsim::store::sqlite {

using domain::Booking;

Result<std::vector<OutboxItem>> SqliteStore::ClaimDueMessages(int64_t now, int64_t lease_until,
                                                              int limit) {
  std::vector<std::pair<std::string, std::string>> claimed;  // (message id, booking id)
  Status st = writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("UPDATE messages SET lease_until = ?1, attempts = attempts + 1 "
                      "WHERE id IN (SELECT id FROM messages WHERE status = 'PENDING' "
                      "AND due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) "
                      "ORDER BY due_at LIMIT ?3) RETURNING id, booking_id"));
    s.Bind(1, lease_until).Bind(2, now).Bind(3, static_cast<int64_t>(limit));
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) claimed.emplace_back(s.Text(0), s.Text(1));
    return r == Stmt::kError ? s.Error() : Status::Ok();
  });
  if (!st.ok()) return st;
  std::vector<OutboxItem> out;
  for (const auto& claim : claimed) {
    const std::string& booking_id = claim.second;
    TRIPSIM_ASSIGN_OR_RETURN(b, Read<Booking>([&](Db& db) {
                               return QueryBooking(db, kBookingById,
                                                   [&](Stmt& q) { q.Bind(1, booking_id); });
                             }));
    for (const auto& m : b.messages) {
      if (m.id == claim.first) out.push_back({m, b});
    }
  }
  return out;
}

Status SqliteStore::MarkMessageSent(const std::string& message_id, int64_t sent_at) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("UPDATE messages SET status = 'SENT', sent_at = ?, lease_until = NULL, "
                      "last_error = '' WHERE id = ?"));
    TRIPSIM_RETURN_IF_ERROR(s.Bind(1, sent_at).Bind(2, message_id).Run());
    TRIPSIM_ASSIGN_OR_RETURN(owner, OwnerOfMessage(db, message_id));
    return EnqueueWebhook(db, owner.event_owner(), "message.sent", message_id, sent_at);
  });
}

Status SqliteStore::MarkMessageFailed(const std::string& message_id, const std::string& error,
                                      std::optional<int64_t> retry_at) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare(retry_at ? "UPDATE messages SET due_at = ?1, last_error = ?2, "
                                 "lease_until = NULL WHERE id = ?3"
                               : "UPDATE messages SET status = 'FAILED', last_error = ?2, "
                                 "lease_until = NULL WHERE id = ?3"));
    if (retry_at) s.Bind(1, *retry_at);
    TRIPSIM_RETURN_IF_ERROR(s.Bind(2, error).Bind(3, message_id).Run());
    if (retry_at) return Status::Ok();
    TRIPSIM_ASSIGN_OR_RETURN(owner, OwnerOfMessage(db, message_id));
    return EnqueueWebhook(db, owner.event_owner(), "message.failed", message_id,
                          SystemClock().NowMillis());
  });
}

Result<std::vector<WebhookEvent>> SqliteStore::ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                                int limit) {
  std::vector<WebhookEvent> out;
  Status st = writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("UPDATE webhook_events SET lease_until = ?1, attempts = attempts + 1 "
                      "WHERE id IN (SELECT id FROM webhook_events WHERE status = 'PENDING' "
                      "AND due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) "
                      "ORDER BY due_at LIMIT ?3) RETURNING " +
                      std::string(kWebhookColumns)));
    s.Bind(1, lease_until).Bind(2, now).Bind(3, static_cast<int64_t>(limit));
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) out.push_back(ReadWebhook(s));
    return r == Stmt::kError ? s.Error() : Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status SqliteStore::MarkWebhookDelivered(const std::string& event_id, int64_t) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("UPDATE webhook_events SET status = 'DELIVERED', lease_until = NULL, "
                      "last_error = '' WHERE id = ?"));
    return s.Bind(1, event_id).Run();
  });
}

Status SqliteStore::MarkWebhookFailed(const std::string& event_id, const std::string& error,
                                      std::optional<int64_t> retry_at) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare(retry_at ? "UPDATE webhook_events SET due_at = ?1, last_error = ?2, "
                                 "lease_until = NULL WHERE id = ?3"
                               : "UPDATE webhook_events SET status = 'DEAD', last_error = ?2, "
                                 "lease_until = NULL WHERE id = ?3"));
    if (retry_at) s.Bind(1, *retry_at);
    return s.Bind(2, error).Bind(3, event_id).Run();
  });
}

Status SqliteStore::RequeueWebhook(const std::string& event_id, int64_t now) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(s,
                             db.Prepare("UPDATE webhook_events SET status = 'PENDING', due_at = ?, "
                                        "lease_until = NULL WHERE id = ?"));
    TRIPSIM_RETURN_IF_ERROR(s.Bind(1, now).Bind(2, event_id).Run());
    if (sqlite3_changes(db.raw()) == 0) return NotFound("unknown webhook event " + event_id);
    return Status::Ok();
  });
}

Result<std::vector<FailedMessage>> SqliteStore::ListFailedMessages(
    const std::optional<std::string>& partner_id, int limit) {
  return Read<std::vector<FailedMessage>>([&](Db& db) -> Result<std::vector<FailedMessage>> {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("SELECT m.id, m.booking_id, b.partner_id, m.recipient, m.attempts, "
                      "m.created_at, m.last_error FROM messages m JOIN bookings b "
                      "ON b.id = m.booking_id WHERE m.status = 'FAILED' "
                      "AND (?1 IS NULL OR b.partner_id = ?1) "
                      "ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?2"));
    if (partner_id) s.Bind(1, *partner_id);
    s.Bind(2, static_cast<int64_t>(limit));
    std::vector<FailedMessage> out;
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) {
      out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), static_cast<int>(s.Int(4)),
                     s.Int(5), s.Text(6)});
    }
    if (r == Stmt::kError) return s.Error();
    return out;
  });
}

Result<std::vector<WebhookEvent>> SqliteStore::ListWebhookEvents(const std::string& partner_id,
                                                                 int limit) {
  return Read<std::vector<WebhookEvent>>([&](Db& db) -> Result<std::vector<WebhookEvent>> {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT " + std::string(kWebhookColumns) +
                                           " FROM webhook_events WHERE partner_id = ? "
                                           "ORDER BY created_at DESC, rowid DESC LIMIT ?"));
    s.Bind(1, partner_id).Bind(2, static_cast<int64_t>(limit));
    std::vector<WebhookEvent> out;
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) out.push_back(ReadWebhook(s));
    if (r == Stmt::kError) return s.Error();
    return out;
  });
}

Result<OutboxDepth> SqliteStore::QueueDepth(int64_t now) {
  return Read<OutboxDepth>([&](Db& db) -> Result<OutboxDepth> {
    OutboxDepth out;
    for (const char* table : {"messages", "webhook_events"}) {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare(std::string("SELECT COUNT(*), MIN(due_at) FROM ") +
                                             table + " WHERE status = 'PENDING' AND due_at <= ?"));
      s.Bind(1, now);
      if (s.Step() != Stmt::kRow) return s.Error();
      const bool messages = std::string_view(table) == "messages";
      (messages ? out.messages : out.webhooks) = s.Int(0);
      (messages ? out.oldest_message_due_at : out.oldest_webhook_due_at) = s.OptInt(1);
    }
    return out;
  });
}

}  // namespace tripsim::store::sqlite
