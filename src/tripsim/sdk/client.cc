#include "tripsim/sdk/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <thread>

#include "tripsim/auth/verifier.h"
#include "tripsim/base/clock.h"
#include "tripsim/base/crypto.h"

namespace tripsim::sdk {
namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    static_cast<std::vector<std::pair<std::string, std::string>>*>(out)->emplace_back(
        std::move(name), std::string(value));
  }
  return size * n;
}

bool Retryable(int status) { return status == 429 || status >= 500; }

}  // namespace

struct Client::Curl {
  CURL* handle = curl_easy_init();
  ~Curl() { curl_easy_cleanup(handle); }
};

std::optional<std::string> Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Client::Client(ClientOptions options) : options_(std::move(options)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = std::make_unique<Curl>();
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

Client::~Client() = default;

Result<Response> Client::SendOnce(const std::string& method, const std::string& target,
                                  const std::string& body,
                                  const std::vector<std::pair<std::string, std::string>>& extra) {
  CURL* h = curl_->handle;
  curl_easy_reset(h);
  std::string timestamp = std::to_string(SystemClock().NowMillis());
  std::string body_hash = options_.body_hash ? crypto::Sha256Hex(body) : "";
  std::string signature = auth::Sign(options_.api_secret, timestamp, method, target, body_hash);
  std::vector<std::string> lines = {"x-api-key: " + options_.api_key, "x-timestamp: " + timestamp,
                                    "x-signature: " + signature, "Expect:"};
  if (options_.body_hash) lines.push_back("x-content-sha256: " + body_hash);
  bool has_type = std::any_of(extra.begin(), extra.end(), [](const auto& header) {
    std::string name = header.first;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name == "content-type";
  });
  if (!body.empty() && !has_type) lines.emplace_back("Content-Type: application/json");
  for (const auto& [k, v] : extra) {
    lines.push_back(k + ": ");
    lines.back() += v;
  }
  curl_slist* header_list = nullptr;
  for (const auto& l : lines) header_list = curl_slist_append(header_list, l.c_str());

  Response res;
  std::string url = options_.base_url + target;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list);
  if (!body.empty() || method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &res.headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(header_list);
  if (rc != CURLE_OK) {
    return Status(ErrorCode::kUnavailable,
                  std::string("request failed: ") + curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  res.status = static_cast<int>(status);
  return res;
}

Result<Response> Client::Send(const std::string& method, const std::string& target,
                              const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto deadline = std::chrono::steady_clock::now() + options_.retry_budget;
  std::chrono::milliseconds backoff = options_.initial_backoff;
  Result<Response> last = Status(ErrorCode::kUnavailable, "no attempt made");
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    last = SendOnce(method, target, body, headers);
    if (last.ok()) last->attempts = attempt;
    if (last.ok() && !Retryable(last->status)) return last;
    if (attempt == options_.max_attempts) break;
    // Full jitter: sleep a random part of the backoff; Retry-After, when given, is a minimum.
    std::uniform_int_distribution<int64_t> jitter(backoff.count() / 2, backoff.count());
    std::chrono::milliseconds wait(jitter(rng));
    if (last.ok()) {
      if (auto after = last->Header("retry-after")) {
        int seconds = std::atoi(after->c_str());
        wait = std::max(wait, std::chrono::milliseconds(int64_t{seconds} * 1000));
      }
    }
    if (std::chrono::steady_clock::now() + wait > deadline) break;
    std::this_thread::sleep_for(wait);
    backoff *= 2;
  }
  return last;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

namespace {

// The decoded answer of a typed call, or the Status of its error answer.
template <typename Decode>
auto Typed(const Result<Response>& r, Decode decode) -> decltype(decode(std::string_view())) {
  if (!r.ok()) return r.status();
  if (r->status >= 400) return wire::DecodeError(r->status, r->body);
  return decode(r->body);
}

void AddParam(std::string& target, const char* key, const std::optional<std::string>& value) {
  if (!value) return;
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += std::string(key) + "=" + UrlEncode(*value);
}

}  // namespace

Result<wire::BookingView> Client::CreateBooking(const domain::BookingRequest& request,
                                                const std::string& idempotency_key) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!request.booking_id && !idempotency_key.empty()) {
    headers.emplace_back("Idempotency-Key", idempotency_key);
  }
  Result<Response> r = Send("POST", "/api/bookings", wire::EncodeBookingRequest(request), headers);
  Result<wire::BookingView> b = Typed(r, wire::DecodeBooking);
  if (b.ok()) b->created = r->status == 201;
  return b;
}

Result<wire::BookingView> Client::GetBooking(const std::string& id) {
  return Typed(Get("/api/bookings/" + UrlEncode(id)), wire::DecodeBooking);
}

Result<wire::BookingView> Client::GetBookingByReference(const std::string& booking_id) {
  return Typed(Get("/api/bookings/" + UrlEncode(booking_id) + "/byExternalBookingId"),
               wire::DecodeBooking);
}

Result<wire::BookingListView> Client::ListBookings(const ListQuery& q) {
  std::string target =
      "/api/bookings?page=" + std::to_string(q.page) + "&perPage=" + std::to_string(q.per_page);
  AddParam(target, "status", q.status);
  AddParam(target, "from", q.from);
  AddParam(target, "to", q.to);
  return Typed(Get(target), wire::DecodeBookingList);
}

Result<wire::BookingView> Client::CancelBooking(const std::string& id) {
  return Typed(Delete("/api/bookings/" + UrlEncode(id)), wire::DecodeBooking);
}

Result<wire::BookingView> Client::CancelBookingByReference(const std::string& booking_id) {
  return Typed(Delete("/api/bookings/" + UrlEncode(booking_id) + "/byExternalBookingId"),
               wire::DecodeBooking);
}

Result<wire::BookingView> Client::ResendEmail(const std::string& id,
                                              const std::optional<std::string>& email) {
  return Typed(Post("/api/bookings/" + UrlEncode(id) + "/resend", wire::EncodeResendRequest(email)),
               wire::DecodeBooking);
}

Result<std::vector<wire::PackageView>> Client::ListPackages(const PackageQuery& q) {
  std::string target = "/api/packages";
  AddParam(target, "destination", q.destination);
  AddParam(target, "size", q.size);
  AddParam(target, "package_type", q.package_type);
  return Typed(Get(target), wire::DecodePackageList);
}

}  // namespace tripsim::sdk
