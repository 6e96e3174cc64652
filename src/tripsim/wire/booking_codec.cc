#include "tripsim/wire/booking_codec.h"

#include <algorithm>
#include <boost/json.hpp>

#include "tripsim/base/json_writer.h"
#include "tripsim/wire/validate.h"

namespace tripsim::wire {
namespace json = boost::json;
using domain::BookingRequest;
using domain::PackageSpec;

namespace {

constexpr std::array<std::string_view, 6> kTitles = {"mr.", "ms.", "mrs.", "miss", "dr.", "prof."};
constexpr std::array<std::string_view, 4> kChannels = {"EMAIL", "SMS", "WHATSAPP",
                                                       "PUSH_NOTIFICATION"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Collects every problem of a request, so that all of them are reported at once.
class Checker {
 public:
  void Add(std::string field, std::string issue) {
    issues_.push_back({std::move(field), std::move(issue), {}});
  }
  // "must be 3 to 100 characters long"
  void AddLengthIssue(const std::string& field, size_t min_len, size_t max_len) {
    Add(field, "must be " + std::to_string(min_len) + " to " + std::to_string(max_len) +
                   " characters long");
  }
  bool ok() const { return issues_.empty(); }
  std::vector<FieldIssue> Take() { return std::move(issues_); }

  // The value of `key`, or nullptr when absent or null.
  static const json::value* Get(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  // An optional string of 1..max_len code points without control characters.
  std::optional<std::string> Text(const json::object& o, std::string_view key,
                                  const std::string& path, size_t min_len, size_t max_len) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      Add(path, "must be a string");
      return std::nullopt;
    }
    std::string_view s = v->get_string();
    size_t n = internal::CodePoints(s);
    if (n < min_len || n > max_len) {
      AddLengthIssue(path, min_len, max_len);
      return std::nullopt;
    }
    if (internal::HasControl(s)) {
      Add(path, "must not contain control characters");
      return std::nullopt;
    }
    return std::string(s);
  }

  // A partner's booking reference: a string as Text, or a whole number, read as its decimal
  // text (design.md 2.3 gives it no type; many booking systems number their bookings, and the
  // guide's `booking_id: bookingData.bookingId` sends such a number as a JSON number).
  std::optional<std::string> Reference(const json::object& o, std::string_view key,
                                       const std::string& path, size_t min_len, size_t max_len) {
    const json::value* v = Get(o, key);
    if (v == nullptr || v->is_string()) return Text(o, key, path, min_len, max_len);
    std::string digits;
    if (v->is_int64()) digits = std::to_string(v->get_int64());
    if (v->is_uint64()) digits = std::to_string(v->get_uint64());
    if (digits.empty()) {
      Add(path, "must be a string or a whole number");
      return std::nullopt;
    }
    if (digits.size() < min_len || digits.size() > max_len) {
      AddLengthIssue(path, min_len, max_len);
      return std::nullopt;
    }
    return digits;
  }

  std::optional<int64_t> Integer(const json::object& o, std::string_view key,
                                 const std::string& path, int64_t min, int64_t max) {
    const json::value* v = Get(o, key);
    if (v == nullptr) return std::nullopt;
    std::optional<int64_t> n;
    if (v->is_int64()) n = v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(max)) {
      n = static_cast<int64_t>(v->get_uint64());
    }
    if (v->is_double() && v->get_double() == static_cast<double>(static_cast<int64_t>(
                                                 std::clamp(v->get_double(), -1e15, 1e15)))) {
      n = static_cast<int64_t>(v->get_double());
    }
    if (!n || *n < min || *n > max) {
      Add(path, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return n;
  }

 private:
  std::vector<FieldIssue> issues_;
};

void ParseDestination(const json::value& v, const std::string& path, const ParseOptions& options,
                      PackageSpec& spec, Checker& check) {
  auto one = [&](const json::value& item, const std::string& item_path) {
    if (!item.is_string()) {
      check.Add(item_path, "must be a string");
      return;
    }
    std::optional<std::string> canonical = options.geography->Canonical(item.get_string());
    if (!canonical) {
      check.Add(item_path,
                "must be an ISO 3166-1 alpha-2 or alpha-3 country code or a region code");
      return;
    }
    if (std::find(spec.destinations.begin(), spec.destinations.end(), *canonical) ==
        spec.destinations.end()) {
      spec.destinations.push_back(*canonical);
    }
  };
  if (v.is_array()) {
    const json::array& a = v.get_array();
    spec.destination_is_array = true;
    if (a.empty() || a.size() > static_cast<size_t>(kMaxDestinationsPerSpec)) {
      check.Add(path, "must be a code or an array of 1 to " +
                          std::to_string(kMaxDestinationsPerSpec) + " codes");
      return;
    }
    for (size_t i = 0; i < a.size(); ++i) one(a[i], path);
  } else {
    one(v, path);
  }
}

PackageSpec ParseSpec(const json::value& v, const std::string& path, const ParseOptions& options,
                      Checker& check) {
  PackageSpec spec;
  if (!v.is_object()) {
    check.Add(path, "must be an object");
    return spec;
  }
  const json::object& o = v.get_object();
  spec.package_id = check.Text(o, "package_id", path + ".package_id", 1, 100);
  if (const json::value* d = Checker::Get(o, "destination")) {
    ParseDestination(*d, path + ".destination", options, spec, check);
  }
  if (const json::value* s = Checker::Get(o, "size")) {
    if (!s->is_string() || !internal::IsValidSizeText(s->get_string())) {
      check.Add(path + ".size", "must be a size such as 500MB, 1GB or 1.5GB");
    } else {
      spec.size_mb = domain::ParseDataSize(s->get_string());
      if (!spec.size_mb) check.Add(path + ".size", "is too large");
    }
  }
  if (const json::value* t = Checker::Get(o, "package_type")) {
    if (t->is_string()) spec.package_type = domain::ParsePackageType(t->get_string());
    if (!spec.package_type) {
      check.Add(path + ".package_type", "must be one of data-limited, unlimited, starter");
    }
  }
  if (auto days = check.Integer(o, "package_duration", path + ".package_duration", 1, 3650)) {
    spec.package_duration = static_cast<int>(*days);
  }
  return spec;
}

void ParseCommunication(const json::object& root, const ParseOptions& options, BookingRequest& r,
                        Checker& check) {
  const json::value* v = Checker::Get(root, "communication_options");
  if (v == nullptr) {
    check.Add("communication_options", "is required");
    return;
  }
  if (!v->is_object()) {
    check.Add("communication_options", "must be an object");
    return;
  }
  const json::object& o = v->get_object();
  const json::value* send = Checker::Get(o, "should_send_message");
  if (send == nullptr || !send->is_bool()) {
    check.Add("communication_options.should_send_message", "is required and must be true or false");
  } else {
    r.should_send_message = send->get_bool();
  }
  const json::value* channels = Checker::Get(o, "channels");
  if (channels == nullptr) {
    if (r.should_send_message) r.channels = {"EMAIL"};
    return;
  }
  if (!channels->is_array()) {
    check.Add("communication_options.channels", "must be an array of channel names");
    return;
  }
  for (const json::value& c : channels->get_array()) {
    std::string path = "communication_options.channels";
    if (!c.is_string()) {
      check.Add(path, "must contain channel names (strings)");
      continue;
    }
    std::string_view name = c.get_string();
    if (std::find(kChannels.begin(), kChannels.end(), name) == kChannels.end()) {
      bool upper_known = std::any_of(kChannels.begin(), kChannels.end(),
                                     [&](std::string_view k) { return Lower(k) == Lower(name); });
      check.Add(path, upper_known
                          ? "channel names are upper case: " + Lower(name) + " is not valid"
                          : "unknown channel; use EMAIL, SMS, WHATSAPP or PUSH_NOTIFICATION");
      continue;
    }
    if (std::find(options.enabled_channels.begin(), options.enabled_channels.end(), name) ==
        options.enabled_channels.end()) {
      check.Add(path, "channel not enabled: " + std::string(name));
      continue;
    }
    if (std::find(r.channels.begin(), r.channels.end(), name) == r.channels.end()) {
      r.channels.emplace_back(name);
    }
  }
}

void ParseDates(const json::object& o, const ParseOptions& options, BookingRequest& r,
                Checker& check) {
  std::optional<Date> departure;
  const json::value* d = Checker::Get(o, "departure_date");
  if (d == nullptr) {
    check.Add("departure_date", "is required");
  } else if (!d->is_string() || !(departure = ParseIsoDate(d->get_string()))) {
    check.Add("departure_date", "must be an ISO 8601 date (2026-07-15) or date-time with offset");
  } else if (departure->days < options.today.days - 1) {
    check.Add("departure_date", "must not be more than one day in the past");
  } else {
    r.departure_date = std::string(d->get_string());
  }
  if (const json::value* ret = Checker::Get(o, "return_date")) {
    std::optional<Date> back;
    if (!ret->is_string() || !(back = ParseIsoDate(ret->get_string()))) {
      check.Add("return_date", "must be an ISO 8601 date (2026-07-22) or date-time with offset");
    } else if (departure && *back < *departure) {
      check.Add("return_date", "must not be before departure_date");
    } else {
      r.return_date = std::string(ret->get_string());
    }
  }
}

void ParseTraveller(const json::object& o, BookingRequest& r, Checker& check) {
  r.booking_id = check.Reference(o, "booking_id", "booking_id", 3, 100);
  if (const json::value* e = Checker::Get(o, "email")) {
    if (!e->is_string() || !internal::IsValidEmail(e->get_string())) {
      check.Add("email", "must be a valid email address");
    } else {
      r.email = std::string(e->get_string());
    }
  }
  if (Checker::Get(o, "booking_id") == nullptr && Checker::Get(o, "email") == nullptr) {
    check.Add("booking_id", "at least one of booking_id and email is required");
  }
  r.first_name = check.Text(o, "first_name", "first_name", 1, 100);
  r.last_name = check.Text(o, "last_name", "last_name", 1, 100);
  r.full_name = check.Text(o, "full_name", "full_name", 1, 200);
  if (const json::value* t = Checker::Get(o, "title")) {
    std::string lower = t->is_string() ? Lower(t->get_string()) : "";
    if (std::find(kTitles.begin(), kTitles.end(), lower) == kTitles.end()) {
      check.Add("title", "must be one of mr., ms., mrs., miss, dr., prof.");
    } else {
      r.title = lower;
    }
  }
  if (const json::value* p = Checker::Get(o, "phone")) {
    if (!p->is_string() || !internal::IsValidPhone(p->get_string())) {
      check.Add("phone", "must be in international format: + then 2 to 17 digits");
    } else {
      r.phone = std::string(p->get_string());
    }
  }
  if (auto pax = check.Integer(o, "pax", "pax", 1, kMaxPax)) r.pax = static_cast<int>(*pax);
  if (const json::value* f = Checker::Get(o, "flight_number")) {
    if (!f->is_string() || !internal::IsValidFlightNumber(f->get_string())) {
      check.Add("flight_number", "must be 1 to 10 letters and digits");
    } else {
      r.flight_number = std::string(f->get_string());
    }
  }
  if (const json::value* g = Checker::Get(o, "gender")) {
    if (!g->is_string() ||
        (g->get_string() != "M" && g->get_string() != "F" && g->get_string() != "O")) {
      check.Add("gender", "must be M, F or O");
    } else {
      r.gender = std::string(g->get_string());
    }
  }
  if (const json::value* l = Checker::Get(o, "locale")) {
    if (!l->is_string() || !internal::IsKnownLocale(l->get_string())) {
      check.Add("locale", "must be a supported locale such as en-US, nl-NL or de");
    } else {
      r.locale = std::string(l->get_string());
    }
  }
  if (const json::value* x = Checker::Get(o, "external_id")) {
    if (!x->is_string() || x->get_string().size() > 200 || internal::HasControl(x->get_string())) {
      check.Add("external_id", "must be a string of at most 200 characters, or null");
    } else {
      r.external_id = std::string(x->get_string());
    }
  }
}

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

Result<BookingRequest> ParseCreateBooking(std::string_view body, const ParseOptions& options) {
  // A byte order mark is not JSON, but some clients (.NET, Windows tools) write one: RFC 8259
  // section 8.1 lets a parser ignore it.
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  boost::system::error_code ec;
  json::parse_options po;
  po.max_depth = 20;
  json::value root = json::parse(body, ec, {}, po);
  if (ec) {
    return InvalidArgument("Validation failed",
                           {{"body", "must be valid JSON: " + ec.message(), {}}});
  }
  if (!root.is_object()) {
    return InvalidArgument("Validation failed", {{"body", "must be a JSON object", {}}});
  }
  const json::object& o = root.get_object();
  BookingRequest r;
  Checker check;
  ParseDates(o, options, r, check);
  ParseTraveller(o, r, check);
  const json::value* specs = Checker::Get(o, "package_specifications");
  if (specs == nullptr) {
    check.Add("package_specifications", "is required");
  } else if (!specs->is_array() || specs->get_array().empty() || specs->get_array().size() > 10) {
    check.Add("package_specifications", "must be an array of 1 to 10 specifications");
  } else {
    const json::array& a = specs->get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      r.package_specifications.push_back(
          ParseSpec(a[i], "package_specifications[" + std::to_string(i) + "]", options, check));
    }
  }
  ParseCommunication(o, options, r, check);
  if (!check.ok()) return InvalidArgument("Validation failed", check.Take());
  return r;
}

namespace {

// The member `key` of an optional JSON object body (`root` holds the parsed body): nullptr
// when the body is empty, or the member absent or null; 400 when the body is no JSON object.
Result<const json::value*> OptionalMember(std::string_view body, std::string_view key,
                                          json::value& root) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return nullptr;
  boost::system::error_code ec;
  root = json::parse(body, ec);
  if (ec || !root.is_object()) {
    return InvalidArgument("Validation failed", {{"body", "must be a JSON object", {}}});
  }
  return Checker::Get(root.get_object(), key);
}

}  // namespace

Result<std::optional<std::string>> ParseRedeemRequest(std::string_view body) {
  json::value root;
  TRIPSIM_ASSIGN_OR_RETURN(d, OptionalMember(body, "destination", root));
  if (d == nullptr) return std::optional<std::string>();
  if (!d->is_string() || d->get_string().size() > 20) {
    return InvalidArgument("Validation failed", {{"destination", "must be a country code", {}}});
  }
  return std::optional<std::string>(std::string(d->get_string()));
}

Result<std::optional<std::string>> ParseResendRequest(std::string_view body) {
  json::value root;
  TRIPSIM_ASSIGN_OR_RETURN(email, OptionalMember(body, "email", root));
  if (email == nullptr) return std::optional<std::string>();
  if (!email->is_string() || !internal::IsValidEmail(email->get_string())) {
    return InvalidArgument("Validation failed", {{"email", "must be a valid email address", {}}});
  }
  return std::optional<std::string>(std::string(email->get_string()));
}

Result<std::string> ParseClaimRequest(std::string_view body) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  const json::value* email =
      !ec && root.is_object() ? root.get_object().if_contains("email") : nullptr;
  if (email == nullptr || !email->is_string() || !internal::IsValidEmail(email->get_string())) {
    return InvalidArgument("Validation failed", {{"email", "must be a valid email address", {}}});
  }
  return std::string(email->get_string());
}

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
