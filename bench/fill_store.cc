// Fills a SQLite store with N bookings (one promo code and one sent message each) through
// the real SqliteStore and its group commit, for the start-up and memory measurements.
// Usage: fill_store PATH.db N [DAYS]   (creation times spread over the DAYS up to now; default 1)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "tripsim/base/clock.h"
#include "tripsim/base/ids.h"
#include "tripsim/store/sqlite/sqlite_store.h"

int main(int argc, char** argv) {
  using namespace tripsim;
  if (argc < 3) {
    std::fprintf(stderr, "usage: fill_store PATH.db N [DAYS]\n");
    return 2;
  }
  const int64_t n = std::atoll(argv[2]);
  const int64_t days = argc > 3 ? std::max(1LL, std::atoll(argv[3])) : 1;
  const int64_t span = days * 86'400'000;
  const int64_t first = SystemClock().NowMillis() - span;
  auto store = store::OpenSqliteStore({.path = argv[1]});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  auto partners = (*store)->ListPartners();
  if (!partners.ok() || partners->empty()) {
    std::fprintf(stderr, "start tripsimd once on this store first (it creates the demo partner)\n");
    return 1;
  }
  const std::string partner = (*partners)[0].id;
  std::atomic<int64_t> next{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 128; ++t) {
    threads.emplace_back([&] {
      for (int64_t i; (i = next.fetch_add(1)) < n;) {
        domain::Booking b;
        b.id = NewOrderedId("bk_");
        b.partner_id = partner;
        b.request.booking_id = "FILL-" + std::to_string(i);
        b.request.departure_date = "2026-12-15";
        b.request.email = "traveller" + std::to_string(i) + "@example.com";
        b.request.first_name = "Ada";
        domain::PackageSpec spec;
        spec.destinations = {"FR"};
        b.request.package_specifications = {spec};
        b.request.should_send_message = true;
        b.request.channels = {"EMAIL"};
        b.created_at = first + i * (span / std::max<int64_t>(n, 1));
        b.fingerprint = "fill";
        domain::PromoCode p;
        p.code = NewId("").substr(0, 14);
        p.uuid = NewUuidV7();
        p.destination = "FR";
        p.valid_until = Date{20800};
        b.promo_codes.push_back(p);
        domain::Message m;
        m.id = NewOrderedId("msg_");
        m.channel = "EMAIL";
        m.kind = "booking_confirmation";
        m.recipient = *b.request.email;
        m.status = domain::MessageStatus::kSent;
        m.created_at = b.created_at;
        m.due_at = b.created_at;
        m.sent_at = b.created_at + 150 + (i * 7919) % 2500;  // 0.15 to 2.65 s to send
        b.messages.push_back(m);
        if (!(*store)->CreateBooking(b).ok()) std::abort();
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("stored %lld bookings in %.1f s (%.0f bookings/s through group commit)\n",
              static_cast<long long>(n), secs, static_cast<double>(n) / secs);
  return 0;
}
