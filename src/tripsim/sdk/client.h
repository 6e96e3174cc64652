// tripsim::sdk::Client: a C++ client of the partner API. It signs every request exactly as the
// partner guide does (and adds the body hash when configured), and retries safely: connection
// errors, 429 (honouring Retry-After) and 5xx are retried with exponential backoff and jitter,
// with a new timestamp per attempt and the same body, so a retried booking carries the same
// booking_id and can never be created twice.
//
//   sdk::Client client({.base_url = "http://127.0.0.1:8080", .api_key = k, .api_secret = s});
//   Result<wire::BookingView> b = client.CreateBooking(request);   // typed
//   if (!b.ok()) std::cerr << b.status().message();               // the server's message
//   Result<sdk::Response> r = client.Post("/api/bookings", body_json);  // raw
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
#include "tripsim/domain/booking.h"
#include "tripsim/wire/client_codec.h"

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

struct ListQuery {
  std::optional<std::string> status;  // CONFIRMED, COMPLETED, CANCELLED, EXPIRED
  std::optional<std::string> from;    // YYYY-MM-DD, inclusive (UTC date of creation)
  std::optional<std::string> to;
  int page = 1;
  int per_page = 20;  // at most 100
};

struct PackageQuery {
  std::optional<std::string> destination;   // country or region code
  std::optional<std::string> size;          // "5GB"
  std::optional<std::string> package_type;  // data-limited, unlimited, starter
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

  // Typed calls. An HTTP error becomes a failure Status: the ErrorCode of its HTTP status, the
  // server's message and its field details (kUnavailable when no answer came at all).
  // CreateBooking sends the Idempotency-Key when the request has no booking_id.
  Result<wire::BookingView> CreateBooking(const domain::BookingRequest& request,
                                          const std::string& idempotency_key = "");
  Result<wire::BookingView> GetBooking(const std::string& id);
  Result<wire::BookingView> GetBookingByReference(const std::string& booking_id);
  Result<wire::BookingListView> ListBookings(const ListQuery& query = {});
  Result<wire::BookingView> CancelBooking(const std::string& id);
  Result<wire::BookingView> CancelBookingByReference(const std::string& booking_id);
  // To the booking's address, or to `email` (a corrected address) when given.
  Result<wire::BookingView> ResendEmail(const std::string& id,
                                        const std::optional<std::string>& email = std::nullopt);
  Result<std::vector<wire::PackageView>> ListPackages(const PackageQuery& query = {});

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
