#include "tripsim/api/router.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "tripsim/api/error_table.h"

namespace tripsim::api {
namespace {

std::vector<std::string> SplitRaw(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsCapture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, const std::string& pattern, RouteCost cost,
                 RouteHandler handler) {
  AddAsync(std::move(method), pattern, cost,
           [handler = std::move(handler)](const std::shared_ptr<const HttpRequest>& request,
                                          const PathParams& params, const Respond& respond) {
             respond(Ready(handler(*request, params)));
           });
}

void Router::AddAsync(std::string method, const std::string& pattern, RouteCost cost,
                      AsyncRouteHandler handler) {
  routes_.push_back({std::move(method), pattern, SplitRaw(pattern), cost, std::move(handler)});
}

std::variant<RouteMatch, HttpResponse> Router::Find(const HttpRequest& request) const {
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) return ErrorResponse(400, "Malformed request target");
  std::vector<std::string> segments;
  for (auto seg : parsed->segments()) segments.emplace_back(seg);
  if (segments.empty()) segments.emplace_back();
  // HEAD is GET without the body (RFC 9110 9.3.2): the server leaves the body out.
  std::string_view method = request.method;
  if (method == "HEAD") method = "GET";
  std::string allowed;  // the path's methods, for a 405's Allow header
  for (const Route_& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = r.segments[i];
      match = IsCapture(want) ? !segments[i].empty() : want == segments[i];
    }
    if (!match) continue;
    if (r.method != method) {
      allowed += (allowed.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
      continue;
    }
    RouteMatch m{&r.handler, r.cost, &r.pattern, {}};
    for (size_t i = 0; i < segments.size(); ++i) {
      const std::string& want = r.segments[i];
      if (IsCapture(want)) m.params[want.substr(1, want.size() - 2)] = std::move(segments[i]);
    }
    return m;
  }
  if (!allowed.empty()) {
    HttpResponse res = ErrorResponse(405, "Method not allowed");
    res.headers.emplace_back("Allow", std::move(allowed));
    return res;
  }
  return ErrorResponse(404, "Not found");
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route_& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

std::map<std::string, std::string> ParseQuery(const std::string& query) {
  std::map<std::string, std::string> out;
  std::string target = "/?" + query;
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return out;
  for (auto param : parsed->params()) out.emplace(param.key, param.value);
  return out;
}

}  // namespace tripsim::api
