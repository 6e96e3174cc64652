#include "tripsim/render/email.h"

#include <gtest/gtest.h>
#include <png.h>

#include "tripsim/render/names.h"
#include "tripsim/render/qr.h"

namespace tripsim::render {
namespace {

domain::Booking MakeBooking(std::optional<std::string> locale, std::string first_name) {
  domain::Booking b;
  b.id = "bk_1";
  b.request.departure_date = "2026-07-15";
  b.request.first_name = std::move(first_name);
  b.request.locale = std::move(locale);
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.destination = "FR";
  p.package =
      domain::Package{"fr-5gb-30d", "France 5 GB", "sample", {"FR"},
                      "",           5120,          30,       domain::PackageType::kDataLimited,
                      {450, "EUR"}, {990, "EUR"},  false};
  b.promo_codes.push_back(p);
  domain::Message m;
  m.id = "msg_1";
  m.recipient = "ada@example.com";
  b.messages.push_back(m);
  return b;
}

Email Render(const domain::Booking& b, std::string sender = "Demo Travel") {
  auto e = RenderEmail({.booking = b,
                        .message = b.messages[0],
                        .public_url = "https://esim.example.com",
                        .sender_name = std::move(sender),
                        .from_address = "noreply@esim.example.com",
                        .reply_to = "",
                        .now_millis = 1715558400000});
  EXPECT_TRUE(e.ok()) << e.status().message();
  return *e;
}

TEST(RenderEmail, CarriesTheCodeLinkPackageAndQrImage) {
  Email e = Render(MakeBooking(std::nullopt, "Ada"));
  EXPECT_EQ(e.message_id, "<msg_1@esim.example.com>");
  EXPECT_EQ(e.subject, "Your eSIM for France is ready");
  EXPECT_NE(e.text.find("K7Q2-M9XD-4TPA"), std::string::npos);
  EXPECT_NE(e.text.find("https://esim.example.com/redeem/K7Q2-M9XD-4TPA"), std::string::npos);
  EXPECT_NE(e.text.find("5GB / 30 days"), std::string::npos);
  EXPECT_NE(e.text.find("Hello Ada,"), std::string::npos);
  EXPECT_NE(e.html.find("cid:qr-1@tripsim"), std::string::npos);
  EXPECT_NE(e.mime.find("Content-ID: <qr-1@tripsim>"), std::string::npos);
  EXPECT_NE(e.mime.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(e.mime.find("Message-ID: <msg_1@esim.example.com>\r\n"), std::string::npos);
}

TEST(RenderEmail, SpeaksTheBookingsLanguageWithEnglishFallback) {
  Email de = Render(MakeBooking("de-AT", "Jörg"));
  EXPECT_NE(de.text.find("Hallo Jörg,"), std::string::npos);
  EXPECT_NE(de.text.find("30 Tage"), std::string::npos);
  EXPECT_NE(de.text.find("Reiseziel: Frankreich"), std::string::npos);  // the country too
  EXPECT_EQ(de.subject, "Ihre eSIM für Frankreich ist bereit");
  EXPECT_NE(de.mime.find("Subject: =?UTF-8?B?"), std::string::npos);
  for (const char* locale : {"nl-NL", "fr", "es-ES", "it-CH"}) {
    EXPECT_EQ(Render(MakeBooking(locale, "A")).text.find("Hello"), std::string::npos) << locale;
  }
  EXPECT_NE(Render(MakeBooking("pl-PL", "A")).text.find("Hello A,"), std::string::npos);
  EXPECT_EQ(EmailLanguage("NL_be"), "nl");  // any case, either separator
  EXPECT_EQ(EmailLanguage("english"), "en");
}

// The trip's date and an unlimited package as the traveller reads them: the date in the
// locale's own way (English when the email falls back to English), "unlimited" translated.
TEST(RenderEmail, WritesTheDateAndSizesAsTheLocaleDoes) {
  EXPECT_NE(Render(MakeBooking(std::nullopt, "A")).text.find("trip on July 15, 2026."),
            std::string::npos);
  EXPECT_NE(Render(MakeBooking("en-GB", "A")).text.find("trip on 15 July 2026."),
            std::string::npos);
  EXPECT_NE(Render(MakeBooking("pl-PL", "A")).text.find("trip on July 15, 2026."),
            std::string::npos);
  domain::Booking de = MakeBooking("de-AT", "A");
  de.promo_codes[0].package->data_mb = domain::kUnlimitedMb;
  Email e = Render(de);
  EXPECT_NE(e.text.find("Reise am 15. Juli 2026 "), std::string::npos) << e.text;
  EXPECT_NE(e.text.find("unbegrenzt / 30 Tage"), std::string::npos) << e.text;
  EXPECT_EQ(LongDate("2026-07-15T10:00:00+02:00", "en"), "2026-07-15T10:00:00+02:00");
  EXPECT_EQ(e.text.find(" von "), std::string::npos);  // one code: no numbering
  EXPECT_EQ(LongDate("2026-12-20", "fr-FR"), "20 décembre 2026");
  EXPECT_EQ(LongDate("2026-12-20", "nl"), "20 december 2026");
}

// A party's codes are numbered, so that the one who booked can hand each traveller one.
TEST(RenderEmail, NumbersTheCodesOfAParty) {
  domain::Booking b = MakeBooking(std::nullopt, "Ada");
  b.promo_codes.push_back(b.promo_codes[0]);
  b.promo_codes[1].code = "M9XD-K7Q2-4TPA";
  Email e = Render(b);
  EXPECT_NE(e.text.find("eSIM 1 of 2\nDestination: France"), std::string::npos) << e.text;
  EXPECT_NE(e.text.find("eSIM 2 of 2\nDestination: France"), std::string::npos) << e.text;
  EXPECT_NE(e.html.find(">eSIM 2 of 2</p>"), std::string::npos);
}

TEST(RenderEmail, NamesEveryDestinationOfTheTripInTheSubject) {
  domain::Booking b = MakeBooking(std::nullopt, "Ada");
  b.promo_codes.push_back(b.promo_codes[0]);  // a second code for France: named once
  b.promo_codes.back().code = "K7Q2-M9XD-4TPB";
  b.promo_codes.push_back(b.promo_codes[0]);
  b.promo_codes.back().code = "K7Q2-M9XD-4TPC";
  b.promo_codes.back().destination = "JP";
  EXPECT_EQ(Render(b).subject, "Your eSIMs are ready: France, Japan");
  b.request.locale = "fr";
  EXPECT_EQ(Render(b).subject, "Vos eSIM sont prêtes : France, Japon");
  b.promo_codes.pop_back();
  EXPECT_EQ(Render(b).subject, "Votre eSIM pour France est prête");
}

TEST(RenderEmail, EscapesEveryValueInHtml) {
  Email e = Render(MakeBooking(std::nullopt, "<script>alert(1)</script>"), "A & B <Travel>");
  EXPECT_EQ(e.html.find("<script>"), std::string::npos);
  EXPECT_NE(e.html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(e.html.find("A &amp; B &lt;Travel&gt;"), std::string::npos);
  EXPECT_EQ(e.mime.find("\r\nBcc"), std::string::npos);
}

TEST(QrPng, DecodesToTheCodeWithAQuietZone) {
  auto png = QrPng("https://esim.example.com/redeem/K7Q2-M9XD-4TPA", 4);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->substr(1, 3), "PNG");
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_memory(&image, png->data(), png->size()));
  image.format = PNG_FORMAT_GRAY;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  ASSERT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr));
  const int size = static_cast<int>(image.width);
  ASSERT_EQ(image.height, image.width);
  // A QR code (21 + 4 * version modules) plus 4 quiet modules each side, 4 pixels a module.
  ASSERT_EQ(size % 4, 0);
  const int modules = size / 4 - 8;
  EXPECT_EQ((modules - 21) % 4, 0) << modules;
  auto at = [&](int module_x, int module_y) {
    const size_t x = static_cast<size_t>(module_x) * 4 + 1;
    const size_t y = static_cast<size_t>(module_y) * 4 + 1;
    return pixels[y * static_cast<size_t>(size) + x];
  };
  EXPECT_EQ(at(0, 0), 255);  // quiet zone
  EXPECT_EQ(at(3, 3), 255);
  EXPECT_EQ(at(4, 4), 0);                                // the finder pattern's dark corner
  EXPECT_EQ(at(5, 5), 255);                              // its light ring
  EXPECT_EQ(at(6, 6), 0);                                // its dark centre
  EXPECT_EQ(at(modules + 4 + 3, modules + 4 + 3), 255);  // bottom-right quiet zone
}

}  // namespace
}  // namespace tripsim::render
