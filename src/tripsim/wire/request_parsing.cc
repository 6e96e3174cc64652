// Parsing and validation of the partner API's request bodies (booking_codec.h): every problem
// of a body is reported at once, each naming its field.
#include <algorithm>
#include <boost/json.hpp>

#include "tripsim/wire/booking_codec.h"
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

}  // namespace tripsim::wire
