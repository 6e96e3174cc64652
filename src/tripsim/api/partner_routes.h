// The signed partner routes under /api (design.md 2.2): bookings and packages. Internal to api.
#pragma once

#include "tripsim/api/app.h"
#include "tripsim/api/router.h"

namespace tripsim::api {

void AddPartnerRoutes(Router& router, const AppDeps& deps, const AppOptions& options);

}  // namespace tripsim::api
