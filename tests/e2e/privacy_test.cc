// Traveller data erasure end to end (design.md 10): `tripsimd traveller erase --email` against
// a running server's store; the partner still sees the booking, without the personal fields.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;

TEST(Privacy, ATravellerIsErasedOnRequestAndTheBookingStays) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  sdk::Client client(server->ClientOptions());
  json::object body = GuideBody("PRIV-1");
  body["email"] = "Erase.Me@Example.com";
  body["phone"] = "+31612345678";
  auto created = client.Post("/api/bookings", json::serialize(body));
  ASSERT_EQ(created->status, 201);
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(GuideBody("PRIV-2")))->status, 201);
  // Read by id before the erasure, so that the server holds this answer in its cache.
  const std::string by_id =
      "/api/bookings/" + std::string(Json(created->body).at("data").at("id").as_string());
  ASSERT_NE(client.Get(by_id)->body.find("Erase.Me"), std::string::npos);

  CommandResult erased = server->Admin({"traveller", "erase", "--email", "erase.me@example.com"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_EQ(Json(erased.out).at("erased_bookings").as_int64(), 1);

  json::value b = Json(client.Get("/api/bookings/PRIV-1/byExternalBookingId")->body).at("data");
  const std::string text = json::serialize(b);
  EXPECT_EQ(text.find("Erase.Me"), std::string::npos) << text;
  EXPECT_EQ(text.find("+31612345678"), std::string::npos) << text;
  EXPECT_EQ(text.find("Lovelace"), std::string::npos) << text;
  EXPECT_EQ(b.at("booking_id").as_string(), "PRIV-1");
  EXPECT_EQ(b.at("promo_codes").as_array().size(), 1u);
  EXPECT_EQ(json::serialize(Json(client.Get(by_id)->body).at("data")), text);  // not the cached one
  json::value other = Json(client.Get("/api/bookings/PRIV-2/byExternalBookingId")->body);
  EXPECT_EQ(other.at("data").at("email").as_string(), "traveller@example.com");
  EXPECT_EQ(server->Admin({"traveller", "erase"}).exit_code != 0, true);  // --email required
}

}  // namespace
}  // namespace tripsim::testing
