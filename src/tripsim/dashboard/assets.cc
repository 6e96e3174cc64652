#include "tripsim/dashboard/assets.h"

namespace tripsim::embedded {
extern const std::string_view kDashboardHtml;
extern const std::string_view kDashboardJs;
extern const std::string_view kDashboardCss;
extern const std::string_view kChartJs;
}  // namespace tripsim::embedded

namespace tripsim::dashboard {

Asset DashboardPage() { return {"text/html; charset=utf-8", embedded::kDashboardHtml}; }

std::optional<Asset> FindAsset(std::string_view name) {
  if (name == "dashboard.js")
    return Asset{"text/javascript; charset=utf-8", embedded::kDashboardJs};
  if (name == "dashboard.css") return Asset{"text/css; charset=utf-8", embedded::kDashboardCss};
  if (name == "chart.umd.js") return Asset{"text/javascript; charset=utf-8", embedded::kChartJs};
  return std::nullopt;
}

}  // namespace tripsim::dashboard
