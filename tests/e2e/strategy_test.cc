// Partners with each strategy post destination-only bookings, as the guide does, and get the
// packages the rules define from the sample catalog, with the reason in the response.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;

class StrategyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = TripsimdProcess::Start({}).release();
    ASSERT_NE(server_, nullptr);
  }
  static void TearDownTestSuite() { delete server_; }

  // A partner with `strategy`; returns a client for it.
  static std::unique_ptr<sdk::Client> Partner(const std::string& strategy,
                                              std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"partner", "create", "--name", "OTA", "--strategy", strategy};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = server_->Admin(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json::value creds = Json(r.out);
    return std::make_unique<sdk::Client>(
        sdk::ClientOptions{.base_url = server_->url(),
                           .api_key = std::string(creds.at("api_key").as_string()),
                           .api_secret = std::string(creds.at("api_secret").as_string())});
  }

  // Books `destination` (a code or an array); returns the response.
  static sdk::Response Book(sdk::Client& client, const json::value& destination,
                            std::optional<int> trip_days = std::nullopt) {
    static int n = 0;
    json::object body = GuideBody("STRAT-" + std::to_string(++n));
    body["package_specifications"] = json::array{json::object{{"destination", destination}}};
    if (trip_days) body["return_date"] = DaysFromToday(30 + *trip_days - 1);
    auto r = client.Post("/api/bookings", json::serialize(body));
    EXPECT_TRUE(r.ok());
    return *r;
  }

  static std::vector<std::string> Packages(const sdk::Response& r) {
    std::vector<std::string> out;
    json::value v = Json(r.body);
    for (const auto& p : v.at("data").at("promo_codes").as_array()) {
      out.emplace_back(p.at("package_id").as_string());
    }
    return out;
  }

  static std::string Size(const sdk::Response& r) {
    json::value v = Json(r.body);
    return std::string(v.at("data").at("promo_codes").at(0).at("package_size").as_string());
  }

  static std::string Reason(const sdk::Response& r) {
    json::value v = Json(r.body);
    return std::string(
        v.at("data").at("promo_codes").at(0).at("assignment").at("reason").as_string());
  }

  static TripsimdProcess* server_;
};

TripsimdProcess* StrategyTest::server_ = nullptr;

TEST_F(StrategyTest, FixedSizeGivesTheSameDataEverywhere) {
  auto client = Partner(R"({"name":"fixed_size","size":"5GB","min_days":7})");
  for (const char* country : {"FR", "JPN", "br"}) {
    sdk::Response r = Book(*client, json::value(country));
    ASSERT_EQ(r.status, 201) << r.body;
    json::value v = Json(r.body);
    EXPECT_EQ(v.at("data").at("promo_codes").at(0).at("package_size").as_string(), "5GB")
        << country;
    EXPECT_NE(Reason(r).find("smallest package with at least 5GB"), std::string::npos);
  }
}

TEST_F(StrategyTest, BudgetTakesTheMostDataWithinTheTarget) {
  auto client = Partner(R"({"name":"budget","target_cost":"8.00 EUR","min_days":7})");
  sdk::Response fr = Book(*client, json::value("FR"));
  ASSERT_EQ(fr.status, 201) << fr.body;
  EXPECT_EQ(Packages(fr), std::vector<std::string>{"fr-5gb-30d"});  // 6.69 EUR; 10GB is 10.80
  EXPECT_NE(Reason(fr).find("within 8.00 EUR"), std::string::npos);
  auto tight = Partner(R"({"name":"budget","target_cost":"0.50 EUR","min_days":7})");
  sdk::Response over = Book(*tight, json::value("FR"));
  ASSERT_EQ(over.status, 201);
  EXPECT_EQ(Packages(over), std::vector<std::string>{"fr-1gb-7d"});  // the cheapest
  EXPECT_NE(Reason(over).find("over budget"), std::string::npos);
}

TEST_F(StrategyTest, HybridAppliesTheFirstMatchingRule) {
  auto client = Partner(R"({"name":"hybrid","rules":[
      {"when":{"regions":["EU"]},"use":{"name":"fixed_size","size":"10GB"}},
      {"when":{"countries":["US","CA"],"min_trip_days":15},"use":{"name":"fixed_size","size":"20GB"}}],
    "default":{"name":"fixed_size","size":"1GB"}})");
  // The cheapest package of the rule's size wins, a regional one when it is cheaper.
  EXPECT_EQ(Size(Book(*client, json::value("DE"))), "10GB");
  EXPECT_EQ(Size(Book(*client, json::value("US"), 20)), "20GB");
  sdk::Response short_us = Book(*client, json::value("US"), 5);
  EXPECT_EQ(Size(short_us), "1GB");
  EXPECT_NE(Reason(short_us).find("default"), std::string::npos);
}

TEST_F(StrategyTest, SeveralDestinationsTakeOneRegionalPackage) {
  auto client = Partner(R"({"name":"fixed_size","size":"5GB","min_days":7})");
  sdk::Response r = Book(*client, json::array{"FR", "DE", "IT"});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Packages(r), std::vector<std::string>{"eu-5gb-30d"});
}

TEST_F(StrategyTest, AllowListAndRegionDestinations) {
  auto client = Partner(R"({"name":"fixed_size","size":"1GB"})", {"--allow-list", "FR,DE"});
  EXPECT_EQ(Book(*client, json::value("FR")).status, 201);
  sdk::Response outside = Book(*client, json::value("US"));
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(Json(outside.body).at("error").at("details").at(0).at("field").as_string(),
            "package_specifications[0].destination");
  EXPECT_EQ(Book(*client, json::value("ATLANTIS")).status, 400);
  auto open = Partner(R"({"name":"fixed_size","size":"3GB"})");
  sdk::Response region = Book(*open, json::value("EU"));
  ASSERT_EQ(region.status, 201) << region.body;
  EXPECT_EQ(Packages(region), std::vector<std::string>{"eu-3gb-30d"});
}

}  // namespace
}  // namespace tripsim::testing
