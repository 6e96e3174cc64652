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

// "pax": N tests a party of exactly N; an unknown condition is named with the ones there are.
TEST(ParseStrategy, ReadsPaxAsAnExactPartySize) {
  auto s = ParseStrategy(R"({"name":"hybrid","rules":[{"when":{"pax":3},
      "use":{"name":"fixed_size","size":"1GB"}}],"default":{"name":"budget","target_cost":"8.00 EUR"}})");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const When& w = std::get<Hybrid>(s->kind).rules.at(0).when;
  EXPECT_EQ(w.min_pax, 3);
  EXPECT_EQ(w.max_pax, 3);
  auto both = ParseStrategy(R"({"name":"hybrid","rules":[{"when":{"pax":3,"min_pax":2,"party":4},
      "use":{"name":"fixed_size","size":"1GB"}}],"default":{"name":"budget","target_cost":"8.00 EUR"}})");
  ASSERT_FALSE(both.ok());
  ASSERT_EQ(both.status().details().size(), 2u);
  EXPECT_EQ(both.status().details()[0].field, "rules[0].when.party");
  EXPECT_NE(both.status().details()[0].issue.find("min_trip_days"), std::string::npos);
  EXPECT_EQ(both.status().details()[1].field, "rules[0].when.pax");
}

}  // namespace
}  // namespace tripsim::strategy
