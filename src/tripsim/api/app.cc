#include "tripsim/api/app.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <unordered_map>
#include <variant>

#include "tripsim/api/admin_routes.h"
#include "tripsim/api/error_table.h"
#include "tripsim/api/partner_routes.h"
#include "tripsim/api/public_routes.h"
#include "tripsim/base/ids.h"
#include "tripsim/base/log.h"
#include "tripsim/base/metrics.h"
#include "tripsim/base/mutex.h"
#include "tripsim/base/worker_pool.h"

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
std::string_view MethodLabel(const std::string& method) {
  for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

// The metric series of one kind of answer (route, method, status), looked up in the registry
// once per thread, then counted without a lock or an allocation.
struct RequestSeries {
  CounterSeries* requests = nullptr;
  HistogramSeries* duration = nullptr;
};

struct SeriesKey {
  std::string_view route;   // into SeriesFor's own copies
  std::string_view method;  // one of MethodLabel's literals
  int status;
  bool operator==(const SeriesKey&) const = default;
};

struct SeriesKeyHash {
  size_t operator()(const SeriesKey& k) const {
    const std::hash<std::string_view> h;
    return h(k.route) ^ (h(k.method) << 1) ^ (static_cast<size_t>(k.status) << 2);
  }
};

RequestSeries& SeriesFor(std::string_view route, std::string_view method, int status) {
  thread_local std::deque<std::string> routes;  // stable storage for the keys' route names
  thread_local std::unordered_map<SeriesKey, RequestSeries, SeriesKeyHash> cache;
  auto it = cache.find({route, method, status});
  if (it != cache.end()) return it->second;
  const std::string& kept = routes.emplace_back(route);
  const std::string m(method);
  RequestSeries series{Metrics::Global().Counter(
                           "tripsim_http_requests_total",
                           {{"route", kept}, {"method", m}, {"status", std::to_string(status)}}),
                       Metrics::Global().Histogram("tripsim_http_request_duration_seconds",
                                                   {{"route", kept}, {"method", m}})};
  return cache.emplace(SeriesKey{kept, method, status}, series).first->second;
}

}  // namespace

class App::Routes {
 public:
  Routes(AppDeps deps, AppOptions options)
      : deps_(deps), options_(std::move(options)), workers_("worker", options_.worker_threads) {
    AddPartnerRoutes(router_, deps_, options_);
    AddPublicRoutes(router_, deps_, options_);
    AddAdminRoutes(router_, deps_, options_);
    router_.Add(
        "GET", "/api/openapi.json", RouteCost::kCompute, [](const HttpRequest&, const PathParams&) {
          return HttpResponse{200, "application/json", std::string(embedded::kOpenApiJson), {}};
        });
    router_.Add("GET", "/healthz", RouteCost::kCompute, [](const HttpRequest&, const PathParams&) {
      return HttpResponse{200, "application/json", R"({"status":"ok"})", {}};
    });
    router_.Add(
        "GET", "/readyz", RouteCost::kBlocking, [this](const HttpRequest&, const PathParams&) {
          Status s = deps_.store.Ping();
          if (!s.ok()) {
            log::Warn("readyz.store_unreachable", {{"error", s.message()}});
            return HttpResponse{
                503, "application/json", R"({"status":"unavailable","store":"unreachable"})", {}};
          }
          return HttpResponse{200, "application/json", R"({"status":"ready","store":"ok"})", {}};
        });
  }

  ~Routes() {
    workers_.Stop();
    MutexLock lock(mu_);
    idle_.Wait(mu_, [this]() REQUIRES(mu_) { return in_hand_ == 0; });
  }

  void Started() {
    MutexLock lock(mu_);
    ++in_hand_;
  }
  void Finished() {
    MutexLock lock(mu_);
    if (--in_hand_ == 0) idle_.NotifyAll();
  }

