#include "tripsim/api/partner_routes.h"

#include <charconv>
#include <variant>

#include "tripsim/api/answer_cache.h"
#include "tripsim/api/error_table.h"
#include "tripsim/auth/rate_limiter.h"
#include "tripsim/auth/verifier.h"
#include "tripsim/base/log.h"
#include "tripsim/wire/booking_codec.h"
#include "tripsim/wire/package_codec.h"

namespace tripsim::api {
namespace {

using booking::ActivePartner;

// Answers of GET /api/bookings/{id} kept (AnswerCache): at most 1,024 of 8 KiB, 8 MiB.
constexpr size_t kAnswerSlots = 1024;

// auth::KeyStore over the partner directory, for one request: it keeps the partner it found,
// so that the request looks its partner up once.
class DirectoryKeyStore final : public auth::KeyStore {
 public:
  explicit DirectoryKeyStore(booking::PartnerDirectory& dir) : dir_(dir) {}
  Result<std::optional<auth::Credentials>> Find(std::string_view api_key) const override {
    TRIPSIM_ASSIGN_OR_RETURN(p, dir_.FindByApiKey(std::string(api_key)));
    found_ = p;
    if (!p) return std::optional<auth::Credentials>();
    return std::optional<auth::Credentials>(auth::Credentials{
        p->partner.id, p->secret, p->partner.enabled, p->partner.require_body_hash,
        p->previous_secret, p->partner.previous_secret_until});
  }
  // The partner of the key last looked up; nullptr when there was none.
  const std::shared_ptr<const ActivePartner>& found() const { return found_; }

 private:
  booking::PartnerDirectory& dir_;
  mutable std::shared_ptr<const ActivePartner> found_;
};

HttpResponse Json(int status, std::string body) {
  return {status, "application/json", std::move(body), {}};
}

std::optional<int> PositiveInt(const std::string& s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1) return std::nullopt;
  return v;
}

class PartnerRoutes {
 public:
  PartnerRoutes(const AppDeps& deps, const AppOptions& options)
      : deps_(deps), options_(options), limiter_(deps.clock) {}

  // Verifies the request's signature; on success returns the partner.
  Result<std::shared_ptr<const ActivePartner>> Authenticate(const HttpRequest& r) const {
    auth::SignedRequest s{r.method,
                          r.target,
                          r.Header("x-api-key"),
                          r.Header("x-timestamp"),
                          r.Header("x-signature"),
                          r.Header("x-content-sha256"),
                          r.body};
    DirectoryKeyStore keys(deps_.partners);
    auth::Verification v =
        auth::Verify(s, keys, deps_.clock, {.window_millis = options_.signature_window_millis});
    if (!v.status.ok()) return v.status;
    std::shared_ptr<const ActivePartner> p = keys.found();
    if (!p) return Status(ErrorCode::kUnauthenticated, "Unknown API key");
    const double rate = p->partner.rate_limit;
    TRIPSIM_RETURN_IF_ERROR(limiter_.Take(p->partner.id, {.per_second = rate, .burst = 2 * rate}));
    return p;
  }

  // POST /api/bookings, counted for the dashboard: a request that creates nothing is recorded
  // with its reason, attributed to the partner its x-api-key names (even when the signature is
  // wrong); an idempotent repeat (200) counts nowhere; a new booking is counted by the store.
  // Checks run on the calling thread; the answer is built once the booking is durable.
  void CreateBooking(std::shared_ptr<const HttpRequest> r, Respond respond) const {
    bool authenticated = false;
    std::variant<CreateInput, HttpResponse> checked = CheckCreate(*r, authenticated);
    if (auto* refused = std::get_if<HttpResponse>(&checked)) {
      return respond(Ready(CountFailure(*r, std::move(*refused), authenticated)));
    }
    CreateInput& in = std::get<CreateInput>(checked);
    deps_.bookings.CreateAsync(
        *in.partner, in.request, in.idempotency_key,
        [this, r = std::move(r), respond = std::move(respond),
         partner = in.partner](Result<booking::CreateOutcome> outcome) mutable {
          respond([this, r = std::move(r), partner = std::move(partner),
                   outcome = std::move(outcome)]() {
            if (!outcome.ok()) return CountFailure(*r, ErrorResponse(outcome.status()), true);
            if (outcome->created) {
              log::Info("booking.created",
                        {{"booking", outcome->booking.id}, {"partner", partner->partner.id}});
            }
            return Json(outcome->created ? 201 : 200,
                        wire::EncodeBookingResponse(outcome->booking, Encode(), outcome->warnings));
          });
        });
  }

