#include "tripsim/booking/partner_directory.h"

#include "tripsim/base/crypto.h"

namespace tripsim::booking {

Result<ActivePartner> Activate(const domain::Partner& partner, std::string_view master_key) {
  ActivePartner a;
  a.partner = partner;
  Result<std::string> secret = crypto::Open(master_key, partner.secret_sealed);
  if (!secret.ok()) {
    return Internal("the secret of partner " + partner.id + " does not open with this master key");
  }
  a.secret = std::move(secret).value();
  if (!partner.previous_secret_sealed.empty()) {
    Result<std::string> previous = crypto::Open(master_key, partner.previous_secret_sealed);
    if (previous.ok()) a.previous_secret = std::move(previous).value();
  }
  Result<strategy::StrategyConfig> s = strategy::ParseStrategy(partner.strategy_json);
  if (!s.ok()) return Internal("the stored strategy of partner " + partner.id + " is invalid");
  a.strategy = std::move(s).value();
  a.policy.allow_list = partner.destination_allow_list;
  for (const auto& t : partner.package_types) {
    if (auto type = domain::ParsePackageType(t)) a.policy.package_types.push_back(*type);
  }
  return a;
}

PartnerDirectory::PartnerDirectory(store::Store& store, std::string master_key, const Clock& clock,
                                   Options options)
    : store_(store), master_key_(std::move(master_key)), clock_(clock), options_(options) {}

Result<std::shared_ptr<const ActivePartner>> PartnerDirectory::FindByApiKey(
    const std::string& api_key) {
  const int64_t now = clock_.NowMillis();
  {
    MutexLock lock(mu_);
    auto it = by_key_.find(api_key);
    if (it != by_key_.end() && now - it->second.loaded_at < options_.ttl.count()) {
      return it->second.partner;
    }
  }
  Result<domain::Partner> p = store_.FindPartnerByApiKey(api_key);
  std::shared_ptr<const ActivePartner> active;
  if (p.ok()) {
    TRIPSIM_ASSIGN_OR_RETURN(a, Activate(*p, master_key_));
    active = std::make_shared<const ActivePartner>(std::move(a));
  } else if (p.status().code() != ErrorCode::kNotFound) {
    return p.status();
  }
  MutexLock lock(mu_);
  if (by_key_.size() > 10000) by_key_.clear();  // unknown keys must not grow it without bound
  by_key_[api_key] = {active, now};
  return active;
}

}  // namespace tripsim::booking
