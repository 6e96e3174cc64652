#include "tripsim/auth/rate_limiter.h"

#include <gtest/gtest.h>

namespace tripsim::auth {
namespace {

TEST(RateLimiter, AllowsABurstThenRefillsAtTheRate) {
  FakeClock clock(0);
  RateLimiter limiter(clock);
  RateLimit limit{.per_second = 2, .burst = 3};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("a", limit).ok()) << i;
  Status refused = limiter.Take("a", limit);
  EXPECT_EQ(refused.code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(refused.retry_after_seconds(), 1);
  EXPECT_TRUE(limiter.Take("b", limit).ok());  // buckets are per key
  clock.Advance(std::chrono::milliseconds(500));
  EXPECT_TRUE(limiter.Take("a", limit).ok());
  EXPECT_FALSE(limiter.Take("a", limit).ok());
  EXPECT_TRUE(limiter.Take("a", {}).ok());  // unlimited
}

TEST(RateLimiter, CheckRefusesAnEmptyBucketWithoutTaking) {
  FakeClock clock(0);
  RateLimiter limiter(clock);
  RateLimit limit{.per_second = 1, .burst = 2};
  EXPECT_TRUE(limiter.Check("a", limit).ok());
  EXPECT_TRUE(limiter.Check("a", limit).ok());  // checking takes nothing
  EXPECT_TRUE(limiter.Take("a", limit).ok());
  EXPECT_TRUE(limiter.Take("a", limit).ok());
  EXPECT_EQ(limiter.Check("a", limit).code(), ErrorCode::kResourceExhausted);
  clock.Advance(std::chrono::milliseconds(1000));
  EXPECT_TRUE(limiter.Check("a", limit).ok());
}

}  // namespace
}  // namespace tripsim::auth
