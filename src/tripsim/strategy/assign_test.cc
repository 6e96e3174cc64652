#include "tripsim/strategy/assign.h"

#include <gtest/gtest.h>

namespace tripsim::strategy {
namespace {

using domain::Package;
using domain::PackageSpec;
using domain::PackageType;

Package Pkg(const std::string& id, std::vector<std::string> countries, const std::string& data,
            int days, int64_t cost_cents, PackageType type = PackageType::kDataLimited,
            std::string region = "") {
  return {id,
          id,
          "sample",
          std::move(countries),
          std::move(region),
          *domain::ParseDataSize(data, true),
          days,
          type,
          {cost_cents, "EUR"},
          {cost_cents * 2, "EUR"}};
}

class AssignTest : public ::testing::Test {
 protected:
  AssignTest()
      : catalog_(
            {Pkg("fr-1gb-7d", {"FR"}, "1GB", 7, 200), Pkg("fr-3gb-15d", {"FR"}, "3GB", 15, 450),
             Pkg("fr-5gb-30d", {"FR"}, "5GB", 30, 650),
             Pkg("fr-10gb-30d", {"FR"}, "10GB", 30, 1000),
             Pkg("fr-unl-30d", {"FR"}, "unlimited", 30, 3000, PackageType::kUnlimited),
             Pkg("fr-starter", {"FR"}, "500MB", 7, 100, PackageType::kStarter),
             Pkg("de-5gb-30d", {"DE"}, "5GB", 30, 500), Pkg("de-1gb-7d", {"DE"}, "1GB", 7, 150),
             Pkg("eu-5gb-30d", {"DE", "FR", "IT"}, "5GB", 30, 700, PackageType::kDataLimited, "EU"),
             Pkg("it-5gb-30d", {"IT"}, "5GB", 30, 400)}) {}

  Result<Decision> Run(const std::string& strategy_json, const PackageSpec& spec,
                       TripInfo trip = {}, const Policy& policy = {}) {
    auto s = ParseStrategy(strategy_json);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return Assign(catalog_, *s, policy, spec, trip);
  }
  static PackageSpec To(std::vector<std::string> d) {
    PackageSpec s;
    s.destinations = std::move(d);
    s.destination_is_array = s.destinations.size() > 1;
    return s;
  }

  catalog::Catalog catalog_;
};

TEST_F(AssignTest, FixedSizeTakesTheSmallestLargeEnough) {
  auto d = Run(R"({"name":"fixed_size","size":"2GB","min_days":7})", To({"FR"}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->picks[0].package->id, "fr-3gb-15d");
  EXPECT_EQ(d->assignment.strategy, "fixed_size");
}

TEST_F(AssignTest, FixedSizeFallsBackToTheLargestAndSaysSo) {
  auto d = Run(R"({"name":"fixed_size","size":"50GB"})", To({"DE"}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->picks[0].package->id, "de-5gb-30d");
  EXPECT_NE(d->assignment.reason.find("no package has 50GB"), std::string::npos);
}

TEST_F(AssignTest, BudgetTakesMostDataWithinTargetElseCheapest) {
  auto d = Run(R"({"name":"budget","target_cost":"7.00 EUR"})", To({"FR"}));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->picks[0].package->id, "fr-5gb-30d");
  auto over = Run(R"({"name":"budget","target_cost":"1.00 EUR"})", To({"FR"}));
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->picks[0].package->id, "fr-1gb-7d");
  EXPECT_NE(over->assignment.reason.find("over budget"), std::string::npos);
}

TEST_F(AssignTest, TripLengthNeedsLongerValidity) {
  auto d = Run(R"({"name":"fixed_size","size":"1GB"})", To({"FR"}), {.days = 10});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->picks[0].package->id, "fr-3gb-15d");
  auto longest = Run(R"({"name":"fixed_size","size":"1GB"})", To({"FR"}), {.days = 60});
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->picks[0].package->validity_days, 30);
  EXPECT_NE(longest->assignment.reason.find("longest is 30 days"), std::string::npos);
}

TEST_F(AssignTest, StarterOnlyWhenAsked) {
  PackageSpec s = To({"FR"});
  auto d = Run(R"({"name":"fixed_size","size":"100MB"})", s);
  EXPECT_EQ(d->picks[0].package->id, "fr-1gb-7d");
  s.package_type = PackageType::kStarter;
  d = Run(R"({"name":"fixed_size","size":"100MB"})", s);
  EXPECT_EQ(d->picks[0].package->id, "fr-starter");
}

TEST_F(AssignTest, AllowListAndTypesGive403AndNoPackageGives422) {
  auto d = Run(R"({"name":"fixed_size","size":"1GB"})", To({"FR"}), {}, {.allow_list = {"DE"}});
  EXPECT_EQ(d.status().code(), ErrorCode::kPermissionDenied);
  PackageSpec s = To({"DE"});
  s.package_type = PackageType::kUnlimited;
  d = Run(R"({"name":"fixed_size","size":"1GB"})", s, {},
          {.package_types = {PackageType::kDataLimited}});
  EXPECT_EQ(d.status().code(), ErrorCode::kPermissionDenied);
  d = Run(R"({"name":"fixed_size","size":"1GB"})", s);
  EXPECT_EQ(d.status().code(), ErrorCode::kUnprocessable);
  PackageSpec by_id;
  by_id.package_id = "nope";
  EXPECT_EQ(Run(R"({"name":"fixed_size","size":"1GB"})", by_id).status().code(),
            ErrorCode::kUnprocessable);
}

TEST_F(AssignTest, SeveralDestinationsPreferOneRegionalPackage) {
  auto d = Run(R"({"name":"fixed_size","size":"5GB"})", To({"FR", "DE", "IT"}));
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->picks.size(), 1u);
  EXPECT_EQ(d->picks[0].package->id, "eu-5gb-30d");
  // The regional package fails a 6 EUR budget, so three country packages cover the trip.
  auto b = Run(R"({"name":"budget","target_cost":"6.00 EUR"})", To({"FR", "DE", "IT"}));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->picks.size(), 3u);
}

TEST_F(AssignTest, HybridFirstMatchingRuleWins) {
  std::string h = R"({"name":"hybrid","rules":[
      {"when":{"regions":["EU"],"min_trip_days":20},"use":{"name":"fixed_size","size":"10GB"}},
      {"when":{"countries":["FR"]},"use":{"name":"budget","target_cost":"2.50 EUR"}}],
    "default":{"name":"fixed_size","size":"1GB"}})";
  auto long_trip = Run(h, To({"FR"}), {.days = 21});
  EXPECT_EQ(long_trip->picks[0].package->id, "fr-10gb-30d");
  auto unknown_length = Run(h, To({"FR"}));
  EXPECT_EQ(unknown_length->picks[0].package->id, "fr-1gb-7d");
  EXPECT_EQ(unknown_length->assignment.strategy, "hybrid");
  auto de = Run(h, To({"DE"}));
  EXPECT_NE(de->assignment.reason.find("default"), std::string::npos);
}

TEST_F(AssignTest, IsDeterministic) {
  auto a = Run(R"({"name":"budget","target_cost":"5.00 EUR"})", To({"FR", "DE"}), {.days = 9});
  auto b = Run(R"({"name":"budget","target_cost":"5.00 EUR"})", To({"FR", "DE"}), {.days = 9});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->assignment, b->assignment);
}

}  // namespace
}  // namespace tripsim::strategy
