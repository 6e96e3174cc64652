// The store's own text encodings for values kept in one column: package snapshots,
// package specifications and string lists. Shared by the SQL stores; not the wire format.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/domain/package.h"

namespace tripsim::store {

std::string EncodePackage(const domain::Package& p);
Result<domain::Package> DecodePackage(const std::string& text);

std::string EncodeSpecs(const std::vector<domain::PackageSpec>& specs);
Result<std::vector<domain::PackageSpec>> DecodeSpecs(const std::string& text);

// Space-separated; the items never contain spaces (codes, channel and type names).
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(const std::string& text);

}  // namespace tripsim::store
