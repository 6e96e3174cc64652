#include "tripsim/wire/booking_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tripsim::wire {
namespace {

namespace json = boost::json;

const Date kToday = *ParseIsoDate("2026-06-01");

json::object Valid() {
  return json::parse(R"({"booking_id": "TRV-1001", "departure_date": "2026-07-15",
      "return_date": "2026-07-22", "email": "ada@example.com", "first_name": "Ada",
      "last_name": "Lovelace", "package_specifications": [{"destination": "FR"}],
      "communication_options": {"should_send_message": true, "channels": ["EMAIL"]}})")
      .as_object();
}

Result<domain::BookingRequest> Parse(const json::object& o) {
  return ParseCreateBooking(json::serialize(o), {.today = kToday});
}

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const auto& d : s.details()) out.push_back(d.field);
  return out;
}

TEST(ParseCreateBooking, AcceptsTheGuidesRequest) {
  auto r = Parse(Valid());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->booking_id, "TRV-1001");
  EXPECT_EQ(r->package_specifications[0].destinations, (std::vector<std::string>{"FR"}));
  EXPECT_EQ(r->trip_days(), 8);
  EXPECT_EQ(r->channels, (std::vector<std::string>{"EMAIL"}));
}

TEST(ParseCreateBooking, ANumberedBookingIsItsDecimalText) {
  json::object o = Valid();
  o["booking_id"] = 1234567;
  auto numbered = Parse(o);
  o["booking_id"] = "1234567";
  auto text = Parse(o);
  ASSERT_TRUE(numbered.ok() && text.ok());
  EXPECT_EQ(numbered->booking_id, "1234567");
  EXPECT_EQ(*numbered, *text);  // so a repeat in either form is the same booking
}

struct Case {
  const char* field;     // the field to set
  const char* value;     // its JSON value
  const char* expected;  // the field named in the error, or "" when the value is valid
};

class FieldRules : public ::testing::TestWithParam<Case> {};

