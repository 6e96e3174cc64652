// tripsim: the partner command line, on the SDK (design.md 8).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "tripsim/sdk/client.h"

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
              << Str(o.at("status")) << "\n";
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
  std::string booking_id, departure, return_date, email, first_name, last_name, size, id, status;
  std::vector<std::string> destinations;
  bool no_message = false;
  bool external = false;
  int page = 1;
  int per_page = 20;
  auto* create = bookings->add_subcommand("create", "create a booking");
  create->add_option("--booking-id", booking_id, "your booking reference")->required();
  create->add_option("--departure-date", departure, "YYYY-MM-DD")->required();
  create->add_option("--return-date", return_date, "YYYY-MM-DD");
  create->add_option("--email", email, "traveller's email")->required();
  create->add_option("--first-name", first_name, "traveller's first name")->required();
  create->add_option("--last-name", last_name, "traveller's last name")->required();
  create->add_option("--destination", destinations, "country or region code (repeatable)")
      ->required();
  create->add_option("--size", size, "minimum data, e.g. 5GB");
  create->add_flag("--no-message", no_message, "do not email the traveller");
  auto* get = bookings->add_subcommand("get", "show one booking");
  get->add_option("id", id, "tripsim id (or your booking_id with --external)")->required();
  get->add_flag("--external", external, "the id is your booking_id");
  auto* list = bookings->add_subcommand("list", "list bookings, newest first");
  list->add_option("--status", status, "CONFIRMED, COMPLETED, CANCELLED or EXPIRED");
  list->add_option("--page", page, "page, from 1")->check(CLI::PositiveNumber);
  list->add_option("--per-page", per_page, "bookings per page (at most 100)")
      ->check(CLI::PositiveNumber);
  auto* cancel = bookings->add_subcommand("cancel", "cancel a booking");
  cancel->add_option("id", id, "tripsim id (or your booking_id with --external)")->required();
  cancel->add_flag("--external", external, "the id is your booking_id");

  auto* packages = app.add_subcommand("packages", "the catalog you may use");
  packages->require_subcommand(1);
  std::string destination, package_type;
  auto* plist = packages->add_subcommand("list", "list packages");
  plist->add_option("--destination", destination, "country or region code");
  plist->add_option("--size", size, "minimum data, e.g. 5GB");
  plist->add_option("--type", package_type, "data-limited, unlimited or starter");

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
    json::array specs;
    for (const auto& d : destinations) {
      json::object s{{"destination", d}};
      if (!size.empty()) s["size"] = size;
      specs.emplace_back(std::move(s));
    }
    json::object body{{"booking_id", booking_id},
                      {"departure_date", departure},
                      {"email", email},
                      {"first_name", first_name},
                      {"last_name", last_name},
                      {"package_specifications", std::move(specs)},
                      {"communication_options",
                       {{"should_send_message", !no_message}, {"channels", json::array{"EMAIL"}}}}};
    if (!return_date.empty()) body["return_date"] = return_date;
    return Output(client.Post("/api/bookings", json::serialize(body)), as_json, booking_table);
  }
  if (get->parsed()) return Output(client.Get(by_id), as_json, booking_table);
  if (cancel->parsed()) return Output(client.Delete(by_id), as_json, booking_table);
  if (list->parsed()) {
    std::string target =
        "/api/bookings?page=" + std::to_string(page) + "&perPage=" + std::to_string(per_page);
    if (!status.empty()) target += "&status=" + sdk::UrlEncode(status);
    return Output(client.Get(target), as_json, [](const json::value& v) {
      std::vector<int> w = {24, 20, 10, 12, 6};
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
