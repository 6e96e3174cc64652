// libFuzzer target: catalog imports (JSON and CSV) never crash; an accepted file's packages
// are valid and indexable.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tripsim/catalog/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tripsim;
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto format = data[0] % 2 ? catalog::Format::kCsv : catalog::Format::kJson;
  auto packages = catalog::ParseCatalogFile(text, format);
  if (packages.ok()) {
    for (const auto& p : *packages) {
      TRIPSIM_CHECK(!p.id.empty() && !p.countries.empty() && p.validity_days >= 1);
    }
    catalog::Catalog cat(std::move(*packages));
    for (const auto& p : cat.packages()) TRIPSIM_CHECK(cat.Find(p.id) != nullptr);
  }
  return 0;
}
