// libFuzzer target: email rendering with arbitrary traveller values never crashes and never
// lets a value break out of its header or its HTML text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tripsim/render/email.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tripsim;
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\n');
  std::string name = in.substr(0, cut);
  std::string sender = cut == std::string::npos ? "" : in.substr(cut + 1);
  domain::Booking b;
  b.id = "bk_fuzz";
  b.request.departure_date = "2026-07-15";
  b.request.first_name = name;
  b.request.locale = name.size() >= 2 ? name.substr(0, 2) : "en";
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.destination = "FR";
  b.promo_codes.push_back(p);
  domain::Message m;
  m.id = "msg_fuzz";
  m.recipient = "ada@example.com";
  auto e = render::RenderEmail({.booking = b,
                                .message = m,
                                .public_url = "https://esim.example.com",
                                .sender_name = sender,
                                .from_address = "noreply@esim.example.com",
                                .reply_to = "",
                                .now_millis = 0});
  if (e.ok()) {
    std::string headers = e->mime.substr(0, e->mime.find("\r\n\r\n"));
    // Every header line starts a known header or is a folded continuation.
    size_t pos = 0;
    while (pos < headers.size()) {
      size_t end = headers.find("\r\n", pos);
      if (end == std::string::npos) end = headers.size();
      std::string line = headers.substr(pos, end - pos);
      TRIPSIM_CHECK(line.empty() || line[0] == ' ' || line.rfind("From: ", 0) == 0 ||
                    line.rfind("To: ", 0) == 0 || line.rfind("Subject: ", 0) == 0 ||
                    line.rfind("Date: ", 0) == 0 || line.rfind("Message-ID: ", 0) == 0 ||
                    line.rfind("MIME-Version: ", 0) == 0 ||
                    line.rfind("Content-Language: ", 0) == 0 ||
                    line.rfind("Content-Type: ", 0) == 0 || line.rfind("Reply-To: ", 0) == 0);
      pos = end + 2;
    }
    TRIPSIM_CHECK(e->html.find("<script") == std::string::npos);
  }
  return 0;
}
