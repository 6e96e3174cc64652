// BookingService: the booking use cases behind the partner API (design.md 2.3-2.5): create
// (assign packages, issue promo codes, queue messages, idempotently), read, list and cancel.
// Transport-neutral: the api layer parses and serialises; every rule lives here.
//
//   BookingService service(store, catalogs, clock, {.grace_days = 30});
//   Result<CreateOutcome> r = service.Create(partner, request, idempotency_key);
//   // r->created: 201 when true, 200 for an idempotent repeat
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/clock.h"
#include "tripsim/base/mutex.h"
#include "tripsim/base/status.h"
#include "tripsim/booking/partner_directory.h"
#include "tripsim/catalog/catalog.h"
#include "tripsim/domain/booking.h"
#include "tripsim/store/store.h"

namespace tripsim::booking {

// The current catalog snapshot, swapped atomically when the catalog changes. Thread-safe.
class CatalogHolder {
 public:
  std::shared_ptr<const catalog::Catalog> Get() const;
  void Set(std::shared_ptr<const catalog::Catalog> catalog);
  // Reads every package from the store into a new snapshot, unless the store's catalog version
  // is still the one of the snapshot held (then it costs one small read).
  Status Reload(store::Store& store);

 private:
  mutable Mutex mu_;
  std::shared_ptr<const catalog::Catalog> current_ GUARDED_BY(mu_) =
      std::make_shared<const catalog::Catalog>(std::vector<domain::Package>{});
  std::optional<int64_t> loaded_version_ GUARDED_BY(mu_);  // none after Set
};

struct CreateOutcome {
  domain::Booking booking;
  bool created = false;              // false for an idempotent repeat
  std::vector<FieldIssue> warnings;  // e.g. EMAIL requested without an address
};

class BookingService {
 public:
  struct Options {
    int grace_days = 30;  // promo codes stay valid this long after departure + validity
    int destinationless_validity_days = 365;
    // Staging: an empty stock hands out a synthetic test profile. Production never does.
    bool synthetic_profiles = false;
    // A provider's stock below this after a redemption logs a warning.
    int64_t low_stock_threshold = 10;
  };

  BookingService(store::Store& store, const CatalogHolder& catalogs, const Clock& clock,
                 Options options);

  // Creates a booking, or returns the existing one for a repeat of the same request.
  // Errors: kAlreadyExists (409, details name the existing id) for the same booking_id or
  // idempotency key with a different request; kPermissionDenied (403) for a destination or
  // type the partner may not use; kUnprocessable (422) when no package fits.
  Result<CreateOutcome> Create(const ActivePartner& partner, const domain::BookingRequest& request,
                               const std::string& idempotency_key);
  // The same without waiting for the write: reads and checks on the caller's thread, then
  // calls `done` once the booking is durable (on the store's writer thread, for SQLite: `done`
  // must only hand the outcome on), or at once for a repeat or a refusal.
  using CreateDone = std::function<void(Result<CreateOutcome>)>;
  void CreateAsync(const ActivePartner& partner, const domain::BookingRequest& request,
                   const std::string& idempotency_key, CreateDone done);

  // The partner's booking, unless it is still at `known_revision` (then only its revision):
  // store::Store::GetBookingIfChanged.
  Result<store::CheckedBooking> GetIfChanged(const std::string& partner_id, const std::string& id,
                                             std::optional<int64_t> known_revision);
  // The store's mark of its last commit: store::Store::CommitMark.
  std::optional<uint64_t> CommitMark() const { return store_.CommitMark(); }
  Result<domain::Booking> GetByReference(const std::string& partner_id,
                                         const std::string& booking_id);
  // The booking holding the promo code with this claim uuid (for the traveller's pages).
  Result<domain::Booking> FindByPromoUuid(const std::string& uuid);
  Result<store::BookingPage> List(const std::string& partner_id, const store::BookingFilter& f);

  // Cancels when design.md 2.4 allows it: no message sent (or claimed by a worker), no code
  // redeemed, departure not passed. Cancelling a cancelled booking returns it unchanged.
  // kFailedPrecondition (409) names the rule that refused.
  Result<domain::Booking> Cancel(const std::string& partner_id, const std::string& id);
  Result<domain::Booking> CancelByReference(const std::string& partner_id,
                                            const std::string& booking_id);

  // Queues the traveller's email again (a new message with the same content), to `email` when
  // given (a corrected address, or a first one), else to the booking's address. The booking's
  // request stays as it was sent. kFailedPrecondition (409) for a cancelled booking, or one
  // without an address when `email` is absent.
  Result<domain::Booking> Resend(const std::string& partner_id, const std::string& id,
                                 const std::optional<std::string>& email = std::nullopt);

  // A traveller claims a code issued without an email: the code becomes CLAIMED and is emailed
  // to `email`. kNotFound for an unknown uuid, kGone (410) for a revoked or expired code,
  // kFailedPrecondition (409) when it was already claimed or redeemed.
  // REQUIRES: `email` is a validated address.
  Result<domain::Booking> Claim(const std::string& uuid, const std::string& email);

  // Redeems a promo code as a traveller typed it (any case, hyphens optional): hands out one
  // eSIM profile of the package's provider, once; a second redeem returns the same profile.
  // kNotFound for an unknown code, kGone (410) for a revoked or expired one,
  // kFailedPrecondition (409) for a code without a package yet, kResourceExhausted (503) when
  // the provider's stock is empty in production.
  // A destinationless code needs `destination` (the traveller's choice among the partner's
  // allowed destinations); its package is then assigned by the partner's strategy.
  Result<store::Redemption> Redeem(const std::string& typed_code,
                                   const std::optional<std::string>& destination = std::nullopt);
  // The code's booking and, once redeemed, its profile (for the traveller's page).
  Result<store::Redemption> FindRedemption(const std::string& typed_code);

 private:
  Result<domain::Booking> Build(const ActivePartner& partner, const domain::BookingRequest& request,
                                const std::string& idempotency_key,
                                std::vector<FieldIssue>& warnings);
  void WarnOnLowStock(const std::string& provider);
  // The code with the package the partner's strategy picks for `destination`.
  Result<domain::PromoCode> AssignAtRedemption(const domain::Booking& b,
                                               const domain::PromoCode& code,
                                               const std::string& destination);

  store::Store& store_;
  const CatalogHolder& catalogs_;
  const Clock& clock_;
  const Options options_;
};

}  // namespace tripsim::booking
