#include "tripsim/booking/booking_service.h"

#include <algorithm>
#include <future>
#include <optional>

#include "tripsim/base/crypto.h"
#include "tripsim/base/ids.h"
#include "tripsim/base/log.h"
#include "tripsim/booking/fingerprint.h"
#include "tripsim/booking/promo_code.h"
#include "tripsim/domain/geography.h"
#include "tripsim/strategy/assign.h"

namespace tripsim::booking {

using domain::Booking;
using domain::BookingRequest;

std::shared_ptr<const catalog::Catalog> CatalogHolder::Get() const {
  MutexLock lock(mu_);
  return current_;
}

void CatalogHolder::Set(std::shared_ptr<const catalog::Catalog> catalog) {
  MutexLock lock(mu_);
  current_ = std::move(catalog);
  loaded_version_.reset();
}

Status CatalogHolder::Reload(store::Store& store) {
  // The version first: an import between the two reads is seen by the next Reload.
  TRIPSIM_ASSIGN_OR_RETURN(version, store.CatalogVersion());
  {
    MutexLock lock(mu_);
    if (loaded_version_ == version) return Status::Ok();
  }
  TRIPSIM_ASSIGN_OR_RETURN(packages, store.ListPackages());
  auto catalog = std::make_shared<const catalog::Catalog>(std::move(packages));
  MutexLock lock(mu_);
  current_ = std::move(catalog);
  loaded_version_ = version;
  return Status::Ok();
}

BookingService::BookingService(store::Store& store, const CatalogHolder& catalogs,
                               const Clock& clock, Options options)
    : store_(store), catalogs_(catalogs), clock_(clock), options_(options) {}

namespace {

Status Conflict(const Booking& existing, const std::string& field) {
  return {ErrorCode::kAlreadyExists,
          "A booking with this " + field + " already exists with a different request",
          {{field, "already used by booking " + existing.id + " with a different payload",
            existing.id}}};
}

// The answer to a request whose booking_id (or idempotency key) has a booking already.
Result<CreateOutcome> Repeat(const Booking& existing, const std::string& fingerprint) {
  if (existing.fingerprint != fingerprint) {
    return Conflict(existing, existing.request.booking_id ? "booking_id" : "Idempotency-Key");
  }
  return CreateOutcome{existing, false, {}};
}

}  // namespace

Result<CreateOutcome> BookingService::Create(const ActivePartner& partner,
                                             const BookingRequest& request,
                                             const std::string& idempotency_key) {
  std::promise<Result<CreateOutcome>> outcome;
  CreateAsync(partner, request, idempotency_key,
              [&outcome](Result<CreateOutcome> r) { outcome.set_value(std::move(r)); });
  return outcome.get_future().get();
}

void BookingService::CreateAsync(const ActivePartner& partner, const BookingRequest& request,
                                 const std::string& idempotency_key, CreateDone done) {
  const std::string& partner_id = partner.partner.id;
  const std::string key = request.booking_id ? "" : idempotency_key;
  std::string fingerprint = Fingerprint(request);
  // A repeat (a booking_id or key with a booking already) is answered with that booking. The
  // store's write finds it, in the same transaction, so twins racing make one booking; it is
  // looked up first only where the repeat must not be refused: by the daily limit, or because
  // the booking could not be made again today (the catalog or the partner's strategy changed).
  auto repeat = [&]() -> std::optional<Result<CreateOutcome>> {
    Result<Booking> existing = request.booking_id
                                   ? store_.FindBookingByReference(partner_id, *request.booking_id)
                               : !key.empty() ? store_.FindBookingByIdempotencyKey(partner_id, key)
                                              : Result<Booking>(NotFound(""));
    if (existing.ok()) return Repeat(*existing, fingerprint);
    if (existing.status().code() != ErrorCode::kNotFound) return existing.status();
    return std::nullopt;
  };
  const int limit = partner.partner.daily_booking_limit;
  if (limit > 0) {
    if (auto answer = repeat()) return done(std::move(*answer));
    // Checked before the write: requests in flight at the same moment may pass it together.
    const int64_t now = clock_.NowMillis();
    Result<int64_t> today = store_.BookingsOnDay(partner_id, DateOfMillis(now));
    if (!today.ok()) return done(today.status());
    if (*today >= limit) {
      const int64_t midnight = MillisOfDate(Date{DateOfMillis(now).days + 1});
      return done(Status(ErrorCode::kResourceExhausted, "Daily booking limit of " +
                                                            std::to_string(limit) +
                                                            " reached; it resets at 00:00 UTC")
                      .WithRetryAfter(static_cast<int>((midnight - now + 999) / 1000)));
    }
  }

  std::vector<FieldIssue> warnings;
  Result<Booking> booking = Build(partner, request, key, warnings);
  if (!booking.ok()) {
    if (limit == 0) {  // with a limit, the repeat was looked up above already
      if (auto answer = repeat()) return done(std::move(*answer));
    }
    return done(booking.status());
  }
  booking->fingerprint = fingerprint;
  store_.CreateBookingAsync(
      std::move(booking).value(),
      [fingerprint = std::move(fingerprint), warnings = std::move(warnings),
       done = std::move(done)](Result<store::CreateResult> stored) mutable {
        if (!stored.ok()) return done(stored.status());
        // Not created: a twin with the same booking_id won the race.
        if (!stored->created) return done(Repeat(stored->booking, fingerprint));
        done(CreateOutcome{std::move(stored->booking), true, std::move(warnings)});
      });
}

Result<Booking> BookingService::Build(const ActivePartner& partner, const BookingRequest& request,
                                      const std::string& idempotency_key,
                                      std::vector<FieldIssue>& warnings) {
  const int64_t now = clock_.NowMillis();
  std::shared_ptr<const catalog::Catalog> catalog = catalogs_.Get();
  Booking b;
  b.id = NewOrderedId("bk_");
  b.partner_id = partner.partner.id;
  b.request = request;
  b.created_at = now;
  b.idempotency_key = idempotency_key;
  const strategy::TripInfo trip{request.trip_days(), request.travellers()};
  const Date departure = request.departure();

  for (size_t i = 0; i < request.package_specifications.size(); ++i) {
    const domain::PackageSpec& spec = request.package_specifications[i];
    Result<strategy::Decision> d =
        strategy::Assign(*catalog, partner.strategy, partner.policy, spec, trip);
    if (!d.ok()) {
      const Status& s = d.status();
      std::string field = "package_specifications[" + std::to_string(i) + "]" +
                          (spec.package_id ? ".package_id" : ".destination");
      return Status(s.code(),
                    s.code() == ErrorCode::kUnprocessable ? "No package satisfies the specification"
                                                          : "Not permitted",
                    {{field, s.message(), {}}});
    }
    for (int traveller = 0; traveller < request.travellers(); ++traveller) {
      if (d->picks.empty()) {  // destinationless: the traveller chooses at redemption
        domain::PromoCode p;
        p.code = NewPromoCode();
        p.uuid = NewUuidV7();
        p.spec_index = static_cast<int>(i);
        p.assignment = d->assignment;
        p.valid_until = Date{departure.days + options_.destinationless_validity_days};
        b.promo_codes.push_back(std::move(p));
      }
      for (const strategy::Pick& pick : d->picks) {
        domain::PromoCode p;
        p.code = NewPromoCode();
        p.uuid = NewUuidV7();
        p.spec_index = static_cast<int>(i);
        p.package = *pick.package;
        std::string dest;
        for (const auto& code : pick.destinations) dest += (dest.empty() ? "" : ",") + code;
        p.destination = dest;
        p.assignment = d->assignment;
        p.valid_until = Date{departure.days + pick.package->validity_days + options_.grace_days};
        b.promo_codes.push_back(std::move(p));
      }
    }
  }

  bool wants_email = request.should_send_message &&
                     std::find(request.channels.begin(), request.channels.end(), "EMAIL") !=
                         request.channels.end();
  if (wants_email && !request.email) {
    warnings.push_back({"email", "no address: the traveller can claim the code at claim_url", {}});
  } else if (wants_email) {
    domain::Message m;
    m.id = NewOrderedId("msg_");
    m.channel = "EMAIL";
    m.kind = "booking_confirmation";
    m.recipient = *request.email;
    m.created_at = now;
    m.due_at = now;
    b.messages.push_back(m);
    // A reminder N days before departure (at 09:00 UTC), when that is still ahead.
    const int days = partner.partner.reminder_days;
    int64_t reminder_at = MillisOfDate(Date{departure.days - days}) + 9 * 3'600'000LL;
    if (days > 0 && reminder_at > now) {
      m.id = NewOrderedId("msg_");
      m.kind = "reminder";
      m.due_at = reminder_at;
      b.messages.push_back(std::move(m));
    }
  }
  return b;
}

Result<store::CheckedBooking> BookingService::GetIfChanged(const std::string& partner_id,
                                                           const std::string& id,
                                                           std::optional<int64_t> known_revision) {
  return store_.GetBookingIfChanged(partner_id, id, known_revision);
}

Result<Booking> BookingService::GetByReference(const std::string& partner_id,
                                               const std::string& booking_id) {
  return store_.FindBookingByReference(partner_id, booking_id);
}

Result<Booking> BookingService::FindByPromoUuid(const std::string& uuid) {
  return store_.FindBookingByPromoUuid(uuid);
}

Result<store::BookingPage> BookingService::List(const std::string& partner_id,
                                                const store::BookingFilter& f) {
  return store_.ListBookings(partner_id, f);
}

Result<Booking> BookingService::Cancel(const std::string& partner_id, const std::string& id) {
  const Date today = DateOfMillis(clock_.NowMillis());
  return store_.CancelBooking(partner_id, id, [today](const Booking& b) -> Status {
    auto refuse = [](const std::string& why) {
      return Status(ErrorCode::kFailedPrecondition, "Cancellation not allowed: " + why);
    };
    if (b.status == domain::BookingStatus::kCancelled) return Status::Ok();
    for (const auto& m : b.messages) {
      if (m.status == domain::MessageStatus::kSent || m.attempts > 0) {
        return refuse("a message to the traveller was already sent");
      }
    }
    for (const auto& p : b.promo_codes) {
      if (p.status == domain::PromoStatus::kRedeemed) {
        return refuse("a promo code of this booking was already redeemed");
      }
    }
    if (today > b.request.departure()) return refuse("the departure date has passed");
    if (b.status != domain::BookingStatus::kConfirmed) {
      return refuse("the booking is " + std::string(domain::BookingStatusName(b.status)));
    }
    return Status::Ok();
  });
}

namespace {

domain::Message NewEmail(std::string kind, std::string recipient, int64_t now) {
  domain::Message m;
  m.id = NewOrderedId("msg_");
  m.channel = "EMAIL";
  m.kind = std::move(kind);
  m.recipient = std::move(recipient);
  m.created_at = now;
  m.due_at = now;
  return m;
}

}  // namespace

Result<Booking> BookingService::Resend(const std::string& partner_id, const std::string& id,
                                       const std::optional<std::string>& email) {
  TRIPSIM_ASSIGN_OR_RETURN(b, store_.GetBooking(partner_id, id));
  if (b.status == domain::BookingStatus::kCancelled) {
    return Status(ErrorCode::kFailedPrecondition, "The booking is cancelled: nothing to resend");
  }
  const std::optional<std::string>& to = email ? email : b.request.email;
  if (!to) {
    return Status(ErrorCode::kFailedPrecondition,
                  "The booking has no email address: send one ({\"email\": ...}), or the "
                  "traveller can claim the code at its claim_url");
  }
  TRIPSIM_RETURN_IF_ERROR(store_.AddMessage(b.id, NewEmail("resend", *to, clock_.NowMillis())));
  return store_.GetBooking(partner_id, id);
}

Result<Booking> BookingService::Claim(const std::string& uuid, const std::string& email) {
  const int64_t now = clock_.NowMillis();
  const Date today = DateOfMillis(now);
  domain::Message m = NewEmail("claim", email, now);
  return store_.ClaimPromoCode(
      uuid, now, m, [&](const Booking& b, const domain::PromoCode& p) -> Status {
        if (b.status == domain::BookingStatus::kCancelled ||
            p.status == domain::PromoStatus::kRevoked) {
          return {ErrorCode::kGone, "This code was revoked"};
        }
        if (p.status == domain::PromoStatus::kExpired || p.valid_until < today) {
          return {ErrorCode::kGone, "This code has expired"};
        }
        if (p.status != domain::PromoStatus::kIssued) {
          return {ErrorCode::kFailedPrecondition, "This code was already claimed"};
        }
        m.promo_code = p.code;
        return Status::Ok();
      });
}

Result<store::Redemption> BookingService::Redeem(const std::string& typed_code,
                                                 const std::optional<std::string>& destination) {
  std::optional<std::string> code = NormalizePromoCode(typed_code);
  if (!code) return NotFound("Unknown promo code");
  const int64_t now = clock_.NowMillis();
  std::optional<domain::PromoCode> assign;
  if (destination) {
    TRIPSIM_ASSIGN_OR_RETURN(found, store_.FindRedemption(*code));
    auto pc = std::find_if(found.booking.promo_codes.begin(), found.booking.promo_codes.end(),
                           [&](const domain::PromoCode& p) { return p.code == *code; });
    if (!pc->package) {
      TRIPSIM_ASSIGN_OR_RETURN(p, AssignAtRedemption(found.booking, *pc, *destination));
      assign = std::move(p);
    }
  }
  const Date today = DateOfMillis(now);
  auto rule = [&](const Booking& b, const domain::PromoCode& p) -> Status {
    if (b.status == domain::BookingStatus::kCancelled ||
        p.status == domain::PromoStatus::kRevoked) {
      return {ErrorCode::kGone, "This code was revoked"};
    }
    if (p.status == domain::PromoStatus::kExpired || p.valid_until < today) {
      return {ErrorCode::kGone, "This code has expired"};
    }
    if (!p.package) {
      return {ErrorCode::kFailedPrecondition, "Choose your destination before redeeming this code"};
    }
    return Status::Ok();
  };
  std::optional<domain::EsimProfile> synthetic;
  if (options_.synthetic_profiles) {
    // Reserved test range: ICCIDs starting 8999 (issuer 99 is not assigned to an operator).
    std::string payload = "8999";
    std::string random = crypto::RandomBytes(8);
    for (char c : random)
      payload += std::to_string(static_cast<unsigned char>(c) % 100 / 10) +
                 std::to_string(static_cast<unsigned char>(c) % 10);
    payload = payload.substr(0, 18);
    synthetic = domain::EsimProfile{payload + domain::LuhnCheckDigit(payload),
                                    "smdp.staging.tripsim.test",
                                    "TEST-" + NewId("").substr(0, 16),
                                    "",
                                    "synthetic",
                                    true};
  }
  Result<store::Redemption> r = store_.RedeemPromoCode(*code, now, synthetic, rule, assign);
  if (r.ok() && r->first_time && !r->profile.test_profile) WarnOnLowStock(r->profile.provider);
  if (!r.ok() && r.status().code() == ErrorCode::kResourceExhausted) {
    return Status(ErrorCode::kUnavailable,
                  "No eSIM is available for this package right now; "
                  "please try again later")
        .WithRetryAfter(3600);
  }
  return r;
}

void BookingService::WarnOnLowStock(const std::string& provider) {
  Result<std::vector<store::ProviderStock>> stock = store_.InventoryStatus();
  if (!stock.ok()) return;
  for (const auto& s : *stock) {
    if (s.provider == provider && s.available < options_.low_stock_threshold) {
      log::Warn("inventory.low_stock",
                {{"provider", provider}, {"available", std::to_string(s.available)}});
    }
  }
}

Result<domain::PromoCode> BookingService::AssignAtRedemption(const Booking& b,
                                                             const domain::PromoCode& code,
                                                             const std::string& destination) {
  const auto& geo = domain::Geography::Builtin();
  std::optional<std::string> canonical = geo.Canonical(destination);
  if (!canonical) {
    return InvalidArgument("Validation failed",
                           {{"destination", "must be an ISO 3166-1 country code or a region", {}}});
  }
  TRIPSIM_ASSIGN_OR_RETURN(partner, store_.GetPartner(b.partner_id));
  TRIPSIM_ASSIGN_OR_RETURN(strategy, strategy::ParseStrategy(partner.strategy_json));
  strategy::Policy policy{partner.destination_allow_list, {}};
  for (const auto& t : partner.package_types) {
    if (auto type = domain::ParsePackageType(t)) policy.package_types.push_back(*type);
  }
  domain::PackageSpec spec =
      b.request.package_specifications.at(static_cast<size_t>(code.spec_index));
  spec.destinations = {*canonical};
  spec.destination_is_array = false;
  TRIPSIM_ASSIGN_OR_RETURN(d, strategy::Assign(*catalogs_.Get(), strategy, policy, spec,
                                               {b.request.trip_days(), b.request.travellers()}));
  domain::PromoCode assigned = code;
  assigned.package = *d.picks.at(0).package;
  assigned.destination = *canonical;
  assigned.assignment = d.assignment;
  return assigned;
}

Result<store::Redemption> BookingService::FindRedemption(const std::string& typed_code) {
  std::optional<std::string> code = NormalizePromoCode(typed_code);
  if (!code) return NotFound("Unknown promo code");
  return store_.FindRedemption(*code);
}

Result<Booking> BookingService::CancelByReference(const std::string& partner_id,
                                                  const std::string& booking_id) {
  TRIPSIM_ASSIGN_OR_RETURN(b, store_.FindBookingByReference(partner_id, booking_id));
  return Cancel(partner_id, b.id);
}

}  // namespace tripsim::booking
