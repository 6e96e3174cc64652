#include "tripsim/api/app.h"

#include <algorithm>
#include <chrono>

#include "tripsim/api/admin_routes.h"
#include "tripsim/api/error_table.h"
#include "tripsim/api/partner_routes.h"
#include "tripsim/api/public_routes.h"
#include "tripsim/base/ids.h"
#include "tripsim/base/log.h"
#include "tripsim/base/metrics.h"

namespace tripsim::embedded {
extern const std::string_view kOpenApiJson;
}

namespace tripsim::api {
namespace {

bool SafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// A bounded metric label for the request method: arbitrary verbs from clients become "OTHER".
std::string MethodLabel(const std::string& method) {
  for (const char* known : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    if (method == known) return method;
  }
  return "OTHER";
}

}  // namespace

class App::Routes {
 public:
  Routes(AppDeps deps, AppOptions options) : deps_(deps), options_(std::move(options)) {
    AddPartnerRoutes(router_, deps_, options_);
    AddPublicRoutes(router_, deps_, options_);
    AddAdminRoutes(router_, deps_, options_);
    router_.Add("GET", "/api/openapi.json", [](const HttpRequest&, const PathParams&) {
      return HttpResponse{200, "application/json", std::string(embedded::kOpenApiJson), {}};
    });
    router_.Add("GET", "/healthz", [](const HttpRequest&, const PathParams&) {
      return HttpResponse{200, "application/json", R"({"status":"ok"})", {}};
    });
    router_.Add("GET", "/readyz", [this](const HttpRequest&, const PathParams&) {
      Status s = deps_.store.Ping();
      if (!s.ok()) {
        log::Warn("readyz.store_unreachable", {{"error", s.message()}});
        return HttpResponse{
            503, "application/json", R"({"status":"unavailable","store":"unreachable"})", {}};
      }
      return HttpResponse{200, "application/json", R"({"status":"ready","store":"ok"})", {}};
    });
  }

  AppDeps deps_;
  AppOptions options_;
  Router router_;
};

App::App(AppDeps deps, AppOptions options)
    : routes_(std::make_unique<Routes>(deps, std::move(options))) {}

App::~App() = default;

const Router& App::router() const { return routes_->router_; }

std::string ClientAddress(const HttpRequest& r, const std::vector<std::string>& trusted_proxies) {
  if (std::find(trusted_proxies.begin(), trusted_proxies.end(), r.peer) == trusted_proxies.end()) {
    return r.peer;
  }
  auto forwarded = r.Header("x-forwarded-for");
  if (!forwarded) return r.peer;
  std::string_view hops = *forwarded;
  std::string_view last =
      hops.substr(hops.rfind(',') == std::string_view::npos ? 0 : hops.rfind(',') + 1);
  while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
  while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
  return last.empty() || last.size() > 64 ? r.peer : std::string(last);
}

HttpResponse App::Handle(const HttpRequest& request) const {
  auto start = std::chrono::steady_clock::now();
  auto incoming = request.Header("x-request-id");
  std::string request_id =
      incoming && SafeRequestId(*incoming) ? std::string(*incoming) : NewId("req_");
  log::ScopedRequestId scoped(request_id);
  HttpResponse res;
  std::string route;
  try {
    res = routes_->router_.Route(request, &route);
  } catch (const std::exception& e) {
    res = ErrorResponse(Internal(std::string("unhandled exception: ") + e.what()));
    if (IsBookingAttempt(request)) {
      RecordBookingFailure(request, domain::FailureReason::kInternal, routes_->deps_);
    }
  }
  res.headers.emplace_back("x-request-id", request_id);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  if (route.empty()) route = "unmatched";
  Metrics::Global().Add("tripsim_http_requests_total", {{"route", route},
                                                        {"method", MethodLabel(request.method)},
                                                        {"status", std::to_string(res.status)}});
  Metrics::Global().Observe("tripsim_http_request_duration_seconds",
                            {{"route", route}, {"method", MethodLabel(request.method)}},
                            std::chrono::duration<double>(elapsed).count());
  if (request.path != "/healthz") {
    log::Info("http.request", {{"method", request.method},
                               {"path", request.path},
                               {"status", std::to_string(res.status)},
                               {"micros", std::to_string(micros)}});
  }
  return res;
}

HttpServer::Handlers App::ServerHandlers() const {
  HttpServer::Handlers h;
  h.handle = [this](const HttpRequest& r) { return Handle(r); };
  h.runs_inline = [](const HttpRequest& r) { return r.path == "/healthz"; };
  h.error_response = [](int status, const std::string& message) {
    return ErrorResponse(status, message);
  };
  h.on_rejected = [this](const HttpRequest& r, const HttpResponse& res) {
    Metrics::Global().Add("tripsim_http_requests_total", {{"route", "rejected"},
                                                          {"method", MethodLabel(r.method)},
                                                          {"status", std::to_string(res.status)}});
    if (IsBookingAttempt(r)) {
      RecordBookingFailure(r, domain::FailureReasonOfStatus(res.status), routes_->deps_);
    }
    log::Info("http.rejected",
              {{"method", r.method}, {"path", r.path}, {"status", std::to_string(res.status)}});
  };
  return h;
}

}  // namespace tripsim::api
