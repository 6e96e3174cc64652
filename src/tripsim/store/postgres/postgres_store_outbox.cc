// PostgresStore's outboxes: due emails and webhook events claimed with FOR UPDATE SKIP LOCKED
// under a lease, and their outcomes recorded (with the webhook events they raise).
#include "tripsim/base/clock.h"
#include "tripsim/store/postgres/booking_rows.h"
#include "tripsim/store/postgres/postgres_store_impl.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store::pg {

using domain::Booking;

Result<std::vector<OutboxItem>> PostgresStore::ClaimDueMessages(int64_t now, int64_t lease_until,
                                                                int limit) {
  std::vector<std::pair<std::string, std::string>> claimed;  // (message id, booking id)
  Status st = Tx([&](Conn& c) -> Status {
    claimed.clear();
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("UPDATE messages SET lease_until = $1, attempts = attempts + 1 "
                  "WHERE id IN (SELECT id FROM messages WHERE status = 'PENDING' "
                  "AND due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) "
                  "ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id, booking_id",
                  {P(lease_until), P(now), P(limit)}));
    for (int i = 0; i < r.size(); ++i) claimed.emplace_back(r.Text(i, 0), r.Text(i, 1));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::vector<OutboxItem> out;
  for (const auto& [message_id, booking_id] : claimed) {
    TRIPSIM_ASSIGN_OR_RETURN(b, Read<Booking>([&, &booking_id = booking_id](Conn& c) {
                               return QueryBooking(c, "id = $1", {P(booking_id)});
                             }));
    for (const auto& m : b.messages) {
      if (m.id == message_id) out.push_back({m, b});
    }
  }
  return out;
}

Status PostgresStore::MarkMessageSent(const std::string& message_id, int64_t sent_at) {
  return Tx([&](Conn& c) -> Status {
    TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE messages SET status = 'SENT', sent_at = $1, "
                                   "lease_until = NULL, last_error = '' WHERE id = $2",
                                   {P(sent_at), P(message_id)})
                                .status());
    TRIPSIM_ASSIGN_OR_RETURN(booking_id, BookingOfMessage(c, message_id));
    return EnqueueWebhook(c, booking_id, "message.sent", message_id, sent_at);
  });
}

Status PostgresStore::MarkMessageFailed(const std::string& message_id, const std::string& error,
                                        std::optional<int64_t> retry_at) {
  return Tx([&](Conn& c) -> Status {
    if (retry_at) {
      return c
          .Exec(
              "UPDATE messages SET due_at = $1, last_error = $2, lease_until = NULL "
              "WHERE id = $3",
              {P(*retry_at), P(error), P(message_id)})
          .status();
    }
    TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE messages SET status = 'FAILED', last_error = $1, "
                                   "lease_until = NULL WHERE id = $2",
                                   {P(error), P(message_id)})
                                .status());
    TRIPSIM_ASSIGN_OR_RETURN(booking_id, BookingOfMessage(c, message_id));
    return EnqueueWebhook(c, booking_id, "message.failed", message_id, SystemClock().NowMillis());
  });
}

