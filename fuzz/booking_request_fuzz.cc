// libFuzzer target: the booking request parser and validator never crash, and whatever they
// accept satisfies the rules they promise.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tripsim/base/status.h"
#include "tripsim/wire/booking_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tripsim;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  Result<domain::BookingRequest> r = wire::ParseCreateBooking(body, {.today = Date{20600}});
  if (r.ok()) {
    TRIPSIM_CHECK(!r->package_specifications.empty() && r->package_specifications.size() <= 10);
    TRIPSIM_CHECK(r->booking_id || r->email);
    TRIPSIM_CHECK(ParseIsoDate(r->departure_date).has_value());
    // Encoding what was accepted never fails either.
    domain::Booking b;
    b.request = *r;
    (void)wire::EncodeBookingResponse(b, {"https://esim.example.com"});
  } else {
    TRIPSIM_CHECK(r.status().code() == ErrorCode::kInvalidArgument);
    TRIPSIM_CHECK(!r.status().details().empty());
  }
  return 0;
}
