// A partner's package strategy (design.md section 3): budget, fixed_size or hybrid, parsed from
// and written back to its JSON form.
//
//   Result<StrategyConfig> s = ParseStrategy(R"({"name": "budget", "target_cost": "8.00 EUR"})");
//   if (!s.ok()) for (auto& d : s.status().details()) std::cerr << d.field << ": " << d.issue;
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/package.h"

namespace tripsim::strategy {

inline constexpr int kDefaultMinDays = 7;

// Among packages valid long enough: the most data costing at most target_cost.
struct Budget {
  domain::Money target_cost;
  int min_days = kDefaultMinDays;
};

// The smallest package with at least `size_mb`.
struct FixedSize {
  int64_t size_mb = 1024;
  int min_days = kDefaultMinDays;
};

using Simple = std::variant<Budget, FixedSize>;

// A condition of a hybrid rule; every present test must hold.
struct When {
  std::vector<std::string> countries;  // alpha-2: every destination country is listed
  std::vector<std::string> regions;    // every destination country is in one of them
  std::optional<int> min_trip_days;    // fails when the trip length is unknown
  std::optional<int> max_trip_days;
  std::optional<int> min_pax;
  std::optional<int> max_pax;
  std::optional<domain::PackageType> package_type;
};

struct Rule {
  When when;
  Simple use;
};

struct Hybrid {
  std::vector<Rule> rules;
  Simple fallback;  // "default"
};

struct StrategyConfig {
  std::variant<Budget, FixedSize, Hybrid> kind;
};

// The default of a partner created without one: fixed_size 1GB, min_days 7 (design.md 10).
StrategyConfig DefaultStrategy();
inline constexpr std::string_view kDefaultStrategyJson =
    R"({"name":"fixed_size","size":"1GB","min_days":7})";

// Validates a strategy; on failure the Status names every problem ("rules[1].use.size").
Result<StrategyConfig> ParseStrategy(std::string_view json);

std::string_view StrategyName(const Simple& s);
std::string_view StrategyName(const StrategyConfig& s);

}  // namespace tripsim::strategy
