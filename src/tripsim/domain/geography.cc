#include "tripsim/domain/geography.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <set>

#include "tripsim/base/status.h"

namespace tripsim::embedded {
extern const std::string_view kCountriesJson;
}

namespace tripsim::domain {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// Countries usually sold as one Middle East region (the Gulf, the Levant, Iraq, Iran, Yemen).
const std::set<std::string> kMiddleEast = {"AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB",
                                           "OM", "PS", "QA", "SA", "SY", "YE", "TR", "EG"};
// Latin America: South America plus Mexico, Central America and the Spanish-, Portuguese- and
// French-speaking Caribbean.
const std::set<std::string> kLatinNorthAmerica = {"MX", "GT", "BZ", "SV", "HN", "NI",
                                                  "CR", "PA", "CU", "DO", "HT", "PR"};

}  // namespace

const Geography& Geography::Builtin() {
  static const Geography geo(embedded::kCountriesJson);
  return geo;
}

Geography::Geography(std::string_view countries_json) {
  boost::json::value doc = boost::json::parse(countries_json);
  for (const auto& c : doc.at("countries").as_array()) {
    const auto& o = c.as_object();
    Country country{std::string(o.at("alpha2").as_string()),
                    std::string(o.at("alpha3").as_string()),
                    std::string(o.at("name").as_string()),
                    std::string(o.at("continent").as_string()),
                    o.at("eu").as_bool(),
                    o.at("eea").as_bool()};
    by_code_[country.alpha2] = countries_.size();
    by_code_[country.alpha3] = countries_.size();
    countries_.push_back(std::move(country));
  }
  TRIPSIM_CHECK(!countries_.empty());
  auto add = [this](const std::string& region, const Country& c) {
    regions_[region].push_back(c.alpha2);
  };
  for (const Country& c : countries_) {
    add("GLOBAL", c);
    if (c.eu || c.eea) add("EU", c);
    if (c.continent == "EU") add("EUROPE", c);
    if (c.continent == "NA") add("NORTH_AMERICA", c);
    if (c.continent == "SA" || kLatinNorthAmerica.contains(c.alpha2)) add("LATAM", c);
    if (kMiddleEast.contains(c.alpha2)) add("MIDDLE_EAST", c);
    if (c.continent == "AS" && !kMiddleEast.contains(c.alpha2)) add("ASIA", c);
    if (c.continent == "AF" && !kMiddleEast.contains(c.alpha2)) add("AFRICA", c);
    if (c.continent == "OC") add("OCEANIA", c);
  }
  for (auto& [name, members] : regions_) std::sort(members.begin(), members.end());
}

const Country* Geography::FindCountry(std::string_view code) const {
  if (code.size() != 2 && code.size() != 3) return nullptr;
  auto it = by_code_.find(Upper(code));
  return it == by_code_.end() ? nullptr : &countries_[it->second];
}

bool Geography::IsRegion(std::string_view code) const { return regions_.contains(Upper(code)); }

std::optional<std::vector<std::string>> Geography::Expand(std::string_view code) const {
  if (const Country* c = FindCountry(code)) return std::vector<std::string>{c->alpha2};
  auto it = regions_.find(Upper(code));
  if (it == regions_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Geography::Canonical(std::string_view code) const {
  if (const Country* c = FindCountry(code)) return c->alpha2;
  if (IsRegion(code)) return Upper(code);
  return std::nullopt;
}

}  // namespace tripsim::domain
