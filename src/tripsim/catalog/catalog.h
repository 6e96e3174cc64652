// The package catalog: reading catalog files (JSON or CSV, design.md section 3) and an
// immutable, indexed snapshot of the packages for assignment.
//
//   Result<std::vector<domain::Package>> pkgs = catalog::ParseCatalogFile(text, Format::kJson);
//   auto cat = std::make_shared<const catalog::Catalog>(std::move(*pkgs));
//   for (const domain::Package* p : cat->Covering({"FR", "DE"})) ...
#pragma once

#include <memory>
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

// An immutable snapshot of the catalog. Thread-safe (const).
class Catalog {
 public:
  explicit Catalog(std::vector<domain::Package> packages);

  const domain::Package* Find(std::string_view id) const;
  // Packages (not retired) whose countries contain every one of `countries` (alpha-2).
  std::vector<const domain::Package*> Covering(const std::vector<std::string>& countries) const;
  const std::vector<domain::Package>& packages() const { return packages_; }

 private:
  std::vector<domain::Package> packages_;
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, std::vector<size_t>> by_country_;
};

}  // namespace tripsim::catalog
