#include "tripsim/wire/package_codec.h"

#include <algorithm>
#include <boost/json.hpp>

#include "tripsim/domain/geography.h"
#include "tripsim/wire/validate.h"

namespace tripsim::wire {
namespace json = boost::json;

Result<PackageFilter> ParsePackageQuery(const std::string& destination, const std::string& size,
                                        const std::string& package_type) {
  PackageFilter f;
  std::vector<FieldIssue> issues;
  if (!destination.empty()) {
    auto countries = domain::Geography::Builtin().Expand(destination);
    if (!countries) {
      issues.push_back({"destination", "must be an ISO 3166-1 country code or a region code", {}});
    } else {
      f.countries = std::move(*countries);
    }
  }
  if (!size.empty()) {
    f.min_size_mb = internal::IsValidSizeText(size) ? domain::ParseDataSize(size) : std::nullopt;
    if (!f.min_size_mb)
      issues.push_back({"size", "must be a size such as 500MB, 1GB or 1.5GB", {}});
  }
  if (!package_type.empty()) {
    f.type = domain::ParsePackageType(package_type);
    if (!f.type)
      issues.push_back({"package_type", "must be data-limited, unlimited or starter", {}});
  }
  if (!issues.empty()) return InvalidArgument("Validation failed", std::move(issues));
  return f;
}

bool PackageMatches(const domain::Package& p, const PackageFilter& filter,
                    const std::vector<std::string>& allow_list,
                    const std::vector<domain::PackageType>& types) {
  if (p.retired) return false;
  auto has = [](const std::vector<std::string>& v, const std::string& c) {
    return std::binary_search(v.begin(), v.end(), c);
  };
  for (const auto& c : filter.countries) {
    if (!has(p.countries, c)) return false;
  }
  if (!allow_list.empty()) {
    for (const auto& c : p.countries) {
      if (std::find(allow_list.begin(), allow_list.end(), c) == allow_list.end()) return false;
    }
  }
  if (filter.min_size_mb && p.data_mb < *filter.min_size_mb) return false;
  if (filter.type && p.type != *filter.type) return false;
  if (!types.empty()) return std::find(types.begin(), types.end(), p.type) != types.end();
  return p.type != domain::PackageType::kStarter || filter.type == domain::PackageType::kStarter;
}

std::string EncodePackageList(const std::vector<const domain::Package*>& packages) {
  json::array data;
  for (const domain::Package* p : packages) {
    json::array countries;
    for (const auto& c : p->countries) countries.emplace_back(c);
    data.emplace_back(
        json::object{{"id", p->id},
                     {"name", p->name},
                     {"provider", p->provider},
                     {"countries", std::move(countries)},
                     {"region", p->region.empty() ? json::value(nullptr) : json::value(p->region)},
                     {"data", domain::FormatDataSize(p->data_mb)},
                     {"validity_days", p->validity_days},
                     {"type", domain::PackageTypeName(p->type)},
                     {"cost", domain::FormatMoney(p->cost)},
                     {"price", domain::FormatMoney(p->price)}});
  }
  int64_t total = static_cast<int64_t>(data.size());
  return json::serialize(
      json::object{{"success", true}, {"data", std::move(data)}, {"meta", {{"total", total}}}});
}

}  // namespace tripsim::wire
