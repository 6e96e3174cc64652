// The partner booking API end to end: the real tripsimd over loopback, through the SDK.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;

class BookingApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = TripsimdProcess::Start({}).release();
    ASSERT_NE(server_, nullptr);
  }
  static void TearDownTestSuite() { delete server_; }

  sdk::Response Post(const json::object& body) {
    sdk::Client client(server_->ClientOptions());
    auto r = client.Post("/api/bookings", json::serialize(body));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : sdk::Response{};
  }
  sdk::Response Send(const std::string& method, const std::string& target) {
    sdk::Client client(server_->ClientOptions());
    auto r = client.Send(method, target);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : sdk::Response{};
  }
  static std::string Unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
  }

  static TripsimdProcess* server_;
};

TripsimdProcess* BookingApiTest::server_ = nullptr;

TEST_F(BookingApiTest, CreatesABookingInTheGuidesShape) {
  sdk::Response r = Post(GuideBody(Unique("TRV")));
  ASSERT_EQ(r.status, 201) << r.body;
  json::value v = Json(r.body);
  EXPECT_TRUE(v.at("success").as_bool());
  const auto& data = v.at("data").as_object();
  EXPECT_EQ(std::string(data.at("id").as_string()).substr(0, 3), "bk_");
  EXPECT_EQ(data.at("status").as_string(), "CONFIRMED");
  ASSERT_EQ(data.at("promo_codes").as_array().size(), 1u);
  const auto& code = data.at("promo_codes").at(0).as_object();
  EXPECT_EQ(code.at("destination").as_string(), "FR");
  EXPECT_EQ(code.at("iso3").as_string(), "FRA");
  EXPECT_EQ(code.at("package_size").as_string(), "1GB");
  EXPECT_EQ(code.at("assignment").at("strategy").as_string(), "fixed_size");
  EXPECT_EQ(std::string(code.at("deep_link_url").as_string()),
            server_->url() + "/redeem/" + std::string(code.at("promo_code").as_string()));
  ASSERT_EQ(data.at("messages").as_array().size(), 1u);
  EXPECT_EQ(data.at("messages").at(0).at("status").as_string(), "PENDING");
  EXPECT_TRUE(r.Header("x-request-id").has_value());
}

TEST_F(BookingApiTest, ReadsByIdAndByExternalIdAndLists) {
  std::string ref = Unique("TRV");
  std::string id(Json(Post(GuideBody(ref)).body).at("data").at("id").as_string());
  sdk::Response by_id = Send("GET", "/api/bookings/" + id);
  ASSERT_EQ(by_id.status, 200);
  EXPECT_EQ(Json(by_id.body).at("data").at("booking_id").as_string(), ref);
  sdk::Response by_ref = Send("GET", "/api/bookings/" + ref + "/byExternalBookingId");
  ASSERT_EQ(by_ref.status, 200);
  EXPECT_EQ(Json(by_ref.body).at("data").at("id").as_string(), id);
  sdk::Response list = Send("GET", "/api/bookings?perPage=1");
  ASSERT_EQ(list.status, 200);
  json::value l = Json(list.body);
  EXPECT_EQ(l.at("data").as_array().size(), 1u);
  EXPECT_EQ(l.at("meta").at("perPage").as_int64(), 1);
  EXPECT_GE(l.at("meta").at("total").as_int64(), 1);
  EXPECT_EQ(Json(Send("GET", "/api/bookings?perPage=500").body).at("meta").at("perPage").as_int64(),
            100);
  EXPECT_EQ(Send("GET", "/api/bookings?page=0").status, 400);
  EXPECT_EQ(Send("GET", "/api/bookings?status=LOST").status, 400);
  EXPECT_EQ(Send("GET", "/api/bookings/bk_unknown").status, 404);
}

TEST_F(BookingApiTest, RepeatAnswers200WithTheSameBookingAndNoSecondMessage) {
  json::object body = GuideBody(Unique("TRV"));
  sdk::Response first = Post(body);
  ASSERT_EQ(first.status, 201);
  body["unknown_field"] = "ignored";  // equal after parsing
  sdk::Response again = Post(body);
  ASSERT_EQ(again.status, 200);
  // The outbox may already be sending the email, so the message's delivery state can move on
  // between the two answers; the booking and the one message it owns cannot.
  json::object first_data = Json(first.body).at("data").as_object();
  json::object again_data = Json(again.body).at("data").as_object();
  const json::array again_messages = again_data.at("messages").as_array();
  ASSERT_EQ(again_messages.size(), 1u);
  EXPECT_EQ(again_messages.at(0).at("id"), first_data.at("messages").at(0).at("id"));
  first_data.erase("messages");
  again_data.erase("messages");
  EXPECT_EQ(again_data, first_data);
  body["first_name"] = "Grace";
  sdk::Response conflict = Post(body);
  ASSERT_EQ(conflict.status, 409);
  json::value error = Json(conflict.body);
  const auto& detail = error.at("error").at("details").at(0);
  EXPECT_EQ(detail.at("field").as_string(), "booking_id");
  EXPECT_EQ(detail.at("existing_id"), Json(first.body).at("data").at("id"));
}