  // Answered from the answer cache while the booking is at the revision it was encoded from:
  // without asking the store when nothing was committed since that answer was read.
  HttpResponse GetBooking(const HttpRequest& r, const PathParams& p) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    const std::string& partner_id = partner->partner.id;
    const std::string& id = p.at("id");
    const std::optional<uint64_t> mark = deps_.bookings.CommitMark();  // before any read
    std::shared_ptr<const AnswerCache::Entry> known = answers_.Find(partner_id, id);
    if (known && mark && known->as_of == mark) return Json(200, known->body);
    TRIPSIM_ASSIGN_OR_RESPOND(
        checked, deps_.bookings.GetIfChanged(
                     partner_id, id, known ? std::optional(known->revision) : std::nullopt));
    if (!checked.booking) {  // unchanged since `known`: kept as current at `mark`
      if (mark) answers_.Put({partner_id, id, known->revision, mark, known->body});
      return Json(200, known->body);
    }
    std::string body = wire::EncodeBookingResponse(*checked.booking, Encode());
    if (checked.revision) answers_.Put({partner_id, id, *checked.revision, mark, body});
    return Json(200, std::move(body));
  }

  HttpResponse GetByReference(const HttpRequest& r, const PathParams& p) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    TRIPSIM_ASSIGN_OR_RESPOND(
        b, deps_.bookings.GetByReference(partner->partner.id, p.at("booking_id")));
    return Json(200, wire::EncodeBookingResponse(b, Encode()));
  }

  HttpResponse Cancel(const HttpRequest& r, const PathParams& p) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    TRIPSIM_ASSIGN_OR_RESPOND(b, deps_.bookings.Cancel(partner->partner.id, p.at("id")));
    return Json(200, wire::EncodeBookingResponse(b, Encode()));
  }

  HttpResponse CancelByReference(const HttpRequest& r, const PathParams& p) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    TRIPSIM_ASSIGN_OR_RESPOND(
        b, deps_.bookings.CancelByReference(partner->partner.id, p.at("booking_id")));
    return Json(200, wire::EncodeBookingResponse(b, Encode()));
  }

  HttpResponse Resend(const HttpRequest& r, const PathParams& p) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    TRIPSIM_ASSIGN_OR_RESPOND(email, wire::ParseResendRequest(r.body));
    TRIPSIM_ASSIGN_OR_RESPOND(b, deps_.bookings.Resend(partner->partner.id, p.at("id"), email));
    return Json(202, wire::EncodeBookingResponse(b, Encode()));
  }

  HttpResponse List(const HttpRequest& r) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    auto q = ParseQuery(r.query);
    store::BookingFilter f;
    std::vector<FieldIssue> issues;
    if (q.contains("perPage")) {
      auto n = PositiveInt(q["perPage"]);
      if (!n) issues.push_back({"perPage", "must be a positive integer", {}});
      f.per_page = std::min(n.value_or(20), 100);
    }
    if (q.contains("page")) {
      auto n = PositiveInt(q["page"]);
      if (!n) issues.push_back({"page", "must be a positive integer", {}});
      f.page = n.value_or(1);
    }
    if (q.contains("status") && !q["status"].empty()) {
      f.status = domain::ParseBookingStatus(q["status"]);
      if (!f.status) {
        issues.push_back({"status", "must be CONFIRMED, COMPLETED, CANCELLED or EXPIRED", {}});
      }
    }
    for (const char* key : {"from", "to"}) {
      if (!q.contains(key) || q[key].empty()) continue;
      std::optional<Date> d = ParseIsoDateOnly(q[key]);
      if (!d) issues.push_back({key, "must be a date (YYYY-MM-DD)", {}});
      (std::string_view(key) == "from" ? f.created_from : f.created_to) = d;
    }
    if (!issues.empty()) return ErrorResponse(InvalidArgument("Validation failed", issues));
    TRIPSIM_ASSIGN_OR_RESPOND(page, deps_.bookings.List(partner->partner.id, f));
    return Json(200,
                wire::EncodeBookingList(page.bookings, f.page, f.per_page, page.total, Encode()));
  }

  HttpResponse Packages(const HttpRequest& r) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    auto q = ParseQuery(r.query);
    TRIPSIM_ASSIGN_OR_RESPOND(
        filter, wire::ParsePackageQuery(q["destination"], q["size"], q["package_type"]));
    std::shared_ptr<const catalog::Catalog> cat = deps_.catalogs.Get();
    std::vector<const domain::Package*> out;
    for (const domain::Package& p : cat->packages()) {
      if (wire::PackageMatches(p, filter, partner->policy.allow_list,
                               partner->policy.package_types)) {
        out.push_back(&p);
      }
    }
    return Json(200, wire::EncodePackageList(out));
  }

 private:
  // What a booking request carries once its signature, content type and body are checked.
  struct CreateInput {
    std::shared_ptr<const ActivePartner> partner;
    domain::BookingRequest request;
    std::string idempotency_key;
  };

  // The checks before the booking service, or the response refusing the request;
  // `authenticated` tells whether the signature passed.
  std::variant<CreateInput, HttpResponse> CheckCreate(const HttpRequest& r,
                                                      bool& authenticated) const {
    TRIPSIM_ASSIGN_OR_RESPOND(partner, Authenticate(r));
    authenticated = true;
    auto content_type = r.Header("content-type");
    if (!content_type || content_type->substr(0, content_type->find(';')) != "application/json") {
      return ErrorResponse(415, "Content-Type must be application/json");
    }
    wire::ParseOptions po{.today = DateOfMillis(deps_.clock.NowMillis()),
                          .enabled_channels = options_.enabled_channels};
    TRIPSIM_ASSIGN_OR_RESPOND(request, wire::ParseCreateBooking(r.body, po));
    std::string key(r.Header("idempotency-key").value_or(""));
    if (key.size() > 200) {
      return ErrorResponse(InvalidArgument(
          "Validation failed", {{"Idempotency-Key", "must be at most 200 characters", {}}}));
    }
    return CreateInput{std::move(partner), std::move(request), std::move(key)};
  }

  // Counts a booking request that created nothing, and returns its response.
  HttpResponse CountFailure(const HttpRequest& r, HttpResponse res, bool authenticated) const {
    domain::FailureReason reason = domain::FailureReasonOfStatus(res.status);
    if (!authenticated && res.status < 500 && res.status != 429) {
      reason = domain::FailureReason::kAuthentication;
    }
    RecordBookingFailure(r, reason, deps_);
    return res;
  }

  wire::EncodeOptions Encode() const { return {options_.public_url}; }

  const AppDeps& deps_;
  const AppOptions& options_;
  mutable auth::RateLimiter limiter_;
  mutable AnswerCache answers_{kAnswerSlots};
};

}  // namespace

