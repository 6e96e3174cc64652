// The HTTP request and response as handlers see them: plain values, no Boost.Beast types, so
// that handlers and tests compile without the heavy HTTP headers (only http_server.cc sees Beast).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tripsim::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // the raw request target: "/api/bookings?perPage=10"
  std::string path;    // the target up to '?'
  std::string query;   // after '?', without it; empty when none
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string peer;  // the client's address

  // The first header with this (lower-case) name.
  std::optional<std::string_view> Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return std::string_view(v);
    }
    return std::nullopt;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Builds a response. Runs on the connection's network thread, so that a completion arriving on
// another thread (the store's writer) hands the encoding back instead of doing it there.
using ResponseMaker = std::function<HttpResponse()>;

// Answers a request, exactly once, from any thread.
using Respond = std::function<void(ResponseMaker)>;

// A response that is already built.
inline ResponseMaker Ready(HttpResponse response) {
  return [r = std::move(response)]() mutable { return std::move(r); };
}

}  // namespace tripsim::api
