#include "tripsim/base/json_arena.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

namespace tripsim {
namespace {

TEST(JsonArena, WhatIsBuiltInItIsAllocatedInIt) {
  JsonArena<1024> arena;
  boost::json::object o(arena.storage());
  o["name"] = "a string longer than a value holds inline";
  o["list"] = boost::json::array{1, 2, 3};
  EXPECT_EQ(o.storage().get(), arena.storage().get());
  EXPECT_EQ(o["name"].as_string().storage().get(), arena.storage().get());
  EXPECT_EQ(o["list"].as_array().storage().get(), arena.storage().get());
}

TEST(JsonArena, ADocumentLargerThanItsBufferIsWhole) {
  JsonArena<256> arena;
  boost::json::array a(arena.storage());
  std::string expected = "[";
  for (int i = 0; i < 1000; ++i) {
    a.emplace_back("item-" + std::to_string(i));
    expected += (i ? ",\"item-" : "\"item-") + std::to_string(i) + "\"";
  }
  expected += "]";
  EXPECT_EQ(boost::json::serialize(a), expected);
}

TEST(JsonArena, ParsesIntoItself) {
  JsonArena<512> arena;
  const boost::json::value doc = arena.Parse(R"({"countries": ["FR", "DE"], "days": 30})");
  EXPECT_EQ(doc.storage().get(), arena.storage().get());
  EXPECT_EQ(doc.at("countries").as_array().size(), 2u);
  EXPECT_EQ(doc.at("days").as_int64(), 30);
  EXPECT_THROW(arena.Parse("{not json"), boost::system::system_error);
}

}  // namespace
}  // namespace tripsim