TEST_F(BookingApiTest, ConcurrentIdenticalRequestsCreateExactlyOneBooking) {
  json::object body = GuideBody(Unique("RACE"));
  std::string text = json::serialize(body);
  std::atomic<int> created{0}, repeated{0}, other{0};
  std::set<std::string> ids;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      sdk::Client client(server_->ClientOptions());
      auto r = client.Post("/api/bookings", text);
      if (!r.ok()) return (void)++other;
      if (r->status == 201)
        ++created;
      else if (r->status == 200)
        ++repeated;
      else
        ++other;
      std::lock_guard lock(mu);
      ids.insert(std::string(Json(r->body).at("data").at("id").as_string()));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(repeated.load(), 31);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ids.size(), 1u);
}

TEST_F(BookingApiTest, IdempotencyKeyDeduplicatesBookingsWithoutBookingId) {
  json::object body = GuideBody("unused");
  body.erase("booking_id");
  sdk::Client client(server_->ClientOptions());
  std::string key = Unique("key");
  auto a = client.Send("POST", "/api/bookings", json::serialize(body), {{"Idempotency-Key", key}});
  auto b = client.Send("POST", "/api/bookings", json::serialize(body), {{"Idempotency-Key", key}});
  ASSERT_EQ(a->status, 201);
  ASSERT_EQ(b->status, 200);
  EXPECT_EQ(Json(a->body).at("data").at("id"), Json(b->body).at("data").at("id"));
}

TEST_F(BookingApiTest, PaxIssuesACodePerTravellerAndNoAddressWarns) {
  json::object body = GuideBody(Unique("PAX"));
  body["pax"] = 3;
  body.erase("email");
  sdk::Response r = Post(body);
  ASSERT_EQ(r.status, 201) << r.body;
  json::value v = Json(r.body);
  EXPECT_EQ(v.at("data").at("promo_codes").as_array().size(), 3u);
  EXPECT_EQ(v.at("data").at("messages").as_array().size(), 0u);
  EXPECT_EQ(v.at("warnings").at(0).at("field").as_string(), "email");
}

TEST_F(BookingApiTest, ValidationListsEveryProblemInTheErrorShape) {
  json::object body = GuideBody(Unique("BAD"));
  body["departure_date"] = "15/07/2026";
  body["email"] = "not-an-email";
  body["package_specifications"] =
      json::array{json::object{{"destination", "XX"}, {"size", "5 GB"}}};
  body["communication_options"] =
      json::object{{"should_send_message", true}, {"channels", json::array{"SMS"}}};
  sdk::Response r = Post(body);
  ASSERT_EQ(r.status, 400);
  json::value v = Json(r.body);
  EXPECT_FALSE(v.at("success").as_bool());
  EXPECT_EQ(v.at("error").at("code").as_int64(), 400);
  std::set<std::string> fields;
  for (const auto& d : v.at("error").at("details").as_array()) {
    fields.insert(std::string(d.at("field").as_string()));
  }
  EXPECT_EQ(fields, (std::set<std::string>{
                        "departure_date", "email", "package_specifications[0].destination",
                        "package_specifications[0].size", "communication_options.channels"}));
}

TEST_F(BookingApiTest, StatusCodesForDestinationsAndPackages) {
  json::object body = GuideBody(Unique("NOPKG"));
  body["package_specifications"] = json::array{json::object{{"destination", "FR"},
                                                            {"package_type", "unlimited"},
                                                            {"size", "5GB"},
                                                            {"package_duration", 400}}};
  EXPECT_EQ(Post(body).status, 422);
  body["package_specifications"] = json::array{json::object{{"package_id", "no-such-package"}}};
  EXPECT_EQ(Post(body).status, 422);
  body["package_specifications"] = json::array{json::object{{"package_id", "fr-5gb-30d"}}};
  sdk::Response ok = Post(body);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Json(ok.body).at("data").at("promo_codes").at(0).at("package_id").as_string(),
            "fr-5gb-30d");
}

