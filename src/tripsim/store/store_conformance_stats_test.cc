// Store conformance: the dashboard's counters, access tokens and traveller erasure.
#include <gtest/gtest.h>

#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

using domain::Booking;
using domain::MessageStatus;

TEST_P(StoreConformance, CountsEveryChangeForTheDashboard) {
  const int64_t day = 86'400'000;
  const int64_t d1 = 20'600 * day + 3'600'000;  // 2026-05-27 01:00 UTC
  const int64_t d2 = d1 + day;
  Booking first = MakeBooking("pt_a", "TRV-1", d1);
  Booking second = MakeBooking("pt_a", "TRV-2", d1);
  Booking other = MakeBooking("pt_b", "TRV-3", d2);
  for (const Booking& b : {first, second, other}) ASSERT_TRUE(store_->CreateBooking(b).ok());
  ASSERT_FALSE(store_->CreateBooking(MakeBooking("pt_a", "TRV-1", d1))->created);
  ASSERT_TRUE(store_
                  ->RecordFailedAttempts({{"pt_a", d1, domain::FailureReason::kValidation, 2},
                                          {"pt_a", d1, domain::FailureReason::kAuthentication},
                                          {"", d2, domain::FailureReason::kAuthentication}})
                  .ok());
  // first: its message sent 1.234 s after creation, one code redeemed; second: cancelled.
  ASSERT_EQ(store_->ClaimDueMessages(d1, d1 + 60'000, 10)->size(), 2u);
  ASSERT_TRUE(store_->MarkMessageSent(first.messages[0].id, d1 + 1'234).ok());
  ASSERT_TRUE(store_->MarkMessageFailed(other.messages[0].id, "550 no such user", {}).ok());
  auto allow = [](const Booking&, const domain::PromoCode&) { return Status::Ok(); };
  domain::EsimProfile profile{"8988247000000000018", "smdp.example.com", "M-1", "", "sample", true};
  ASSERT_TRUE(
      store_->RedeemPromoCode(first.promo_codes[0].code, d2, profile, allow, std::nullopt).ok());
  ASSERT_TRUE(
      store_->CancelBooking("pt_a", second.id, [](const Booking&) { return Status::Ok(); }).ok());

  auto stats = store_->QueryStats(DateOfMillis(d1), DateOfMillis(d2), std::nullopt);
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  ASSERT_EQ(stats->rows.size(), 3u);
  const StatsRow* a = nullptr;
  const StatsRow* b = nullptr;
  const StatsRow* unattributed = nullptr;
  for (const StatsRow& row : stats->rows) {
    (row.partner_id == "pt_a" ? a : row.partner_id == "pt_b" ? b : unattributed) = &row;
  }
  ASSERT_TRUE(a && b && unattributed);
  EXPECT_EQ(a->day, DateOfMillis(d1));
  domain::DayCounters want_a;
  want_a.accepted = 2;
  want_a.failed[domain::Index(domain::FailureReason::kValidation)] = 2;
  want_a.failed[domain::Index(domain::FailureReason::kAuthentication)] = 1;
  want_a.messages_sent = 1;
  want_a.messages_cancelled = 1;
  want_a.codes_issued = 4;
  want_a.codes_redeemed = 1;
  want_a.codes_revoked = 2;
  EXPECT_EQ(a->counters, want_a);
  EXPECT_EQ(a->counters.attempted(), 5);
  domain::DayCounters want_b;
  want_b.accepted = 1;
  want_b.messages_failed = 1;
  want_b.codes_issued = 2;
  EXPECT_EQ(b->counters, want_b);
  EXPECT_EQ(unattributed->partner_id, "");
  EXPECT_EQ(unattributed->day, DateOfMillis(d2));
  EXPECT_EQ(unattributed->counters.failures(), 1);
  ASSERT_EQ(stats->send_times.size(), 1u);
  EXPECT_EQ(stats->send_times[0].partner_id, "pt_a");
  EXPECT_EQ(stats->send_times[0].steps, 123);
  EXPECT_EQ(stats->send_times[0].count, 1);

  auto only_b = store_->QueryStats(DateOfMillis(d1), DateOfMillis(d2), "pt_b");
  ASSERT_EQ(only_b->rows.size(), 1u);
  EXPECT_EQ(only_b->rows[0].counters, want_b);
  EXPECT_TRUE(store_->QueryStats(DateOfMillis(d1), DateOfMillis(d1), "pt_b")->rows.empty());

  auto usage = store_->QueryUsage(d1 - 3'600'000, d2, std::nullopt);  // day 1 only
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage->bookings.size(), 1u);
  EXPECT_EQ(usage->bookings[0], std::make_pair(std::string("pt_a"), int64_t{2}));
  EXPECT_EQ(usage->cancelled[0].second, 1);
  ASSERT_EQ(usage->packages.size(), 1u);  // the cancelled booking's revoked codes left out
  EXPECT_EQ(usage->packages[0].assigned, 2);
  EXPECT_EQ(usage->packages[0].redeemed, 1);
  EXPECT_EQ(usage->packages[0].package->id, "fr-1gb-7d");
}

TEST_P(StoreConformance, CountsAPartnersBookingsPerDay) {
  const int64_t day = 86'400'000;
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-1", 20'000 * day + 5)).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-2", 20'000 * day + 9)).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-3", 20'001 * day)).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_b", "TRV-4", 20'000 * day)).ok());
  EXPECT_EQ(*store_->BookingsOnDay("pt_a", Date{20'000}), 2);
  EXPECT_EQ(*store_->BookingsOnDay("pt_a", Date{20'001}), 1);
  EXPECT_EQ(*store_->BookingsOnDay("pt_b", Date{20'001}), 0);
}

TEST_P(StoreConformance, ErasesTravellerDataOnRequestAndAfterTheTripKeepingCounts) {
  Booking ada = MakeBooking("pt_a", "TRV-1", 1000);  // trip 2026-07-15..22, ada@example.com
  Booking other = MakeBooking("pt_b", "TRV-2", 1000);
  other.request.email = "grace@example.com";
  other.request.return_date = "2026-09-01";
  other.messages[0].recipient = "grace@example.com";
  ASSERT_TRUE(store_->CreateBooking(ada).ok());
  ASSERT_TRUE(store_->CreateBooking(other).ok());
  auto before = store_->QueryStats(Date{0}, Date{1}, std::nullopt);

  EXPECT_EQ(*store_->EraseTraveller("ADA@Example.com"), 1);
  EXPECT_EQ(*store_->EraseTraveller("ada@example.com"), 0);  // nothing left to erase
  Booking erased = *store_->GetBooking("pt_a", ada.id);
  EXPECT_FALSE(erased.request.email.has_value());
  EXPECT_FALSE(erased.request.first_name.has_value());
  EXPECT_EQ(erased.request.booking_id, "TRV-1");  // the partner's reference stays
  EXPECT_EQ(erased.promo_codes.size(), 2u);
  EXPECT_EQ(erased.messages[0].recipient, "");
  EXPECT_EQ(erased.messages[0].status, MessageStatus::kCancelled);  // never sent now
  EXPECT_TRUE(store_->GetBooking("pt_b", other.id)->request.email.has_value());

  EXPECT_EQ(*store_->EraseTripsEndedBefore(*ParseIsoDate("2026-09-01")), 0);
  EXPECT_EQ(*store_->EraseTripsEndedBefore(*ParseIsoDate("2026-09-02")), 1);
  EXPECT_FALSE(store_->GetBooking("pt_b", other.id)->request.email.has_value());
  auto after = store_->QueryStats(Date{0}, Date{1}, std::nullopt);
  int64_t accepted_before = 0, accepted_after = 0;
  for (const auto& r : before->rows) accepted_before += r.counters.accepted;
  for (const auto& r : after->rows) accepted_after += r.counters.accepted;
  EXPECT_EQ(accepted_after, accepted_before);
}

TEST_P(StoreConformance, AccessTokensAreFoundByTheirHash) {
  ASSERT_TRUE(store_->CreateAccessToken({"hash-admin", "", 1}).ok());
  ASSERT_TRUE(store_->CreateAccessToken({"hash-a", "pt_a", 2}).ok());
  EXPECT_EQ(store_->FindAccessToken("hash-a")->partner_id, "pt_a");
  EXPECT_EQ(store_->FindAccessToken("hash-admin")->partner_id, "");
  EXPECT_EQ(store_->FindAccessToken("nope").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tripsim::store::test
