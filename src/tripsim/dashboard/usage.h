// The billing export (`tripsimd usage export --month 2026-11`): one CSV row per partner and
// package snapshot of the bookings created in that UTC month, with the packages assigned
// (revoked codes left out), their unit and total cost and price, and the codes redeemed.
// A partner whose bookings hold no package gets one row with the package columns empty.
//
//   std::string csv = UsageCsv(store, "2026-11", std::nullopt).value();
#pragma once

#include <optional>
#include <string>

#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::dashboard {

// kInvalidArgument when month is not YYYY-MM.
Result<std::string> UsageCsv(store::Store& store, const std::string& month,
                             const std::optional<std::string>& partner_id);

}  // namespace tripsim::dashboard
