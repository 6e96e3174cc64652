#include "tripsim/dashboard/attempts.h"

#include <vector>

namespace tripsim::dashboard {

void AttemptRecorder::Record(const std::string& partner_id, domain::FailureReason reason,
                             int64_t now_millis) {
  MutexLock lock(mu_);
  auto& [count, at] = pending_[{DateOfMillis(now_millis).days, partner_id, reason}];
  count += 1;
  at = now_millis;
}

Status AttemptRecorder::Flush() {
  MutexLock flushing(flush_mu_);
  std::map<Key, std::pair<int64_t, int64_t>> taken;
  {
    MutexLock lock(mu_);
    taken.swap(pending_);
  }
  if (taken.empty()) return Status::Ok();
  std::vector<store::FailedAttempt> attempts;
  attempts.reserve(taken.size());
  for (const auto& [key, value] : taken) {
    attempts.push_back({std::get<1>(key), value.second, std::get<2>(key), value.first});
  }
  Status s = store_.RecordFailedAttempts(attempts);
  if (!s.ok()) {
    MutexLock lock(mu_);
    for (const auto& [key, value] : taken) {
      auto& [count, at] = pending_[key];
      count += value.first;
      at = std::max(at, value.second);
    }
  }
  return s;
}

}  // namespace tripsim::dashboard
