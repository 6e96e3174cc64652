#include "tripsim/render/page_strings.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "tripsim/render/names.h"
#include "tripsim/render/pages.h"

namespace tripsim::embedded {
extern const std::string_view kPageStrings;
}

namespace tripsim::render {

using Data = kainjow::mustache::data;
namespace json = boost::json;

const json::object& PageStrings() {
  static const json::value strings = json::parse(embedded::kPageStrings);
  return strings.as_object();
}

namespace {

// The strings of `lang`, or English's when the pages do not speak it.
const json::object& StringsOf(const std::string& lang) {
  const json::object& all = PageStrings();
  return (all.contains(lang) ? all.at(lang) : all.at("en")).as_object();
}

}  // namespace

Data PageView(const std::string& lang) {
  const json::object& en = StringsOf("en");
  const json::object& own = StringsOf(lang);
  Data view;
  view.set("lang", PageStrings().contains(lang) ? lang : "en");
  for (const auto& [key, value] : en) {
    const json::value* v = own.if_contains(key);
    if (v == nullptr || v->kind() != value.kind()) v = &value;
    if (v->is_string()) {
      view.set("t_" + std::string(key), std::string(v->as_string()));
    } else if (v->is_array()) {
      Data list{Data::type::list};
      for (const auto& item : v->as_array()) list << Data(std::string(item.as_string()));
      view.set("t_" + std::string(key), list);
    }
  }
  return view;
}

std::string PageText(const std::string& lang, std::string_view key) {
  const json::object& en = StringsOf("en");
  const json::value* v = StringsOf(lang).if_contains(key);
  return std::string((v != nullptr && v->is_string() ? *v : en.at(key)).as_string());
}

std::string PageLanguage(const std::optional<std::string>& booking_locale,
                         std::string_view accept_language) {
  if (booking_locale) {
    std::string lang = PrimaryLanguage(*booking_locale);
    if (PageStrings().contains(lang)) return lang;
  }
  // "fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5": the tags by weight, in order among equals.
  std::vector<std::pair<double, std::string>> wanted;
  size_t start = 0;
  while (start < accept_language.size()) {
    size_t comma = accept_language.find(',', start);
    if (comma == std::string_view::npos) comma = accept_language.size();
    std::string_view item = accept_language.substr(start, comma - start);
    start = comma + 1;
    double q = 1;
    if (size_t semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view param = item.substr(semi + 1);
      item = item.substr(0, semi);
      param.remove_prefix(std::min(param.find_first_not_of(' '), param.size()));
      if (param.starts_with("q=")) q = std::atof(std::string(param.substr(2)).c_str());
    }
    item.remove_prefix(std::min(item.find_first_not_of(' '), item.size()));
    item = item.substr(0, item.find(' '));
    if (q > 0 && !item.empty()) wanted.emplace_back(q, PrimaryLanguage(item));
  }
  std::stable_sort(wanted.begin(), wanted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [q, lang] : wanted) {
    if (PageStrings().contains(lang)) return lang;
  }
  return "en";
}

}  // namespace tripsim::render
