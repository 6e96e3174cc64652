// The client codec against the server codec: what the SDK sends parses back to the same
// request, and what the server answers decodes to the same booking.
#include "tripsim/wire/client_codec.h"

#include <gtest/gtest.h>

#include "tripsim/wire/booking_codec.h"

namespace tripsim::wire {
namespace {

domain::BookingRequest Request() {
  domain::BookingRequest r;
  r.booking_id = "TRV-9";
  r.departure_date = "2026-07-15";
  r.return_date = "2026-07-22";
  r.email = "ada@example.com";
  r.first_name = "Ada";
  r.last_name = "Lovelace";
  r.phone = "+31612345678";
  r.pax = 2;
  domain::PackageSpec one;
  one.destinations = {"FR"};
  one.size_mb = 5 * 1024;
  domain::PackageSpec several;
  several.destinations = {"DE", "IT"};
  several.destination_is_array = true;
  several.package_duration = 10;
  r.package_specifications = {one, several};
  r.should_send_message = true;
  r.channels = {"EMAIL"};
  return r;
}

TEST(ClientCodec, AnEncodedRequestParsesBackToTheSameRequest) {
  const domain::BookingRequest sent = Request();
  auto parsed =
      ParseCreateBooking(EncodeBookingRequest(sent), {.today = *ParseIsoDate("2026-06-01")});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, sent);
}

TEST(ClientCodec, AServerAnswerDecodesToTheBooking) {
  domain::Booking b;
  b.id = "bk_1";
  b.partner_id = "pt_1";
  b.request = Request();
  b.created_at = 1'780'000'000'000;
  domain::PromoCode code;
  code.code = "K7Q2-M9XD-4TPA";
  code.uuid = "u-1";
  code.destination = "FR";
  code.valid_until = *ParseIsoDate("2026-08-01");
  code.assignment = {"fixed_size", "smallest package with at least 5GB"};
  b.promo_codes = {code};
  domain::Message m;
  m.id = "msg_1";
  m.channel = "EMAIL";
  m.kind = "booking_confirmation";
  b.messages = {m};
  auto decoded = DecodeBooking(
      EncodeBookingResponse(b, {"https://esim.example.com"}, {{"return_date", "check it", {}}}));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->id, "bk_1");
  EXPECT_EQ(decoded->booking_id, "TRV-9");
  EXPECT_EQ(decoded->status, "CONFIRMED");
  EXPECT_EQ(decoded->email, "ada@example.com");
  ASSERT_EQ(decoded->promo_codes.size(), 1u);
  EXPECT_EQ(decoded->promo_codes[0].promo_code, "K7Q2-M9XD-4TPA");
  EXPECT_EQ(decoded->promo_codes[0].deep_link_url,
            "https://esim.example.com/redeem/K7Q2-M9XD-4TPA");
  EXPECT_EQ(decoded->promo_codes[0].assignment_reason, "smallest package with at least 5GB");
  EXPECT_FALSE(decoded->promo_codes[0].package_id.has_value());
  ASSERT_EQ(decoded->messages.size(), 1u);
  EXPECT_EQ(decoded->messages[0].status, "PENDING");
  EXPECT_EQ(decoded->warnings, (std::vector<std::string>{"return_date: check it"}));
}

TEST(ClientCodec, ErrorsBecomeStatusWithTheServersDetails) {
  Status s = DecodeError(400, EncodeError(400, InvalidArgument("Validation failed",
                                                               {{"email", "must be valid", {}}})));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Validation failed");
  ASSERT_EQ(s.details().size(), 1u);
  EXPECT_EQ(s.details()[0].field, "email");
  EXPECT_EQ(DecodeError(503, "<html>bad gateway</html>").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(DecodeBooking("not json").status().code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace tripsim::wire
