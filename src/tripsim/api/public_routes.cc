#include "tripsim/api/public_routes.h"

#include <boost/json.hpp>

#include "tripsim/api/error_table.h"
#include "tripsim/base/date.h"
#include "tripsim/booking/promo_code.h"
#include "tripsim/domain/geography.h"
#include "tripsim/render/pages.h"
#include "tripsim/render/redeem_page.h"
#include "tripsim/wire/booking_codec.h"

namespace tripsim::api {
namespace {

// Security headers for the HTML pages travellers open.
void AddPageHeaders(HttpResponse& r) {
  r.headers.emplace_back("content-security-policy",
                         "default-src 'none'; style-src 'unsafe-inline'; "
                         "script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:");
  r.headers.emplace_back("x-content-type-options", "nosniff");
  r.headers.emplace_back("referrer-policy", "no-referrer");
  r.headers.emplace_back("cache-control", "no-store");
}

}  // namespace

void AddPublicRoutes(Router& router, const AppDeps& deps, const AppOptions&) {
  router.Add(
      "POST", "/api/promo-codes/claim/{uuid}", [&deps](const HttpRequest& r, const PathParams& p) {
        TRIPSIM_ASSIGN_OR_RESPOND(email, wire::ParseClaimRequest(r.body));
        TRIPSIM_ASSIGN_OR_RESPOND(b, deps.bookings.Claim(p.at("uuid"), email));
        for (const auto& code : b.promo_codes) {
          if (code.uuid != p.at("uuid")) continue;
          boost::json::object data{{"uuid", code.uuid},
                                   {"status", domain::PromoStatusName(code.status)},
                                   {"claimed_at", FormatTimestamp(*code.claimed_at)},
                                   {"email_queued", true}};
          return HttpResponse{
              200, "application/json", wire::EncodeSuccess(boost::json::serialize(data)), {}};
        }
        return ErrorResponse(Internal("claimed code missing from its booking"));
      });
  router.Add("POST", "/api/promo-codes/{promo_code}/redeem",
             [&deps](const HttpRequest& req, const PathParams& p) {
               TRIPSIM_ASSIGN_OR_RESPOND(destination, wire::ParseRedeemRequest(req.body));
               TRIPSIM_ASSIGN_OR_RESPOND(r, deps.bookings.Redeem(p.at("promo_code"), destination));
               return HttpResponse{
                   200,
                   "application/json",
                   wire::EncodeSuccess(wire::EncodeRedemption(
                       r.profile, render::IosInstallUrl(domain::ActivationCode(r.profile)),
                       render::InstallSteps())),
                   {}};
             });
  router.Add("GET", "/redeem/{promo_code}", [&deps](const HttpRequest&, const PathParams& p) {
    const std::string& typed = p.at("promo_code");
    Result<store::Redemption> r = deps.bookings.FindRedemption(typed);
    HttpResponse page{200, "text/html; charset=utf-8", "", {}};
    if (!r.ok()) {
      page.status = r.status().code() == ErrorCode::kNotFound ? 404 : 503;
      page.body = render::RedeemErrorPage(
          "Unknown code", "This code does not exist. Check the code in your email.");
    } else if (!r->profile.iccid.empty()) {
      Result<std::string> html = render::RedeemedPage(r->profile);
      page.body = html.ok() ? *html : render::RedeemErrorPage("Error", "Please try again.");
    } else {
      const domain::PromoCode* code = nullptr;
      for (const auto& c : r->booking.promo_codes) {
        if (booking::NormalizePromoCode(typed) == c.code) code = &c;
      }
      const Date today = DateOfMillis(deps.clock.NowMillis());
      if (code->status == domain::PromoStatus::kRevoked ||
          r->booking.status == domain::BookingStatus::kCancelled) {
        page.status = 410;
        page.body = render::RedeemErrorPage("Code revoked", "This code is no longer valid.");
      } else if (code->status == domain::PromoStatus::kExpired || code->valid_until < today) {
        page.status = 410;
        page.body = render::RedeemErrorPage("Code expired", "This code has expired.");
      } else {
        std::vector<std::string> choices;
        if (!code->package) {
          Result<domain::Partner> partner = deps.store.GetPartner(r->booking.partner_id);
          if (partner.ok()) choices = partner->destination_allow_list;
          if (choices.empty()) {
            for (const auto& c : domain::Geography::Builtin().countries())
              choices.push_back(c.alpha2);
          }
        }
        page.body =
            render::RedeemOfferPage(*code, "/api/promo-codes/" + code->code + "/redeem", choices);
      }
    }
    AddPageHeaders(page);
    return page;
  });
  router.Add("GET", "/claim/{uuid}", [&deps](const HttpRequest&, const PathParams& p) {
    const std::string& uuid = p.at("uuid");
    Result<domain::Booking> b = deps.bookings.FindByPromoUuid(uuid);
    const domain::PromoCode* code = nullptr;
    if (b.ok()) {
      for (const auto& c : b->promo_codes) {
        if (c.uuid == uuid) code = &c;
      }
    }
    std::string message;
    int status = 200;
    if (code == nullptr) {
      status = 404;
      message = "This link is not valid. Check the link in your booking confirmation.";
    } else if (code->status == domain::PromoStatus::kRevoked ||
               code->status == domain::PromoStatus::kExpired) {
      status = 410;
      message = "This code is no longer valid.";
    } else if (code->status != domain::PromoStatus::kIssued) {
      message = "This code was already claimed. Check your inbox.";
    }
    HttpResponse r{status,
                   "text/html; charset=utf-8",
                   render::ClaimPage(code, "/api/promo-codes/claim/" + uuid, message),
                   {}};
    AddPageHeaders(r);
    return r;
  });
}

}  // namespace tripsim::api
