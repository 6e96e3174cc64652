// The monitoring routes (design.md 6): GET /api/admin/stats (bearer token), GET /metrics
// (Prometheus; operator token unless metrics_public), and the dashboard page with its assets.
// Internal to api.
#pragma once

#include "tripsim/api/app.h"
#include "tripsim/api/router.h"

namespace tripsim::api {

void AddAdminRoutes(Router& router, const AppDeps& deps, const AppOptions& options);

}  // namespace tripsim::api
