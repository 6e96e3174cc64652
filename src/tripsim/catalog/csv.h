// Splitting one CSV line (RFC 4180 quoting, no embedded newlines). Internal to catalog.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tripsim::catalog {

std::vector<std::string> SplitCsvLine(std::string_view line);

}  // namespace tripsim::catalog
