// Small helpers shared by the end-to-end tests.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "tripsim/base/clock.h"
#include "tripsim/base/date.h"

namespace tripsim::testing {

// A date `days` from today (UTC), "YYYY-MM-DD".
inline std::string DaysFromToday(int days) {
  return FormatDate(Date{DateOfMillis(SystemClock().NowMillis()).days + days});
}

// The partner guide's request body (createEsimBooking), for booking `ref` to `country`.
inline boost::json::object GuideBody(const std::string& ref, const std::string& country = "FR") {
  return boost::json::object{
      {"booking_id", ref},
      {"departure_date", DaysFromToday(30)},
      {"email", "traveller@example.com"},
      {"first_name", "Ada"},
      {"last_name", "Lovelace"},
      {"package_specifications", boost::json::array{boost::json::object{{"destination", country}}}},
      {"communication_options",
       {{"should_send_message", true}, {"channels", boost::json::array{"EMAIL"}}}}};
}

inline boost::json::value Json(const std::string& body) { return boost::json::parse(body); }

}  // namespace tripsim::testing
