#include "tripsim/render/redeem_page.h"

#include <algorithm>
#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include "tripsim/domain/geography.h"
#include "tripsim/render/mime.h"
#include "tripsim/render/names.h"
#include "tripsim/render/page_strings.h"
#include "tripsim/render/qr.h"

namespace tripsim::embedded {
extern const std::string_view kRedeemPageTemplate;
}  // namespace tripsim::embedded

namespace tripsim::render {
using Data = kainjow::mustache::data;
namespace json = boost::json;

namespace {

std::string Render(const Data& view) {
  kainjow::mustache::mustache page{std::string(embedded::kRedeemPageTemplate)};
  return page.render(view);
}

}  // namespace

std::string IosInstallUrl(const std::string& activation_code) {
  return "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + activation_code;
}

const std::vector<std::string>& InstallSteps() {
  static const std::vector<std::string> steps = [] {
    std::vector<std::string> out;
    for (const auto& s : PageStrings().at("en").as_object().at("steps").as_array()) {
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
  offer.set("package", code.package ? code.package->name : PageText(lang, "package_fallback"));
  if (!code.destination.empty()) offer.set("destination", DestinationName(code.destination, lang));
  offer.set("code", code.code);
  // JSON string literals are safe inside the script: serialize escapes quotes and control
  // characters, and "</" occurs in neither our own URL nor our own strings.
  offer.set("redeem_api_json", json::serialize(json::value(redeem_api_path)));
  offer.set("waiting_json", json::serialize(json::value(PageText(lang, "waiting"))));
  Data view = PageView(lang);
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
  Data view = PageView(lang);
  view.set("esim", esim);
  return Render(view);
}

std::string RedeemEntryPage(const std::string& typed, bool invalid, const std::string& lang) {
  Data enter;
  enter.set("typed", typed);
  enter.set("invalid", invalid ? Data::type::bool_true : Data::type::bool_false);
  Data view = PageView(lang);
  view.set("enter", enter);
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
  error.set("title", PageText(lang, std::string(key) + "_title"));
  error.set("error", PageText(lang, key));
  Data view = PageView(lang);
  view.set("error", error);
  return Render(view);
}

}  // namespace tripsim::render
