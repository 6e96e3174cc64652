#include "tripsim/catalog/catalog.h"

#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/trim.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "tripsim/catalog/csv.h"

namespace tripsim::embedded {
extern const std::string_view kSampleCatalogJson;
}

namespace tripsim::catalog {
namespace json = boost::json;
using domain::Package;

namespace {

// The raw text fields of one package, whatever the file format.
struct RawRow {
  std::string where;  // how problems name the row: "packages[3]." or "row 4 "
  std::string id, name, provider, region, data, type, cost, price, validity;
  std::vector<std::string> countries;
  bool countries_ok = true;
};

// Operators write catalogs by hand and export them from spreadsheets, so a file's values are
// first put in the design's spelling and then parsed strictly: "5 gb" reads as 5GB,
// "Unlimited" as unlimited, "4,50 eur" and "EUR 4.50" as 4.50 EUR, "Data Limited" as
// data-limited and "30.0" days as 30. Whatever still does not parse is refused as written.
namespace spelling {

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.' || c == ','; }

// "4,50" as 4.50 and "1,5" as 1.5: a comma followed by one or two digits, in a number without
// a point, is a decimal comma. "1,000" stays as written (and is refused).
std::string DecimalPoint(std::string number) {
  size_t comma = number.find(',');
  if (comma != std::string::npos && number.find_first_of(".,", comma + 1) == std::string::npos &&
      number.find('.') == std::string::npos) {
    size_t decimals = number.size() - comma - 1;
    if (decimals == 1 || decimals == 2) number[comma] = '.';
  }
  return number;
}

// Splits "5 GB", "5gb", "4.50 EUR" or "EUR 4.50" into the number and the word beside it.
std::pair<std::string, std::string> NumberAndWord(std::string_view text) {
  std::string t = boost::algorithm::trim_copy(std::string(text));
  if (!t.empty() && IsNumberChar(t.front())) {
    size_t end = 0;
    while (end < t.size() && IsNumberChar(t[end])) ++end;
    return {t.substr(0, end), boost::algorithm::trim_copy(t.substr(end))};
  }
  size_t start = t.size();
  while (start > 0 && IsNumberChar(t[start - 1])) --start;
  return {t.substr(start), boost::algorithm::trim_copy(t.substr(0, start))};
}

std::string Data(std::string_view text) {
  std::string lower =
      boost::algorithm::to_lower_copy(boost::algorithm::trim_copy(std::string(text)));
  if (lower == "unlimited") return lower;
  auto [number, unit] = NumberAndWord(text);
  boost::algorithm::to_upper(unit);
  if (number.empty() || (unit != "MB" && unit != "GB")) return std::string(text);
  return DecimalPoint(number) + unit;
}

std::string Money(std::string_view text) {
  auto [amount, currency] = NumberAndWord(text);
  if (amount.empty() || currency.size() != 3) return std::string(text);
  return DecimalPoint(amount) + " " + boost::algorithm::to_upper_copy(currency);
}

std::string Type(std::string_view text) {
  std::string t = boost::algorithm::to_lower_copy(boost::algorithm::trim_copy(std::string(text)));
  std::replace_if(
      t.begin(), t.end(), [](char c) { return c == ' ' || c == '_'; }, '-');
  return t;
}

// "30", " 30 " and "30.0" as 30; "30.5" as written.
std::string Days(std::string_view text) {
  std::string t = boost::algorithm::trim_copy(std::string(text));
  size_t dot = t.find('.');
  if (dot != std::string::npos && dot > 0 &&
      t.find_first_not_of('0', dot + 1) == std::string::npos) {
    t.resize(dot);
  }
  return t;
}

}  // namespace spelling

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// Validates one row; appends problems named `where`.field to `issues`.
std::optional<Package> BuildPackage(const RawRow& r, const std::string& where,
                                    const domain::Geography& geo, std::vector<FieldIssue>& issues) {
  size_t before = issues.size();
  auto bad = [&](const char* field, std::string issue) {
    issues.push_back({where + field, std::move(issue), {}});
  };
  Package p;
  p.id = boost::algorithm::trim_copy(r.id);
  if (!ValidId(p.id)) bad("id", "must be 1-100 letters, digits, '-', '_' or '.'");
  p.name = boost::algorithm::trim_copy(r.name);
  if (p.name.empty() || p.name.size() > 200) bad("name", "must be 1-200 characters");
  p.provider = boost::algorithm::trim_copy(r.provider);
  if (p.provider.empty() || !ValidId(p.provider)) bad("provider", "must be a provider name");
  std::set<std::string> countries;
  for (const auto& c : r.countries) {
    const domain::Country* country = geo.FindCountry(c);
    if (country == nullptr) {
      bad("countries", "unknown country code '" + c + "'");
    } else {
      countries.insert(country->alpha2);
    }
  }
  if (!r.countries_ok || (countries.empty() && r.countries.empty())) {
    bad("countries", "must list at least one ISO 3166-1 country code");
  }
  p.countries.assign(countries.begin(), countries.end());
  if (const std::string region = boost::algorithm::trim_copy(r.region); !region.empty()) {
    if (!geo.IsRegion(region)) bad("region", "unknown region code '" + region + "'");
    p.region = geo.Canonical(region).value_or(region);
  }
  std::optional<int64_t> data = domain::ParseDataSize(spelling::Data(r.data), true);
  if (!data) bad("data", "must be <n>MB, <n>GB or unlimited");
  p.data_mb = data.value_or(0);
  int validity = 0;
  const std::string days = spelling::Days(r.validity);
  auto [end, ec] = std::from_chars(days.data(), days.data() + days.size(), validity);
  if (ec != std::errc() || end != days.data() + days.size() || validity < 1 || validity > 3650) {
    bad("validity_days", "must be an integer from 1 to 3650");
  }
  p.validity_days = validity;
  std::optional<domain::PackageType> type = domain::ParsePackageType(spelling::Type(r.type));
  if (!type) bad("type", "must be data-limited, unlimited or starter");
  p.type = type.value_or(domain::PackageType::kDataLimited);
  std::optional<domain::Money> cost = domain::ParseMoney(spelling::Money(r.cost));
  if (!cost) bad("cost", "must be an amount such as 4.50 EUR");
  std::optional<domain::Money> price = domain::ParseMoney(spelling::Money(r.price));
  if (!price) bad("price", "must be an amount such as 9.90 EUR");
  p.cost = cost.value_or(domain::Money{});
  p.price = price.value_or(domain::Money{});
  if (issues.size() != before) return std::nullopt;
  return p;
}

std::string StringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_double()) {  // a spreadsheet's 30.0 days
    double d = v->get_double();
    if (d == std::floor(d) && std::fabs(d) < 1e9) return std::to_string(static_cast<int64_t>(d));
  }
  return "\x01";  // a non-string value: fails every field check
}

