#include "tripsim/api/app.h"

#include <chrono>

#include "tripsim/api/error_table.h"
#include "tripsim/api/partner_routes.h"
#include "tripsim/api/public_routes.h"
#include "tripsim/base/ids.h"
#include "tripsim/base/log.h"

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

}  // namespace

class App::Routes {
 public:
  Routes(AppDeps deps, AppOptions options) : deps_(deps), options_(std::move(options)) {
    AddPartnerRoutes(router_, deps_, options_);
    AddPublicRoutes(router_, deps_, options_);
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

HttpResponse App::Handle(const HttpRequest& request) const {
  auto start = std::chrono::steady_clock::now();
  auto incoming = request.Header("x-request-id");
  std::string request_id =
      incoming && SafeRequestId(*incoming) ? std::string(*incoming) : NewId("req_");
  log::ScopedRequestId scoped(request_id);
  HttpResponse res;
  try {
    res = routes_->router_.Route(request);
  } catch (const std::exception& e) {
    res = ErrorResponse(Internal(std::string("unhandled exception: ") + e.what()));
  }
  res.headers.emplace_back("x-request-id", request_id);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
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
  h.on_rejected = [](const HttpRequest& r, const HttpResponse& res) {
    log::Info("http.rejected",
              {{"method", r.method}, {"path", r.path}, {"status", std::to_string(res.status)}});
  };
  return h;
}

}  // namespace tripsim::api
