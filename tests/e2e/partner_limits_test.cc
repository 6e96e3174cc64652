// Partner-level protections end to end: a daily booking limit (429 with Retry-After until
// midnight UTC; counted as rate_limited), and secret rotation with a grace period in which the
// previous secret keeps working.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;

sdk::Client ClientWith(const TripsimdProcess& s, const std::string& secret) {
  return sdk::Client(
      {.base_url = s.url(), .api_key = s.api_key(), .api_secret = secret, .max_attempts = 1});
}

TEST(PartnerLimits, ADailyBookingLimitRefusesTheRestOfTheDay) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  CommandResult set =
      server->Admin({"partner", "update", "--partner", server->partner_id(), "--daily-limit", "2"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(Json(set.out).at("daily_booking_limit").as_int64(), 2);
  sdk::Client client = ClientWith(*server, server->api_secret());
  ASSERT_TRUE(WaitFor([&] {  // the partner cache refreshes within a second
    auto r = client.Post("/api/bookings", json::serialize(GuideBody("CAP-0")));
    return r.ok() && r->status == 201;
  }));
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(GuideBody("CAP-1")))->status, 201);
  auto refused = client.Post("/api/bookings", json::serialize(GuideBody("CAP-2")));
  EXPECT_EQ(refused->status, 429);
  EXPECT_NE(Json(refused->body).at("error").at("message").as_string().find("Daily booking limit"),
            std::string::npos);
  int retry_after = std::stoi(refused->Header("retry-after").value_or("0"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 86'400);
  // A repeat of an existing booking is still answered: it creates nothing.
  EXPECT_EQ(client.Post("/api/bookings", json::serialize(GuideBody("CAP-1")))->status, 200);
}

TEST(PartnerLimits, RotationKeepsThePreviousSecretForItsGracePeriod) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  const std::string old_secret = server->api_secret();
  CommandResult rotated =
      server->Admin({"partner", "rotate-secret", "--partner", server->partner_id()});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  json::value r = Json(rotated.out);
  const std::string new_secret(r.at("api_secret").as_string());
  EXPECT_TRUE(r.at("previous_secret_valid_until").is_string());
  EXPECT_EQ(rotated.out.find(old_secret), std::string::npos);
  sdk::Client with_new = ClientWith(*server, new_secret);
  ASSERT_TRUE(WaitFor([&] { return with_new.Get("/api/bookings")->status == 200; }));
  EXPECT_EQ(ClientWith(*server, old_secret).Get("/api/bookings")->status, 200);  // grace

  CommandResult at_once = server->Admin(
      {"partner", "rotate-secret", "--partner", server->partner_id(), "--grace-hours", "0"});
  ASSERT_EQ(at_once.exit_code, 0) << at_once.err;
  const std::string newest(Json(at_once.out).at("api_secret").as_string());
  sdk::Client with_newest = ClientWith(*server, newest);
  ASSERT_TRUE(WaitFor([&] { return with_newest.Get("/api/bookings")->status == 200; }));
  EXPECT_EQ(with_new.Get("/api/bookings")->status, 401);
  EXPECT_EQ(ClientWith(*server, old_secret).Get("/api/bookings")->status, 401);
}

}  // namespace
}  // namespace tripsim::testing