TEST_P(FieldRules, AcceptOrRejectNamingTheField) {
  const Case& c = GetParam();
  json::object o = Valid();
  std::string field = c.field;
  json::value v = json::parse(c.value);
  if (field.rfind("spec.", 0) == 0) {
    o["package_specifications"].as_array()[0].as_object()[field.substr(5)] = v;
  } else if (field.rfind("comm.", 0) == 0) {
    o["communication_options"].as_object()[field.substr(5)] = v;
  } else {
    o[field] = v;
  }
  auto r = Parse(o);
  if (std::string(c.expected).empty()) {
    EXPECT_TRUE(r.ok()) << c.field << "=" << c.value << ": "
                        << (r.ok() ? "" : r.status().details()[0].issue);
  } else {
    ASSERT_FALSE(r.ok()) << c.field << "=" << c.value;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(Fields(r.status()), std::vector<std::string>{c.expected}) << c.value;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Design23, FieldRules,
    ::testing::Values(
        Case{"departure_date", R"("2026-07-15T08:30:00+02:00")", ""},
        Case{"departure_date", R"("15/07/2026")", "departure_date"},
        Case{"departure_date", R"("2026-05-31")", ""},  // one day in the past is fine
        Case{"departure_date", R"("2026-05-30")", "departure_date"},
        Case{"departure_date", "20260715", "departure_date"}, Case{"return_date", "null", ""},
        Case{"return_date", R"("2026-07-14")", "return_date"},
        Case{"return_date", R"("2026-07-15")", ""}, Case{"return_date", R"("soon")", "return_date"},
        Case{"booking_id", R"("ab")", "booking_id"}, Case{"booking_id", R"("abc")", ""},
        Case{"booking_id", "12345", ""}, Case{"booking_id", "12", "booking_id"},
        Case{"booking_id", "123.5", "booking_id"}, Case{"booking_id", "true", "booking_id"},
        Case{"email", R"("a@b.co")", ""}, Case{"email", R"("not-an-email")", "email"},
        Case{"email", R"("a@b.co\r\nBcc: x@y.z")", "email"},
        Case{"email", R"("a..b@c.de")", "email"}, Case{"first_name", R"("Zoë")", ""},
        Case{"first_name", R"("")", "first_name"},
        Case{"first_name", R"("a\u0007b")", "first_name"}, Case{"last_name", "null", ""},
        Case{"full_name", R"("Ada King Lovelace")", ""}, Case{"title", R"("DR.")", ""},
        Case{"title", R"("sir")", "title"}, Case{"phone", R"("+31612345678")", ""},
        Case{"phone", R"("0612345678")", "phone"}, Case{"pax", "2", ""}, Case{"pax", "0", "pax"},
        Case{"pax", "1.5", "pax"}, Case{"pax", R"("2")", "pax"},
        Case{"flight_number", R"("KL1234")", ""},
        Case{"flight_number", R"("KL 1234")", "flight_number"}, Case{"gender", R"("F")", ""},
        Case{"gender", R"("female")", "gender"}, Case{"locale", R"("nl-NL")", ""},
        Case{"locale", R"("nl")", ""}, Case{"locale", R"("xx-YY")", "locale"},
        Case{"external_id", "null", ""}, Case{"external_id", "42", "external_id"},
        Case{"package_specifications", "[]", "package_specifications"},
        Case{"package_specifications", R"([{},{},{},{},{},{},{},{},{},{},{}])",
             "package_specifications"},
        Case{"spec.destination", R"("FRA")", ""}, Case{"spec.destination", R"("EU")", ""},
        Case{"spec.destination", R"(["FR","DE"])", ""},
        Case{"spec.destination", R"("XX")", "package_specifications[0].destination"},
        Case{"spec.size", R"("1.5GB")", ""},
        Case{"spec.size", R"("5 GB")", "package_specifications[0].size"},
        Case{"spec.package_type", R"("time-limited")", ""},
        Case{"spec.package_type", R"("daily")", "package_specifications[0].package_type"},
        Case{"spec.package_duration", "0", "package_specifications[0].package_duration"},
        Case{"spec.package_duration", "30", ""},
        Case{"comm.should_send_message", R"("yes")", "communication_options.should_send_message"},
        Case{"comm.channels", R"(["SMS"])", "communication_options.channels"},
        Case{"comm.channels", R"(["email"])", "communication_options.channels"},
        Case{"communication_options", "null", "communication_options"}));

TEST(ParseCreateBooking, ListsEveryProblemAtOnce) {
  json::object o = Valid();
  o["departure_date"] = "nope";
  o["email"] = "bad";
  o["pax"] = -1;
  auto r = Parse(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.status()), (std::vector<std::string>{"departure_date", "email", "pax"}));
}

TEST(ParseCreateBooking, NeedsBookingIdOrEmailAndIgnoresUnknownFields) {
  json::object o = Valid();
  o.erase("booking_id");
  o["unknown_field"] = "ignored";
  EXPECT_TRUE(Parse(o).ok());
  o.erase("email");
  EXPECT_EQ(Fields(Parse(o).status()), std::vector<std::string>{"booking_id"});
}

TEST(ParseCreateBooking, IgnoresALeadingByteOrderMark) {
  EXPECT_TRUE(
      ParseCreateBooking("\xEF\xBB\xBF" + json::serialize(Valid()), {.today = kToday}).ok());
  EXPECT_FALSE(ParseCreateBooking("\xEF\xBB" + json::serialize(Valid()), {.today = kToday}).ok());
}

TEST(ParseCreateBooking, RejectsNonObjectsAndBrokenJson) {
  EXPECT_EQ(ParseCreateBooking("[1]", {.today = kToday}).status().details()[0].field, "body");
  EXPECT_EQ(ParseCreateBooking("{", {.today = kToday}).status().details()[0].field, "body");
  std::string deep(100, '[');
  EXPECT_FALSE(ParseCreateBooking(deep, {.today = kToday}).ok());
}

TEST(EncodeError, HasTheDocumentedShape) {
  json::value v = json::parse(EncodeError(
      400, InvalidArgument("Validation failed", {{"departure_date", "must be a date", {}}})));
  EXPECT_EQ(v.at("success").as_bool(), false);
  EXPECT_EQ(v.at("error").at("code").as_int64(), 400);
  EXPECT_EQ(v.at("error").at("details").at(0).at("field").as_string(), "departure_date");
}

}  // namespace
}  // namespace tripsim::wire
