// The dashboard's static files, embedded at build time (the page works offline: no CDN).
// Chart.js comes from npm (web/package.json, installed by scripts/setup).
//
//   if (auto a = FindAsset("dashboard.js")) respond(200, a->content_type, a->body);
#pragma once

#include <optional>
#include <string_view>

namespace tripsim::dashboard {

struct Asset {
  std::string_view content_type;
  std::string_view body;
};

// The page itself (GET /dashboard): a login form until a token is given; never data.
Asset DashboardPage();
// A file under /dashboard/assets/; nullopt for an unknown name.
std::optional<Asset> FindAsset(std::string_view name);

}  // namespace tripsim::dashboard
