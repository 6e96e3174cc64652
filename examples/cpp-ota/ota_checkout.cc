// ota_checkout: a small travel agency's checkout, integrated with tripsim through the C++ SDK.
// It follows the partner guide's example flow: (1) create your travel booking, (2) create the
// eSIM booking with your booking's id as booking_id, (3) store tripsim's booking id and promo
// codes with your record, (4) tell the customer to expect the eSIM email. The SDK signs and
// retries (same booking_id on every attempt), so a retried checkout never books twice.
//
//   export TRIPSIM_BASE_URL=http://127.0.0.1:8080 TRIPSIM_API_KEY=… TRIPSIM_API_SECRET=…
//   ota_checkout --trip TRIP-1001 --email ada@example.com --first-name Ada --last-name Lovelace \
//                --destination IT --departure 2026-12-15 --return 2026-12-22 [--records
//                trips.jsonl]
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "tripsim/sdk/client.h"

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Minimal "--key value" arguments.
std::map<std::string, std::string> Args(int argc, char** argv) {
  std::map<std::string, std::string> out;
  for (int i = 1; i + 1 < argc; i += 2) out[argv[i]] = argv[i + 1];
  return out;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  auto args = Args(argc, argv);
  for (const char* required :
       {"--trip", "--email", "--first-name", "--destination", "--departure"}) {
    if (!args.count(required)) {
      std::cerr << "usage: ota_checkout --trip ID --email E --first-name F [--last-name L] "
                   "--destination CC --departure YYYY-MM-DD [--return YYYY-MM-DD] [--records F]\n";
      return 2;
    }
  }
  // 1. The travel booking: your own system's record (here, a line in a JSON-lines file).
  const std::string trip = args["--trip"];

  // 2. The eSIM booking, with the travel booking's id as booking_id.
  tripsim::sdk::Client tripsim({.base_url = Env("TRIPSIM_BASE_URL"),
                                .api_key = Env("TRIPSIM_API_KEY"),
                                .api_secret = Env("TRIPSIM_API_SECRET")});
  tripsim::domain::BookingRequest request;
  request.booking_id = trip;
  request.departure_date = args["--departure"];
  if (args.count("--return")) request.return_date = args["--return"];
  request.email = args["--email"];
  request.first_name = args["--first-name"];
  if (args.count("--last-name")) request.last_name = args["--last-name"];
  tripsim::domain::PackageSpec spec;
  spec.destinations = {args["--destination"]};
  request.package_specifications = {spec};
  request.should_send_message = true;
  request.channels = {"EMAIL"};
  auto esim = tripsim.CreateBooking(request);

  // 3. Store tripsim's booking id and promo codes with the travel booking.
  std::string record = "{\"trip\":" + Quote(trip);
  if (esim.ok()) {
    record += ",\"tripsim_booking_id\":" + Quote(esim->id) + ",\"promo_codes\":[";
    for (size_t i = 0; i < esim->promo_codes.size(); ++i) {
      record += (i ? "," : "") + Quote(esim->promo_codes[i].promo_code);
    }
    record += "]";
  } else {
    // The travel booking stands; the eSIM can be booked again later with the same booking_id.
    record += ",\"tripsim_error\":" + Quote(esim.status().message());
  }
  record += "}";
  std::ofstream(args.count("--records") ? args["--records"] : "trips.jsonl", std::ios::app)
      << record << "\n";

  // 4. Answer the customer.
  if (!esim.ok()) {
    std::cout << "Booking confirmed! Your eSIM will follow by email shortly.\n";
    std::cerr << "tripsim: " << esim.status().message() << "\n";
    return 1;
  }
  std::cout << "Booking confirmed! Check your email for eSIM details.\n" << record << "\n";
  return 0;
}
