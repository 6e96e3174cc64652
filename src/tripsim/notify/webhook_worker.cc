#include "tripsim/notify/webhook_worker.h"

#include <curl/curl.h>

#include <boost/json.hpp>

#include "tripsim/base/crypto.h"
#include "tripsim/base/date.h"
#include "tripsim/base/log.h"
#include "tripsim/base/metrics.h"

namespace tripsim::notify {
namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// POSTs `body`; Ok for a 2xx answer.
Status Post(const std::string& url, const std::string& body,
            const std::vector<std::string>& headers, std::chrono::milliseconds timeout) {
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& line : headers) list = curl_slist_append(list, line.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  if (rc != CURLE_OK) return Unavailable(curl_easy_strerror(rc));
  if (status < 200 || status >= 300) return Unavailable("HTTP " + std::to_string(status));
  return Status::Ok();
}

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  return "sha256=" + crypto::HmacSha256Hex(secret, timestamp + "." + body);
}

WebhookWorker::WebhookWorker(store::Store& store, const Clock& clock, WebhookOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      loop_("webhooks", options_.poll, [this] { return RunOnce(); }) {}

WebhookWorker::~WebhookWorker() { Stop(); }

Status WebhookWorker::Deliver(const store::WebhookEvent& event) {
  TRIPSIM_ASSIGN_OR_RETURN(partner, store_.GetPartner(event.partner_id));
  if (partner.webhook_url.empty()) {
    return Status(ErrorCode::kFailedPrecondition, "the partner has no webhook URL any more");
  }
  TRIPSIM_ASSIGN_OR_RETURN(secret,
                           crypto::Open(options_.master_key, partner.webhook_secret_sealed));
  TRIPSIM_ASSIGN_OR_RETURN(booking, store_.GetBooking(event.partner_id, event.booking_id));
  std::string body = R"({"event_id":)" + boost::json::serialize(boost::json::value(event.id)) +
                     R"(,"event":)" + boost::json::serialize(boost::json::value(event.event)) +
                     R"(,"timestamp":")" + FormatTimestamp(event.created_at) + R"(","data":)" +
                     options_.encode_data(booking, event) + "}";
  std::string timestamp = std::to_string(clock_.NowMillis());
  return Post(partner.webhook_url, body,
              {"Content-Type: application/json", "User-Agent: tripsim-webhooks",
               "x-tripsim-timestamp: " + timestamp,
               "x-tripsim-signature: " + WebhookSignature(secret, timestamp, body),
               "x-tripsim-event: " + event.event, "Expect:"},
              options_.timeout);
}

int WebhookWorker::RunOnce() {
  const int64_t now = clock_.NowMillis();
  auto events = store_.ClaimDueWebhooks(now, now + options_.lease.count(), options_.batch);
  if (!events.ok()) {
    log::Warn("webhook.claim_failed", {{"error", events.status().message()}});
    return 0;
  }
  for (const auto& e : *events) {
    Status s = Deliver(e);
    Status recorded;
    if (s.ok()) {
      recorded = store_.MarkWebhookDelivered(e.id, clock_.NowMillis());
      Metrics::Global().Add("tripsim_webhook_deliveries_total", {{"result", "delivered"}});
      log::Info("webhook.delivered", {{"event_id", e.id}, {"event", e.event}});
    } else {
      std::optional<int64_t> retry_at;
      size_t n = static_cast<size_t>(e.attempts);
      if (s.code() == ErrorCode::kUnavailable && n >= 1 && n <= options_.retry_delays.size()) {
        retry_at = clock_.NowMillis() + options_.retry_delays[n - 1].count();
      }
      recorded = store_.MarkWebhookFailed(e.id, s.message(), retry_at);
      Metrics::Global().Add("tripsim_webhook_deliveries_total",
                            {{"result", retry_at ? "retry" : "dead"}});
      log::Warn(retry_at ? "webhook.retry" : "webhook.dead_lettered",
                {{"event_id", e.id}, {"event", e.event}, {"error", s.message()}});
    }
    if (!recorded.ok()) log::Error("webhook.record_failed", {{"error", recorded.message()}});
  }
  return static_cast<int>(events->size());
}

void WebhookWorker::Start() { loop_.Start(); }

void WebhookWorker::Stop() { loop_.Stop(); }

}  // namespace tripsim::notify
