// tripsim: the partner command line, on the SDK (design.md 8).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "tripsim/domain/booking.h"
#include "tripsim/domain/package.h"
#include "tripsim/sdk/client.h"
#include "tripsim/wire/client_codec.h"

namespace tripsim::cli {
namespace {

namespace json = boost::json;

constexpr int kApiError = 1;
constexpr int kUsageError = 2;
constexpr int kAuthError = 3;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string Str(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "-";
  return json::serialize(v);
}

void PrintRow(const std::vector<std::string>& cells, const std::vector<int>& widths) {
  for (size_t i = 0; i < cells.size(); ++i) {
    std::cout << std::left << std::setw(widths[i]) << cells[i]
              << (i + 1 < cells.size() ? "  " : "");
  }
  std::cout << "\n";
}

void PrintBooking(const json::object& b) {
  std::cout << "booking " << Str(b.at("id")) << "  ref " << Str(b.at("booking_id")) << "  "
            << Str(b.at("status")) << "  departs " << Str(b.at("departure_date")) << "\n";
  std::vector<int> w = {16, 22, 10, 8, 10};
  PrintRow({"PROMO CODE", "PACKAGE", "SIZE", "DAYS", "STATUS"}, w);
  for (const auto& p : b.at("promo_codes").as_array()) {
    const auto& o = p.as_object();
    PrintRow({Str(o.at("promo_code")), Str(o.at("package_id")), Str(o.at("package_size")),
              Str(o.at("package_duration")), Str(o.at("status"))},
             w);
  }
  for (const auto& m : b.at("messages").as_array()) {
    const auto& o = m.as_object();
    std::cout << "message " << Str(o.at("id")) << " " << Str(o.at("channel")) << " "
              << Str(o.at("status")) << " "
              << (o.contains("recipient") ? Str(o.at("recipient")) : "-") << "\n";
  }
}

// Prints the answer; returns the exit code.
int Output(const Result<sdk::Response>& r, bool as_json,
           const std::function<void(const json::value&)>& table) {
  if (!r.ok()) {
    std::cerr << "tripsim: " << r.status().message() << "\n";
    return kApiError;
  }
  json::value body;
  boost::system::error_code ec;
  body = json::parse(r->body, ec);
  if (ec || !body.is_object()) {
    std::cerr << "tripsim: unexpected answer (HTTP " << r->status << ")\n";
    return kApiError;
  }
  if (r->status >= 400) {
    const auto& err = body.at("error").as_object();
    std::cerr << "tripsim: HTTP " << r->status << ": " << Str(err.at("message")) << "\n";
    if (const auto* d = err.if_contains("details")) {
      for (const auto& item : d->as_array()) {
        std::cerr << "  " << Str(item.at("field")) << ": " << Str(item.at("issue")) << "\n";
      }
    }
    if (as_json) std::cout << r->body << "\n";
    return r->status == 401 || r->status == 403 ? kAuthError : kApiError;
  }
  if (as_json) {
    std::cout << r->body << "\n";
  } else {
    table(body);
  }
  return 0;
}

// The options of `bookings create`: the request's fields, and one package specification that
// covers every --destination (none: the traveller chooses at redemption).
struct CreateFlags {
  domain::BookingRequest request;
  std::vector<std::string> destinations;
  std::optional<std::string> package_id, size, package_type;
  std::optional<int> duration;
  std::string idempotency_key;
  bool no_message = false;

