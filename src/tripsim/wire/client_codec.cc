#include "tripsim/wire/client_codec.h"

#include <boost/json.hpp>

#include "tripsim/domain/package.h"

namespace tripsim::wire {
namespace {

namespace json = boost::json;

void Put(json::object& o, const char* key, const std::optional<std::string>& v) {
  if (v) o[key] = *v;
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<std::string> OptText(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<int> OptInt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_int64()) return std::nullopt;
  return static_cast<int>(v->get_int64());
}

// A success answer ({"success": true, "data": ..., ["meta"], ["warnings"]}), parsed once.
Result<json::object> Answer(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Internal("the answer is not a JSON object");
  if (!v.get_object().contains("data")) return Internal("the answer has no \"data\"");
  return std::move(v.get_object());
}

BookingView ReadBooking(const json::object& o) {
  BookingView b;
  b.id = Text(o, "id");
  b.booking_id = OptText(o, "booking_id");
  b.status = Text(o, "status");
  b.created_at = Text(o, "created_at");
  b.departure_date = Text(o, "departure_date");
  b.return_date = OptText(o, "return_date");
  b.email = OptText(o, "email");
  b.first_name = OptText(o, "first_name");
  b.last_name = OptText(o, "last_name");
  if (const json::value* codes = o.if_contains("promo_codes"); codes && codes->is_array()) {
    for (const json::value& c : codes->get_array()) {
      if (!c.is_object()) continue;
      const json::object& p = c.get_object();
      PromoCodeView v;
      v.promo_code = Text(p, "promo_code");
      v.uuid = Text(p, "uuid");
      v.status = Text(p, "status");
      v.package_id = OptText(p, "package_id");
      v.package_name = OptText(p, "package_name");
      v.package_size = OptText(p, "package_size");
      v.package_duration = OptInt(p, "package_duration");
      v.destination = OptText(p, "destination");
      v.deep_link_url = Text(p, "deep_link_url");
      v.claim_url = Text(p, "claim_url");
      v.valid_until = Text(p, "valid_until");
      v.redeemed_at = OptText(p, "redeemed_at");
      if (const json::value* a = p.if_contains("assignment"); a && a->is_object()) {
        v.assignment_reason = Text(a->get_object(), "reason");
      }
      b.promo_codes.push_back(std::move(v));
    }
  }
  if (const json::value* messages = o.if_contains("messages"); messages && messages->is_array()) {
    for (const json::value& m : messages->get_array()) {
      if (!m.is_object()) continue;
      const json::object& x = m.get_object();
      b.messages.push_back({Text(x, "id"), Text(x, "channel"), Text(x, "kind"), Text(x, "status"),
                            OptText(x, "recipient"), OptInt(x, "attempts").value_or(0),
                            OptText(x, "sent_at"), OptText(x, "last_error")});
    }
  }
  return b;
}

ErrorCode CodeOfHttpStatus(int status) {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return ErrorCode::kInvalidArgument;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 409:
      return ErrorCode::kAlreadyExists;
    case 410:
      return ErrorCode::kGone;
    case 422:
      return ErrorCode::kUnprocessable;
    case 429:
      return ErrorCode::kResourceExhausted;
    case 502:
    case 503:
    case 504:
      return ErrorCode::kUnavailable;
    default:
      return ErrorCode::kInternal;
  }
}

}  // namespace

std::string EncodeBookingRequest(const domain::BookingRequest& r) {
  json::object o;
  Put(o, "booking_id", r.booking_id);
  o["departure_date"] = r.departure_date;
  Put(o, "return_date", r.return_date);
  Put(o, "email", r.email);
  Put(o, "first_name", r.first_name);
  Put(o, "last_name", r.last_name);
  Put(o, "full_name", r.full_name);
  Put(o, "title", r.title);
  Put(o, "phone", r.phone);
  if (r.pax) o["pax"] = *r.pax;
  Put(o, "flight_number", r.flight_number);
  Put(o, "gender", r.gender);
  Put(o, "locale", r.locale);
  Put(o, "external_id", r.external_id);
  json::array specs;
  for (const domain::PackageSpec& s : r.package_specifications) {
    json::object spec;
    if (s.destinations.size() == 1 && !s.destination_is_array) {
      spec["destination"] = s.destinations[0];
    } else if (!s.destinations.empty()) {
      json::array d;
      for (const auto& c : s.destinations) d.emplace_back(c);
      spec["destination"] = std::move(d);
    }
    if (s.package_id) spec["package_id"] = *s.package_id;
    if (s.size_mb) spec["size"] = domain::FormatDataSize(*s.size_mb);
    if (s.package_type) spec["package_type"] = domain::PackageTypeName(*s.package_type);
    if (s.package_duration) spec["package_duration"] = *s.package_duration;
    specs.push_back(std::move(spec));
  }
  o["package_specifications"] = std::move(specs);
  json::array channels;
  for (const auto& c : r.channels) channels.emplace_back(c);
  o["communication_options"] = {{"should_send_message", r.should_send_message},
                                {"channels", std::move(channels)}};
  return json::serialize(o);
}

