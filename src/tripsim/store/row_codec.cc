#include "tripsim/store/row_codec.h"

#include <boost/json.hpp>

#include "tripsim/base/json_arena.h"

namespace tripsim::store {
namespace json = boost::json;

namespace {

json::value Opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

template <typename T>
json::value OptNum(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::optional<std::string> GetOptString(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::optional<std::string>(v->get_string()) : std::nullopt;
}

std::optional<int64_t> GetOptInt(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_int64() ? std::optional<int64_t>(v->get_int64()) : std::nullopt;
}

}  // namespace

std::string EncodePackage(const domain::Package& p) {
  json::array countries;
  for (const auto& c : p.countries) countries.emplace_back(c);
  json::object o{{"id", p.id},
                 {"name", p.name},
                 {"provider", p.provider},
                 {"countries", std::move(countries)},
                 {"region", p.region},
                 {"data_mb", p.data_mb},
                 {"validity_days", p.validity_days},
                 {"type", domain::PackageTypeName(p.type)},
                 {"cost", domain::FormatMoney(p.cost)},
                 {"price", domain::FormatMoney(p.price)},
                 {"retired", p.retired}};
  return json::serialize(o);
}

Result<domain::Package> DecodePackage(const std::string& text) {
  try {
    JsonArena<4096> arena;
    const json::value doc = arena.Parse(text);
    const json::object& o = doc.as_object();
    domain::Package p;
    p.id = o.at("id").as_string();
    p.name = o.at("name").as_string();
    p.provider = o.at("provider").as_string();
    for (const auto& c : o.at("countries").as_array()) p.countries.emplace_back(c.as_string());
    p.region = o.at("region").as_string();
    p.data_mb = o.at("data_mb").as_int64();
    p.validity_days = static_cast<int>(o.at("validity_days").as_int64());
    p.type = domain::ParsePackageType(o.at("type").as_string()).value();
    p.cost = domain::ParseMoney(o.at("cost").as_string()).value();
    p.price = domain::ParseMoney(o.at("price").as_string()).value();
    p.retired = o.at("retired").as_bool();
    return p;
  } catch (const std::exception& e) {
    return Internal(std::string("corrupt package snapshot: ") + e.what());
  }
}

std::string EncodeSpecs(const std::vector<domain::PackageSpec>& specs) {
  json::array a;
  for (const auto& s : specs) {
    json::array dest;
    for (const auto& d : s.destinations) dest.emplace_back(d);
    a.emplace_back(json::object{
        {"package_id", Opt(s.package_id)},
        {"destinations", std::move(dest)},
        {"is_array", s.destination_is_array},
        {"size_mb", OptNum(s.size_mb)},
        {"package_type", s.package_type ? json::value(domain::PackageTypeName(*s.package_type))
                                        : json::value(nullptr)},
        {"package_duration", OptNum(s.package_duration)}});
  }
  return json::serialize(a);
}

Result<std::vector<domain::PackageSpec>> DecodeSpecs(const std::string& text) {
  try {
    std::vector<domain::PackageSpec> out;
    JsonArena<4096> arena;
    const json::value doc = arena.Parse(text);
    for (const auto& v : doc.as_array()) {
      const json::object& o = v.as_object();
      domain::PackageSpec s;
      s.package_id = GetOptString(o, "package_id");
      for (const auto& d : o.at("destinations").as_array())
        s.destinations.emplace_back(d.as_string());
      s.destination_is_array = o.at("is_array").as_bool();
      s.size_mb = GetOptInt(o, "size_mb");
      if (auto t = GetOptString(o, "package_type")) s.package_type = domain::ParsePackageType(*t);
      if (auto d = GetOptInt(o, "package_duration")) s.package_duration = static_cast<int>(*d);
      out.push_back(std::move(s));
    }
    return out;
  } catch (const std::exception& e) {
    return Internal(std::string("corrupt specifications: ") + e.what());
  }
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t end = rest.find(' ');
    if (end != 0) out.emplace_back(rest.substr(0, end));  // runs of spaces split nothing
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace tripsim::store