  void AddTo(CLI::App* create) {
    domain::BookingRequest& r = request;
    create->add_option("--booking-id", r.booking_id, "your booking reference (3-100 characters)");
    create->add_option("--idempotency-key", idempotency_key,
                       "makes a retry without --booking-id safe (kept 24 h)");
    create->add_option("--departure-date", r.departure_date, "YYYY-MM-DD")->required();
    create->add_option("--return-date", r.return_date, "YYYY-MM-DD");
    create->add_option("--email", r.email, "traveller's email (none: a claim link is issued)");
    create->add_option("--first-name", r.first_name, "traveller's first name");
    create->add_option("--last-name", r.last_name, "traveller's last name");
    create->add_option("--full-name", r.full_name, "traveller's full name");
    create->add_option("--title", r.title, "mr., ms., mrs., miss, dr. or prof.");
    create->add_option("--phone", r.phone, "+ and digits, e.g. +31612345678");
    create->add_option("--pax", r.pax, "travellers: one promo code each (default 1)");
    create->add_option("--flight-number", r.flight_number, "letters and digits");
    create->add_option("--gender", r.gender, "M, F or O");
    create->add_option("--locale", r.locale, "the email's language, e.g. nl-NL or de");
    create->add_option("--external-id", r.external_id, "any reference of yours");
    create->add_option("--destination", destinations,
                       "country or region code; repeat it for a trip through several");
    create->add_option("--package-id", package_id, "this package and no other");
    create->add_option("--size", size, "at least this much data, e.g. 5GB or 500MB");
    create->add_option("--package-type", package_type, "data-limited, unlimited or starter");
    create->add_option("--duration", duration, "valid at least this many days");
    create->add_flag("--no-message", no_message, "do not email the traveller");
  }

