#include "tripsim/booking/fingerprint.h"

#include "tripsim/base/crypto.h"

namespace tripsim::booking {
namespace {

// Length-prefixed fields, so that no two different requests encode alike.
class Canonical {
 public:
  void Add(std::string_view s) { out_ += std::to_string(s.size()) + ":" + std::string(s) + ";"; }
  void AddOptional(const std::optional<std::string>& s) { s ? Add(*s) : Absent(); }
  template <typename N>
  void AddNumber(const std::optional<N>& n) {
    n ? Add(std::to_string(*n)) : Absent();
  }
  void Absent() { out_ += "-;"; }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

}  // namespace

std::string Fingerprint(const domain::BookingRequest& r) {
  Canonical c;
  for (const auto* s :
       {&r.booking_id, &r.return_date, &r.email, &r.first_name, &r.last_name, &r.full_name,
        &r.title, &r.phone, &r.flight_number, &r.gender, &r.locale, &r.external_id}) {
    c.AddOptional(*s);
  }
  c.Add(r.departure_date);
  c.AddNumber(r.pax);
  c.Add(std::to_string(r.package_specifications.size()));
  for (const auto& s : r.package_specifications) {
    c.AddOptional(s.package_id);
    c.Add(s.destination_is_array ? "array" : "single");
    c.Add(std::to_string(s.destinations.size()));
    for (const auto& d : s.destinations) c.Add(d);
    c.AddNumber(s.size_mb);
    c.AddNumber(s.package_type ? std::optional<int>(static_cast<int>(*s.package_type))
                               : std::nullopt);
    c.AddNumber(s.package_duration);
  }
  c.Add(r.should_send_message ? "send" : "silent");
  for (const auto& ch : r.channels) c.Add(ch);
  return crypto::Sha256Hex(c.text());
}

}  // namespace tripsim::booking
