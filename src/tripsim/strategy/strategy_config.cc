#include "tripsim/strategy/strategy_config.h"

#include <boost/json.hpp>

#include "tripsim/domain/geography.h"

namespace tripsim::strategy {
namespace json = boost::json;

namespace {

class Parser {
 public:
  void Add(std::string field, std::string issue) {
    issues_.push_back({std::move(field), std::move(issue), {}});
  }
  std::vector<FieldIssue>& issues() { return issues_; }

  int MinDays(const json::object& o, const std::string& path) {
    const json::value* v = o.if_contains("min_days");
    if (v == nullptr || v->is_null()) return kDefaultMinDays;
    if (!v->is_int64() || v->get_int64() < 1 || v->get_int64() > 3650) {
      Add(path + "min_days", "must be an integer from 1 to 3650");
      return kDefaultMinDays;
    }
    return static_cast<int>(v->get_int64());
  }

  std::optional<Simple> ParseSimple(const json::value& v, const std::string& path) {
    if (!v.is_object()) {
      Add(path.empty() ? "strategy" : path.substr(0, path.size() - 1), "must be an object");
      return std::nullopt;
    }
    const json::object& o = v.get_object();
    const json::value* name = o.if_contains("name");
    std::string_view n;
    if (name != nullptr && name->is_string()) n = name->get_string();
    if (n == "budget") {
      Budget b;
      const json::value* t = o.if_contains("target_cost");
      std::optional<domain::Money> m =
          t != nullptr && t->is_string() ? domain::ParseMoney(t->get_string()) : std::nullopt;
      if (!m) Add(path + "target_cost", "is required: an amount such as \"8.00 EUR\"");
      b.target_cost = m.value_or(domain::Money{});
      b.min_days = MinDays(o, path);
      return b;
    }
    if (n == "fixed_size") {
      FixedSize f;
      const json::value* s = o.if_contains("size");
      std::optional<int64_t> mb = s != nullptr && s->is_string()
                                      ? domain::ParseDataSize(s->get_string(), true)
                                      : std::nullopt;
      if (!mb) Add(path + "size", "is required: a size such as \"5GB\" or \"500MB\"");
      f.size_mb = mb.value_or(0);
      f.min_days = MinDays(o, path);
      return f;
    }
    Add(path + "name",
        path.empty() ? "must be budget, fixed_size or hybrid" : "must be budget or fixed_size");
    return std::nullopt;
  }

  std::vector<std::string> Codes(const json::value* v, const std::string& path, bool regions) {
    std::vector<std::string> out;
    if (v == nullptr) return out;
    if (!v->is_array() || v->get_array().empty()) {
      Add(path, "must be a non-empty array of codes");
      return out;
    }
    const auto& geo = domain::Geography::Builtin();
    for (const auto& c : v->get_array()) {
      std::string_view code = c.is_string() ? std::string_view(c.get_string()) : "";
      std::optional<std::string> canon =
          regions ? (geo.IsRegion(code) ? geo.Canonical(code) : std::nullopt)
                  : (geo.FindCountry(code) ? geo.Canonical(code) : std::nullopt);
      if (!canon) {
        Add(path, std::string("unknown ") + (regions ? "region" : "country") + " code '" +
                      std::string(code) + "'");
      } else {
        out.push_back(*canon);
      }
    }
    return out;
  }

  std::optional<int> Int(const json::object& o, std::string_view key, const std::string& path) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_int64() || v->get_int64() < 0 || v->get_int64() > 100000) {
      Add(path + std::string(key), "must be a non-negative integer");
      return std::nullopt;
    }
    return static_cast<int>(v->get_int64());
  }

