// The C++ SDK against the real server: every typed call, errors as Status with the server's
// details, and the retry policy (a server not up yet, 503, 429 with Retry-After, a lost answer)
// with the same booking_id on every attempt, a new timestamp each time, and never a second
// booking. The misbehaving server is tests/e2e/flaky_server.py.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;

domain::BookingRequest Request(const std::string& ref) {
  domain::BookingRequest r;
  r.booking_id = ref;
  r.departure_date = DaysFromToday(20);
  r.return_date = DaysFromToday(27);
  r.email = "ada@example.com";
  r.first_name = "Ada";
  r.last_name = "Lovelace";
  domain::PackageSpec spec;
  spec.destinations = {"FR"};
  spec.size_mb = 3 * 1024;
  r.package_specifications = {spec};
  r.should_send_message = true;
  r.channels = {"EMAIL"};
  return r;
}

TEST(Sdk, EveryTypedCallAgainstTheRealServer) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  sdk::Client client(server->ClientOptions());
  auto created = client.CreateBooking(Request("SDK-1"));
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->booking_id, "SDK-1");
  EXPECT_EQ(created->status, "CONFIRMED");
  ASSERT_EQ(created->promo_codes.size(), 1u);
  EXPECT_EQ(created->promo_codes[0].destination, "FR");
  EXPECT_NE(created->promo_codes[0].deep_link_url.find("/redeem/"), std::string::npos);
  EXPECT_FALSE(created->promo_codes[0].assignment_reason.empty());
  auto again = client.CreateBooking(Request("SDK-1"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->id, created->id);

  EXPECT_EQ(client.GetBooking(created->id)->booking_id, "SDK-1");
  EXPECT_EQ(client.GetBookingByReference("SDK-1")->id, created->id);
  domain::BookingRequest keyed = Request("");
  keyed.booking_id.reset();
  auto by_key = client.CreateBooking(keyed, "order-77");
  ASSERT_TRUE(by_key.ok()) << by_key.status().message();
  EXPECT_EQ(client.CreateBooking(keyed, "order-77")->id, by_key->id);
  auto list = client.ListBookings({.per_page = 1});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 2);
  EXPECT_EQ(list->bookings.size(), 1u);
  auto packages = client.ListPackages({.destination = "FR"});
  ASSERT_TRUE(packages.ok());
  EXPECT_FALSE(packages->empty());
  EXPECT_TRUE(client.ResendEmail(created->id).ok());
  // Cancelling SDK-1 would race the outbox (a sent email forbids it): cancel one without email.
  domain::BookingRequest quiet = Request("SDK-2");
  quiet.should_send_message = false;
  quiet.channels.clear();
  auto to_cancel = client.CreateBooking(quiet);
  ASSERT_TRUE(to_cancel.ok()) << to_cancel.status().message();
  auto cancelled = client.CancelBooking(to_cancel->id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().message();
  EXPECT_EQ(cancelled->status, "CANCELLED");
  auto again_cancelled = client.CancelBookingByReference("SDK-2");  // again: 200
  ASSERT_TRUE(again_cancelled.ok()) << again_cancelled.status().message();
  EXPECT_EQ(again_cancelled->status, "CANCELLED");

  domain::BookingRequest bad = Request("SDK-BAD");
  bad.departure_date = "soon";
  bad.email = "not-an-address";
  auto refused = client.CreateBooking(bad);
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_GE(refused.status().details().size(), 2u);
  EXPECT_EQ(client.GetBooking("bk_nope").status().code(), ErrorCode::kNotFound);
  sdk::ClientOptions wrong = server->ClientOptions();
  wrong.api_secret = "wrong";
  EXPECT_EQ(sdk::Client(wrong).GetBooking(created->id).status().code(),
            ErrorCode::kUnauthenticated);
}

class SdkRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TripsimdProcess::Start({});
    ASSERT_NE(server_, nullptr);
    log_ = server_->dir() + "/flaky.jsonl";
  }

  void TearDown() override {
    if (starter_.joinable()) starter_.join();
  }

  // Starts the flaky server in front of tripsimd; returns client options pointing at it. With
  // start_after, it starts listening that many seconds later (the call returns at once).
  sdk::ClientOptions Flaky(const std::string& plan, double start_after = 0) {
    port_ = FreePort();
    std::vector<std::string> args = {std::string(TRIPSIM_SOURCE_DIR) + "/tests/e2e/flaky_server.py",
                                     "--port",
                                     std::to_string(port_),
                                     "--upstream",
                                     server_->url(),
                                     "--plan",
                                     plan,
                                     "--log",
                                     log_,
                                     "--start-after",
                                     std::to_string(start_after)};
    auto start = [this, args] { flaky_ = ChildProcess::Start("/usr/bin/python3", args, "ready"); };
    if (start_after > 0) {
      starter_ = std::thread(start);
    } else {
      start();
    }
    sdk::ClientOptions o = server_->ClientOptions();
    o.base_url = "http://127.0.0.1:" + std::to_string(port_);
    if (start_after == 0) o.initial_backoff = std::chrono::milliseconds(100);
    return o;
  }

  std::vector<json::value> Attempts() {
    std::vector<json::value> out;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
  }

  void ExpectSameBookingNewTimestamps(size_t attempts) {
    auto seen = Attempts();
    ASSERT_EQ(seen.size(), attempts);
    std::set<std::string> bodies, stamps;
    for (const auto& a : seen) {
      bodies.insert(std::string(a.at("body").as_string()));
      stamps.insert(std::string(a.at("headers").at("x-timestamp").as_string()));
    }
    EXPECT_EQ(bodies.size(), 1u) << "every attempt sends the same booking";
    EXPECT_EQ(stamps.size(), attempts) << "a new timestamp per attempt";
  }

  std::unique_ptr<TripsimdProcess> server_;
  std::unique_ptr<ChildProcess> flaky_;
  std::thread starter_;
  std::string log_;
  int port_ = 0;
};

TEST_F(SdkRetryTest, RetriesAServerThatIsNotUpYet) {
  sdk::Client client(Flaky("", 1.0));  // the default policy: attempts at 0, ~0.2, ~0.6, ~1.4 s
  const auto start = std::chrono::steady_clock::now();
  auto b = client.CreateBooking(Request("RETRY-UP"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_TRUE(b->created);
  // Connection refused until it listened a second later; then one attempt reached it.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  ExpectSameBookingNewTimestamps(1);
}

TEST_F(SdkRetryTest, Retries503And429HonouringRetryAfter) {
  sdk::Client client(Flaky("503,429,503"));
  const auto start = std::chrono::steady_clock::now();
  auto raw = client.Post("/api/bookings", wire::EncodeBookingRequest(Request("RETRY-5XX")));
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->status, 201);
  EXPECT_EQ(raw->attempts, 4);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));  // Retry-After
  ExpectSameBookingNewTimestamps(4);
}

TEST_F(SdkRetryTest, ALostAnswerIsRetriedWithoutASecondBooking) {
  sdk::Client client(Flaky("lose"));
  auto b = client.CreateBooking(Request("RETRY-LOST"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_FALSE(b->created);  // the first attempt made it; the retry got it back (200)
  ExpectSameBookingNewTimestamps(2);
  sdk::Client direct(server_->ClientOptions());
  EXPECT_EQ(direct.ListBookings()->total, 1);
}

TEST_F(SdkRetryTest, GivesUpAfterFiveAttempts) {
  sdk::Client client(Flaky("503,503,503,503,503,503"));
  auto b = client.CreateBooking(Request("RETRY-NEVER"));
  EXPECT_EQ(b.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(Attempts().size(), 5u);
}

}  // namespace
}  // namespace tripsim::testing
