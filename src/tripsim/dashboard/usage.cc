#include "tripsim/dashboard/usage.h"

#include <map>

#include "tripsim/domain/package.h"

namespace tripsim::dashboard {
namespace {

// One CSV field: quoted when needed; a leading = + - @ is neutralised so that a spreadsheet
// never reads a partner-supplied name as a formula.
std::string Field(const std::string& value) {
  std::string v = value;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Amount(int64_t minor) {
  std::string sign = minor < 0 ? "-" : "";
  if (minor < 0) minor = -minor;
  std::string cents = std::to_string(minor % 100);
  return sign + std::to_string(minor / 100) + "." + (cents.size() < 2 ? "0" : "") + cents;
}

}  // namespace

Result<std::string> UsageCsv(store::Store& store, const std::string& month,
                             const std::optional<std::string>& partner_id) {
  std::optional<Date> first = month.size() == 7 ? ParseIsoDateOnly(month + "-01") : std::nullopt;
  if (!first) return InvalidArgument("--month must be YYYY-MM");
  int y = 0;
  unsigned m = 0, d = 0;
  CivilFromDate(*first, y, m, d);
  const Date next = m == 12 ? DateFromCivil(y + 1, 1, 1) : DateFromCivil(y, m + 1, 1);
  TRIPSIM_ASSIGN_OR_RETURN(usage,
                           store.QueryUsage(MillisOfDate(*first), MillisOfDate(next), partner_id));
  TRIPSIM_ASSIGN_OR_RETURN(partners, store.ListPartners());
  std::map<std::string, std::string> names;
  for (const domain::Partner& p : partners) names[p.id] = p.name;
  std::map<std::string, int64_t> cancelled(usage.cancelled.begin(), usage.cancelled.end());

  std::string out =
      "month,partner_id,partner_name,bookings,cancelled_bookings,package_id,package_name,"
      "provider,packages_assigned,codes_redeemed,cost_currency,unit_cost,total_cost,"
      "price_currency,unit_price,total_price\n";
  for (const auto& [partner, bookings] : usage.bookings) {
    const std::string head = month + "," + Field(partner) + "," + Field(names[partner]) + "," +
                             std::to_string(bookings) + "," + std::to_string(cancelled[partner]);
    bool any = false;
    for (const store::UsageRow& row : usage.packages) {
      if (row.partner_id != partner || !row.package) continue;
      const domain::Package& p = *row.package;
      any = true;
      out += head + "," + Field(p.id) + "," + Field(p.name) + "," + Field(p.provider) + "," +
             std::to_string(row.assigned) + "," + std::to_string(row.redeemed) + "," +
             Field(p.cost.currency) + "," + Amount(p.cost.minor) + "," +
             Amount(p.cost.minor * row.assigned) + "," + Field(p.price.currency) + "," +
             Amount(p.price.minor) + "," + Amount(p.price.minor * row.assigned) + "\n";
    }
    if (!any) out += head + ",,,,0,0,,,,,,\n";
  }
  return out;
}

}  // namespace tripsim::dashboard
