// Property tests: over generated catalogs and specifications, the assignment always satisfies
// the rules of design.md 3 and 10, whatever the data.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "tripsim/strategy/assign.h"

namespace tripsim::strategy {
namespace {

using domain::Package;
using domain::PackageSpec;
using domain::PackageType;

const std::vector<std::string> kCountries = {"FR", "DE", "IT", "ES", "NL", "BE", "US", "JP"};

std::vector<Package> GenerateCatalog(std::mt19937& rng) {
  std::vector<Package> out;
  std::uniform_int_distribution<int> count(0, 6), days_pick(0, 4), size_pick(0, 5), cents(50, 3000);
  const int days[] = {1, 7, 15, 30, 90};
  const int64_t sizes[] = {512, 1024, 3072, 5120, 10240, domain::kUnlimitedMb};
  int id = 0;
  auto add = [&](std::vector<std::string> countries, std::string region) {
    int64_t size = sizes[size_pick(rng)];
    PackageType type = size == domain::kUnlimitedMb ? PackageType::kUnlimited
                       : rng() % 7 == 0             ? PackageType::kStarter
                                                    : PackageType::kDataLimited;
    std::sort(countries.begin(), countries.end());
    out.push_back({"p" + std::to_string(id++),
                   "p",
                   "sample",
                   countries,
                   std::move(region),
                   size,
                   days[days_pick(rng)],
                   type,
                   {cents(rng), rng() % 10 == 0 ? "USD" : "EUR"},
                   {9999, "EUR"},
                   false});
  };
  for (const auto& c : kCountries) {
    for (int i = count(rng); i > 0; --i) add({c}, "");
  }
  for (int i = count(rng); i > 0; --i) {
    std::vector<std::string> region;
    for (const auto& c : kCountries) {
      if (rng() % 2) region.push_back(c);
    }
    if (region.size() >= 2) add(region, "EU");
  }
  return out;
}

bool Covers(const Package& p, const std::string& c) {
  return std::binary_search(p.countries.begin(), p.countries.end(), c);
}

TEST(AssignProperties, HoldForGeneratedCatalogsAndSpecs) {
  std::mt19937 rng(20261127);
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    catalog::Catalog cat(GenerateCatalog(rng));
    PackageSpec spec;
    int n = 1 + static_cast<int>(rng() % 3);
    std::set<std::string> dest;
    while (static_cast<int>(dest.size()) < n) dest.insert(kCountries[rng() % kCountries.size()]);
    spec.destinations.assign(dest.begin(), dest.end());
    spec.destination_is_array = n > 1;
    if (rng() % 3 == 0) spec.size_mb = 1024 * (1 + static_cast<int64_t>(rng() % 4));
    if (rng() % 4 == 0) spec.package_duration = 7;
    bool budget = rng() % 2 == 0;
    int64_t target = 100 + static_cast<int64_t>(rng() % 1500);
    int64_t size = 1024 * (1 + static_cast<int64_t>(rng() % 6));
    StrategyConfig strategy =
        budget ? StrategyConfig{Budget{{target, "EUR"}, 7}} : StrategyConfig{FixedSize{size, 7}};
    TripInfo trip{rng() % 2 ? std::optional<int>(1 + static_cast<int>(rng() % 40)) : std::nullopt,
                  1};
    Result<Decision> d = Assign(cat, strategy, {}, spec, trip);
    Result<Decision> again = Assign(cat, strategy, {}, spec, trip);
    ASSERT_EQ(d.ok(), again.ok());
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), ErrorCode::kUnprocessable);
      continue;
    }
    ++checked;
    EXPECT_EQ(d->assignment, again->assignment) << "deterministic";
    ASSERT_FALSE(d->picks.empty());
    int needed = std::max(spec.package_duration.value_or(0), trip.days.value_or(7));
    for (const auto& c : spec.destinations) {
      bool covered = std::any_of(d->picks.begin(), d->picks.end(),
                                 [&](const Pick& p) { return Covers(*p.package, c); });
      EXPECT_TRUE(covered) << c << " is not covered";
    }
    for (const Pick& pick : d->picks) {
      const Package& p = *pick.package;
      EXPECT_NE(p.type, PackageType::kStarter) << "starter only when asked";
      if (spec.size_mb) {
        EXPECT_GE(p.data_mb, *spec.size_mb);
      }
      if (spec.package_duration) {
        EXPECT_GE(p.validity_days, *spec.package_duration);
      }
      if (budget) {
        EXPECT_EQ(p.cost.currency, "EUR");
      }
      // Compare with every alternative that covers the same destinations and meets the
      // explicit constraints.
      std::vector<const Package*> alternatives;
      for (const Package& q : cat.packages()) {
        bool same_cover = std::all_of(pick.destinations.begin(), pick.destinations.end(),
                                      [&](const std::string& c) { return Covers(q, c); });
        bool hard = q.type != PackageType::kStarter &&
                    (!spec.size_mb || q.data_mb >= *spec.size_mb) &&
                    (!spec.package_duration || q.validity_days >= *spec.package_duration) &&
                    (!budget || q.cost.currency == "EUR");
        if (same_cover && hard) alternatives.push_back(&q);
      }
      auto exists = [&](auto pred) {
        return std::any_of(alternatives.begin(), alternatives.end(), pred);
      };
      if (exists([&](const Package* q) { return q->validity_days >= needed; })) {
        EXPECT_GE(p.validity_days, needed) << "valid long enough when possible";
      }
      if (budget && exists([&](const Package* q) {
            return q->validity_days >= needed && q->cost.minor <= target;
          })) {
        EXPECT_LE(p.cost.minor, target) << "within budget when possible";
      }
      if (!budget && exists([&](const Package* q) {
            return q->validity_days >= needed && q->data_mb >= size;
          })) {
        EXPECT_GE(p.data_mb, size) << "large enough when possible";
      }
    }
  }
  EXPECT_GT(checked, 100);  // the generator must produce mostly satisfiable cases
}

}  // namespace
}  // namespace tripsim::strategy
