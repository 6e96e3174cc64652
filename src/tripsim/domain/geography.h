// Countries (ISO 3166-1) and the regions packages are sold for, built from data/countries.json,
// which is compiled into the binary. Immutable after construction; safe to share across threads.
//
//   const Geography& geo = Geography::Builtin();
//   const Country* fr = geo.FindCountry("fra");           // alpha-2 or alpha-3, any case
//   std::optional<std::vector<std::string>> eu = geo.Expand("EU");  // member alpha-2 codes
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tripsim::domain {

struct Country {
  std::string alpha2;
  std::string alpha3;
  std::string name;
  std::string continent;  // AF AN AS EU NA OC SA
  bool eu = false;
  bool eea = false;
};

class Geography {
 public:
  // The table compiled into the binary (parsed once, on first use).
  static const Geography& Builtin();

  // Parses a countries.json document; aborts on malformed built-in data only.
  explicit Geography(std::string_view countries_json);

  const Country* FindCountry(std::string_view code) const;
  bool IsRegion(std::string_view code) const;
  // The alpha-2 codes a destination stands for: one for a country, the members for a region.
  // nullopt when the code is neither.
  std::optional<std::vector<std::string>> Expand(std::string_view code) const;
  // The canonical form of a destination: alpha-2 for a country, the upper-case region code.
  std::optional<std::string> Canonical(std::string_view code) const;

  const std::vector<Country>& countries() const { return countries_; }
  const std::map<std::string, std::vector<std::string>>& regions() const { return regions_; }

 private:
  std::vector<Country> countries_;
  std::unordered_map<std::string, size_t> by_code_;  // alpha-2 and alpha-3, upper case
  std::map<std::string, std::vector<std::string>> regions_;
};

}  // namespace tripsim::domain
