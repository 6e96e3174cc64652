#include "tripsim/strategy/strategy_config.h"

#include <gtest/gtest.h>

namespace tripsim::strategy {
namespace {

TEST(ParseStrategy, AcceptsTheDesignsExamples) {
  EXPECT_TRUE(
      ParseStrategy(R"({"name": "budget", "target_cost": "8.00 EUR", "min_days": 7})").ok());
  EXPECT_TRUE(ParseStrategy(kDefaultStrategyJson).ok());
  EXPECT_TRUE(ParseStrategy(R"({"name":"hybrid","rules":[{"when":{"countries":["US","CA"],
      "min_trip_days":15},"use":{"name":"fixed_size","size":"5GB"}}],
      "default":{"name":"budget","target_cost":"8.00 EUR"}})")
                  .ok());
}

TEST(ParseStrategy, NamesEveryProblem) {
  auto s = ParseStrategy(R"({"name":"hybrid","rules":[{"when":{"countries":["XX"]},
      "use":{"name":"fixed_size"}}]})");
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& d : s.status().details()) fields.push_back(d.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"rules[0].when.countries", "rules[0].use.size", "default"}));
  EXPECT_FALSE(ParseStrategy(R"({"name":"cheapest"})").ok());
  EXPECT_FALSE(ParseStrategy("not json").ok());
}

}  // namespace
}  // namespace tripsim::strategy