  When ParseWhen(const json::value* v, const std::string& path) {
    When w;
    if (v == nullptr || !v->is_object()) {
      Add(path.substr(0, path.size() - 1), "is required: an object of conditions");
      return w;
    }
    const json::object& o = v->get_object();
    static constexpr std::string_view kKnown[] = {"countries",     "regions",     "min_trip_days",
                                                  "max_trip_days", "min_pax",     "max_pax",
                                                  "pax",           "package_type"};
    for (const auto& kv : o) {
      if (std::find(std::begin(kKnown), std::end(kKnown), kv.key()) == std::end(kKnown)) {
        Add(path + std::string(kv.key()),
            "is not a known condition (countries, regions, min_trip_days, max_trip_days, "
            "min_pax, max_pax, pax, package_type)");
      }
    }
    w.countries = Codes(o.if_contains("countries"), path + "countries", false);
    w.regions = Codes(o.if_contains("regions"), path + "regions", true);
    w.min_trip_days = Int(o, "min_trip_days", path);
    w.max_trip_days = Int(o, "max_trip_days", path);
    w.min_pax = Int(o, "min_pax", path);
    w.max_pax = Int(o, "max_pax", path);
    // "pax": N is a party of exactly N travellers.
    if (std::optional<int> pax = Int(o, "pax", path)) {
      if (w.min_pax || w.max_pax) Add(path + "pax", "cannot be given with min_pax or max_pax");
      w.min_pax = w.max_pax = pax;
    }
    if (const json::value* t = o.if_contains("package_type"); t != nullptr && !t->is_null()) {
      w.package_type = t->is_string() ? domain::ParsePackageType(t->get_string()) : std::nullopt;
      if (!w.package_type) Add(path + "package_type", "must be data-limited, unlimited or starter");
    }
    return w;
  }

 private:
  std::vector<FieldIssue> issues_;
};

}  // namespace

StrategyConfig DefaultStrategy() { return {FixedSize{1024, kDefaultMinDays}}; }

Result<StrategyConfig> ParseStrategy(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return InvalidArgument("strategy is not valid JSON: " + ec.message());
  Parser p;
  StrategyConfig out;
  const json::value* name = v.is_object() ? v.get_object().if_contains("name") : nullptr;
  if (name != nullptr && name->is_string() && name->get_string() == "hybrid") {
    const json::object& o = v.get_object();
    Hybrid h;
    const json::value* rules = o.if_contains("rules");
    if (rules == nullptr || !rules->is_array()) {
      p.Add("rules", "is required: an array of {when, use}");
    } else {
      for (size_t i = 0; i < rules->get_array().size(); ++i) {
        std::string path = "rules[" + std::to_string(i) + "].";
        const json::value& r = rules->get_array()[i];
        if (!r.is_object()) {
          p.Add(path.substr(0, path.size() - 1), "must be an object {when, use}");
          continue;
        }
        When w = p.ParseWhen(r.get_object().if_contains("when"), path + "when.");
        const json::value* use = r.get_object().if_contains("use");
        std::optional<Simple> s = use ? p.ParseSimple(*use, path + "use.") : std::nullopt;
        if (use == nullptr) p.Add(path + "use", "is required");
        if (s) h.rules.push_back({std::move(w), *s});
      }
    }
    const json::value* def = o.if_contains("default");
    std::optional<Simple> d = def ? p.ParseSimple(*def, "default.") : std::nullopt;
    if (def == nullptr) p.Add("default", "is required");
    if (d) h.fallback = *d;
    out.kind = std::move(h);
  } else {
    std::optional<Simple> s = p.ParseSimple(v, "");
    if (s) std::visit([&](const auto& k) { out.kind = k; }, *s);
  }
  if (!p.issues().empty()) return InvalidArgument("Invalid strategy", std::move(p.issues()));
  return out;
}

std::string_view StrategyName(const Simple& s) {
  return std::holds_alternative<Budget>(s) ? "budget" : "fixed_size";
}

std::string_view StrategyName(const StrategyConfig& s) {
  if (std::holds_alternative<Hybrid>(s.kind)) return "hybrid";
  return std::holds_alternative<Budget>(s.kind) ? "budget" : "fixed_size";
}

}  // namespace tripsim::strategy
