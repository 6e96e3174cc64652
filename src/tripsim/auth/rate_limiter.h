// RateLimiter: token buckets keyed by a string (a partner id, a client address).
//
//   RateLimiter limiter(clock);
//   Status s = limiter.Take("pt_123", {.per_second = 20, .burst = 40});
//   // kResourceExhausted with retry_after_seconds() when the bucket is empty
#pragma once

#include <string>
#include <unordered_map>

#include "tripsim/base/clock.h"
#include "tripsim/base/mutex.h"
#include "tripsim/base/status.h"

namespace tripsim::auth {

struct RateLimit {
  double per_second = 0;  // 0: unlimited
  double burst = 0;       // bucket size; at least 1
};

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}

  // Takes one token from `key`'s bucket. Thread-safe.
  Status Take(const std::string& key, const RateLimit& limit) EXCLUDES(mu_);
  // Like Take, without taking: kResourceExhausted when the bucket is empty now.
  Status Check(const std::string& key, const RateLimit& limit) EXCLUDES(mu_);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated = 0;  // millis
  };

  Status Use(const std::string& key, const RateLimit& limit, double tokens) EXCLUDES(mu_);

  const Clock& clock_;
  Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
};

}  // namespace tripsim::auth