// Without an email: the outbox would otherwise send it within a second, and a sent email
// forbids cancellation (that rule is tested in email_test.cc; pending messages turning
// CANCELLED in the store conformance and booking service tests).
json::object Silent(const std::string& ref) {
  json::object body = GuideBody(ref);
  body["communication_options"] = json::object{{"should_send_message", false}};
  return body;
}

TEST_F(BookingApiTest, CancelRevokesCodesAndIsRepeatable) {
  std::string ref = Unique("CXL");
  std::string id(Json(Post(Silent(ref)).body).at("data").at("id").as_string());
  sdk::Response c = Send("DELETE", "/api/bookings/" + id);
  ASSERT_EQ(c.status, 200) << c.body;
  json::value v = Json(c.body);
  EXPECT_EQ(v.at("data").at("status").as_string(), "CANCELLED");
  EXPECT_EQ(v.at("data").at("promo_codes").at(0).at("status").as_string(), "REVOKED");
  EXPECT_EQ(Send("DELETE", "/api/bookings/" + id).status, 200);
  std::string ref2 = Unique("CXL");
  Post(Silent(ref2));
  EXPECT_EQ(Send("DELETE", "/api/bookings/" + ref2 + "/byExternalBookingId").status, 200);
  // A cancelled booking keeps its booking_id: the same request answers the cancelled booking.
  sdk::Response again = Post(Silent(ref));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Json(again.body).at("data").at("status").as_string(), "CANCELLED");
}

TEST_F(BookingApiTest, AnotherPartnersBookingIs404OnReadAndCancel) {
  std::string id(Json(Post(GuideBody(Unique("ISO"))).body).at("data").at("id").as_string());
  CommandResult created = server_->Admin({"partner", "create", "--name", "Other OTA"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  json::value creds = Json(created.out);
  sdk::Client other({.base_url = server_->url(),
                     .api_key = std::string(creds.at("api_key").as_string()),
                     .api_secret = std::string(creds.at("api_secret").as_string())});
  EXPECT_EQ(other.Get("/api/bookings/" + id)->status, 404);
  EXPECT_EQ(other.Delete("/api/bookings/" + id)->status, 404);
  EXPECT_EQ(Json(other.Get("/api/bookings")->body).at("meta").at("total").as_int64(), 0);
  EXPECT_EQ(Send("GET", "/api/bookings/" + id).status, 200);  // still there for its owner
}

TEST_F(BookingApiTest, HttpLevelErrorsKeepTheErrorShape) {
  std::string url = server_->url();
  RawResponse big = RawRequest("POST", url + "/api/bookings", {"Content-Type: application/json"},
                               std::string(70 * 1024, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(Json(big.body).at("error").at("code").as_int64(), 413);
  sdk::Client client(server_->ClientOptions());
  auto not_json =
      client.Send("POST", "/api/bookings", "booking_id=1", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(not_json->status, 415);
  RawResponse unknown = RawRequest("GET", url + "/api/nothing-here", {});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_FALSE(Json(unknown.body).at("success").as_bool());
  RawResponse huge_header =
      RawRequest("GET", url + "/healthz", {"X-Big: " + std::string(20000, 'a')});
  EXPECT_EQ(huge_header.status, 431);
  EXPECT_EQ(RawRequest("GET", url + "/healthz", {}).status, 200);
  EXPECT_EQ(RawRequest("GET", url + "/readyz", {}).status, 200);
  // HEAD is a GET without its body (uptime monitors use it); a wrong method is told which work.
  RawResponse head = RawRequest("HEAD", url + "/healthz", {});
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], "15");
  EXPECT_EQ(head.body, "");
  RawResponse put = RawRequest("PUT", url + "/api/bookings", {});
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.headers["allow"], "POST, GET, HEAD");
  EXPECT_EQ(Json(put.body).at("error").at("code").as_int64(), 405);
  EXPECT_EQ(RawRequest("DELETE", url + "/healthz", {}).headers["allow"], "GET, HEAD");
}

TEST_F(BookingApiTest, PackagesAreListedWithFilters) {
  sdk::Response r = Send("GET", "/api/packages?destination=FR&size=5GB");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r.body);
  const auto& data = v.at("data").as_array();
  ASSERT_FALSE(data.empty());
  for (const auto& p : data) EXPECT_NE(p.at("type").as_string(), "starter");
  EXPECT_EQ(Send("GET", "/api/packages?destination=ATLANTIS").status, 400);
}

}  // namespace
}  // namespace tripsim::testing
