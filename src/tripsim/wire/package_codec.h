// The JSON shape of GET /api/packages: its query filters and the package list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/package.h"

namespace tripsim::wire {

struct PackageFilter {
  std::vector<std::string> countries;  // every one must be covered; empty = any
  std::optional<int64_t> min_size_mb;
  std::optional<domain::PackageType> type;
};

// Parses the query values (empty = absent); kInvalidArgument names each bad parameter.
Result<PackageFilter> ParsePackageQuery(const std::string& destination, const std::string& size,
                                        const std::string& package_type);

// True when `p` is live, passes the filter and the partner's allow-list and package types
// (empty types: data-limited and unlimited, plus starter when the filter asks for it).
bool PackageMatches(const domain::Package& p, const PackageFilter& filter,
                    const std::vector<std::string>& allow_list,
                    const std::vector<domain::PackageType>& types);

// {"success": true, "data": [package...], "meta": {"total"}}
std::string EncodePackageList(const std::vector<const domain::Package*>& packages);

}  // namespace tripsim::wire