  AppDeps deps_;
  AppOptions options_;
  Router router_;
  WorkerPool workers_;
  Mutex mu_;
  CondVar idle_;
  // Requests handled and not answered yet. Answers are built on network threads, which stop
  // before the App goes; an answer given after that is dropped by the server.
  int64_t in_hand_ GUARDED_BY(mu_) = 0;
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

namespace {

// The answer to a handler that threw.
HttpResponse Unhandled(const HttpRequest& request, const std::exception& e, const AppDeps& deps) {
  if (IsBookingAttempt(request)) {
    RecordBookingFailure(request, domain::FailureReason::kInternal, deps);
  }
  return ErrorResponse(Internal(std::string("unhandled exception: ") + e.what()));
}

}  // namespace

void App::Handle(HttpRequest incoming, Respond respond) const {
  const auto start = std::chrono::steady_clock::now();
  auto request = std::make_shared<const HttpRequest>(std::move(incoming));
  auto given_id = request->Header("x-request-id");
  std::string request_id =
      given_id && SafeRequestId(*given_id) ? std::string(*given_id) : NewId("req_");
  log::ScopedRequestId routing(request_id);
  std::variant<RouteMatch, HttpResponse> found = routes_->router_.Find(*request);
  auto* match = std::get_if<RouteMatch>(&found);
  const std::string* route = match ? match->pattern : nullptr;

  // Every answer goes through here, on the network thread: request id, metrics, access log.
  Routes* routes = routes_.get();
  routes->Started();
  Respond finish = [routes, request, request_id, route, start,
                    respond = std::move(respond)](ResponseMaker make) {
    respond([routes, request, request_id, route, start, make = std::move(make)] {
      log::ScopedRequestId scoped(request_id);
      HttpResponse res;
      try {
        res = make();
      } catch (const std::exception& e) {
        res = Unhandled(*request, e, routes->deps_);
      }
      res.headers.emplace_back("x-request-id", request_id);
      const auto elapsed = std::chrono::steady_clock::now() - start;
      RequestSeries& series = SeriesFor(route ? std::string_view(*route) : "unmatched",
                                        MethodLabel(request->method), res.status);
      series.requests->Add();
      series.duration->Observe(std::chrono::duration<double>(elapsed).count());
      if (request->path != "/healthz") {
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
        log::Info("http.request", {{"method", request->method},
                                   {"path", request->path},
                                   {"status", std::to_string(res.status)},
                                   {"micros", std::to_string(micros)}});
      }
      return res;
    });
    routes->Finished();
  };
  if (!match) return finish(Ready(std::get<HttpResponse>(std::move(found))));

  auto run = [routes, request, request_id, handler = match->handler,
              params = std::move(match->params), finish]() {
    log::ScopedRequestId scoped(request_id);
    try {
      (*handler)(request, params, finish);
    } catch (const std::exception& e) {
      finish(Ready(Unhandled(*request, e, routes->deps_)));
    }
  };
  const bool inline_ok =
      match->cost == RouteCost::kCompute ||
      (match->cost == RouteCost::kReadsStore && routes->deps_.store.LocalReads());
  if (inline_ok) return run();
  routes->workers_.Post(std::move(run));
}

HttpServer::Handlers App::ServerHandlers() const {
  HttpServer::Handlers h;
  h.handle = [this](HttpRequest r, Respond respond) { Handle(std::move(r), std::move(respond)); };
  h.error_response = [](int status, const std::string& message) {
    return ErrorResponse(status, message);
  };
  h.on_rejected = [this](const HttpRequest& r, const HttpResponse& res) {
    SeriesFor("rejected", MethodLabel(r.method), res.status).requests->Add();
    if (IsBookingAttempt(r)) {
      RecordBookingFailure(r, domain::FailureReasonOfStatus(res.status), routes_->deps_);
    }
    log::Info("http.rejected",
              {{"method", r.method}, {"path", r.path}, {"status", std::to_string(res.status)}});
  };
  return h;
}

}  // namespace tripsim::api
