#include "tripsim/render/redeem_page.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdlib>
#include <kainjow/mustache.hpp>

#include "tripsim/domain/geography.h"
#include "tripsim/render/mime.h"
#include "tripsim/render/names.h"
#include "tripsim/render/qr.h"

namespace tripsim::embedded {
extern const std::string_view kRedeemPageTemplate;
extern const std::string_view kPageStrings;
}  // namespace tripsim::embedded

namespace tripsim::render {
using Data = kainjow::mustache::data;
namespace json = boost::json;

namespace {

const json::object& Strings() {
  static const json::value strings = json::parse(embedded::kPageStrings);
  return strings.as_object();
}

// The page's strings in `lang` (English where a translation lacks one), as t_<key>, and the
// language itself; each lands HTML-escaped.
Data View(const std::string& lang) {
  const json::object& en = Strings().at("en").as_object();
  const json::object* own = Strings().if_contains(lang) ? &Strings().at(lang).as_object() : &en;
  Data view;
  view.set("lang", Strings().contains(lang) ? lang : "en");
  for (const auto& [key, value] : en) {
    const json::value* v = own->if_contains(key);
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

std::string Text(const std::string& lang, std::string_view key) {
  const json::object& en = Strings().at("en").as_object();
  const json::object* own = Strings().if_contains(lang) ? &Strings().at(lang).as_object() : &en;
  const json::value* v = own->if_contains(key);
  return std::string((v != nullptr && v->is_string() ? *v : en.at(key)).as_string());
}

std::string Render(const Data& view) {
  kainjow::mustache::mustache page{std::string(embedded::kRedeemPageTemplate)};
  return page.render(view);
}

// The primary language of a tag ("de-AT" -> "de"), lower case.
std::string Primary(std::string_view tag) {
  std::string out(tag.substr(0, tag.find_first_of("-_")));
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

std::string PageLanguage(const std::optional<std::string>& booking_locale,
                         std::string_view accept_language) {
  if (booking_locale && Strings().contains(Primary(*booking_locale))) {
    return Primary(*booking_locale);
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
    if (q > 0 && !item.empty()) wanted.emplace_back(q, Primary(item));
  }
  std::stable_sort(wanted.begin(), wanted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [q, lang] : wanted) {
    if (Strings().contains(lang)) return lang;
  }
  return "en";
}

std::string IosInstallUrl(const std::string& activation_code) {
  return "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + activation_code;
}

const std::vector<std::string>& InstallSteps() {
  static const std::vector<std::string> steps = [] {
    std::vector<std::string> out;
    for (const auto& s : Strings().at("en").as_object().at("steps").as_array()) {
      out.emplace_back(s.as_string());
    }
    return out;
  }();
  return steps;
}

std::string RedeemOfferPage(const domain::PromoCode& code, const std::string& redeem_api_path,
                            const std::vector<std::string>& destinations, const std::string& lang) {
  Data offer;
  if (!code.package) {
    const auto& geo = domain::Geography::Builtin();
    std::vector<std::pair<std::string, std::string>> named;
    for (const auto& d : destinations) {
      const domain::Country* c = geo.FindCountry(d);
      named.emplace_back(c ? CountryName(*c, lang) : d, d);
    }
    SortByName(named, lang);
    Data options{Data::type::list};
    for (const auto& [name, c] : named) {
      Data option;
      option.set("code", c);
      option.set("name", name);
      options << option;
    }
    Data choose;
    choose.set("options", options);
    offer.set("choose", choose);
  }
  offer.set("package", code.package ? code.package->name : Text(lang, "package_fallback"));
  if (!code.destination.empty()) offer.set("destination", DestinationName(code.destination, lang));
  offer.set("code", code.code);
  // JSON string literals are safe inside the script: serialize escapes quotes and control
  // characters, and "</" occurs in neither our own URL nor our own strings.
  offer.set("redeem_api_json", json::serialize(json::value(redeem_api_path)));
  offer.set("waiting_json", json::serialize(json::value(Text(lang, "waiting"))));
  Data view = View(lang);
  view.set("offer", offer);
  return Render(view);
}

Result<std::string> RedeemedPage(const domain::EsimProfile& profile, const std::string& lang) {
  std::string activation = domain::ActivationCode(profile);
  TRIPSIM_ASSIGN_OR_RETURN(png, QrPng(activation, 8));
  std::string b64 = Base64Lines(png);
  std::erase(b64, '\r');
  std::erase(b64, '\n');
  Data esim;
  esim.set("qr_data_url", "data:image/png;base64," + b64);
  esim.set("activation_code", activation);
  esim.set("ios_install_url", IosInstallUrl(activation));
  esim.set("smdp_address", profile.smdp_address);
  esim.set("matching_id", profile.matching_id);
  esim.set("iccid", profile.iccid);
  esim.set("confirmation_code_required",
           profile.confirmation_code.empty() ? Data::type::bool_false : Data::type::bool_true);
  esim.set("test_profile", profile.test_profile ? Data::type::bool_true : Data::type::bool_false);
  Data view = View(lang);
  view.set("esim", esim);
  return Render(view);
}

std::string RedeemErrorPage(RedeemRefusal why, const std::string& lang) {
  std::string_view key;
  switch (why) {
    case RedeemRefusal::kUnknownCode:
      key = "unknown";
      break;
    case RedeemRefusal::kRevoked:
      key = "revoked";
      break;
    case RedeemRefusal::kExpired:
      key = "expired";
      break;
    case RedeemRefusal::kTooManyAttempts:
      key = "too_many";
      break;
    case RedeemRefusal::kFailed:
      key = "failed";
      break;
  }
  Data error;
  error.set("title", Text(lang, std::string(key) + "_title"));
  error.set("error", Text(lang, key));
  Data view = View(lang);
  view.set("error", error);
  return Render(view);
}

}  // namespace tripsim::render
