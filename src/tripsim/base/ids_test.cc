#include "tripsim/base/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "tripsim/base/clock.h"

namespace tripsim {
namespace {

TEST(Ids, OrderedIdsSortByCreationTime) {
  const std::string first = NewOrderedId("bk_");
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = NewOrderedId("bk_");
  EXPECT_LT(first, second);
  EXPECT_TRUE(std::regex_match(first, std::regex("bk_[0-9a-z]{26}")));
}

TEST(Ids, UuidV7CarriesItsTimeThenRandomBits) {
  const int64_t before = SystemClock().NowMillis();
  const std::string u = NewUuidV7();
  const int64_t after = SystemClock().NowMillis();
  ASSERT_TRUE(std::regex_match(
      u, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << u;
  const int64_t millis = std::stoll(u.substr(0, 8) + u.substr(9, 4), nullptr, 16);
  EXPECT_GE(millis, before);
  EXPECT_LE(millis, after);
}

TEST(Ids, UuidV7sSortByCreationTimeAndNeverRepeat) {
  std::set<std::string> seen;
  std::string previous_millisecond;
  for (int i = 0; i < 3; ++i) {
    const std::string u = NewUuidV7();
    EXPECT_GT(u.substr(0, 13), previous_millisecond);
    previous_millisecond = u.substr(0, 13);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(NewUuidV7()).second);
}

}  // namespace
}  // namespace tripsim
