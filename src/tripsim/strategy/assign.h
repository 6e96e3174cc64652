// Package assignment: a pure, deterministic function of (catalog, strategy, partner policy,
// specification, trip) that picks the package(s) for one package specification and explains
// the choice in one line (design.md 2.3, 3 and 10).
//
//   Result<Decision> d = Assign(catalog, strategy, policy, spec, {.days = 8, .pax = 1});
//   if (!d.ok()) ...   // kPermissionDenied (403), kUnprocessable (422)
//   for (const Pick& p : d->picks) Issue(p.package, p.destinations);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/catalog/catalog.h"
#include "tripsim/domain/booking.h"
#include "tripsim/strategy/strategy_config.h"

namespace tripsim::strategy {

// What a partner may be assigned, besides its strategy.
struct Policy {
  std::vector<std::string> allow_list;             // alpha-2; empty = every destination
  std::vector<domain::PackageType> package_types;  // empty = data-limited and unlimited
};

struct TripInfo {
  std::optional<int> days;  // return - departure + 1, when the return date is known
  int pax = 1;
};

struct Pick {
  const domain::Package* package = nullptr;
  std::vector<std::string> destinations;  // the requested destinations this package covers
};

struct Decision {
  std::vector<Pick> picks;  // one per package; empty for a destinationless specification
  domain::Assignment assignment;
};

// REQUIRES: spec has been validated (wire::ParseCreateBooking); destinations are canonical.
Result<Decision> Assign(const catalog::Catalog& catalog, const StrategyConfig& strategy,
                        const Policy& policy, const domain::PackageSpec& spec,
                        const TripInfo& trip);

}  // namespace tripsim::strategy
