#include "tripsim/base/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tripsim {
namespace {

namespace json = boost::json;

TEST(JsonText, WritesFractionsAsPlainDecimals) {
  EXPECT_EQ(JsonText(json::value(0.5)), "0.5");
  EXPECT_EQ(JsonText(json::value(0.0)), "0.0");
  EXPECT_EQ(JsonText(json::value(1.0)), "1.0");
  EXPECT_EQ(JsonText(json::value(1.0 / 3)), "0.3333333333333333");
  EXPECT_EQ(JsonText(json::value(-2.25)), "-2.25");
  EXPECT_EQ(JsonText(json::value(1e-7)), "1e-07");  // shorter than 0.0000001, still JSON
  EXPECT_EQ(json::parse(JsonText(json::value(1.0 / 3))).as_double(), 1.0 / 3);
}

TEST(JsonText, WritesEverythingElseAsBoostDoes) {
  const json::value doc = json::parse(
      R"({"a":[1,-2,true,false,null,"x\"y\n\u0001"],"k\"ey":{"n":18446744073709551615},"e":{}})");
  EXPECT_EQ(JsonText(doc), json::serialize(doc));
  EXPECT_EQ(JsonText(doc.as_object()), json::serialize(doc));
}

TEST(JsonText, AMixedDocumentReadsBackTheSame) {
  const json::object doc{{"rate", 0.25}, {"rates", json::array{0.0, 1.0, 0.125}}, {"n", 3}};
  EXPECT_EQ(JsonText(doc), R"({"rate":0.25,"rates":[0.0,1.0,0.125],"n":3})");
  EXPECT_EQ(json::parse(JsonText(doc)), json::value(doc));
}

}  // namespace
}  // namespace tripsim
