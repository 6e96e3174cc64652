// The operator's eSIM inventory file (design.md 4): CSV with the header line
// iccid,smdp_address,matching_id,confirmation_code,provider. Validated whole: any bad row
// (ICCID digits and Luhn check digit, SM-DP+ host name, duplicates) rejects the file, and the
// Status names the row and field of every problem.
#pragma once

#include <string_view>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/esim.h"

namespace tripsim::catalog {

Result<std::vector<domain::EsimProfile>> ParseInventoryCsv(std::string_view text);

}  // namespace tripsim::catalog
