// WebhookWorker: delivers the partners' webhook events (design.md 5 and 10). Each attempt
// POSTs {event_id, event, timestamp, data} to the partner's URL with
//   x-tripsim-timestamp: Unix milliseconds, new for each attempt
//   x-tripsim-signature: sha256=<hex HMAC-SHA256(webhook secret, timestamp + "." + body)>
// A 2xx within 10 s is delivered; otherwise it is retried after each of `retry_delays`
// (1, 5 and 30 minutes by default), then dead-lettered (DEAD, listed by the store).
//
//   WebhookWorker worker(store, clock, {.master_key = key, .encode_data = ...});
//   worker.Start();   // or RunOnce() in tests
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "tripsim/base/background_loop.h"
#include "tripsim/base/clock.h"
#include "tripsim/store/store.h"

namespace tripsim::notify {

struct WebhookOptions {
  std::string master_key;  // opens the partners' webhook secrets
  // The event's `data`: the booking as GET returns it, plus the message or promo code
  // concerned. Supplied by the composition root (the JSON shape lives in wire/).
  std::function<std::string(const domain::Booking&, const store::WebhookEvent&)> encode_data;
  std::vector<std::chrono::milliseconds> retry_delays = {
      std::chrono::minutes(1), std::chrono::minutes(5), std::chrono::minutes(30)};
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds lease{60'000};
  std::chrono::milliseconds poll{500};
  int batch = 16;
};

// The signature header value for one attempt.
std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body);

class WebhookWorker {
 public:
  WebhookWorker(store::Store& store, const Clock& clock, WebhookOptions options);
  ~WebhookWorker();

  int RunOnce();
  void Start();
  void Stop();

 private:
  Status Deliver(const store::WebhookEvent& event);

  store::Store& store_;
  const Clock& clock_;
  const WebhookOptions options_;
  BackgroundLoop loop_;
};

}  // namespace tripsim::notify
