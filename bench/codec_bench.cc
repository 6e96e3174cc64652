// The JSON on the booking path: parsing the partner guide's POST /api/bookings body, encoding
// the booking that answers it (201 to a creation, 200 to a GET), and reading back the columns
// a stored booking keeps as JSON text (its specifications, each code's package snapshot).
#include <benchmark/benchmark.h>

#include "tripsim/store/row_codec.h"
#include "tripsim/wire/booking_codec.h"

namespace tripsim {
namespace {

// The body the partner guide's createEsimBooking sends.
constexpr std::string_view kGuideBody =
    R"({"booking_id":"TRV-100234","departure_date":"2026-07-15","email":"ada@example.com",)"
    R"("first_name":"Ada","last_name":"Lovelace","package_specifications":[{"destination":"FR"}],)"
    R"("communication_options":{"should_send_message":true,"channels":["EMAIL"]}})";

wire::ParseOptions Options() {
  wire::ParseOptions o;
  o.today = Date{20600};  // 2026-05-27: the departure is ahead
  return o;
}

// The booking stored for the guide's body: one promo code with its package, one email queued.
domain::Booking GuideBooking() {
  domain::Booking b;
  b.id = "bk_01m95bbprynmqdrqhszmkmdz7z";
  b.partner_id = "pt_3jy76fs37vm6yvvc2ev3";
  b.request = wire::ParseCreateBooking(kGuideBody, Options()).value();
  b.created_at = 1780000000000;
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.uuid = "019ac6f2-8d3e-7a51-9c3e-5b1f2d4e6a7c";
  p.package = domain::Package{.id = "fr-5gb-30d",
                              .name = "France 5 GB / 30 days",
                              .provider = "sample",
                              .countries = {"FR"},
                              .data_mb = 5 * 1024,
                              .validity_days = 30};
  p.destination = "FR";
  p.assignment = {"fixed_size", "smallest package with at least 1GB: 5GB for 30 days"};
  p.valid_until = Date{20660};
  b.promo_codes.push_back(p);
  domain::Message m;
  m.id = "msg_01m95bbps52t7c6p6wte5xk8ra";
  m.channel = "EMAIL";
  m.kind = "booking_confirmation";
  m.recipient = "ada@example.com";
  m.created_at = b.created_at;
  m.due_at = b.created_at;
  b.messages.push_back(m);
  return b;
}

void BM_ParseGuideBody(benchmark::State& state) {
  const wire::ParseOptions options = Options();
  for (auto _ : state) benchmark::DoNotOptimize(wire::ParseCreateBooking(kGuideBody, options));
}
BENCHMARK(BM_ParseGuideBody);

void BM_EncodeBookingResponse(benchmark::State& state) {
  const domain::Booking b = GuideBooking();
  const wire::EncodeOptions options{.public_url = "https://esim.example.com"};
  for (auto _ : state) benchmark::DoNotOptimize(wire::EncodeBookingResponse(b, options));
}
BENCHMARK(BM_EncodeBookingResponse);

// Read back on every GET of a booking: its specifications, and each code's package snapshot
// (here a regional one, the longest: every EU/EEA country).
void BM_DecodeStoredColumns(benchmark::State& state) {
  domain::Package eu{.id = "eu-10gb-30d",
                     .name = "Europe (EU/EEA) 10 GB / 30 days",
                     .provider = "sample",
                     .countries = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
                                   "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU",
                                   "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"},
                     .region = "EU",
                     .data_mb = 10 * 1024,
                     .validity_days = 30};
  const std::string snapshot = store::EncodePackage(eu);
  const std::string specs = store::EncodeSpecs(GuideBooking().request.package_specifications);
  for (auto _ : state) {
    benchmark::DoNotOptimize(store::DecodeSpecs(specs));
    benchmark::DoNotOptimize(store::DecodePackage(snapshot));
  }
}
BENCHMARK(BM_DecodeStoredColumns);

}  // namespace
}  // namespace tripsim

BENCHMARK_MAIN();