std::string EncodeResendRequest(const std::optional<std::string>& email) {
  return email ? json::serialize(json::object{{"email", *email}}) : "";
}

Result<BookingView> DecodeBooking(std::string_view body) {
  TRIPSIM_ASSIGN_OR_RETURN(answer, Answer(body));
  const json::value& data = answer.at("data");
  if (!data.is_object()) return Internal("\"data\" is not a booking");
  BookingView b = ReadBooking(data.get_object());
  if (const json::value* w = answer.if_contains("warnings"); w && w->is_array()) {
    for (const json::value& item : w->get_array()) {
      if (item.is_object()) {
        b.warnings.push_back(Text(item.get_object(), "field") + ": " +
                             Text(item.get_object(), "issue"));
      }
    }
  }
  return b;
}

Result<BookingListView> DecodeBookingList(std::string_view body) {
  TRIPSIM_ASSIGN_OR_RETURN(answer, Answer(body));
  const json::value* data = answer.if_contains("data");
  if (!data->is_array()) return Internal("\"data\" is not a list of bookings");
  BookingListView list;
  for (const json::value& b : data->get_array()) {
    if (b.is_object()) list.bookings.push_back(ReadBooking(b.get_object()));
  }
  if (const json::value* meta = answer.if_contains("meta"); meta && meta->is_object()) {
    const json::object& m = meta->get_object();
    list.page = OptInt(m, "page").value_or(1);
    list.per_page = OptInt(m, "perPage").value_or(20);
    if (const json::value* t = m.if_contains("total"); t && t->is_int64()) {
      list.total = t->get_int64();
    }
  }
  return list;
}

Result<std::vector<PackageView>> DecodePackageList(std::string_view body) {
  TRIPSIM_ASSIGN_OR_RETURN(answer, Answer(body));
  const json::value* data = answer.if_contains("data");
  if (!data->is_array()) return Internal("\"data\" is not a list of packages");
  std::vector<PackageView> out;
  for (const json::value& item : data->get_array()) {
    if (!item.is_object()) continue;
    const json::object& p = item.get_object();
    PackageView pv{Text(p, "id"),
                   Text(p, "name"),
                   {},
                   Text(p, "data"),
                   OptInt(p, "validity_days").value_or(0),
                   Text(p, "type"),
                   Text(p, "price")};
    if (const json::value* c = p.if_contains("countries"); c && c->is_array()) {
      for (const json::value& code : c->get_array()) {
        if (code.is_string()) pv.countries.emplace_back(code.get_string());
      }
    }
    out.push_back(std::move(pv));
  }
  return out;
}

Status DecodeError(int http_status, std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  const json::object* error = nullptr;
  if (!ec && v.is_object()) {
    if (const json::value* e = v.get_object().if_contains("error"); e && e->is_object()) {
      error = &e->get_object();
    }
  }
  if (!error) return {CodeOfHttpStatus(http_status), "HTTP " + std::to_string(http_status)};
  std::vector<FieldIssue> details;
  if (const json::value* d = error->if_contains("details"); d && d->is_array()) {
    for (const json::value& item : d->get_array()) {
      if (item.is_object()) {
        details.push_back({Text(item.get_object(), "field"), Text(item.get_object(), "issue"), {}});
      }
    }
  }
  return Status(CodeOfHttpStatus(http_status), Text(*error, "message"), std::move(details));
}

}  // namespace tripsim::wire
