#include "tripsim/base/json_writer.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace tripsim {
namespace {

TEST(JsonWriter, WritesWhatBoostJsonWouldForTheSameDocument) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("id").String("bk_1");
  w.Key("pax").Int(-42);
  w.Key("big").Int(INT64_MIN);
  w.Key("ok").Bool(true);
  w.Key("none").Null();
  w.Key("maybe").OptionalString(std::nullopt);
  w.Key("empty").StringOrNull("");
  w.Key("list").BeginArray();
  w.BeginObject().EndObject();
  w.BeginArray().EndArray();
  w.String("quote \" backslash \\ control \x01 newline \n tab \t");
  w.String("Zoë 日本語 </script>");
  w.EndArray();
  w.Key("nested").BeginObject();
  w.Key("a").BeginArray().Int(1).Int(2).EndArray();
  w.EndObject();
  w.EndObject();

  boost::json::object expected{
      {"id", "bk_1"},
      {"pax", -42},
      {"big", INT64_MIN},
      {"ok", true},
      {"none", nullptr},
      {"maybe", nullptr},
      {"empty", nullptr},
      {"list",
       {boost::json::object{}, boost::json::array{},
        "quote \" backslash \\ control \x01 newline \n tab \t", "Zoë 日本語 </script>"}},
      {"nested", {{"a", {1, 2}}}}};
  EXPECT_EQ(out, boost::json::serialize(expected));
}

// The escaper hands its output over in chunks: an escape may fall across two of them.
TEST(JsonWriter, AStringLongerThanOneChunkIsWhole) {
  std::string s;
  for (int i = 0; i < 500; ++i) s += (i % 7 == 0) ? "\"\x02" : "ab";
  std::string out;
  JsonWriter(out).String(s);
  EXPECT_EQ(out, boost::json::serialize(boost::json::string_view(s)));
  EXPECT_EQ(boost::json::parse(out).as_string(), s);
}

}  // namespace
}  // namespace tripsim
