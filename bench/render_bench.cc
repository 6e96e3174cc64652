// The cost of one booking email, by part: the whole email (texts, HTML, QR PNG, MIME), the QR
// PNG alone and the traveller's long date alone. An email is rendered once per message the
// outbox delivers, so at a steady booking rate it costs the server about as much CPU as the
// booking's own creation.
// Usage: build/bench/render_bench [Google Benchmark flags]
#include <benchmark/benchmark.h>

#include "tripsim/render/email.h"
#include "tripsim/render/names.h"
#include "tripsim/render/qr.h"

namespace tripsim {
namespace {

domain::Booking OneCodeBooking(std::string locale) {
  domain::Booking b;
  b.id = "bk_bench";
  b.request.departure_date = "2026-07-15";
  b.request.first_name = "Ada";
  b.request.locale = std::move(locale);
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.destination = "FR";
  p.package =
      domain::Package{"fr-5gb-30d", "France 5 GB", "sample", {"FR"},
                      "",           5120,          30,       domain::PackageType::kDataLimited,
                      {450, "EUR"}, {990, "EUR"},  false};
  b.promo_codes.push_back(p);
  return b;
}

void BM_RenderEmail(benchmark::State& state, const char* locale) {
  const domain::Booking b = OneCodeBooking(locale);
  domain::Message m;
  m.id = "msg_bench";
  m.recipient = "ada@example.com";
  for (auto _ : state) {
    auto email = render::RenderEmail({.booking = b,
                                      .message = m,
                                      .public_url = "https://esim.example.com",
                                      .sender_name = "Bench Travel",
                                      .from_address = "noreply@esim.example.com",
                                      .reply_to = "",
                                      .now_millis = 0});
    if (!email.ok()) state.SkipWithError("render failed");
    benchmark::DoNotOptimize(email);
  }
}
BENCHMARK_CAPTURE(BM_RenderEmail, en, "en-GB");
BENCHMARK_CAPTURE(BM_RenderEmail, fr, "fr-FR");

void BM_QrPng(benchmark::State& state) {
  for (auto _ : state) {
    auto png = render::QrPng("https://esim.example.com/redeem/K7Q2-M9XD-4TPA");
    benchmark::DoNotOptimize(png);
  }
}
BENCHMARK(BM_QrPng);

void BM_LongDate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(render::LongDate("2026-07-15", "fr-FR"));
}
BENCHMARK(BM_LongDate);

}  // namespace
}  // namespace tripsim

BENCHMARK_MAIN();
