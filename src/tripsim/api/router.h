// Router: matches a method and path against patterns such as "/api/bookings/{id}", and
// answers 404 (unknown path) or 405 (known path, other method) in the error shape. Each route
// says what its handler costs, so that the caller runs it on the network thread or on a pool.
//
//   Router r;
//   r.Add("GET", "/api/bookings/{id}", RouteCost::kReadsStore,
//         [](const HttpRequest& q, const PathParams& p) {...});
//   std::variant<RouteMatch, HttpResponse> m = r.Find(request);
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "tripsim/api/http.h"

namespace tripsim::api {

using PathParams = std::map<std::string, std::string>;  // percent-decoded
// Answers at once.
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;
// Answers through `respond`, now or later from another thread; the request lives until then.
using AsyncRouteHandler =
    std::function<void(std::shared_ptr<const HttpRequest>, const PathParams&, Respond)>;

// What a handler may do, and so where it may run.
enum class RouteCost {
  kCompute,     // neither reads nor waits: runs on the network thread
  kReadsStore,  // reads the store, never waits for a commit: on the network thread when the
                // store answers reads locally (Store::LocalReads), on the worker pool otherwise
  kBlocking,    // waits (for a commit, a lock, the network): always on the worker pool
};

struct RouteMatch {
  const AsyncRouteHandler* handler = nullptr;
  RouteCost cost = RouteCost::kBlocking;
  const std::string* pattern = nullptr;  // a bounded label for metrics
  PathParams params;
};

class Router {
 public:
  void Add(std::string method, const std::string& pattern, RouteCost cost, RouteHandler handler);
  void AddAsync(std::string method, const std::string& pattern, RouteCost cost,
                AsyncRouteHandler handler);
  // The route of `request`, or the error to answer (400, 404, 405).
  std::variant<RouteMatch, HttpResponse> Find(const HttpRequest& request) const;
  // Every (method, pattern) pair, for the OpenAPI coverage test.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route_ {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" captures one segment
    RouteCost cost;
    AsyncRouteHandler handler;
  };
  std::vector<Route_> routes_;
};

// Query parameters, percent-decoded ('+' as space); a repeated key keeps its first value.
std::map<std::string, std::string> ParseQuery(const std::string& query);

}  // namespace tripsim::api
