#include "tripsim/strategy/assign.h"

#include <algorithm>
#include <bit>
#include <map>
#include <set>

#include "tripsim/domain/geography.h"

namespace tripsim::strategy {
namespace {

using domain::Package;
using domain::PackageType;

Status Unprocessable(std::string m) { return {ErrorCode::kUnprocessable, std::move(m)}; }
Status Forbidden(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }

std::string Join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

int MinDays(const Simple& s) {
  return std::visit([](const auto& k) { return k.min_days; }, s);
}

// Whether the partner may be assigned packages of this type at all.
bool TypePermitted(const Policy& policy, PackageType t, const std::optional<PackageType>& asked) {
  if (!policy.package_types.empty()) {
    return std::find(policy.package_types.begin(), policy.package_types.end(), t) !=
           policy.package_types.end();
  }
  return t != PackageType::kStarter || asked == PackageType::kStarter;
}

bool AllAllowed(const Policy& policy, const std::vector<std::string>& countries) {
  if (policy.allow_list.empty()) return true;
  return std::all_of(countries.begin(), countries.end(), [&](const std::string& c) {
    return std::find(policy.allow_list.begin(), policy.allow_list.end(), c) !=
           policy.allow_list.end();
  });
}

// True when a package passes the strategy's own test (within budget, large enough).
bool PassesTest(const Simple& s, const Package& p) {
  if (const auto* b = std::get_if<Budget>(&s)) {
    return p.cost.currency == b->target_cost.currency && p.cost.minor <= b->target_cost.minor;
  }
  return p.data_mb >= std::get<FixedSize>(s).size_mb;
}

// "5GB / 30 days at 6.69 EUR": the facts a reason needs.
std::string Describe(const Package& p) {
  return domain::FormatDataSize(p.data_mb) + " / " + std::to_string(p.validity_days) +
         " days at " + domain::FormatMoney(p.cost);
}

// Chooses among `c` (non-empty, all valid long enough or all of the longest validity).
std::pair<const Package*, std::string> Choose(const Simple& s, std::vector<const Package*> c,
                                              std::optional<int64_t> spec_size) {
  auto longer_then_id = [](const Package* a, const Package* b) {
    if (a->validity_days != b->validity_days) return a->validity_days > b->validity_days;
    return a->id < b->id;
  };
  if (const auto* b = std::get_if<Budget>(&s)) {
    std::string target = domain::FormatMoney(b->target_cost);
    std::vector<const Package*> within;
    for (const Package* p : c) {
      if (PassesTest(s, *p)) within.push_back(p);
    }
    if (!within.empty()) {
      auto best = *std::min_element(within.begin(), within.end(), [&](auto* x, auto* y) {
        if (x->data_mb != y->data_mb) return x->data_mb > y->data_mb;
        if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
        return longer_then_id(x, y);
      });
      return {best, "largest package within " + target + ": " + Describe(*best)};
    }
    auto best = *std::min_element(c.begin(), c.end(), [&](auto* x, auto* y) {
      if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
      if (x->data_mb != y->data_mb) return x->data_mb > y->data_mb;
      return longer_then_id(x, y);
    });
    return {best, "over budget: no package within " + target + ", cheapest is " + Describe(*best)};
  }
  int64_t size = std::max(std::get<FixedSize>(s).size_mb, spec_size.value_or(0));
  std::string wanted = domain::FormatDataSize(size);
  auto smallest_cheapest = [&](auto* x, auto* y) {
    if (x->data_mb != y->data_mb) return x->data_mb < y->data_mb;
    if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
    return longer_then_id(x, y);
  };
  std::vector<const Package*> large;
  for (const Package* p : c) {
    if (p->data_mb >= size) large.push_back(p);
  }
  if (!large.empty()) {
    const Package* best = *std::min_element(large.begin(), large.end(), smallest_cheapest);
    return {best, "smallest package with at least " + wanted + ": " + Describe(*best)};
  }
  int64_t largest = 0;
  for (const Package* p : c) largest = std::max(largest, p->data_mb);
  std::vector<const Package*> top;
  for (const Package* p : c) {
    if (p->data_mb == largest) top.push_back(p);
  }
  return {*std::min_element(top.begin(), top.end(), smallest_cheapest),
          "no package has " + wanted + ", largest available is " + domain::FormatDataSize(largest)};
}

// Keeps the packages valid at least `needed` days, or else those of the longest validity.
// Returns a note for the reason when it had to fall back.
std::string KeepValidLongEnough(std::vector<const Package*>& c, int needed) {
  std::vector<const Package*> ok;
  int longest = 0;
  for (const Package* p : c) {
    if (p->validity_days >= needed) ok.push_back(p);
    longest = std::max(longest, p->validity_days);
  }
  if (!ok.empty()) {
    c = std::move(ok);
    return "";
  }
  std::erase_if(c, [&](const Package* p) { return p->validity_days != longest; });
  return "no package is valid " + std::to_string(needed) + " days, longest is " +
         std::to_string(longest) + " days; ";
}

bool Matches(const When& w, const std::vector<std::string>& countries, const TripInfo& trip,
             const domain::PackageSpec& spec) {
  const auto& geo = domain::Geography::Builtin();
  auto listed = [](const std::vector<std::string>& list, const std::string& c) {
    return std::find(list.begin(), list.end(), c) != list.end();
  };
  if (!w.countries.empty() || !w.regions.empty()) {
    if (countries.empty()) return false;
    for (const auto& c : countries) {
      bool in_region = std::any_of(w.regions.begin(), w.regions.end(), [&](const std::string& r) {
        auto members = geo.Expand(r);
        return members && std::binary_search(members->begin(), members->end(), c);
      });
      if (!listed(w.countries, c) && !in_region) return false;
    }
  }
  if ((w.min_trip_days || w.max_trip_days) && !trip.days) return false;
  if (w.min_trip_days && *trip.days < *w.min_trip_days) return false;
  if (w.max_trip_days && *trip.days > *w.max_trip_days) return false;
  if (w.min_pax && trip.pax < *w.min_pax) return false;
  if (w.max_pax && trip.pax > *w.max_pax) return false;
  if (w.package_type && spec.package_type != w.package_type) return false;
  return true;
}

// The simple strategy that applies, and the prefix of the reason that says why.
std::pair<Simple, std::string> Resolve(const StrategyConfig& s,
                                       const std::vector<std::string>& countries,
                                       const TripInfo& trip, const domain::PackageSpec& spec) {
  if (const auto* b = std::get_if<Budget>(&s.kind)) return {*b, ""};
  if (const auto* f = std::get_if<FixedSize>(&s.kind)) return {*f, ""};
  const Hybrid& h = std::get<Hybrid>(s.kind);
  for (size_t i = 0; i < h.rules.size(); ++i) {
    if (Matches(h.rules[i].when, countries, trip, spec)) {
      return {h.rules[i].use, "rule " + std::to_string(i + 1) + " (" +
                                  std::string(StrategyName(h.rules[i].use)) + "): "};
    }
  }
  return {h.fallback, "default (" + std::string(StrategyName(h.fallback)) + "): "};
}

struct Option {
  uint64_t mask = 0;
  const Package* package = nullptr;
  std::string reason;
};

// Fewest packages, then lowest total cost, covering every bit of `full`.
std::vector<const Option*> Cover(const std::vector<Option>& options, size_t n) {
  const uint64_t full = n == 64 ? ~0ULL : (1ULL << n) - 1;
  if (n <= 16) {
    struct Best {
      int count = 1 << 30;
      int64_t cost = 0;
      int prev = -1;
      int option = -1;
    };
    std::vector<Best> best(full + 1);
    best[0].count = 0;
    for (uint64_t m = 0; m <= full; ++m) {
      if (best[m].count == 1 << 30) continue;
      for (size_t i = 0; i < options.size(); ++i) {
        uint64_t next = m | options[i].mask;
        if (next == m) continue;
        int count = best[m].count + 1;
        int64_t cost = best[m].cost + options[i].package->cost.minor;
        Best& b = best[next];
        if (count < b.count || (count == b.count && cost < b.cost)) {
          b = {count, cost, static_cast<int>(m), static_cast<int>(i)};
        }
      }
    }
    std::vector<const Option*> out;
    if (best[full].count == 1 << 30) return out;
    for (uint64_t m = full; m != 0; m = static_cast<uint64_t>(best[m].prev)) {
      out.push_back(&options[static_cast<size_t>(best[m].option)]);
    }
    std::reverse(out.begin(), out.end());
    return out;
  }
  std::vector<const Option*> out;
  uint64_t covered = 0;
  while (covered != full) {
    const Option* pick = nullptr;
    int gain = 0;
    for (const Option& o : options) {
      int g = std::popcount(o.mask & ~covered);
      if (g > gain || (g == gain && g > 0 && o.package->cost.minor < pick->package->cost.minor)) {
        pick = &o;
        gain = g;
      }
    }
    if (pick == nullptr) return {};
    out.push_back(pick);
    covered |= pick->mask;
  }
  return out;
}

}  // namespace

Result<Decision> Assign(const catalog::Catalog& catalog, const StrategyConfig& strategy,
                        const Policy& policy, const domain::PackageSpec& spec,
                        const TripInfo& trip) {
  const auto& geo = domain::Geography::Builtin();
  Decision d;
  if (spec.package_type && !TypePermitted(policy, *spec.package_type, spec.package_type)) {
    return Forbidden("package_type " + std::string(domain::PackageTypeName(*spec.package_type)) +
                     " is not permitted for this partner");
  }
  if (spec.package_id) {
    const Package* p = catalog.Find(*spec.package_id);
    if (p == nullptr || p->retired) return Unprocessable("unknown package_id " + *spec.package_id);
    if (!TypePermitted(policy, p->type, p->type) || !AllAllowed(policy, p->countries)) {
      return Unprocessable("package_id " + *spec.package_id + " is not permitted for this partner");
    }
    d.picks.push_back({p, spec.destinations});
    d.assignment = {"package_id", "package_id requested"};
    return d;
  }
  d.assignment.strategy = std::string(StrategyName(strategy));
  if (spec.destinations.empty()) {
    d.assignment.reason = "destinationless: chosen by the traveller at redemption";
    return d;
  }

  // Each requested destination stands for one or more countries.
  std::vector<std::vector<std::string>> elements;
  std::set<std::string> all_countries;
  for (const auto& dest : spec.destinations) {
    std::vector<std::string> members = *geo.Expand(dest);
    if (!AllAllowed(policy, members)) {
      return Forbidden("destination " + dest + " is not allowed for this partner");
    }
    all_countries.insert(members.begin(), members.end());
    elements.push_back(std::move(members));
  }
  std::vector<std::string> countries(all_countries.begin(), all_countries.end());
  auto [simple, prefix] = Resolve(strategy, countries, trip, spec);
  int needed = std::max(spec.package_duration.value_or(0), trip.days.value_or(MinDays(simple)));

  auto hard_filter = [&](const Package* p) {
    return TypePermitted(policy, p->type, spec.package_type) &&
           (!spec.package_type || p->type == *spec.package_type) &&
           (!spec.size_mb || p->data_mb >= *spec.size_mb) &&
           (!spec.package_duration || p->validity_days >= *spec.package_duration) &&
           (!std::holds_alternative<Budget>(simple) ||
            p->cost.currency == std::get<Budget>(simple).target_cost.currency);
  };
  auto candidates_for = [&](const std::vector<std::string>& element) {
    std::vector<const Package*> c = catalog.Covering(element);
    std::erase_if(c, [&](const Package* p) { return !hard_filter(p); });
    return c;
  };

  if (elements.size() == 1) {
    std::vector<const Package*> c = candidates_for(elements[0]);
    if (c.empty()) {
      return Unprocessable("no package satisfies the specification for " + spec.destinations[0]);
    }
    std::string note = KeepValidLongEnough(c, needed);
    auto [p, why] = Choose(simple, std::move(c), spec.size_mb);
    d.picks.push_back({p, spec.destinations});
    d.assignment.reason = prefix + note + why;
    return d;
  }

  // Several destinations: one option per single destination (with the strategy's fallbacks),
  // plus multi-destination packages that pass the strategy's own test; then the cheapest of
  // the smallest covers.
  std::vector<Option> options;
  std::map<const Package*, uint64_t> masks;
  for (size_t i = 0; i < elements.size(); ++i) {
    std::vector<const Package*> c = candidates_for(elements[i]);
    if (c.empty()) {
      return Unprocessable("no package satisfies the specification for " + spec.destinations[i]);
    }
    for (const Package* p : c) masks[p] |= 1ULL << i;
    std::string note = KeepValidLongEnough(c, needed);
    auto [p, why] = Choose(simple, std::move(c), spec.size_mb);
    options.push_back({1ULL << i, p, note + why});
  }
  std::map<uint64_t, std::vector<const Package*>> groups;
  for (const auto& [p, mask] : masks) {
    if (std::popcount(mask) >= 2 && p->validity_days >= needed && PassesTest(simple, *p)) {
      groups[mask].push_back(p);
    }
  }
  for (auto& [mask, c] : groups) {
    auto [p, why] = Choose(simple, std::move(c), spec.size_mb);
    options.push_back({mask, p, why});
  }
  std::vector<const Option*> cover = Cover(options, elements.size());
  std::vector<std::string> reasons;
  for (const Option* o : cover) {
    Pick pick{o->package, {}};
    for (size_t i = 0; i < elements.size(); ++i) {
      if (o->mask & (1ULL << i)) pick.destinations.push_back(spec.destinations[i]);
    }
    reasons.push_back(Join(pick.destinations, "+") + ": " + o->reason);
    d.picks.push_back(std::move(pick));
  }
  d.assignment.reason = prefix + std::to_string(cover.size()) + " package" +
                        (cover.size() == 1 ? "" : "s") + " for " + std::to_string(elements.size()) +
                        " destinations; " + Join(reasons, "; ");
  return d;
}

}  // namespace tripsim::strategy