void RecordBookingFailure(const HttpRequest& r, domain::FailureReason reason, const AppDeps& deps) {
  std::string partner_id;
  if (auto key = r.Header("x-api-key"); key && !key->empty() && key->size() <= 200) {
    auto found = deps.partners.FindByApiKey(std::string(*key));
    if (found.ok() && *found) partner_id = (*found)->partner.id;
  }
  deps.attempts.Record(partner_id, reason, deps.clock.NowMillis());
}

void AddPartnerRoutes(Router& router, const AppDeps& deps, const AppOptions& options) {
  auto routes = std::make_shared<PartnerRoutes>(deps, options);
  // Reading one booking and creating one (whose write is asynchronous) run on the network
  // thread when the store reads locally; lists, cancellations and resends wait: worker pool.
  router.AddAsync(
      "POST", "/api/bookings", RouteCost::kReadsStore,
      [routes](std::shared_ptr<const HttpRequest> r, const PathParams&, Respond respond) {
        routes->CreateBooking(std::move(r), std::move(respond));
      });
  router.Add("GET", "/api/bookings", RouteCost::kBlocking,
             [routes](const HttpRequest& r, const PathParams&) { return routes->List(r); });
  router.Add(
      "GET", "/api/bookings/{id}", RouteCost::kReadsStore,
      [routes](const HttpRequest& r, const PathParams& p) { return routes->GetBooking(r, p); });
  router.Add("DELETE", "/api/bookings/{id}", RouteCost::kBlocking,
             [routes](const HttpRequest& r, const PathParams& p) { return routes->Cancel(r, p); });
  router.Add(
      "GET", "/api/bookings/{booking_id}/byExternalBookingId", RouteCost::kReadsStore,
      [routes](const HttpRequest& r, const PathParams& p) { return routes->GetByReference(r, p); });
  router.Add("DELETE", "/api/bookings/{booking_id}/byExternalBookingId", RouteCost::kBlocking,
             [routes](const HttpRequest& r, const PathParams& p) {
               return routes->CancelByReference(r, p);
             });
  router.Add("POST", "/api/bookings/{id}/resend", RouteCost::kBlocking,
             [routes](const HttpRequest& r, const PathParams& p) { return routes->Resend(r, p); });
  router.Add("GET", "/api/packages", RouteCost::kReadsStore,
             [routes](const HttpRequest& r, const PathParams&) { return routes->Packages(r); });
}

}  // namespace tripsim::api
