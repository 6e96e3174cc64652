// Store conformance: promo codes and claim links looked up, the eSIM inventory and redemption.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tripsim/base/ids.h"
#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

using domain::Booking;
using domain::BookingStatus;

TEST_P(StoreConformance, AnUnknownPromoCodeOrClaimLinkIsNotFoundAsSuch) {
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-1")).ok());
  auto allow = [](const Booking&, const domain::PromoCode&) { return Status::Ok(); };
  const Status unknown[] = {
      store_->FindRedemption("NOPE-NOPE-NOPE").status(),
      store_->RedeemPromoCode("NOPE-NOPE-NOPE", 1000, std::nullopt, allow, std::nullopt).status(),
      store_->FindBookingByPromoUuid(NewUuidV7()).status(),
      store_->ClaimPromoCode(NewUuidV7(), 1000, MakeBooking("pt_a", "TRV-2").messages[0], allow)
          .status(),
  };
  for (const Status& s : unknown) {
    EXPECT_EQ(s.code(), ErrorCode::kNotFound);
    EXPECT_EQ(s.message(), "promo code not found");  // a traveller's answer: not "booking"
  }
}

TEST_P(StoreConformance, InventoryImportsAtomicallyAndEachCodeGetsOneProfileUnderConcurrency) {
  std::vector<domain::EsimProfile> stock;
  for (int i = 0; i < 3; ++i) {
    stock.push_back({"89882470000000000" + std::to_string(10 + i), "smdp.example.com",
                     "M-" + std::to_string(i), "", "sample", false});
  }
  ASSERT_TRUE(store_->ImportInventory(stock, 1000).ok());
  std::vector<domain::EsimProfile> again = {
      {"8988247000000000999", "smdp.example.com", "M-9", "", "sample", false}, stock[1]};
  EXPECT_EQ(store_->ImportInventory(again, 2000).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->InventoryStatus()->at(0).available, 3);  // nothing of the failed import

  Booking b = MakeBooking("pt_a", "TRV-1");
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  auto allow = [](const Booking&, const domain::PromoCode&) { return Status::Ok(); };
  std::vector<std::string> iccids(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < iccids.size(); ++t) {
    threads.emplace_back([&, t] {
      const std::string& code = b.promo_codes[t % 2].code;
      auto r = store_->RedeemPromoCode(code, 3000, std::nullopt, allow, std::nullopt);
      if (r.ok()) iccids[t] = r->profile.iccid;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t t = 0; t < iccids.size(); ++t) {
    EXPECT_EQ(iccids[t], iccids[t % 2]) << "one profile per code";
    EXPECT_FALSE(iccids[t].empty());
  }
  EXPECT_NE(iccids[0], iccids[1]);
  auto status = store_->InventoryStatus();
  EXPECT_EQ(status->at(0).available, 1);
  EXPECT_EQ(status->at(0).assigned, 2);
  auto done = store_->GetBooking("pt_a", b.id);
  EXPECT_EQ(done->status, BookingStatus::kCompleted);
}

}  // namespace
}  // namespace tripsim::store::test
