// Email delivery speed: renders a real booking email and delivers it N times through the
// SMTP mailer (one connection, reused) to the SMTP server at argv[1].
// Usage: smtp_bench smtp://127.0.0.1:PORT [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "sample_booking.h"
#include "tripsim/notify/mailer.h"
#include "tripsim/render/email.h"

int main(int argc, char** argv) {
  using namespace tripsim;
  if (argc < 2) {
    std::fprintf(stderr, "usage: smtp_bench smtp://host:port [count]\n");
    return 2;
  }
  int n = argc > 2 ? std::atoi(argv[2]) : 500;
  const domain::Booking b = bench::SampleBooking();
  const domain::Message m = bench::SampleMessage();
  auto render_start = std::chrono::steady_clock::now();
  auto email = render::RenderEmail(bench::SampleEmailInput(b, m));
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
