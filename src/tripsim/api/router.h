// Router: matches a method and path against patterns such as "/api/bookings/{id}", and
// answers 404 (unknown path) or 405 (known path, other method) in the error shape.
//
//   Router r;
//   r.Add("GET", "/api/bookings/{id}", [](const HttpRequest& q, const PathParams& p) {...});
//   HttpResponse res = r.Route(request);
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tripsim/api/http.h"

namespace tripsim::api {

using PathParams = std::map<std::string, std::string>;  // percent-decoded
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  void Add(std::string method, const std::string& pattern, RouteHandler handler);
  // `pattern`, when given, receives the matched route's pattern ("" when none matched), a
  // bounded label for metrics.
  HttpResponse Route(const HttpRequest& request, std::string* pattern = nullptr) const;
  // Every (method, pattern) pair, for the OpenAPI coverage test.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route_ {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" captures one segment
    RouteHandler handler;
  };
  std::vector<Route_> routes_;
};

// Query parameters, percent-decoded ('+' as space); a repeated key keeps its first value.
std::map<std::string, std::string> ParseQuery(const std::string& query);

}  // namespace tripsim::api
