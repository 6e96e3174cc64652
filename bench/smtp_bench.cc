// Email delivery speed: renders a real booking email and delivers it N times through the
// SMTP mailer (one connection, reused) to the SMTP server at argv[1].
// Usage: smtp_bench smtp://127.0.0.1:PORT [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "tripsim/notify/mailer.h"
#include "tripsim/render/email.h"

int main(int argc, char** argv) {
  using namespace tripsim;
  if (argc < 2) {
    std::fprintf(stderr, "usage: smtp_bench smtp://host:port [count]\n");
    return 2;
  }
  int n = argc > 2 ? std::atoi(argv[2]) : 500;
  domain::Booking b;
  b.id = "bk_bench";
  b.request.departure_date = "2026-07-15";
  b.request.first_name = "Ada";
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.destination = "FR";
  p.package =
      domain::Package{"fr-5gb-30d", "France 5 GB", "sample", {"FR"},
                      "",           5120,          30,       domain::PackageType::kDataLimited,
                      {450, "EUR"}, {990, "EUR"},  false};
  b.promo_codes.push_back(p);
  domain::Message m;
  m.id = "msg_bench";
  m.recipient = "ada@example.com";
  auto render_start = std::chrono::steady_clock::now();
  auto email = render::RenderEmail({.booking = b,
                                    .message = m,
                                    .public_url = "https://esim.example.com",
                                    .sender_name = "Bench Travel",
                                    .from_address = "noreply@esim.example.com",
                                    .reply_to = "",
                                    .now_millis = 0});
  double render_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - render_start)
          .count();
  if (!email.ok()) return 1;
  auto smtp = notify::ParseSmtpUrl(argv[1]);
  if (!smtp.ok()) return 2;
  auto mailer = notify::NewSmtpMailer(*smtp);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    if (Status s = mailer->Send(email->envelope_from, email->recipient, email->mime); !s.ok()) {
      std::fprintf(stderr, "send failed: %s\n", s.message().c_str());
      return 1;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("render one email (with QR PNG): %.0f us; message size %zu bytes\n", render_us,
              email->mime.size());
  std::printf("smtp delivery: %d messages in %.2f s = %.0f messages/s (one reused connection)\n", n,
              secs, n / secs);
  return 0;
}