Result<std::vector<WebhookEvent>> PostgresStore::ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                                  int limit) {
  std::vector<WebhookEvent> out;
  Status st = Tx([&](Conn& c) -> Status {
    out.clear();
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("UPDATE webhook_events SET lease_until = $1, attempts = attempts + 1 "
                  "WHERE id IN (SELECT id FROM webhook_events WHERE status = 'PENDING' "
                  "AND due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) "
                  "ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING " +
                      Cols(kWebhookColumns),
                  {P(lease_until), P(now), P(limit)}));
    for (int i = 0; i < r.size(); ++i) out.push_back(ReadWebhook(pg::Row(r, i)));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status PostgresStore::MarkWebhookDelivered(const std::string& event_id, int64_t) {
  return Tx([&](Conn& c) -> Status {
    return c
        .Exec(
            "UPDATE webhook_events SET status = 'DELIVERED', lease_until = NULL, "
            "last_error = '' WHERE id = $1",
            {P(event_id)})
        .status();
  });
}

Status PostgresStore::MarkWebhookFailed(const std::string& event_id, const std::string& error,
                                        std::optional<int64_t> retry_at) {
  return Tx([&](Conn& c) -> Status {
    if (retry_at) {
      return c
          .Exec(
              "UPDATE webhook_events SET due_at = $1, last_error = $2, lease_until = NULL "
              "WHERE id = $3",
              {P(*retry_at), P(error), P(event_id)})
          .status();
    }
    return c
        .Exec(
            "UPDATE webhook_events SET status = 'DEAD', last_error = $1, lease_until = NULL "
            "WHERE id = $2",
            {P(error), P(event_id)})
        .status();
  });
}

Status PostgresStore::RequeueWebhook(const std::string& event_id, int64_t now) {
  return Tx([&](Conn& c) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("UPDATE webhook_events SET status = 'PENDING', due_at = $1, "
                                       "lease_until = NULL WHERE id = $2 RETURNING id",
                                       {P(now), P(event_id)}));
    if (r.size() == 0) return NotFound("unknown webhook event " + event_id);
    return Status::Ok();
  });
}

Result<std::vector<FailedMessage>> PostgresStore::ListFailedMessages(
    const std::optional<std::string>& partner_id, int limit) {
  return Read<std::vector<FailedMessage>>([&](Conn& c) -> Result<std::vector<FailedMessage>> {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("SELECT m.id, m.booking_id, b.partner_id, m.recipient, m.attempts, "
                  "m.created_at, m.last_error FROM messages m JOIN bookings b "
                  "ON b.id = m.booking_id WHERE m.status = 'FAILED' "
                  "AND ($1::text IS NULL OR b.partner_id = $1) "
                  "ORDER BY m.created_at DESC, m.id DESC LIMIT $2",
                  {P(partner_id), P(limit)}));
    std::vector<FailedMessage> out;
    for (int i = 0; i < r.size(); ++i) {
      out.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3),
                     static_cast<int>(r.Int(i, 4)), r.Int(i, 5), r.Text(i, 6)});
    }
    return out;
  });
}

Result<std::vector<WebhookEvent>> PostgresStore::ListWebhookEvents(const std::string& partner_id,
                                                                   int limit) {
  return Read<std::vector<WebhookEvent>>([&](Conn& c) -> Result<std::vector<WebhookEvent>> {
    TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT " + Cols(kWebhookColumns) +
                                           " FROM webhook_events WHERE partner_id = $1 "
                                           "ORDER BY created_at DESC, seq DESC LIMIT $2",
                                       {P(partner_id), P(limit)}));
    std::vector<WebhookEvent> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(ReadWebhook(pg::Row(r, i)));
    return out;
  });
}

Result<OutboxDepth> PostgresStore::QueueDepth(int64_t now) {
  return Read<OutboxDepth>([&](Conn& c) -> Result<OutboxDepth> {
    OutboxDepth out;
    TRIPSIM_ASSIGN_OR_RETURN(
        m, c.Exec("SELECT COUNT(*), MIN(due_at) FROM messages WHERE status = 'PENDING' "
                  "AND due_at <= $1",
                  {P(now)}));
    out.messages = m.Int(0, 0);
    out.oldest_message_due_at = m.OptInt(0, 1);
    TRIPSIM_ASSIGN_OR_RETURN(
        w, c.Exec("SELECT COUNT(*), MIN(due_at) FROM webhook_events WHERE status = 'PENDING' "
                  "AND due_at <= $1",
                  {P(now)}));
    out.webhooks = w.Int(0, 0);
    out.oldest_webhook_due_at = w.OptInt(0, 1);
    return out;
  });
}

}  // namespace tripsim::store::pg
