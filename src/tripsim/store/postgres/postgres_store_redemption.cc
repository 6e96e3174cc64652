// PostgresStore's eSIM inventory and redemption: the code's row is locked, and a profile is
// handed out once, in the same transaction as the code's redemption.
#include <algorithm>

#include "tripsim/store/postgres/booking_rows.h"
#include "tripsim/store/postgres/postgres_store_impl.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store::pg {

Status PostgresStore::ImportInventory(const std::vector<domain::EsimProfile>& profiles,
                                      int64_t now) {
  return Tx([&](Conn& c) -> Status {
    int64_t order = now * 1000;  // keeps the file's order among profiles of one import
    for (const auto& p : profiles) {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                    "confirmation_code, provider, test_profile, imported_at) "
                    "VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING RETURNING iccid",
                    {P(p.iccid), P(p.smdp_address), P(p.matching_id), P(p.confirmation_code),
                     P(p.provider), P(p.test_profile), P(order++)}));
      if (r.size() == 0) {
        return {ErrorCode::kAlreadyExists, "ICCID " + p.iccid + " is already in the inventory"};
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<ProviderStock>> PostgresStore::InventoryStatus() {
  return Read<std::vector<ProviderStock>>([](Conn& c) -> Result<std::vector<ProviderStock>> {
    TRIPSIM_ASSIGN_OR_RETURN(
        r, c.Exec("SELECT provider, SUM((promo_code IS NULL)::int), "
                  "SUM((promo_code IS NOT NULL)::int) FROM esim_profiles GROUP BY provider "
                  "ORDER BY provider"));
    std::vector<ProviderStock> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({r.Text(i, 0), r.Int(i, 1), r.Int(i, 2)});
    return out;
  });
}

Result<Redemption> PostgresStore::FindRedemption(const std::string& code) {
  return Read<Redemption>([&](Conn& c) -> Result<Redemption> {
    TRIPSIM_ASSIGN_OR_RETURN(
        b, QueryBooking(c, "id = (SELECT booking_id FROM promo_codes WHERE code = $1)", {P(code)},
                        false, "promo code not found"));
    TRIPSIM_ASSIGN_OR_RETURN(held, c.Exec("SELECT " + Cols(kProfileColumns) +
                                              " FROM esim_profiles WHERE promo_code = $1",
                                          {P(code)}));
    Redemption r{std::move(b), {}, false};
    if (held.size() > 0) r.profile = ReadProfile(pg::Row(held, 0));
    return r;
  });
}

Result<Redemption> PostgresStore::RedeemPromoCode(
    const std::string& code, int64_t now, const std::optional<domain::EsimProfile>& synthetic,
    const PromoRule& rule, const std::optional<domain::PromoCode>& assign) {
  Redemption out;
  Status st = Tx([&](Conn& c) -> Status {
    // The booking's row lock serializes the redemptions of its codes (and a cancellation)
    // across instances; its codes are read after the lock, so the last redemption sees the
    // others and completes the booking.
    TRIPSIM_ASSIGN_OR_RETURN(
        owner, c.Exec("SELECT booking_id FROM promo_codes WHERE code = $1", {P(code)}));
    if (owner.size() == 0) return NotFound("promo code not found");
    TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(c, "id = $1", {P(owner.Text(0, 0))}, true));
    auto pc = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                           [&](const domain::PromoCode& p) { return p.code == code; });
    TRIPSIM_ASSIGN_OR_RETURN(held, c.Exec("SELECT " + Cols(kProfileColumns) +
                                              " FROM esim_profiles WHERE promo_code = $1",
                                          {P(code)}));
    if (held.size() > 0) {
      out = {b, ReadProfile(pg::Row(held, 0)), false};
      return Status::Ok();
    }
    if (assign && assign->package && !pc->package) {
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE promo_codes SET package = $1, destination = $2, strategy = $3, "
                 "reason = $4 WHERE code = $5",
                 {P(EncodePackage(*assign->package)), P(assign->destination),
                  P(assign->assignment.strategy), P(assign->assignment.reason), P(code)})
              .status());
      pc->package = assign->package;
      pc->destination = assign->destination;
      pc->assignment = assign->assignment;
    }
    TRIPSIM_RETURN_IF_ERROR(rule(b, *pc));
    const std::string provider = pc->package ? pc->package->provider : "";
    TRIPSIM_ASSIGN_OR_RETURN(
        free, c.Exec("SELECT " + Cols(kProfileColumns) +
                         " FROM esim_profiles WHERE provider = $1 AND promo_code IS NULL "
                         "ORDER BY imported_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                     {P(provider)}));
    domain::EsimProfile profile;
    if (free.size() > 0) {
      profile = ReadProfile(pg::Row(free, 0));
    } else if (synthetic) {
      profile = *synthetic;
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                 "confirmation_code, provider, test_profile, imported_at) "
                 "VALUES ($1,$2,$3,$4,$5,1,$6)",
                 {P(profile.iccid), P(profile.smdp_address), P(profile.matching_id),
                  P(profile.confirmation_code), P(profile.provider), P(now * 1000)})
              .status());
    } else {
      return Status(ErrorCode::kResourceExhausted, "no eSIM in stock for " + provider);
    }
    TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE esim_profiles SET promo_code = $1, assigned_at = $2 "
                                   "WHERE iccid = $3 AND promo_code IS NULL",
                                   {P(code), P(now), P(profile.iccid)})
                                .status());
    TRIPSIM_RETURN_IF_ERROR(
        c.Exec("UPDATE promo_codes SET status = 'REDEEMED', redeemed_at = $1 WHERE code = $2",
               {P(now), P(code)})
            .status());
    pc->status = domain::PromoStatus::kRedeemed;
    pc->redeemed_at = now;
    bool all = std::all_of(b.promo_codes.begin(), b.promo_codes.end(), [](const auto& p) {
      return p.status == domain::PromoStatus::kRedeemed ||
             p.status == domain::PromoStatus::kRevoked;
    });
    if (all) {
      b.status = domain::BookingStatus::kCompleted;
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE bookings SET status = 'COMPLETED' WHERE id = $1", {P(b.id)}).status());
    }
    TRIPSIM_RETURN_IF_ERROR(EnqueueWebhook(c, b.id, "promo_code.redeemed", code, now));
    out = {std::move(b), profile, true};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace tripsim::store::pg
