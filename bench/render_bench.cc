// The cost of one booking email, by part: the whole email (texts, HTML, QR PNG, MIME), the QR
// PNG alone and the traveller's long date alone. An email is rendered once per message the
// outbox delivers, so at a steady booking rate it costs the server about as much CPU as the
// booking's own creation.
// Usage: build/bench/render_bench [Google Benchmark flags]
#include <benchmark/benchmark.h>

#include "sample_booking.h"
#include "tripsim/render/email.h"
#include "tripsim/render/names.h"
#include "tripsim/render/qr.h"

namespace tripsim {
namespace {

void BM_RenderEmail(benchmark::State& state, const char* locale) {
  const domain::Booking b = bench::SampleBooking(locale);
  const domain::Message m = bench::SampleMessage();
  for (auto _ : state) {
    auto email = render::RenderEmail(bench::SampleEmailInput(b, m));
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
