// The authentication matrix of design.md 2.1 against the real server.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"
#include "tripsim/auth/verifier.h"
#include "tripsim/base/crypto.h"

namespace tripsim::testing {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = TripsimdProcess::Start({}).release();
    ASSERT_NE(server_, nullptr);
  }
  static void TearDownTestSuite() { delete server_; }

  // A GET of `target` signed at now + offset_ms, with the given overrides.
  RawResponse Get(const std::string& target, int64_t offset_ms = 0, bool upper = false,
                  std::string sign_target = "") {
    std::string ts = std::to_string(SystemClock().NowMillis() + offset_ms);
    std::string sig =
        auth::Sign(server_->api_secret(), ts, "GET", sign_target.empty() ? target : sign_target);
    if (upper) std::transform(sig.begin(), sig.end(), sig.begin(), ::toupper);
    return RawRequest(
        "GET", server_->url() + target,
        {"x-api-key: " + server_->api_key(), "x-timestamp: " + ts, "x-signature: " + sig});
  }

  static std::string Message(const RawResponse& r) {
    return std::string(Json(r.body).at("error").at("message").as_string());
  }

  static TripsimdProcess* server_;
};

TripsimdProcess* AuthTest::server_ = nullptr;

TEST_F(AuthTest, AcceptsTheGuidesSignatureInEitherCaseAndWithAQuery) {
  EXPECT_EQ(Get("/api/bookings").status, 200);
  EXPECT_EQ(Get("/api/bookings", 0, true).status, 200);
  EXPECT_EQ(Get("/api/bookings?perPage=10&page=1").status, 200);
  // The query string is part of what is signed.
  EXPECT_EQ(Get("/api/bookings?perPage=10", 0, false, "/api/bookings").status, 401);
}

TEST_F(AuthTest, EachMissingHeaderHasItsOwnMessage) {
  std::string url = server_->url() + "/api/bookings";
  std::string ts = std::to_string(SystemClock().NowMillis());
  std::string sig = auth::Sign(server_->api_secret(), ts, "GET", "/api/bookings");
  RawResponse no_key = RawRequest("GET", url, {"x-timestamp: " + ts, "x-signature: " + sig});
  RawResponse no_ts =
      RawRequest("GET", url, {"x-api-key: " + server_->api_key(), "x-signature: " + sig});
  RawResponse no_sig =
      RawRequest("GET", url, {"x-api-key: " + server_->api_key(), "x-timestamp: " + ts});
  RawResponse unknown =
      RawRequest("GET", url, {"x-api-key: tk_nobody", "x-timestamp: " + ts, "x-signature: " + sig});
  RawResponse bad_sig = RawRequest("GET", url,
                                   {"x-api-key: " + server_->api_key(), "x-timestamp: " + ts,
                                    "x-signature: " + std::string(64, 'a')});
  RawResponse bad_ts = RawRequest(
      "GET", url,
      {"x-api-key: " + server_->api_key(), "x-timestamp: yesterday", "x-signature: " + sig});
  std::set<std::string> messages;
  for (const RawResponse* r : {&no_key, &no_ts, &no_sig, &unknown, &bad_sig, &bad_ts}) {
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(Json(r->body).at("error").at("code").as_int64(), 401);
    messages.insert(Message(*r));
  }
  EXPECT_EQ(messages.size(), 6u);
}

TEST_F(AuthTest, TimestampWindowEdges) {
  EXPECT_EQ(Get("/api/bookings", -299'000).status, 200);
  EXPECT_EQ(Get("/api/bookings", 299'000).status, 200);
  RawResponse old = Get("/api/bookings", -301'000);
  EXPECT_EQ(old.status, 401);
  EXPECT_NE(Message(old).find("expired"), std::string::npos);
  EXPECT_EQ(Get("/api/bookings", 301'000).status, 401);
}

TEST_F(AuthTest, DisabledPartnerIs403) {
  CommandResult created = server_->Admin({"partner", "create", "--name", "Soon disabled"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto creds = Json(created.out);
  sdk::Client client({.base_url = server_->url(),
                      .api_key = std::string(creds.at("api_key").as_string()),
                      .api_secret = std::string(creds.at("api_secret").as_string())});
  EXPECT_EQ(client.Get("/api/bookings")->status, 200);
  CommandResult disabled = server_->Admin(
      {"partner", "disable", "--partner", std::string(creds.at("partner_id").as_string())});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  // The server caches partners for at most a second; poll with a generous deadline.
  int status = 0;
  for (int i = 0; i < 100 && status != 403; ++i) {
    status = client.Get("/api/bookings")->status;
    if (status != 403) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 403);
}

TEST_F(AuthTest, SecretsAreNotStoredInClear) {
  CommandResult dump =
      RunCommand("/usr/bin/sqlite3", {server_->dir() + "/var/tripsim.db", "SELECT * FROM partners"},
                 server_->dir());
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_NE(dump.out.find(server_->api_key()), std::string::npos);
  EXPECT_EQ(dump.out.find(server_->api_secret()), std::string::npos);
  EXPECT_EQ(server_->StderrLog().find(server_->api_secret()), std::string::npos);
}

}  // namespace
}  // namespace tripsim::testing
