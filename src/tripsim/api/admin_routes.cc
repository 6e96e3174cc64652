#include "tripsim/api/admin_routes.h"

#include "tripsim/api/error_table.h"
#include "tripsim/base/log.h"
#include "tripsim/dashboard/access.h"
#include "tripsim/dashboard/assets.h"
#include "tripsim/dashboard/metrics_page.h"
#include "tripsim/dashboard/stats.h"

namespace tripsim::api {
namespace {

// The page and its scripts load only from this server; nothing may frame them.
const std::vector<std::pair<std::string, std::string>> kPageHeaders = {
    {"content-security-policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"x-content-type-options", "nosniff"},
    {"referrer-policy", "no-referrer"},
    {"x-frame-options", "DENY"},
};

HttpResponse Unauthorized(const Status& s) {
  HttpResponse res = ErrorResponse(s);
  if (res.status == 401) res.headers.emplace_back("www-authenticate", "Bearer");
  return res;
}

// Writes the failed attempts gathered in memory, so that an answer includes them.
void FlushAttempts(const AppDeps& deps) {
  Status s = deps.attempts.Flush();
  if (!s.ok()) log::Warn("stats.flush_failed", {{"error", s.message()}});
}

class AdminRoutes {
 public:
  AdminRoutes(const AppDeps& deps, const AppOptions& options) : deps_(deps), options_(options) {}

  HttpResponse Stats(const HttpRequest& r) const {
    auto who = dashboard::Authorize(deps_.store, r.Header("authorization"));
    if (!who.ok()) return Unauthorized(who.status());
    auto q = ParseQuery(r.query);
    std::vector<FieldIssue> issues;
    auto date = [&](const char* key, Date fallback) {
      if (!q.contains(key) || q[key].empty()) return fallback;
      std::optional<Date> d = ParseIsoDateOnly(q[key]);
      if (!d) issues.push_back({key, "must be a date (YYYY-MM-DD)", {}});
      return d.value_or(fallback);
    };
    const Date to = date("to", DateOfMillis(deps_.clock.NowMillis()));
    const Date from = date("from", Date{to.days - 29});
    if (issues.empty() && from > to) issues.push_back({"from", "must not be after to", {}});
    if (issues.empty() && to.days - from.days + 1 > dashboard::kMaxStatsDays) {
      issues.push_back({"to", "the range may span at most 366 days", {}});
    }
    if (!issues.empty()) return ErrorResponse(InvalidArgument("Validation failed", issues));

    dashboard::StatsQuery query{from, to, std::nullopt};
    const std::string asked = q["partner"];
    if (!who->partner_id.empty()) {
      if (!asked.empty() && asked != who->partner_id) {
        return ErrorResponse(
            Status(ErrorCode::kPermissionDenied, "This token sees only its own partner"));
      }
      query.partner_id = who->partner_id;
    } else if (!asked.empty()) {
      TRIPSIM_ASSIGN_OR_RESPOND(partner, deps_.store.GetPartner(asked));
      query.partner_id = partner.id;
    }
    FlushAttempts(deps_);
    TRIPSIM_ASSIGN_OR_RESPOND(report, dashboard::BuildStats(deps_.store, query));
    return {
        200, "application/json", dashboard::EncodeStats(report), {{"cache-control", "no-store"}}};
  }

  HttpResponse Metrics(const HttpRequest& r) const {
    if (!options_.metrics_public) {
      auto who = dashboard::Authorize(deps_.store, r.Header("authorization"));
      if (!who.ok()) return Unauthorized(who.status());
      if (!who->partner_id.empty()) {
        return ErrorResponse(
            Status(ErrorCode::kPermissionDenied, "Metrics need an operator token"));
      }
    }
    FlushAttempts(deps_);
    TRIPSIM_ASSIGN_OR_RESPOND(text,
                              dashboard::RenderMetricsPage(deps_.store, deps_.clock.NowMillis()));
    return {200,
            "text/plain; version=0.0.4; charset=utf-8",
            std::move(text),
            {{"cache-control", "no-store"}}};
  }

  static HttpResponse Page() {
    dashboard::Asset page = dashboard::DashboardPage();
    HttpResponse res{200, std::string(page.content_type), std::string(page.body), kPageHeaders};
    res.headers.emplace_back("cache-control", "no-cache");
    return res;
  }

  static HttpResponse Asset(const PathParams& p) {
    std::optional<dashboard::Asset> asset = dashboard::FindAsset(p.at("name"));
    if (!asset) return ErrorResponse(404, "Not found");
    HttpResponse res{200, std::string(asset->content_type), std::string(asset->body), kPageHeaders};
    res.headers.emplace_back("cache-control", "public, max-age=300");
    return res;
  }

 private:
  const AppDeps& deps_;
  const AppOptions& options_;
};

}  // namespace

void AddAdminRoutes(Router& router, const AppDeps& deps, const AppOptions& options) {
  auto routes = std::make_shared<AdminRoutes>(deps, options);
  // Stats and metrics read many rows (milliseconds): on the worker pool.
  router.Add("GET", "/api/admin/stats", RouteCost::kBlocking,
             [routes](const HttpRequest& r, const PathParams&) { return routes->Stats(r); });
  router.Add("GET", "/metrics", RouteCost::kBlocking,
             [routes](const HttpRequest& r, const PathParams&) { return routes->Metrics(r); });
  router.Add("GET", "/dashboard", RouteCost::kCompute,
             [](const HttpRequest&, const PathParams&) { return AdminRoutes::Page(); });
  router.Add("GET", "/dashboard/assets/{name}", RouteCost::kCompute,
             [](const HttpRequest&, const PathParams& p) { return AdminRoutes::Asset(p); });
}

}  // namespace tripsim::api