Result<std::vector<RawRow>> ReadJson(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(WithoutByteOrderMark(text), ec);
  if (ec) return InvalidArgument("catalog is not valid JSON: " + ec.message());
  const json::value* list = doc.is_object() ? doc.get_object().if_contains("packages") : nullptr;
  if (list == nullptr || !list->is_array()) {
    return InvalidArgument("catalog must be an object with a \"packages\" array");
  }
  std::vector<RawRow> rows;
  for (const json::value& v : list->get_array()) {
    RawRow r;
    r.where = "packages[" + std::to_string(rows.size()) + "].";
    if (!v.is_object()) {
      r.countries_ok = false;
      rows.push_back(r);
      continue;
    }
    const json::object& o = v.get_object();
    r.id = StringField(o, "id");
    r.name = StringField(o, "name");
    r.provider = StringField(o, "provider");
    r.region = StringField(o, "region");
    r.data = StringField(o, "data");
    r.type = StringField(o, "type");
    r.cost = StringField(o, "cost");
    r.price = StringField(o, "price");
    r.validity = StringField(o, "validity_days");
    const json::value* c = o.if_contains("countries");
    if (c == nullptr || !c->is_array()) {
      r.countries_ok = false;
    } else {
      for (const auto& code : c->get_array()) {
        if (code.is_string()) {
          r.countries.emplace_back(code.get_string());
        } else {
          r.countries_ok = false;
        }
      }
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

Result<std::vector<RawRow>> ReadCsv(std::string_view text) {
  TRIPSIM_ASSIGN_OR_RETURN(table,
                           CsvTable::Parse(text,
                                           {"id", "name", "provider", "countries", "region", "data",
                                            "validity_days", "type", "cost", "price"},
                                           "catalog"));
  const size_t id = table.column("id"), name = table.column("name"),
               provider = table.column("provider"), countries = table.column("countries"),
               region = table.column("region"), data = table.column("data"),
               validity = table.column("validity_days"), type = table.column("type"),
               cost = table.column("cost"), price = table.column("price");
  std::vector<RawRow> rows;
  for (const CsvTable::Row& row : table.rows()) {
    const std::vector<std::string>& f = row.fields;
    RawRow r{"row " + std::to_string(row.line) + " ",
             f[id],
             f[name],
             f[provider],
             f[region],
             f[data],
             f[type],
             f[cost],
             f[price],
             f[validity]};
    // "DE FR IT", and as people also list them: "DE, FR, IT" or "DE;FR;IT".
    std::string list = f[countries];
    std::replace_if(
        list.begin(), list.end(), [](char c) { return c == ',' || c == ';' || c == '|'; }, ' ');
    std::istringstream cs(list);
    for (std::string c; cs >> c;) r.countries.push_back(c);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

Result<std::vector<Package>> ParseCatalogFile(std::string_view text, Format format,
                                              const domain::Geography& geo) {
  Result<std::vector<RawRow>> rows = format == Format::kJson ? ReadJson(text) : ReadCsv(text);
  if (!rows.ok()) return rows.status();
  std::vector<Package> out;
  std::vector<FieldIssue> issues;
  std::set<std::string> ids;
  for (const RawRow& row : *rows) {
    std::optional<Package> p = BuildPackage(row, row.where, geo, issues);
    if (p && !ids.insert(p->id).second) {
      issues.push_back({row.where + "id", "duplicate id '" + p->id + "'", {}});
    } else if (p) {
      out.push_back(std::move(*p));
    }
  }
  if (!issues.empty()) {
    std::string first = issues.front().field + ": " + issues.front().issue;
    return InvalidArgument("catalog rejected, nothing imported (first problem: " + first + ")",
                           std::move(issues));
  }
  return out;
}

std::string_view SampleCatalogJson() { return embedded::kSampleCatalogJson; }

Catalog::Catalog(std::vector<Package> packages, const domain::Geography& geo)
    : packages_(std::move(packages)) {
  for (const auto& c : geo.countries()) {
    if (country_index_.size() < kMaxCountries) {
      country_index_.emplace(c.alpha2, static_cast<int>(country_index_.size()));
    }
  }
  by_country_.resize(country_index_.size());
  sets_.reserve(packages_.size());
  for (size_t i = 0; i < packages_.size(); ++i) {
    const Package& p = packages_[i];
    by_id_[p.id] = i;
    sets_.push_back(SetOf(p.countries));
    if (p.retired) continue;
    auto index = static_cast<uint32_t>(i);
    for (const auto& c : p.countries) {
      int ci = CountryIndex(c);
      if (ci >= 0) by_country_[static_cast<size_t>(ci)].push_back(index);
    }
    if (p.countries.size() >= 2) multi_country_.push_back(index);
  }
}

int Catalog::CountryIndex(std::string_view alpha2) const {
  auto it = country_index_.find(std::string(alpha2));
  return it == country_index_.end() ? -1 : it->second;
}

Catalog::CountrySet Catalog::SetOf(const std::vector<std::string>& alpha2) const {
  CountrySet set;
  for (const auto& c : alpha2) {
    int ci = CountryIndex(c);
    if (ci >= 0) set.set(static_cast<size_t>(ci));
  }
  return set;
}

std::span<const uint32_t> Catalog::ByCountry(int country_index) const {
  if (country_index < 0 || static_cast<size_t>(country_index) >= by_country_.size()) return {};
  return by_country_[static_cast<size_t>(country_index)];
}

const Package* Catalog::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &packages_[it->second];
}

std::vector<const Package*> Catalog::Covering(const std::vector<std::string>& countries) const {
  std::vector<const Package*> out;
  if (countries.empty()) return out;
  // Start from the country with the fewest packages, then test the whole set at once.
  std::span<const uint32_t> smallest;
  bool first = true;
  for (const auto& c : countries) {
    std::span<const uint32_t> list = ByCountry(CountryIndex(c));
    if (list.empty()) return out;
    if (first || list.size() < smallest.size()) smallest = list;
    first = false;
  }
  CountrySet want = SetOf(countries);
  for (uint32_t i : smallest) {
    if (Covers(i, want)) out.push_back(&packages_[i]);
  }
  return out;
}

}  // namespace tripsim::catalog
