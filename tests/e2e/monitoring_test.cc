// Monitoring end to end (design.md 6): a scripted scenario against the real tripsimd with a real
// SMTP server, then the exact figures in GET /api/admin/stats (totals, per partner, per day),
// the same figures in /metrics (checked by promtool when installed), token scopes, the usage
// export, and logs that carry request ids and no secrets or addresses.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/smtp.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string Token(const CommandResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return std::string(Json(r.out).at("token").as_string());
}

RawResponse Stats(const TripsimdProcess& s, const std::string& token,
                  const std::string& query = "") {
  return RawRequest("GET", s.url() + "/api/admin/stats" + query,
                    {"Authorization: Bearer " + token});
}

sdk::Client Partner(const TripsimdProcess& s, const json::value& creds) {
  return sdk::Client({.base_url = s.url(),
                      .api_key = std::string(creds.at("api_key").as_string()),
                      .api_secret = std::string(creds.at("api_secret").as_string()),
                      .max_attempts = 1});
}

// The metric sample with exactly this name and label set, or -1.
double Sample(const std::string& metrics, const std::string& series) {
  size_t at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + series.size() + 2));
}

class MonitoringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (fs::temp_directory_path() / ("tripsim-monitoring-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    smtp_ = std::make_unique<SmtpServer>(dir_ + "/received");
    ASSERT_TRUE(smtp_->Start());
    server_ = TripsimdProcess::Start(
        {.serve_args = {"--mail", "smtp://127.0.0.1:" + std::to_string(smtp_->port)}});
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    server_.reset();
    smtp_.reset();
    fs::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<TripsimdProcess> server_;
};

TEST_F(MonitoringTest, AScriptedScenarioGivesExactlyTheExpectedFigures) {
  TripsimdProcess& s = *server_;
  const std::string demo = s.partner_id();
  json::value other_creds = Json(s.Admin({"partner", "create", "--name", "Other OTA"}).out);
  const std::string other(other_creds.at("partner_id").as_string());
  json::value slow_creds =
      Json(s.Admin({"partner", "create", "--name", "Slow OTA", "--rate-limit", "0.5"}).out);
  const std::string slow(slow_creds.at("partner_id").as_string());

  // demo: 3 accepted (+1 idempotent repeat that counts nowhere), 1 validation failure,
  // 1 bad signature with its key, 1 body too large with its key.
  sdk::Client client(s.ClientOptions());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(client.Post("/api/bookings", json::serialize(GuideBody("MON-" + std::to_string(i))))
                  ->status,
              201);
  }
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(GuideBody("MON-1")))->status, 200);
  json::object invalid = GuideBody("MON-BAD");
  invalid.erase("departure_date");
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(invalid))->status, 400);
  const std::string now = std::to_string(SystemClock().NowMillis());
  RawResponse forged = RawRequest("POST", s.url() + "/api/bookings",
                                  {"Content-Type: application/json", "x-api-key: " + s.api_key(),
                                   "x-timestamp: " + now, "x-signature: " + std::string(64, '0')},
                                  json::serialize(GuideBody("MON-FORGED")));
  ASSERT_EQ(forged.status, 401);
  RawResponse huge = RawRequest("POST", s.url() + "/api/bookings",
                                {"Content-Type: application/json", "x-api-key: " + s.api_key()},
                                std::string(70 * 1024, ' '));
  ASSERT_EQ(huge.status, 413);
  // Nobody's: an unknown key (totals only).
  RawResponse stranger = RawRequest("POST", s.url() + "/api/bookings",
                                    {"Content-Type: application/json", "x-api-key: nobody",
                                     "x-timestamp: " + now, "x-signature: " + std::string(64, '0')},
                                    "{}");
  ASSERT_EQ(stranger.status, 401);
  // other: 1 accepted. slow: 1 accepted, then rate limited (0.5/s, burst 1).
  sdk::Client other_client = Partner(s, other_creds);
  ASSERT_EQ(other_client.Post("/api/bookings", json::serialize(GuideBody("OTH-1")))->status, 201);
  sdk::Client slow_client = Partner(s, slow_creds);
  ASSERT_EQ(slow_client.Post("/api/bookings", json::serialize(GuideBody("SLW-1")))->status, 201);
  ASSERT_EQ(slow_client.Post("/api/bookings", json::serialize(GuideBody("SLW-2")))->status, 429);

  // Every email sent; one code redeemed.
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 5; }, 30));
  json::value booking = Json(client.Get("/api/bookings/MON-1/byExternalBookingId")->body);
  std::string code(booking.at("data").at("promo_codes").at(0).at("promo_code").as_string());
  ASSERT_EQ(RawRequest("POST", s.url() + "/api/promo-codes/" + code + "/redeem", {}).status, 200);

  const std::string admin = Token(s.Admin({"admin-token", "create"}));
  json::value stats;
  ASSERT_TRUE(WaitFor([&] {  // the outbox records "sent" just after the SMTP server has it
    RawResponse r = Stats(s, admin);
    if (r.status != 200) return false;
    stats = Json(r.body);
    return stats.at("totals").at("messages").at("sent").as_int64() == 5;
  }));
  const std::string today = DaysFromToday(0);
  EXPECT_EQ(stats.at("to").as_string(), today);
  EXPECT_EQ(stats.at("daily").as_array().size(), 30u);

  const json::value& totals = stats.at("totals");
  const json::value& bookings = totals.at("bookings");
  EXPECT_EQ(bookings.at("attempted").as_int64(), 10);
  EXPECT_EQ(bookings.at("accepted").as_int64(), 5);
  EXPECT_EQ(bookings.at("failed").as_int64(), 5);
  EXPECT_DOUBLE_EQ(bookings.at("success_rate").as_double(), 0.5);
  const json::value& reasons = bookings.at("failures_by_reason");
  EXPECT_EQ(reasons.at("validation").as_int64(), 2);      // missing field, 413
  EXPECT_EQ(reasons.at("authentication").as_int64(), 2);  // forged, unknown key
  EXPECT_EQ(reasons.at("rate_limited").as_int64(), 1);
  EXPECT_EQ(reasons.at("no_package").as_int64(), 0);
  EXPECT_EQ(reasons.at("conflict").as_int64(), 0);
  EXPECT_EQ(reasons.at("internal").as_int64(), 0);
  const json::value& messages = totals.at("messages");
  EXPECT_EQ(messages.at("pending").as_int64(), 0);
  EXPECT_EQ(messages.at("failed").as_int64(), 0);
  EXPECT_TRUE(messages.at("p50_seconds_to_send").is_double());
  EXPECT_GE(messages.at("p95_seconds_to_send").as_double(),
            messages.at("p50_seconds_to_send").as_double());
  EXPECT_EQ(totals.at("promo_codes").at("issued").as_int64(), 5);
  EXPECT_EQ(totals.at("promo_codes").at("redeemed").as_int64(), 1);
  EXPECT_DOUBLE_EQ(totals.at("promo_codes").at("activation_rate").as_double(), 0.2);

  std::map<std::string, json::value> partners;
  for (const auto& p : stats.at("partners").as_array()) {
    partners[std::string(p.at("partner_id").as_string())] = p;
  }
  ASSERT_EQ(partners.size(), 3u);
  EXPECT_EQ(partners[demo].at("bookings").at("attempted").as_int64(), 6);
  EXPECT_EQ(partners[demo].at("bookings").at("accepted").as_int64(), 3);
  EXPECT_EQ(partners[demo].at("bookings").at("failures_by_reason").at("validation").as_int64(), 2);
  EXPECT_EQ(partners[demo].at("bookings").at("failures_by_reason").at("authentication").as_int64(),
            1);
  EXPECT_EQ(partners[demo].at("promo_codes").at("redeemed").as_int64(), 1);
  EXPECT_EQ(partners[other].at("bookings").at("attempted").as_int64(), 1);
  EXPECT_EQ(partners[other].at("name").as_string(), "Other OTA");
  EXPECT_EQ(partners[slow].at("bookings").at("attempted").as_int64(), 2);
  EXPECT_EQ(partners[slow].at("bookings").at("failures_by_reason").at("rate_limited").as_int64(),
            1);
  const json::value& last_day = stats.at("daily").as_array().back();
  EXPECT_EQ(last_day.at("date").as_string(), today);
  EXPECT_EQ(last_day.at("bookings"), bookings);
  EXPECT_EQ(stats.at("daily").as_array().front().at("bookings").at("attempted").as_int64(), 0);
  EXPECT_TRUE(stats.at("daily").as_array().front().at("bookings").at("success_rate").is_null());

  // Filters and scopes.
  json::value only_other = Json(Stats(s, admin, "?partner=" + other).body);
  EXPECT_EQ(only_other.at("partners").as_array().size(), 1u);
  EXPECT_EQ(only_other.at("totals").at("bookings").at("attempted").as_int64(), 1);
  const std::string partner_token =
      Token(s.Admin({"partner", "dashboard-token", "--partner", other}));
  json::value own = Json(Stats(s, partner_token).body);
  EXPECT_EQ(own.at("partners").as_array().size(), 1u);
  EXPECT_EQ(own.at("totals"), only_other.at("totals"));
  EXPECT_EQ(Stats(s, partner_token, "?partner=" + demo).status, 403);
  EXPECT_EQ(Stats(s, "tsk_wrong").status, 401);
  EXPECT_EQ(RawRequest("GET", s.url() + "/api/admin/stats", {}).status, 401);
  EXPECT_EQ(Stats(s, admin, "?from=2026-13-01").status, 400);
  EXPECT_EQ(Stats(s, admin, "?from=2025-01-01&to=2026-06-01").status, 400);  // over 366 days
  EXPECT_EQ(Stats(s, admin, "?partner=pt_nope").status, 404);

  // The same figures as Prometheus metrics.
  EXPECT_EQ(RawRequest("GET", s.url() + "/metrics", {}).status, 401);
  EXPECT_EQ(
      RawRequest("GET", s.url() + "/metrics", {"Authorization: Bearer " + partner_token}).status,
      403);
  RawResponse metrics = RawRequest("GET", s.url() + "/metrics", {"Authorization: Bearer " + admin});
  ASSERT_EQ(metrics.status, 200);
  const std::string& m = metrics.body;
  auto attempts = [&](const std::string& partner, const std::string& outcome) {
    return Sample(m, "tripsim_booking_attempts_total{partner=\"" + partner + "\",outcome=\"" +
                         outcome + "\"}");
  };
  EXPECT_EQ(attempts(demo, "accepted"), 3);
  EXPECT_EQ(attempts(demo, "validation"), 2);
  EXPECT_EQ(attempts(demo, "authentication"), 1);
  EXPECT_EQ(attempts("none", "authentication"), 1);
  EXPECT_EQ(attempts(slow, "rate_limited"), 1);
  EXPECT_EQ(Sample(m, "tripsim_messages{state=\"sent\"}"), 5);
  EXPECT_EQ(Sample(m, "tripsim_promo_codes_total{partner=\"" + demo + "\",state=\"redeemed\"}"), 1);
  EXPECT_EQ(Sample(m, "tripsim_outbox_depth{outbox=\"messages\"}"), 0);
  EXPECT_EQ(Sample(m, "tripsim_emails_total{result=\"sent\"}"), 5);
  EXPECT_GE(
      Sample(m,
             "tripsim_http_requests_total{route=\"/api/bookings\",method=\"POST\",status=\"201\"}"),
      5);
  EXPECT_NE(m.find("tripsim_http_request_duration_seconds_bucket{route=\"/api/"
                   "bookings\",method=\"POST\",le=\"+Inf\"}"),
            std::string::npos);
  // The group commit: every write went through one (the bookings, the emails' outcomes...).
  const double commits = Sample(m, "tripsim_store_commit_duration_seconds_count{store=\"sqlite\"}");
  EXPECT_GE(commits, 1);
  EXPECT_GE(Sample(m, "tripsim_store_committed_writes_total{store=\"sqlite\"}"),
            std::max(commits, 3.0));
  ASSERT_TRUE(fs::exists("/usr/bin/promtool")) << "promtool (Debian prometheus): scripts/setup";
  std::ofstream(s.dir() + "/metrics.txt") << m;
  CommandResult check =
      RunCommand("/bin/sh", {"-c", "/usr/bin/promtool check metrics < metrics.txt"}, s.dir());
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  // Usage export for billing.
  CommandResult usage = s.Admin({"usage", "export", "--month", today.substr(0, 7)});
  ASSERT_EQ(usage.exit_code, 0) << usage.err;
  EXPECT_EQ(usage.out.rfind("month,partner_id,partner_name,bookings,", 0), 0u);
  EXPECT_NE(usage.out.find(today.substr(0, 7) + "," + demo + ",Demo"), std::string::npos)
      << usage.out;
  EXPECT_EQ(s.Admin({"usage", "export", "--month", "2026-1"}).exit_code != 0, true);

  // Logs: every request line has a request id; no secret, signature or address in them.
  RawResponse traced = RawRequest("GET", s.url() + "/healthz", {"x-request-id: trace-42"});
  EXPECT_EQ(traced.headers["x-request-id"], "trace-42");
  const std::string log = s.StderrLog();
  EXPECT_NE(log.find("\"request_id\""), std::string::npos);
  EXPECT_EQ(log.find(s.api_secret()), std::string::npos);
  EXPECT_EQ(log.find(admin), std::string::npos);
  EXPECT_EQ(log.find("traveller@example.com"), std::string::npos);
  EXPECT_EQ(log.find(std::string(64, '0')), std::string::npos);
}

