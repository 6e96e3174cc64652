#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tripsim/base/metrics.h"
#include "tripsim/dashboard/access.h"
#include "tripsim/dashboard/attempts.h"
#include "tripsim/dashboard/stats.h"
#include "tripsim/dashboard/usage.h"
#include "tripsim/store/memory_store.h"

namespace tripsim::dashboard {
namespace {

namespace json = boost::json;
using domain::FailureReason;

constexpr int64_t kDay = 86'400'000;

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Partner p;
    p.id = "pt_a";
    p.name = "=Acme, Travel";
    p.api_key = "key-a";
    ASSERT_TRUE(store_->CreatePartner(p).ok());
    p.id = "pt_b";
    p.name = "Beta";
    p.api_key = "key-b";
    ASSERT_TRUE(store_->CreatePartner(p).ok());
  }

  void AddBooking(const std::string& partner, int64_t at, int64_t cost_minor) {
    domain::Booking b;
    b.id = "bk_" + std::to_string(++n_);
    b.partner_id = partner;
    b.request.booking_id = "ref-" + std::to_string(n_);
    b.request.departure_date = "2026-07-15";
    b.created_at = at;
    domain::PromoCode code;
    code.code = "CODE" + std::to_string(n_);
    code.uuid = "uuid-" + std::to_string(n_);
    code.package = domain::Package{"fr-1gb",
                                   "France 1GB",
                                   "sample",
                                   {"FR"},
                                   "",
                                   1024,
                                   7,
                                   domain::PackageType::kDataLimited,
                                   {cost_minor, "EUR"},
                                   {500, "EUR"},
                                   false};
    b.promo_codes.push_back(code);
    ASSERT_TRUE(store_->CreateBooking(b).ok());
  }

  std::unique_ptr<store::Store> store_ = store::NewMemoryStore();
  int n_ = 0;
};

TEST(Figures, PercentilesAreNearestRankAtTheStepResolution) {
  Figures f;
  f.send_steps = {{10, 1}, {20, 1}, {100, 2}};  // 0.1 s, 0.2 s, 1 s, 1 s
  EXPECT_DOUBLE_EQ(*f.SecondsToSend(0.50), 0.2);
  EXPECT_DOUBLE_EQ(*f.SecondsToSend(0.95), 1.0);
  EXPECT_FALSE(Figures().SecondsToSend(0.5).has_value());
}

TEST_F(DashboardTest, ReportsEveryDayEveryPartnerAndEveryReason) {
  const Date d = DateFromCivil(2026, 11, 20);
  AddBooking("pt_a", MillisOfDate(d) + 1000, 200);
  AddBooking("pt_a", MillisOfDate(d) + 2000, 200);
  AttemptRecorder recorder(*store_);
  recorder.Record("pt_a", FailureReason::kValidation, MillisOfDate(d) + 3000);
  recorder.Record("", FailureReason::kAuthentication, MillisOfDate(d) + 4000);
  ASSERT_TRUE(recorder.Flush().ok());
  ASSERT_TRUE(recorder.Flush().ok());  // nothing twice

  auto report = BuildStats(*store_, {Date{d.days - 1}, Date{d.days + 1}, std::nullopt});
  ASSERT_TRUE(report.ok());
  const std::string text = EncodeStats(*report);
  EXPECT_NE(text.find(R"("success_rate":0.5,)"), std::string::npos) << text;  // not 5E-1
  json::value v = json::parse(text);
  EXPECT_EQ(v.at("from").as_string(), "2026-11-19");
  const json::object& totals = v.at("totals").as_object();
  EXPECT_EQ(totals.at("bookings").at("attempted").as_int64(), 4);
  EXPECT_EQ(totals.at("bookings").at("accepted").as_int64(), 2);
  EXPECT_DOUBLE_EQ(totals.at("bookings").at("success_rate").as_double(), 0.5);
  EXPECT_EQ(totals.at("bookings").at("failures_by_reason").as_object().size(), 6u);
  EXPECT_EQ(totals.at("bookings").at("failures_by_reason").at("conflict").as_int64(), 0);
  EXPECT_TRUE(totals.at("messages").at("p50_seconds_to_send").is_null());
  EXPECT_DOUBLE_EQ(totals.at("promo_codes").at("activation_rate").as_double(), 0.0);

  const json::array& partners = v.at("partners").as_array();
  ASSERT_EQ(partners.size(), 2u);
  EXPECT_EQ(partners[0].at("partner_id").as_string(), "pt_a");
  EXPECT_EQ(partners[0].at("bookings").at("attempted").as_int64(), 3);  // unattributed left out
  EXPECT_EQ(partners[1].at("bookings").at("attempted").as_int64(), 0);
  EXPECT_TRUE(partners[1].at("bookings").at("success_rate").is_null());

  const json::array& daily = v.at("daily").as_array();
  ASSERT_EQ(daily.size(), 3u);
  EXPECT_EQ(daily[1].at("date").as_string(), "2026-11-20");
  EXPECT_EQ(daily[1].at("bookings").at("attempted").as_int64(), 4);
  EXPECT_EQ(daily[0].at("bookings").at("attempted").as_int64(), 0);

  auto only_b = BuildStats(*store_, {Date{d.days - 1}, Date{d.days + 1}, "pt_b"});
  json::value b = json::parse(EncodeStats(*only_b));
  EXPECT_EQ(b.at("partners").as_array().size(), 1u);
  EXPECT_EQ(b.at("totals").at("bookings").at("attempted").as_int64(), 0);
}

