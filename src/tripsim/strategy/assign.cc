#include "tripsim/strategy/assign.h"

#include <algorithm>
#include <bit>
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
  return domain::FormatDataSize(p.data_mb) + " / " + std::to_string(p.validity_days) + " days at " +
         domain::FormatMoney(p.cost);
}

// The best of the packages in `c` that satisfy `pred`, by `less`; nullptr when none does.
template <typename Pred, typename Less>
const Package* Best(const std::vector<const Package*>& c, Pred pred, Less less) {
  const Package* best = nullptr;
  for (const Package* p : c) {
    if (pred(p) && (best == nullptr || less(p, best))) best = p;
  }
  return best;
}

// The tie-breaks every strategy ends with: longer validity, then id.
bool LongerThenId(const Package* a, const Package* b) {
  if (a->validity_days != b->validity_days) return a->validity_days > b->validity_days;
  return a->id < b->id;
}

// Chooses among `c` (non-empty, all valid long enough or all of the longest validity).
std::pair<const Package*, std::string> Choose(const Simple& s, const std::vector<const Package*>& c,
                                              std::optional<int64_t> spec_size) {
  auto any = [](const Package*) { return true; };
  if (const auto* b = std::get_if<Budget>(&s)) {
    const Package* best = Best(
        c, [&](const Package* p) { return PassesTest(s, *p); },
        [](const Package* x, const Package* y) {
          if (x->data_mb != y->data_mb) return x->data_mb > y->data_mb;
          if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
          return LongerThenId(x, y);
        });
    std::string target = domain::FormatMoney(b->target_cost);
    if (best != nullptr) return {best, "largest package within " + target + ": " + Describe(*best)};
    best = Best(c, any, [](const Package* x, const Package* y) {
      if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
      if (x->data_mb != y->data_mb) return x->data_mb > y->data_mb;
      return LongerThenId(x, y);
    });
    return {best, "over budget: no package within " + target + ", cheapest is " + Describe(*best)};
  }
  int64_t size = std::max(std::get<FixedSize>(s).size_mb, spec_size.value_or(0));
  const Package* best = Best(
      c, [&](const Package* p) { return p->data_mb >= size; },
      [](const Package* x, const Package* y) {
        if (x->data_mb != y->data_mb) return x->data_mb < y->data_mb;
        if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
        return LongerThenId(x, y);
      });
  std::string wanted = domain::FormatDataSize(size);
  if (best != nullptr) {
    return {best, "smallest package with at least " + wanted + ": " + Describe(*best)};
  }
  best = Best(c, any, [](const Package* x, const Package* y) {
    if (x->data_mb != y->data_mb) return x->data_mb > y->data_mb;
    if (x->cost.minor != y->cost.minor) return x->cost.minor < y->cost.minor;
    return LongerThenId(x, y);
  });
  return {best, "no package has " + wanted + ", largest available is " + Describe(*best)};
}

// Keeps the packages valid at least `needed` days, or else those of the longest validity.
// Returns a note for the reason when it had to fall back.
std::string KeepValidLongEnough(std::vector<const Package*>& c, int needed) {
  int longest = 0;
  for (const Package* p : c) longest = std::max(longest, p->validity_days);
  if (longest >= needed) {
    std::erase_if(c, [&](const Package* p) { return p->validity_days < needed; });
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
  struct Element {
    std::vector<std::string> countries;
    catalog::Catalog::CountrySet set;
    int first_country = -1;  // the index of one member, to start the candidate search from
  };
  std::vector<Element> elements;
  for (const auto& dest : spec.destinations) {
    std::vector<std::string> members = *geo.Expand(dest);
    if (!AllAllowed(policy, members)) {
      return Forbidden("destination " + dest + " is not allowed for this partner");
    }
    Element e{{}, catalog.SetOf(members), -1};
    size_t fewest = SIZE_MAX;
    for (const auto& c : members) {
      int ci = catalog.CountryIndex(c);
      if (catalog.ByCountry(ci).size() < fewest) {
        fewest = catalog.ByCountry(ci).size();
        e.first_country = ci;
      }
    }
    e.countries = std::move(members);
    elements.push_back(std::move(e));
  }
  std::vector<std::string> countries;
  if (std::holds_alternative<Hybrid>(strategy.kind)) {
    std::set<std::string> all;
    for (const auto& e : elements) all.insert(e.countries.begin(), e.countries.end());
    countries.assign(all.begin(), all.end());
  }
  auto [simple, prefix] = Resolve(strategy, countries, trip, spec);
  int needed = std::max(spec.package_duration.value_or(0), trip.days.value_or(MinDays(simple)));
  const std::optional<std::string> currency =
      std::holds_alternative<Budget>(simple)
          ? std::optional<std::string>(std::get<Budget>(simple).target_cost.currency)
          : std::nullopt;

  auto hard_filter = [&](const Package& p) {
    return TypePermitted(policy, p.type, spec.package_type) &&
           (!spec.package_type || p.type == *spec.package_type) &&
           (!spec.size_mb || p.data_mb >= *spec.size_mb) &&
           (!spec.package_duration || p.validity_days >= *spec.package_duration) &&
           (!currency || p.cost.currency == *currency);
  };
  auto candidates_for = [&](const Element& e) {
    std::span<const uint32_t> listed = catalog.ByCountry(e.first_country);
    std::vector<const Package*> c;
    c.reserve(listed.size());
    // Every package listed under a country covers it: only a region needs the set test.
    const bool one_country = e.countries.size() == 1;
    for (uint32_t i : listed) {
      const Package& p = catalog.packages()[i];
      if ((one_country || catalog.Covers(i, e.set)) && hard_filter(p)) c.push_back(&p);
    }
    return c;
  };

  // The best choice for one destination alone, with the strategy's fallbacks.
  std::vector<Option> options;
  for (size_t i = 0; i < elements.size(); ++i) {
    std::vector<const Package*> c = candidates_for(elements[i]);
    if (c.empty()) {
      return Unprocessable("no package satisfies the specification for " + spec.destinations[i]);
    }
    std::string note = KeepValidLongEnough(c, needed);
    auto [p, why] = Choose(simple, c, spec.size_mb);
    options.push_back({1ULL << i, p, note + why});
  }
  if (elements.size() == 1) {
    d.picks.push_back({options[0].package, spec.destinations});
    d.assignment.reason = prefix + options[0].reason;
    return d;
  }

  // Several destinations: packages covering two or more of them, when they pass the
  // strategy's own test, grouped by what they cover; then the cheapest of the smallest covers.
  std::vector<std::pair<uint64_t, std::vector<const Package*>>> groups;
  for (uint32_t i : catalog.MultiCountry()) {
    const Package& p = catalog.packages()[i];
    uint64_t mask = 0;
    for (size_t e = 0; e < elements.size(); ++e) {
      if (catalog.Covers(i, elements[e].set)) mask |= 1ULL << e;
    }
    if (std::popcount(mask) < 2 || p.validity_days < needed || !hard_filter(p) ||
        !PassesTest(simple, p)) {
      continue;
    }
    auto g =
        std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == mask; });
    if (g == groups.end()) {
      groups.push_back({mask, {&p}});
    } else {
      g->second.push_back(&p);
    }
  }
  for (auto& [mask, c] : groups) {
    auto [p, why] = Choose(simple, c, spec.size_mb);
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
