// The signed partner routes under /api (design.md 2.2): bookings and packages. Internal to api.
#pragma once

#include "tripsim/api/app.h"
#include "tripsim/api/router.h"
#include "tripsim/domain/stats.h"

namespace tripsim::api {

void AddPartnerRoutes(Router& router, const AppDeps& deps, const AppOptions& options);

// Counts a POST /api/bookings that created nothing (design.md 10, "Stats"), attributed to the
// partner its x-api-key names, if any.
void RecordBookingFailure(const HttpRequest& r, domain::FailureReason reason, const AppDeps& deps);

// True for the request the dashboard counts as a booking attempt.
inline bool IsBookingAttempt(const HttpRequest& r) {
  return r.method == "POST" && r.path == "/api/bookings";
}

}  // namespace tripsim::api
