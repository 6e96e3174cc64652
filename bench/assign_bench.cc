// Assignment speed on a catalog of more than 20,000 packages: the sample catalog, nine times
// over with different providers and costs, as a large distributor's catalog would be.
#include <benchmark/benchmark.h>

#include "tripsim/catalog/catalog.h"
#include "tripsim/strategy/assign.h"

namespace tripsim {
namespace {

const catalog::Catalog& BigCatalog() {
  static const catalog::Catalog cat = [] {
    auto sample = catalog::ParseCatalogFile(catalog::SampleCatalogJson(), catalog::Format::kJson);
    std::vector<domain::Package> all;
    for (int provider = 0; provider < 9; ++provider) {
      for (domain::Package p : *sample) {
        p.id += "-p" + std::to_string(provider);
        p.provider = "provider" + std::to_string(provider);
        p.cost.minor += provider * 7 % 23;
        all.push_back(std::move(p));
      }
    }
    return catalog::Catalog(std::move(all));
  }();
  return cat;
}

domain::PackageSpec Spec(std::vector<std::string> destinations) {
  domain::PackageSpec s;
  s.destination_is_array = destinations.size() > 1;
  s.destinations = std::move(destinations);
  return s;
}

void Run(benchmark::State& state, const std::string& strategy_json,
         const domain::PackageSpec& spec) {
  const catalog::Catalog& cat = BigCatalog();
  strategy::StrategyConfig strategy = strategy::ParseStrategy(strategy_json).value();
  strategy::TripInfo trip{10, 1};
  for (auto _ : state) {
    auto d = strategy::Assign(cat, strategy, {}, spec, trip);
    benchmark::DoNotOptimize(d);
  }
  state.counters["catalog_packages"] = static_cast<double>(cat.packages().size());
}

void BM_AssignOneDestinationFixedSize(benchmark::State& state) {
  Run(state, R"({"name":"fixed_size","size":"5GB","min_days":7})", Spec({"FR"}));
}
void BM_AssignOneDestinationBudget(benchmark::State& state) {
  Run(state, R"({"name":"budget","target_cost":"8.00 EUR","min_days":7})", Spec({"JP"}));
}
void BM_AssignFiveDestinations(benchmark::State& state) {
  Run(state, R"({"name":"fixed_size","size":"5GB","min_days":7})",
      Spec({"FR", "DE", "IT", "ES", "NL"}));
}
void BM_AssignFiveDestinationsBudget(benchmark::State& state) {
  Run(state, R"({"name":"budget","target_cost":"8.00 EUR","min_days":7})",
      Spec({"FR", "DE", "IT", "ES", "NL"}));
}

BENCHMARK(BM_AssignOneDestinationFixedSize);
BENCHMARK(BM_AssignOneDestinationBudget);
BENCHMARK(BM_AssignFiveDestinations);
BENCHMARK(BM_AssignFiveDestinationsBudget);

}  // namespace
}  // namespace tripsim

BENCHMARK_MAIN();
