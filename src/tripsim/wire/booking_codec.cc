// The partner API's answers (booking_codec.h): bookings, lists, webhooks, redemptions and
// errors, written member by member. Its requests are parsed in request_parsing.cc.
#include "tripsim/wire/booking_codec.h"

#include <boost/json.hpp>

#include "tripsim/base/json_writer.h"

namespace tripsim::wire {
namespace json = boost::json;
using domain::BookingRequest;
using domain::PackageSpec;

namespace {

// The encoders below write a booking member after member into the answer's string (JsonWriter),
// in a fixed order: the answer to every creation and every GET, so no document tree is built
// for it.
void WriteSpec(const PackageSpec& s, JsonWriter& w) {
  w.BeginObject();
  w.Key("package_id").OptionalString(s.package_id);
  w.Key("destination");
  if (s.destination_is_array) {
    w.BeginArray();
    for (const auto& d : s.destinations) w.String(d);
    w.EndArray();
  } else if (s.destinations.empty()) {
    w.Null();
  } else {
    w.String(s.destinations[0]);
  }
  w.Key("size");
  s.size_mb ? w.String(domain::FormatDataSize(*s.size_mb)) : w.Null();
  w.Key("package_type");
  s.package_type ? w.String(domain::PackageTypeName(*s.package_type)) : w.Null();
  w.Key("package_duration");
  s.package_duration ? w.Int(*s.package_duration) : w.Null();
  w.EndObject();
}

// The stored request fields, in a fixed order.
void WriteRequestFields(const BookingRequest& r, JsonWriter& w) {
  w.Key("booking_id").OptionalString(r.booking_id);
  w.Key("departure_date").String(r.departure_date);
  w.Key("return_date").OptionalString(r.return_date);
  w.Key("email").OptionalString(r.email);
  w.Key("first_name").OptionalString(r.first_name);
  w.Key("last_name").OptionalString(r.last_name);
  w.Key("full_name").OptionalString(r.full_name);
  w.Key("title").OptionalString(r.title);
  w.Key("phone").OptionalString(r.phone);
  w.Key("pax");
  r.pax ? w.Int(*r.pax) : w.Null();
  w.Key("flight_number").OptionalString(r.flight_number);
  w.Key("gender").OptionalString(r.gender);
  w.Key("locale").OptionalString(r.locale);
  w.Key("external_id").OptionalString(r.external_id);
  w.Key("package_specifications").BeginArray();
  for (const auto& s : r.package_specifications) WriteSpec(s, w);
  w.EndArray();
  w.Key("communication_options").BeginObject();
  w.Key("should_send_message").Bool(r.should_send_message);
  w.Key("channels").BeginArray();
  for (const auto& c : r.channels) w.String(c);
  w.EndArray();
  w.EndObject();
}

void WriteOptionalTime(const std::optional<int64_t>& t, JsonWriter& w) {
  t ? w.String(FormatTimestamp(*t)) : w.Null();
}

void WritePromoCode(const domain::PromoCode& p, const EncodeOptions& options, JsonWriter& w) {
  w.BeginObject();
  w.Key("promo_code").String(p.code);
  w.Key("uuid").String(p.uuid);
  w.Key("status").String(domain::PromoStatusName(p.status));
  if (p.package) {
    w.Key("package_id").String(p.package->id);
    w.Key("package_name").String(p.package->name);
    w.Key("package_size").String(domain::FormatDataSize(p.package->data_mb));
    w.Key("package_duration").Int(p.package->validity_days);
    w.Key("package_type").String(domain::PackageTypeName(p.package->type));
  } else {
    for (const char* k :
         {"package_id", "package_name", "package_size", "package_duration", "package_type"}) {
      w.Key(k).Null();
    }
  }
  const domain::Country* country = domain::Geography::Builtin().FindCountry(p.destination);
  w.Key("destination").StringOrNull(p.destination);
  w.Key("iso3");
  country ? w.String(country->alpha3) : w.Null();
  w.Key("claim_url").String(options.public_url + "/claim/" + p.uuid);
  w.Key("deep_link_url").String(options.public_url + "/redeem/" + p.code);
  w.Key("valid_until").String(FormatDate(p.valid_until));
  w.Key("claimed_at");
  WriteOptionalTime(p.claimed_at, w);
  w.Key("redeemed_at");
  WriteOptionalTime(p.redeemed_at, w);
  w.Key("assignment").BeginObject();
  w.Key("strategy").String(p.assignment.strategy);
  w.Key("reason").String(p.assignment.reason);
  w.EndObject();
  w.EndObject();
}

void WriteMessage(const domain::Message& m, JsonWriter& w) {
  w.BeginObject();
  w.Key("id").String(m.id);
  w.Key("channel").String(m.channel);
  w.Key("recipient").StringOrNull(m.recipient);
  w.Key("kind").String(m.kind);
  w.Key("status").String(domain::MessageStatusName(m.status));
  w.Key("attempts").Int(m.attempts);
  w.Key("created_at").String(FormatTimestamp(m.created_at));
  w.Key("sent_at");
  WriteOptionalTime(m.sent_at, w);
  w.Key("last_error").StringOrNull(m.last_error);
  w.EndObject();
}

// The booking's members, without the braces around them (a webhook adds its own after them).
void WriteBookingMembers(const domain::Booking& b, const EncodeOptions& options, JsonWriter& w) {
  w.Key("id").String(b.id);
  WriteRequestFields(b.request, w);
  w.Key("status").String(domain::BookingStatusName(b.status));
  w.Key("created_at").String(FormatTimestamp(b.created_at));
  w.Key("promo_codes").BeginArray();
  for (const auto& p : b.promo_codes) WritePromoCode(p, options, w);
  w.EndArray();
  w.Key("messages").BeginArray();
  for (const auto& m : b.messages) WriteMessage(m, w);
  w.EndArray();
}

void WriteBooking(const domain::Booking& b, const EncodeOptions& options, JsonWriter& w) {
  w.BeginObject();
  WriteBookingMembers(b, options, w);
  w.EndObject();
}

// An answer's size, reserved before it is written: a booking with one code and one message
// takes about 1.5 KiB.
constexpr size_t kBookingBytes = 2048;

void WriteIssues(const std::vector<FieldIssue>& issues, JsonWriter& w) {
  w.BeginArray();
  for (const auto& i : issues) {
    w.BeginObject();
    w.Key("field").String(i.field);
    w.Key("issue").String(i.issue);
    if (!i.existing_id.empty()) w.Key("existing_id").String(i.existing_id);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string EncodeWebhookData(const domain::Booking& booking, const std::string& subject_id,
                              const EncodeOptions& options) {
  std::string out;
  out.reserve(2 * kBookingBytes);
  JsonWriter w(out);
  w.BeginObject();
  WriteBookingMembers(booking, options, w);
  if (!subject_id.empty()) {
    // The message or code the event is about, once more on its own.
    for (const auto& m : booking.messages) {
      if (m.id == subject_id) {
        w.Key("message");
        WriteMessage(m, w);
        break;
      }
    }
    for (const auto& p : booking.promo_codes) {
      if (p.code == subject_id) {
        w.Key("promo_code");
        WritePromoCode(p, options, w);
        break;
      }
    }
  }
  w.EndObject();
  return out;
}

std::string EncodeRedemption(const domain::EsimProfile& profile, const std::string& ios_url,
                             const std::vector<std::string>& install_steps) {
  json::array steps;
  for (const auto& s : install_steps) steps.emplace_back(s);
  return json::serialize(
      json::object{{"iccid", profile.iccid},
                   {"activation_code", domain::ActivationCode(profile)},
                   {"smdp_address", profile.smdp_address},
                   {"matching_id", profile.matching_id},
                   {"confirmation_code_required", !profile.confirmation_code.empty()},
                   {"ios_install_url", ios_url},
                   {"install_steps", std::move(steps)},
                   {"test_profile", profile.test_profile}});
}

std::string EncodeBookingResponse(const domain::Booking& booking, const EncodeOptions& options,
                                  const std::vector<FieldIssue>& warnings) {
  std::string out;
  out.reserve(kBookingBytes);
  JsonWriter w(out);
  w.BeginObject();
  w.Key("success").Bool(true);
  w.Key("data");
  WriteBooking(booking, options, w);
  if (!warnings.empty()) {
    w.Key("warnings");
    WriteIssues(warnings, w);
  }
  w.EndObject();
  return out;
}

std::string EncodeBookingList(const std::vector<domain::Booking>& bookings, int page, int per_page,
                              int64_t total, const EncodeOptions& options) {
  std::string out;
  out.reserve(kBookingBytes * (bookings.size() + 1));
  JsonWriter w(out);
  w.BeginObject();
  w.Key("success").Bool(true);
  w.Key("data").BeginArray();
  for (const auto& b : bookings) WriteBooking(b, options, w);
  w.EndArray();
  w.Key("meta").BeginObject();
  w.Key("page").Int(page);
  w.Key("perPage").Int(per_page);
  w.Key("total").Int(total);
  w.EndObject();
  w.EndObject();
  return out;
}

std::string EncodeError(int http_status, const Status& status) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("success").Bool(false);
  w.Key("error").BeginObject();
  w.Key("code").Int(http_status);
  w.Key("message").String(status.message());
  w.Key("details");
  WriteIssues(status.details(), w);
  w.EndObject();
  w.EndObject();
  return out;
}

std::string EncodeSuccess(std::string_view data_json) {
  std::string out = R"({"success":true,"data":)";
  out += data_json;
  out += '}';
  return out;
}

}  // namespace tripsim::wire
