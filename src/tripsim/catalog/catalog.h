// The package catalog: reading catalog files (JSON or CSV, design.md section 3) and an
// immutable, indexed snapshot of the packages for assignment.
//
//   Result<std::vector<domain::Package>> pkgs = catalog::ParseCatalogFile(text, Format::kJson);
//   auto cat = std::make_shared<const catalog::Catalog>(std::move(*pkgs));
//   for (const domain::Package* p : cat->Covering({"FR", "DE"})) ...
#pragma once

#include <bitset>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/geography.h"
#include "tripsim/domain/package.h"

namespace tripsim::catalog {

enum class Format { kJson, kCsv };

// Parses and validates a whole catalog file. On any bad row nothing is returned, and the
// Status (kInvalidArgument) names the row and the field of every problem
// ("packages[3].cost" for JSON, "row 4 cost" for CSV, counting the header as row 1).
Result<std::vector<domain::Package>> ParseCatalogFile(
    std::string_view text, Format format,
    const domain::Geography& geo = domain::Geography::Builtin());

// The sample catalog compiled into the binary (SAMPLE DATA; see scripts/gen_sample_catalog.py).
std::string_view SampleCatalogJson();

// An immutable snapshot of the catalog, indexed for assignment: packages by country, and each
// package's countries as a bitset over the country table, so that coverage tests are a few
// word operations. Thread-safe (const).
class Catalog {
 public:
  static constexpr size_t kMaxCountries = 256;  // ISO 3166-1 has 249
  using CountrySet = std::bitset<kMaxCountries>;

  explicit Catalog(std::vector<domain::Package> packages,
                   const domain::Geography& geo = domain::Geography::Builtin());

  const domain::Package* Find(std::string_view id) const;
  // Packages (not retired) whose countries contain every one of `countries` (alpha-2).
  std::vector<const domain::Package*> Covering(const std::vector<std::string>& countries) const;
  const std::vector<domain::Package>& packages() const { return packages_; }

  // The position of an alpha-2 code in the country table, or -1.
  int CountryIndex(std::string_view alpha2) const;
  // The set of the given alpha-2 codes (unknown codes are left out).
  CountrySet SetOf(const std::vector<std::string>& alpha2) const;
  // Live packages that cover the country at `country_index`, by position in packages().
  std::span<const uint32_t> ByCountry(int country_index) const;
  // Live packages covering two or more countries (regional and global ones).
  std::span<const uint32_t> MultiCountry() const { return multi_country_; }
  // True when package `i` covers every country of `set`.
  bool Covers(uint32_t i, const CountrySet& set) const { return (set & ~sets_[i]).none(); }

 private:
  std::vector<domain::Package> packages_;
  std::vector<CountrySet> sets_;  // parallel to packages_
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, int> country_index_;
  std::vector<std::vector<uint32_t>> by_country_;  // by country index
  std::vector<uint32_t> multi_country_;
};

}  // namespace tripsim::catalog