TEST_F(MonitoringTest, FailureCountsSurviveARestartAndTheDashboardPageHoldsNoData) {
  RawResponse page = RawRequest("GET", server_->url() + "/dashboard", {});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"login-form\""), std::string::npos);
  EXPECT_NE(page.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  RawResponse chart = RawRequest("GET", server_->url() + "/dashboard/assets/chart.umd.js", {});
  EXPECT_EQ(chart.status, 200);
  EXPECT_GT(chart.body.size(), 100'000u);
  EXPECT_EQ(RawRequest("GET", server_->url() + "/dashboard/assets/nope.js", {}).status, 404);

  json::object invalid = GuideBody("R-1");
  invalid.erase("email");
  invalid.erase("first_name");
  invalid["departure_date"] = "yesterday";
  sdk::Client client(server_->ClientOptions());
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(invalid))->status, 400);
  ASSERT_EQ(server_->Kill(SIGTERM), 0);  // a clean stop writes the counts in memory
  ASSERT_TRUE(server_->Restart());
  const std::string admin = Token(server_->Admin({"admin-token", "create"}));
  json::value stats = Json(Stats(*server_, admin).body);
  EXPECT_EQ(stats.at("totals").at("bookings").at("failures_by_reason").at("validation").as_int64(),
            1);
}

}  // namespace
}  // namespace tripsim::testing
