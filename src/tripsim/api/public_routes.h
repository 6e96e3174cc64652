// The routes travellers use, without partner credentials: claiming a code issued without an
// email (the form at /claim/{uuid} and its API). Internal to api.
#pragma once

#include "tripsim/api/app.h"
#include "tripsim/api/router.h"

namespace tripsim::api {

void AddPublicRoutes(Router& router, const AppDeps& deps, const AppOptions& options);

}  // namespace tripsim::api
