// The tripsim HTTP application: every route of design.md 2.2 wired to its handler, plus the
// cross-cutting parts (request ids, access logs, metrics) and where each handler runs: on the
// network thread when it cannot block (RouteCost), on the App's worker pool otherwise.
//
//   App app(deps, {.public_url = "https://esim.example.com"});
//   server.SetHandlers(app.ServerHandlers());
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tripsim/api/http.h"
#include "tripsim/api/http_server.h"
#include "tripsim/api/router.h"
#include "tripsim/base/clock.h"
#include "tripsim/booking/booking_service.h"
#include "tripsim/booking/partner_directory.h"
#include "tripsim/dashboard/attempts.h"
#include "tripsim/store/store.h"

namespace tripsim::api {

struct AppOptions {
  std::string public_url = "http://127.0.0.1:8080";
  int64_t signature_window_millis = 300'000;
  std::vector<std::string> enabled_channels = {"EMAIL"};
  bool metrics_public = false;  // /metrics without a token (it holds per-partner business data)
  // Proxies whose X-Forwarded-For names the client (design.md 10, "Client addresses").
  std::vector<std::string> trusted_proxies;
  // Wrong promo codes or claim links one client address may try (redeem and claim, pages and
  // API): a burst, then one more every 6 seconds; beyond it 429 (codes cannot be guessed).
  double public_guesses_per_second = 1.0 / 6;
  double public_guess_burst = 10;
  // Threads for handlers that wait (writes other than bookings, PostgreSQL round trips).
  int worker_threads = 64;
};

// The client's address: the peer, or the last X-Forwarded-For hop when the peer is a trusted
// proxy.
std::string ClientAddress(const HttpRequest& r, const std::vector<std::string>& trusted_proxies);

struct AppDeps {
  store::Store& store;
  booking::BookingService& bookings;
  booking::PartnerDirectory& partners;
  const booking::CatalogHolder& catalogs;
  const Clock& clock;
  dashboard::AttemptRecorder& attempts;
};

class App {
 public:
  App(AppDeps deps, AppOptions options);
  // Waits for the requests still in hand (their store writes complete).
  ~App();

  // Answers one request through `respond`. Called on a network thread; never blocks it.
  void Handle(HttpRequest request, Respond respond) const;
  // The handlers HttpServer needs, bound to this App.
  HttpServer::Handlers ServerHandlers() const;
  const Router& router() const;

 private:
  class Routes;
  std::unique_ptr<Routes> routes_;
};

}  // namespace tripsim::api
