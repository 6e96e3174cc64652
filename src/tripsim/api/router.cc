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

}  // namespace

void Router::Add(std::string method, const std::string& pattern, RouteHandler handler) {
  routes_.push_back({std::move(method), pattern, SplitRaw(pattern), std::move(handler)});
}

HttpResponse Router::Route(const HttpRequest& request, std::string* pattern) const {
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) return ErrorResponse(400, "Malformed request target");
  std::vector<std::string> segments;
  for (auto seg : parsed->segments()) segments.emplace_back(seg);
  if (segments.empty()) segments.emplace_back();
  bool path_known = false;
  for (const Route_& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    PathParams params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = r.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        if (segments[i].empty()) match = false;
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        match = want == segments[i];
      }
    }
    if (!match) continue;
    path_known = true;
    if (r.method == request.method) {
      if (pattern) *pattern = r.pattern;
      return r.handler(request, params);
    }
  }
  if (path_known) return ErrorResponse(405, "Method not allowed");
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
