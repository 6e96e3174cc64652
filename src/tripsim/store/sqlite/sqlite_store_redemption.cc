// SqliteStore's eSIM inventory and redemption: a profile is handed out once, in the same
// transaction as the code's redemption.
#include <algorithm>

#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/booking_rows.h"
#include "tripsim/store/sqlite/sqlite_store_impl.h"

namespace tripsim::store::sqlite {

Status SqliteStore::ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t now) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                      "confirmation_code, provider, test_profile, imported_at) "
                      "VALUES (?,?,?,?,?,?,?)"));
    int64_t order = now * 1000;  // keeps the file's order among profiles of one import
    for (const auto& p : profiles) {
      s.Bind(1, p.iccid).Bind(2, p.smdp_address).Bind(3, p.matching_id);
      s.Bind(4, p.confirmation_code).Bind(5, p.provider).Bind(6, p.test_profile);
      s.Bind(7, order++);
      Status st = s.Run();
      if (!st.ok() && s.ConstraintViolated()) {
        return {ErrorCode::kAlreadyExists, "ICCID " + p.iccid + " is already in the inventory"};
      }
      TRIPSIM_RETURN_IF_ERROR(st);
      s.Reset();
    }
    return Status::Ok();
  });
}

Result<std::vector<ProviderStock>> SqliteStore::InventoryStatus() {
  return Read<std::vector<ProviderStock>>([](Db& db) -> Result<std::vector<ProviderStock>> {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("SELECT provider, SUM(promo_code IS NULL), SUM(promo_code IS NOT NULL) "
                      "FROM esim_profiles GROUP BY provider ORDER BY provider"));
    std::vector<ProviderStock> out;
    Stmt::StepResult r;
    while ((r = s.Step()) == Stmt::kRow) out.push_back({s.Text(0), s.Int(1), s.Int(2)});
    if (r == Stmt::kError) return s.Error();
    return out;
  });
}

Result<Redemption> SqliteStore::FindRedemption(const std::string& code) {
  return Read<Redemption>([&](Db& db) -> Result<Redemption> {
    TRIPSIM_ASSIGN_OR_RETURN(b,
                             QueryBooking(db, kBookingOfCode, [&](Stmt& q) { q.Bind(1, code); }));
    TRIPSIM_ASSIGN_OR_RETURN(held, db.Prepare("SELECT " + std::string(kProfileColumns) +
                                              " FROM esim_profiles WHERE promo_code = ?"));
    held.Bind(1, code);
    Redemption r{std::move(b), {}, false};
    if (held.Step() == Stmt::kRow) r.profile = ReadProfile(held);
    return r;
  });
}

Result<Redemption> SqliteStore::RedeemPromoCode(const std::string& code, int64_t now,
                                                const std::optional<domain::EsimProfile>& synthetic,
                                                const PromoRule& rule,
                                                const std::optional<domain::PromoCode>& assign) {
  Redemption out;
  Status st = writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(b,
                             QueryBooking(db, kBookingOfCode, [&](Stmt& q) { q.Bind(1, code); }));
    auto pc = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                           [&](const domain::PromoCode& p) { return p.code == code; });
    const std::string profiles = "SELECT " + std::string(kProfileColumns) + " FROM esim_profiles ";
    TRIPSIM_ASSIGN_OR_RETURN(held, db.Prepare(profiles + "WHERE promo_code = ?"));
    held.Bind(1, code);
    if (held.Step() == Stmt::kRow) {
      out = {b, ReadProfile(held), false};
      return Status::Ok();
    }
    if (assign && assign->package && !pc->package) {
      TRIPSIM_ASSIGN_OR_RETURN(
          set, db.Prepare("UPDATE promo_codes SET package = ?, destination = ?, strategy = ?, "
                          "reason = ? WHERE code = ?"));
      set.Bind(1, EncodePackage(*assign->package)).Bind(2, assign->destination);
      set.Bind(3, assign->assignment.strategy).Bind(4, assign->assignment.reason).Bind(5, code);
      TRIPSIM_RETURN_IF_ERROR(set.Run());
      pc->package = assign->package;
      pc->destination = assign->destination;
      pc->assignment = assign->assignment;
    }
    TRIPSIM_RETURN_IF_ERROR(rule(b, *pc));
    const std::string provider = pc->package ? pc->package->provider : "";
    TRIPSIM_ASSIGN_OR_RETURN(
        free, db.Prepare(profiles +
                         "WHERE provider = ? AND promo_code IS NULL ORDER BY imported_at LIMIT 1"));
    free.Bind(1, provider);
    domain::EsimProfile profile;
    Stmt::StepResult r = free.Step();
    if (r == Stmt::kError) return free.Error();
    if (r == Stmt::kRow) {
      profile = ReadProfile(free);
    } else if (synthetic) {
      profile = *synthetic;
      TRIPSIM_ASSIGN_OR_RETURN(
          ins, db.Prepare("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                          "confirmation_code, provider, test_profile, imported_at) "
                          "VALUES (?,?,?,?,?,?,?)"));
      ins.Bind(1, profile.iccid).Bind(2, profile.smdp_address).Bind(3, profile.matching_id);
      ins.Bind(4, profile.confirmation_code).Bind(5, profile.provider).Bind(6, true);
      TRIPSIM_RETURN_IF_ERROR(ins.Bind(7, now * 1000).Run());
    } else {
      return Status(ErrorCode::kResourceExhausted, "no eSIM in stock for " + provider);
    }
    TRIPSIM_ASSIGN_OR_RETURN(hand_out,
                             db.Prepare("UPDATE esim_profiles SET promo_code = ?, assigned_at = ? "
                                        "WHERE iccid = ? AND promo_code IS NULL"));
    TRIPSIM_RETURN_IF_ERROR(hand_out.Bind(1, code).Bind(2, now).Bind(3, profile.iccid).Run());
    TRIPSIM_ASSIGN_OR_RETURN(
        redeem, db.Prepare("UPDATE promo_codes SET status = 'REDEEMED', redeemed_at = ? "
                           "WHERE code = ?"));
    TRIPSIM_RETURN_IF_ERROR(redeem.Bind(1, now).Bind(2, code).Run());
    pc->status = domain::PromoStatus::kRedeemed;
    pc->redeemed_at = now;
    bool all = std::all_of(b.promo_codes.begin(), b.promo_codes.end(), [](const auto& c) {
      return c.status == domain::PromoStatus::kRedeemed ||
             c.status == domain::PromoStatus::kRevoked;
    });
    if (all) {
      b.status = domain::BookingStatus::kCompleted;
      TRIPSIM_ASSIGN_OR_RETURN(done,
                               db.Prepare("UPDATE bookings SET status = 'COMPLETED' WHERE id = ?"));
      TRIPSIM_RETURN_IF_ERROR(done.Bind(1, b.id).Run());
    }
    TRIPSIM_RETURN_IF_ERROR(
        EnqueueWebhook(db, {b.partner_id, b.id}, "promo_code.redeemed", code, now));
    out = {std::move(b), profile, true};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace tripsim::store::sqlite
