#include "tripsim/auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace tripsim::auth {

Status RateLimiter::Take(const std::string& key, const RateLimit& limit) {
  return Use(key, limit, 1.0);
}

Status RateLimiter::Check(const std::string& key, const RateLimit& limit) {
  return Use(key, limit, 0.0);
}

Status RateLimiter::Use(const std::string& key, const RateLimit& limit, double tokens) {
  if (limit.per_second <= 0) return Status::Ok();
  const double burst = std::max(1.0, limit.burst);
  const int64_t now = clock_.NowMillis();
  MutexLock lock(mu_);
  if (buckets_.size() > 100'000) buckets_.clear();  // bounded: keys may come from clients
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst, now});
  Bucket& b = it->second;
  b.tokens =
      std::min(burst, b.tokens + static_cast<double>(now - b.updated) / 1000.0 * limit.per_second);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= tokens;
    return Status::Ok();
  }
  int wait = static_cast<int>(std::ceil((1.0 - b.tokens) / limit.per_second));
  return Status(ErrorCode::kResourceExhausted,
                "Rate limit exceeded: retry after the Retry-After delay")
      .WithRetryAfter(std::max(1, wait));
}

}  // namespace tripsim::auth
