// tripsim::sdk::Client: a C++ client of the partner API. It signs every request exactly as the
// partner guide does (and adds the body hash when configured), and retries safely: connection
// errors, 429 (honouring Retry-After) and 5xx are retried with exponential backoff and jitter,
// with a new timestamp per attempt and the same body, so a retried booking carries the same
// booking_id and can never be created twice.
//
//   sdk::Client client({.base_url = "http://127.0.0.1:8080", .api_key = k, .api_secret = s});
//   Result<sdk::Response> r = client.Post("/api/bookings", body_json);
//   if (r.ok() && r->status == 201) ...
//
// A Client keeps one connection open and is not thread-safe: use one per thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tripsim/base/status.h"

namespace tripsim::sdk {

struct ClientOptions {
  std::string base_url;  // "https://api.example.com" (no trailing /api)
  std::string api_key;
  std::string api_secret;
  bool body_hash = false;                    // send x-content-sha256 and sign it (design.md 2.1)
  std::chrono::milliseconds timeout{10000};  // per attempt
  int max_attempts = 5;
  std::chrono::milliseconds retry_budget{15000};   // no new attempt starts after this
  std::chrono::milliseconds initial_backoff{200};  // doubled per attempt, with jitter
};

struct Response {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  int attempts = 1;

  std::optional<std::string> Header(std::string_view name) const;
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // One signed request, retried as described above. `target` is the path with its query
  // ("/api/bookings?perPage=10"). A failure Status means no HTTP answer was ever received
  // (kUnavailable); any HTTP answer, error statuses included, is a Response.
  Result<Response> Send(const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::vector<std::pair<std::string, std::string>>& headers = {});

  Result<Response> Get(const std::string& target) { return Send("GET", target); }
  Result<Response> Post(const std::string& target, const std::string& body) {
    return Send("POST", target, body);
  }
  Result<Response> Delete(const std::string& target) { return Send("DELETE", target); }

 private:
  Result<Response> SendOnce(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers);

  ClientOptions options_;
  struct Curl;
  std::unique_ptr<Curl> curl_;
};

// Percent-encodes a path segment or query value.
std::string UrlEncode(std::string_view s);

}  // namespace tripsim::sdk
