// PartnerDirectory: partners as the request path needs them (secret opened, strategy parsed),
// cached for a short time so that a change made with the CLI applies within `ttl`.
//
//   PartnerDirectory dir(store, master_key, clock, {});
//   Result<std::shared_ptr<const ActivePartner>> p = dir.FindByApiKey(key);
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include "tripsim/base/clock.h"
#include "tripsim/base/mutex.h"
#include "tripsim/base/status.h"
#include "tripsim/domain/partner.h"
#include "tripsim/store/store.h"
#include "tripsim/strategy/assign.h"
#include "tripsim/strategy/strategy_config.h"

namespace tripsim::booking {

struct ActivePartner {
  domain::Partner partner;
  std::string secret;           // the plaintext API secret; never logged
  std::string previous_secret;  // during a rotation (until partner.previous_secret_until)
  strategy::StrategyConfig strategy;
  strategy::Policy policy;
};

// Builds the ActivePartner of a stored partner: opens the secret with the master key and
// parses the strategy and options.
Result<ActivePartner> Activate(const domain::Partner& partner, std::string_view master_key);

class PartnerDirectory {
 public:
  struct Options {
    std::chrono::milliseconds ttl{1000};
  };

  PartnerDirectory(store::Store& store, std::string master_key, const Clock& clock,
                   Options options);

  // nullptr when no partner has this key. Thread-safe.
  Result<std::shared_ptr<const ActivePartner>> FindByApiKey(const std::string& api_key);

 private:
  struct Entry {
    std::shared_ptr<const ActivePartner> partner;  // nullptr: known not to exist
    int64_t loaded_at = 0;
  };

  store::Store& store_;
  const std::string master_key_;
  const Clock& clock_;
  const Options options_;
  Mutex mu_;
  std::unordered_map<std::string, Entry> by_key_ GUARDED_BY(mu_);
};

}  // namespace tripsim::booking
