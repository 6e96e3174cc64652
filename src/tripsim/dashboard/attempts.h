// AttemptRecorder: counts booking requests that created nothing (validation, authentication,
// rate limits...) without a database write per request: the counts gather in memory and are
// written by Flush(), which the server calls every second, before answering stats or metrics,
// and at shutdown. A crash loses at most the last second of failure counts; accepted bookings
// are counted by the store in their own transaction.
//
//   recorder.Record("pt_1", FailureReason::kValidation, clock.NowMillis());
//   Status s = recorder.Flush();
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "tripsim/base/mutex.h"
#include "tripsim/base/status.h"
#include "tripsim/domain/stats.h"
#include "tripsim/store/store.h"

namespace tripsim::dashboard {

class AttemptRecorder {
 public:
  explicit AttemptRecorder(store::Store& store) : store_(store) {}

  // partner_id is empty when the request named no known partner.
  void Record(const std::string& partner_id, domain::FailureReason reason, int64_t now_millis)
      EXCLUDES(mu_);
  // Writes what was recorded since the last flush; on failure keeps it for the next one.
  Status Flush() EXCLUDES(mu_, flush_mu_);

 private:
  using Key = std::tuple<int32_t, std::string, domain::FailureReason>;  // (UTC day, partner, why)

  store::Store& store_;
  Mutex flush_mu_;  // one flush at a time, so that counts are written in order
  Mutex mu_;
  std::map<Key, std::pair<int64_t, int64_t>> pending_ GUARDED_BY(mu_);  // -> (count, at)
};

}  // namespace tripsim::dashboard