  // The request to send; kInvalidArgument names the option whose value is not well formed.
  Result<domain::BookingRequest> Request() const {
    domain::BookingRequest r = request;
    domain::PackageSpec spec;
    spec.destinations = destinations;
    spec.destination_is_array = destinations.size() > 1;
    spec.package_id = package_id;
    if (size) {
      spec.size_mb = domain::ParseDataSize(*size);
      if (!spec.size_mb) return InvalidArgument("--size must look like 500MB, 5GB or 1.5GB");
    }
    if (package_type) {
      spec.package_type = domain::ParsePackageType(*package_type);
      if (!spec.package_type) {
        return InvalidArgument("--package-type must be data-limited, unlimited or starter");
      }
    }
    spec.package_duration = duration;
    r.package_specifications = {std::move(spec)};
    r.should_send_message = !no_message;
    r.channels = {"EMAIL"};
    return r;
  }
};

int Main(int argc, char** argv) {
  CLI::App app{"tripsim: the tripsim partner command line"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tripsim " TRIPSIM_VERSION);
  std::string base_url = Env("TRIPSIM_BASE_URL");
  std::string api_key = Env("TRIPSIM_API_KEY");
  std::string api_secret = Env("TRIPSIM_API_SECRET");
  bool as_json = false;
  app.add_option("--base-url", base_url, "server URL (env TRIPSIM_BASE_URL)");
  app.add_option("--api-key", api_key, "API key (env TRIPSIM_API_KEY)");
  app.add_option("--api-secret", api_secret, "API secret (env TRIPSIM_API_SECRET)");
  app.add_flag("--json", as_json, "print the raw JSON answer");

  auto* bookings = app.add_subcommand("bookings", "create, read, list and cancel bookings");
  bookings->require_subcommand(1);
  CreateFlags c;
  std::string id, status, from, to, size, package_type;
  bool external = false;
  int page = 1;
  int per_page = 20;
  auto* create = bookings->add_subcommand("create", "create a booking");
  c.AddTo(create);
  auto* get = bookings->add_subcommand("get", "show one booking");
  get->add_option("id", id, "tripsim id (or your booking_id with --external)")->required();
  get->add_flag("--external", external, "the id is your booking_id");
  auto* list = bookings->add_subcommand("list", "list bookings, newest first");
  list->add_option("--status", status, "CONFIRMED, COMPLETED, CANCELLED or EXPIRED");
  list->add_option("--from", from, "created on or after this UTC date, YYYY-MM-DD");
  list->add_option("--to", to, "created on or before this UTC date, YYYY-MM-DD");
  list->add_option("--page", page, "page, from 1")->check(CLI::PositiveNumber);
  list->add_option("--per-page", per_page, "bookings per page (at most 100)")
      ->check(CLI::PositiveNumber);
  auto* cancel = bookings->add_subcommand("cancel", "cancel a booking");
  cancel->add_option("id", id, "tripsim id (or your booking_id with --external)")->required();
  cancel->add_flag("--external", external, "the id is your booking_id");
  auto* resend = bookings->add_subcommand("resend", "email the traveller again");
  resend->add_option("id", id, "tripsim id (bk_...)")->required();
  std::string resend_email;
  resend->add_option("--email", resend_email,
                     "send to this address instead (a corrected one, or a first one)");

  auto* packages = app.add_subcommand("packages", "the catalog you may use");
  packages->require_subcommand(1);
  std::string destination;
  auto* plist = packages->add_subcommand("list", "list packages");
  plist->add_option("--destination", destination, "country or region code");
  plist->add_option("--size", size, "minimum data, e.g. 5GB");
  plist->add_option("--package-type,--type", package_type, "data-limited, unlimited or starter");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (base_url.empty() || api_key.empty() || api_secret.empty()) {
    std::cerr << "tripsim: set TRIPSIM_BASE_URL, TRIPSIM_API_KEY and TRIPSIM_API_SECRET "
                 "(or --base-url, --api-key, --api-secret)\n";
    return kUsageError;
  }
  sdk::Client client({.base_url = base_url, .api_key = api_key, .api_secret = api_secret});
  auto booking_table = [](const json::value& v) { PrintBooking(v.at("data").as_object()); };
  std::string by_id = external ? "/api/bookings/" + sdk::UrlEncode(id) + "/byExternalBookingId"
                               : "/api/bookings/" + sdk::UrlEncode(id);

  if (create->parsed()) {
    Result<domain::BookingRequest> request = c.Request();
    if (!request.ok()) {
      std::cerr << "tripsim: " << request.status().message() << "\n";
      return kUsageError;
    }
    std::vector<std::pair<std::string, std::string>> headers;
    if (!c.idempotency_key.empty()) headers.emplace_back("Idempotency-Key", c.idempotency_key);
    return Output(
        client.Send("POST", "/api/bookings", wire::EncodeBookingRequest(*request), headers),
        as_json, booking_table);
  }
  if (get->parsed()) return Output(client.Get(by_id), as_json, booking_table);
  if (cancel->parsed()) return Output(client.Delete(by_id), as_json, booking_table);
  if (resend->parsed()) {
    const std::string body = wire::EncodeResendRequest(
        resend_email.empty() ? std::nullopt : std::optional<std::string>(resend_email));
    return Output(client.Post(by_id + "/resend", body), as_json, booking_table);
  }
  if (list->parsed()) {
    std::string target =
        "/api/bookings?page=" + std::to_string(page) + "&perPage=" + std::to_string(per_page);
    for (const auto& [name, value] :
         {std::pair{"status", status}, std::pair{"from", from}, std::pair{"to", to}}) {
      if (!value.empty()) target += std::string("&") + name + "=" + sdk::UrlEncode(value);
    }
    return Output(client.Get(target), as_json, [](const json::value& v) {
      std::vector<int> w = {29, 20, 10, 12, 6};
      PrintRow({"ID", "BOOKING_ID", "STATUS", "DEPARTURE", "CODES"}, w);
      for (const auto& b : v.at("data").as_array()) {
        PrintRow(
            {Str(b.at("id")), Str(b.at("booking_id")), Str(b.at("status")),
             Str(b.at("departure_date")), std::to_string(b.at("promo_codes").as_array().size())},
            w);
      }
      const auto& meta = v.at("meta");
      std::cout << "page " << Str(meta.at("page")) << ", " << Str(meta.at("total")) << " in all\n";
    });
  }
  if (plist->parsed()) {
    std::string target = "/api/packages";
    std::string sep = "?";
    for (const auto& [k, val] : {std::pair{"destination", destination}, std::pair{"size", size},
                                 std::pair{"package_type", package_type}}) {
      if (val.empty()) continue;
      target += sep + k + "=" + sdk::UrlEncode(val);
      sep = "&";
    }
    return Output(client.Get(target), as_json, [](const json::value& v) {
      std::vector<int> w = {28, 10, 6, 14, 12};
      PrintRow({"PACKAGE", "DATA", "DAYS", "TYPE", "PRICE"}, w);
      for (const auto& p : v.at("data").as_array()) {
        PrintRow({Str(p.at("id")), Str(p.at("data")), Str(p.at("validity_days")), Str(p.at("type")),
                  Str(p.at("price"))},
                 w);
      }
    });
  }
  return kUsageError;
}

}  // namespace
}  // namespace tripsim::cli

int main(int argc, char** argv) { return tripsim::cli::Main(argc, argv); }