TEST_F(DashboardTest, UsageCsvHasOneRowPerPartnerAndPackageSnapshot) {
  const Date d = DateFromCivil(2026, 11, 3);
  AddBooking("pt_a", MillisOfDate(d), 200);
  AddBooking("pt_a", MillisOfDate(d) + kDay, 200);
  AddBooking("pt_a", MillisOfDate(d) + kDay, 250);                    // the package's cost changed
  AddBooking("pt_b", MillisOfDate(DateFromCivil(2026, 12, 1)), 200);  // next month
  auto csv = UsageCsv(*store_, "2026-11", std::nullopt);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "month,partner_id,partner_name,bookings,cancelled_bookings,package_id,package_name,"
            "provider,packages_assigned,codes_redeemed,cost_currency,unit_cost,total_cost,"
            "price_currency,unit_price,total_price\n"
            "2026-11,pt_a,\"'=Acme, Travel\",3,0,fr-1gb,France 1GB,sample,2,0,EUR,2.00,4.00,EUR,"
            "5.00,10.00\n"
            "2026-11,pt_a,\"'=Acme, Travel\",3,0,fr-1gb,France 1GB,sample,1,0,EUR,2.50,2.50,EUR,"
            "5.00,5.00\n");
  EXPECT_EQ(UsageCsv(*store_, "2026-13", std::nullopt).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(DashboardTest, TokensAuthorizeOnlyAsBearerAndAreStoredHashed) {
  auto token = IssueAccessToken(*store_, "pt_a", 1);
  ASSERT_TRUE(token.ok());
  auto who = Authorize(*store_, "Bearer " + *token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->partner_id, "pt_a");
  EXPECT_NE(who->token_hash, *token);
  EXPECT_TRUE(Authorize(*store_, "bearer " + *token).ok());
  const std::vector<std::string> bad_headers = {
      "", "Bearer", "Basic " + *token, "Bearer tsk_nope", "Bearer " + token->substr(4), *token};
  for (const std::string& bad : bad_headers) {
    EXPECT_EQ(Authorize(*store_, bad).status().code(), ErrorCode::kUnauthenticated) << bad;
  }
  EXPECT_EQ(Authorize(*store_, std::nullopt).status().code(), ErrorCode::kUnauthenticated);
}

TEST(Metrics, RendersTheTextFormatWithEscapedLabels) {
  std::string text = RenderMetrics(
      {{"tripsim_x_total", "An example.", "counter", {{{{"partner", "a\"b\\c\nd"}}, 3, ""}}}});
  EXPECT_EQ(text,
            "# HELP tripsim_x_total An example.\n# TYPE tripsim_x_total counter\n"
            "tripsim_x_total{partner=\"a\\\"b\\\\c\\nd\"} 3\n");
}

}  // namespace
}  // namespace tripsim::dashboard
