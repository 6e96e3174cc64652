#include "tripsim/api/public_routes.h"

#include <boost/json.hpp>

#include "tripsim/api/error_table.h"
#include "tripsim/auth/rate_limiter.h"
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

// Limits the wrong codes and links one client address may try: a request from an address
// whose bucket is empty gets 429; each 404 (an unknown code or link) takes a token.
class GuessLimit {
 public:
  GuessLimit(const AppDeps& deps, const AppOptions& options)
      : limiter_(deps.clock),
        limit_{options.public_guesses_per_second, options.public_guess_burst},
        trusted_(options.trusted_proxies) {}

  // Wraps a public handler; `page` answers refusals as an HTML page instead of JSON.
  RouteHandler Guard(RouteHandler handler, bool page) {
    return [this, handler = std::move(handler), page](const HttpRequest& r, const PathParams& p) {
      const std::string address = ClientAddress(r, trusted_);
      if (Status s = limiter_.Check(address, limit_); !s.ok()) {
        HttpResponse refused = ErrorResponse(s);
        if (page) {
          refused.content_type = "text/html; charset=utf-8";
          refused.body = render::RedeemErrorPage(
              render::RedeemRefusal::kTooManyAttempts,
              render::PageLanguage(std::nullopt, r.Header("accept-language").value_or("")));
          AddPageHeaders(refused);
        }
        return refused;
      }
      HttpResponse res = handler(r, p);
      if (res.status == 404) (void)limiter_.Take(address, limit_);
      return res;
    };
  }

 private:
  auth::RateLimiter limiter_;
  auth::RateLimit limit_;
  std::vector<std::string> trusted_;
};

}  // namespace

void AddPublicRoutes(Router& router, const AppDeps& deps, const AppOptions& options) {
  auto guesses = std::make_shared<GuessLimit>(deps, options);
  auto add = [&](const char* method, const char* pattern, bool page, RouteHandler handler) {
    // The traveller's routes write (claims, redemptions) or are rare: on the worker pool.
    router.Add(method, pattern, RouteCost::kBlocking,
               [guesses, guarded = guesses->Guard(std::move(handler), page)](
                   const HttpRequest& r, const PathParams& p) { return guarded(r, p); });
  };
  add("POST", "/api/promo-codes/claim/{uuid}", false,
      [&deps](const HttpRequest& r, const PathParams& p) {
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
  add("POST", "/api/promo-codes/{promo_code}/redeem", false,
      [&deps](const HttpRequest& req, const PathParams& p) {
        TRIPSIM_ASSIGN_OR_RESPOND(destination, wire::ParseRedeemRequest(req.body));
        TRIPSIM_ASSIGN_OR_RESPOND(r, deps.bookings.Redeem(p.at("promo_code"), destination));
        return HttpResponse{200,
                            "application/json",
                            wire::EncodeSuccess(wire::EncodeRedemption(
                                r.profile, render::IosInstallUrl(domain::ActivationCode(r.profile)),
                                render::InstallSteps())),
                            {}};
      });
  // Where a traveller who has only the code (a voucher, the partner's confirmation page) types
  // it: a well-formed code is sent on to its page, anything else is shown again with a message.
  // No store lookup here: guessing is limited where codes are looked up.
  router.Add("GET", "/redeem", RouteCost::kCompute, [](const HttpRequest& req, const PathParams&) {
    const std::map<std::string, std::string> query = ParseQuery(req.query);
    const auto typed = query.find("code");
    HttpResponse page{200, "text/html; charset=utf-8", "", {}};
    if (typed != query.end()) {
      if (std::optional<std::string> code = booking::NormalizePromoCode(typed->second)) {
        page.status = 303;
        page.headers.emplace_back("location", "/redeem/" + *code);
        AddPageHeaders(page);
        return page;
      }
      page.status = 400;
    }
    const std::string lang =
        render::PageLanguage(std::nullopt, req.Header("accept-language").value_or(""));
    page.body = render::RedeemEntryPage(typed == query.end() ? "" : typed->second.substr(0, 40),
                                        typed != query.end(), lang);
    AddPageHeaders(page);
    return page;
  });
  // The traveller's page, in the booking's language, else the browser's.
  add("GET", "/redeem/{promo_code}", true, [&deps](const HttpRequest& req, const PathParams& p) {
    const std::string& typed = p.at("promo_code");
    Result<store::Redemption> r = deps.bookings.FindRedemption(typed);
    const std::string lang = render::PageLanguage(r.ok() ? r->booking.request.locale : std::nullopt,
                                                  req.Header("accept-language").value_or(""));
    HttpResponse page{200, "text/html; charset=utf-8", "", {}};
    if (!r.ok()) {
      const bool unknown = r.status().code() == ErrorCode::kNotFound;
      page.status = unknown ? 404 : 503;
      page.body = render::RedeemErrorPage(
          unknown ? render::RedeemRefusal::kUnknownCode : render::RedeemRefusal::kFailed, lang);
    } else if (!r->profile.iccid.empty()) {
      Result<std::string> html = render::RedeemedPage(r->profile, lang);
      page.body = html.ok() ? *html : render::RedeemErrorPage(render::RedeemRefusal::kFailed, lang);
    } else {
      const domain::PromoCode* code = nullptr;
      for (const auto& c : r->booking.promo_codes) {
        if (booking::NormalizePromoCode(typed) == c.code) code = &c;
      }
      const Date today = DateOfMillis(deps.clock.NowMillis());
      if (code->status == domain::PromoStatus::kRevoked ||
          r->booking.status == domain::BookingStatus::kCancelled) {
        page.status = 410;
        page.body = render::RedeemErrorPage(render::RedeemRefusal::kRevoked, lang);
      } else if (code->status == domain::PromoStatus::kExpired || code->valid_until < today) {
        page.status = 410;
        page.body = render::RedeemErrorPage(render::RedeemRefusal::kExpired, lang);
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
        page.body = render::RedeemOfferPage(*code, "/api/promo-codes/" + code->code + "/redeem",
                                            choices, lang);
      }
    }
    AddPageHeaders(page);
    return page;
  });
  add("GET", "/claim/{uuid}", true, [&deps](const HttpRequest& req, const PathParams& p) {
    const std::string& uuid = p.at("uuid");
    Result<domain::Booking> b = deps.bookings.FindByPromoUuid(uuid);
    const domain::PromoCode* code = nullptr;
    if (b.ok()) {
      for (const auto& c : b->promo_codes) {
        if (c.uuid == uuid) code = &c;
      }
    }
    std::optional<render::ClaimRefusal> refusal;
    int status = 200;
    if (code == nullptr) {
      status = 404;
      refusal = render::ClaimRefusal::kInvalidLink;
    } else if (code->status == domain::PromoStatus::kRevoked ||
               code->status == domain::PromoStatus::kExpired) {
      status = 410;
      refusal = render::ClaimRefusal::kNoLongerValid;
    } else if (code->status != domain::PromoStatus::kIssued) {
      refusal = render::ClaimRefusal::kAlreadyClaimed;
    }
    const std::string lang = render::PageLanguage(b.ok() ? b->request.locale : std::nullopt,
                                                  req.Header("accept-language").value_or(""));
    HttpResponse r{status,
                   "text/html; charset=utf-8",
                   render::ClaimPage(code, "/api/promo-codes/claim/" + uuid, refusal, lang),
                   {}};
    AddPageHeaders(r);
    return r;
  });
}

}  // namespace tripsim::api
