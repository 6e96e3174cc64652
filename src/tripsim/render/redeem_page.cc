#include "tripsim/render/redeem_page.h"

#include <algorithm>
#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include "tripsim/domain/geography.h"
#include "tripsim/render/mime.h"
#include "tripsim/render/qr.h"

namespace tripsim::embedded {
extern const std::string_view kRedeemPageTemplate;
}

namespace tripsim::render {
using Data = kainjow::mustache::data;

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
  static const std::vector<std::string> steps = {
      "On iPhone: tap Install on iPhone, or open Settings > Mobile Service > Add eSIM > Use QR "
      "Code.",
      "On Android: open Settings > Network & internet > SIMs > Add eSIM and scan the QR code.",
      "No camera at hand? Enter the SM-DP+ address and matching ID by hand.",
      "Keep the eSIM off until you arrive, then turn it on and enable data roaming for it."};
  return steps;
}

std::string RedeemOfferPage(const domain::PromoCode& code, const std::string& redeem_api_path,
                            const std::vector<std::string>& destinations) {
  Data offer;
  if (!code.package) {
    const auto& geo = domain::Geography::Builtin();
    std::vector<std::pair<std::string, std::string>> named;
    for (const auto& d : destinations) {
      const domain::Country* c = geo.FindCountry(d);
      named.emplace_back(c ? c->name : d, d);
    }
    std::sort(named.begin(), named.end());
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
  offer.set("package", code.package ? code.package->name : "eSIM data package");
  const domain::Country* c = domain::Geography::Builtin().FindCountry(code.destination);
  if (!code.destination.empty()) offer.set("destination", c ? c->name : code.destination);
  offer.set("code", code.code);
  offer.set("redeem_api_json", boost::json::serialize(boost::json::value(redeem_api_path)));
  Data view;
  view.set("offer", offer);
  return Render(view);
}

Result<std::string> RedeemedPage(const domain::EsimProfile& profile) {
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
  Data steps{Data::type::list};
  for (const auto& s : InstallSteps()) steps << Data(s);
  esim.set("install_steps", steps);
  Data view;
  view.set("esim", esim);
  return Render(view);
}

std::string RedeemErrorPage(const std::string& title, const std::string& message) {
  Data error;
  error.set("title", title);
  error.set("error", message);
  Data view;
  view.set("error", error);
  view.set("title", title);
  return Render(view);
}

}  // namespace tripsim::render
