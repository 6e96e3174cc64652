// Store conformance: bookings, stored, found, listed, cancelled, created together and again.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tripsim/base/ids.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

using domain::Booking;
using domain::BookingStatus;
using domain::MessageStatus;
using domain::Partner;
using domain::PromoStatus;

TEST_P(StoreConformance, BookingsRoundTripWithCodesAndMessages) {
  Booking b = MakeBooking("pt_a", "TRV-1");
  auto r = store_->CreateBooking(b);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->created);
  auto got = store_->GetBooking("pt_a", b.id);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(*got, b);
  EXPECT_EQ(*store_->FindBookingByReference("pt_a", "TRV-1"), b);
}

TEST_P(StoreConformance, PartnersSeeOnlyTheirOwnBookings) {
  Booking b = MakeBooking("pt_a", "TRV-1");
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  EXPECT_EQ(store_->GetBooking("pt_b", b.id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindBookingByReference("pt_b", "TRV-1").status().code(), ErrorCode::kNotFound);
  auto rule = [](const Booking&) { return Status::Ok(); };
  EXPECT_EQ(store_->CancelBooking("pt_b", b.id, rule).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListBookings("pt_b", {})->total, 0);
  // The same booking_id is independent per partner.
  EXPECT_TRUE(store_->CreateBooking(MakeBooking("pt_b", "TRV-1"))->created);
}

TEST_P(StoreConformance, DuplicateReferenceReturnsTheOriginal) {
  Booking first = MakeBooking("pt_a", "TRV-1");
  ASSERT_TRUE(store_->CreateBooking(first).ok());
  auto again = store_->CreateBooking(MakeBooking("pt_a", "TRV-1"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->booking, first);
}

TEST_P(StoreConformance, IdempotencyKeysDeduplicateUntilExpired) {
  Booking first = MakeBooking("pt_a", std::nullopt, 1000);
  first.idempotency_key = "key-1";
  ASSERT_TRUE(store_->CreateBooking(first)->created);
  Booking second = MakeBooking("pt_a", std::nullopt, 2000);
  second.idempotency_key = "key-1";
  EXPECT_FALSE(store_->CreateBooking(second)->created);
  EXPECT_EQ(store_->FindBookingByIdempotencyKey("pt_a", "key-1")->id, first.id);
  ASSERT_TRUE(store_->ExpireIdempotencyKeys(1500).ok());
  EXPECT_TRUE(store_->CreateBooking(second)->created);
}

TEST_P(StoreConformance, ConcurrentDuplicatesResolveToOneBooking) {
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  std::vector<std::string> ids(32);
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&, i] {
      auto r = store_->CreateBooking(MakeBooking("pt_a", "TRV-RACE"));
      ASSERT_TRUE(r.ok()) << r.status().message();
      if (r->created) ++created;
      ids[static_cast<size_t>(i)] = r->booking.id;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(store_->ListBookings("pt_a", {})->total, 1);
}

// What the booking service does with every new booking: CreateBookingAsync, not waiting.
// (PostgreSQL gathers these into batches of one transaction; SQLite into its group commit.)
class Answers {
 public:
  explicit Answers(size_t n) : results_(n, Result<CreateResult>(Internal("no answer"))) {}
  // The `done` of the i-th booking.
  std::function<void(Result<CreateResult>)> For(size_t i) {
    return [this, i](Result<CreateResult> r) {
      std::lock_guard lock(mu_);
      results_[i] = std::move(r);
      if (++answered_ == results_.size()) all_.notify_all();
    };
  }
  // Every answer, once all came (a test failure after a minute).
  const std::vector<Result<CreateResult>>& Wait() {
    std::unique_lock lock(mu_);
    EXPECT_TRUE(
        all_.wait_for(lock, std::chrono::minutes(1), [&] { return answered_ == results_.size(); }));
    return results_;
  }

 private:
  std::mutex mu_;
  std::condition_variable all_;
  std::vector<Result<CreateResult>> results_;
  size_t answered_ = 0;
};

TEST_P(StoreConformance, BookingsCreatedTogetherAreEachStoredOnceWithTheirChildren) {
  // 150 bookings submitted at once from three threads, every tenth booking_id twice; by tens,
  // for a partner with a webhook URL and one without.
  Partner hooked = *store_->GetPartner("pt_a");
  hooked.webhook_url = "https://ota.example.com/hooks";
  ASSERT_TRUE(store_->UpdatePartner(hooked).ok());
  constexpr size_t kCount = 150;
  std::vector<Booking> bookings;
  for (size_t i = 0; i < kCount; ++i) {
    bookings.push_back(MakeBooking(i / 10 % 2 == 0 ? "pt_a" : "pt_b",
                                   "TOGETHER-" + std::to_string(i % 10 == 9 ? i - 1 : i),
                                   5000 + static_cast<int64_t>(i)));
  }
  Answers answers(kCount);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < kCount; i += 3)
        store_->CreateBookingAsync(bookings[i], answers.For(i));
    });
  }
  for (auto& t : threads) t.join();
  const std::vector<Result<CreateResult>>& results = answers.Wait();
  int created = 0;
  for (size_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status().message();
    const std::string ref = *bookings[i].request.booking_id;
    EXPECT_EQ(results[i]->booking.request.booking_id, ref);
    if (!results[i]->created) continue;
    ++created;
    EXPECT_EQ(results[i]->booking, bookings[i]);
    auto stored = store_->GetBooking(bookings[i].partner_id, bookings[i].id);
    ASSERT_TRUE(stored.ok()) << ref;
    EXPECT_EQ(*stored, bookings[i]);  // its promo codes and message too
  }
  // Of each pair, one made the booking and the other was answered with it.
  EXPECT_EQ(created, 135);
  for (size_t i = 9; i < kCount; i += 10) {
    EXPECT_EQ(results[i]->booking.id, results[i - 1]->booking.id) << i;
  }
  EXPECT_EQ(store_->ListBookings("pt_a", {})->total, 72);
  EXPECT_EQ(store_->ListBookings("pt_b", {})->total, 63);
  EXPECT_EQ(store_->QueueDepth(1'000'000)->messages, 135);  // one email each
  auto events = store_->ListWebhookEvents("pt_a", 1000);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 72u);
  for (const auto& e : *events) EXPECT_EQ(e.event, "booking.created");
  EXPECT_TRUE(store_->ListWebhookEvents("pt_b", 1000)->empty());
}

TEST_P(StoreConformance, ABookingThatCannotBeStoredFailsAloneAmongThoseCreatedWithIt) {
  Booking first = MakeBooking("pt_a", "FIRST");
  ASSERT_TRUE(store_->CreateBooking(first)->created);
  constexpr size_t kCount = 40;
  std::vector<Booking> bookings;
  for (size_t i = 0; i < kCount; ++i) {
    bookings.push_back(MakeBooking("pt_a", "NEIGHBOUR-" + std::to_string(i)));
  }
  bookings[17].promo_codes[1].code = first.promo_codes[0].code;  // a promo code taken
  Answers answers(kCount);
  for (size_t i = 0; i < kCount; ++i) store_->CreateBookingAsync(bookings[i], answers.For(i));
  const std::vector<Result<CreateResult>>& results = answers.Wait();
  for (size_t i = 0; i < kCount; ++i) {
    if (i == 17) {
      EXPECT_FALSE(results[i].ok());
      EXPECT_EQ(store_->FindBookingByReference("pt_a", "NEIGHBOUR-17").status().code(),
                ErrorCode::kNotFound);  // nothing of it stays behind
      continue;
    }
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status().message();
    EXPECT_TRUE(results[i]->created) << i;
    EXPECT_EQ(*store_->GetBooking("pt_a", bookings[i].id), bookings[i]);
  }
  EXPECT_EQ(store_->ListBookings("pt_a", {})->total, static_cast<int64_t>(kCount));
  EXPECT_EQ(store_->QueueDepth(1'000'000)->messages, static_cast<int64_t>(kCount));
}

TEST_P(StoreConformance, ListsNewestFirstWithPagingAndFilters) {
  const int64_t day = 86'400'000;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        store_->CreateBooking(MakeBooking("pt_a", "TRV-" + std::to_string(i), i * day)).ok());
  }
  auto page = store_->ListBookings("pt_a", {.page = 1, .per_page = 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->bookings.size(), 2u);
  EXPECT_EQ(page->bookings[0].request.booking_id, "TRV-4");
  EXPECT_EQ(page->bookings[0].promo_codes.size(), 2u);
  for (const Booking& listed : page->bookings) {  // each with its own codes and messages
    EXPECT_EQ(listed, *store_->GetBooking("pt_a", listed.id));
  }
  auto last = store_->ListBookings("pt_a", {.page = 3, .per_page = 2});
  ASSERT_EQ(last->bookings.size(), 1u);
  EXPECT_EQ(last->bookings[0].request.booking_id, "TRV-0");
  auto ranged = store_->ListBookings(
      "pt_a", {.created_from = Date{1}, .created_to = Date{2}, .page = 1, .per_page = 20});
  EXPECT_EQ(ranged->total, 2);
  auto cancelled = store_->ListBookings("pt_a", {.status = BookingStatus::kCancelled});
  EXPECT_EQ(cancelled->total, 0);
}

// A list's total is kept per day and status apart from the bookings; whatever happens to
// them, it must be the number of bookings the filter's pages hold.
TEST_P(StoreConformance, ListTotalsAreTheBookingsTheFilterMatches) {
  const int64_t day = 86'400'000;
  std::vector<Booking> made;
  for (int i = 0; i < 7; ++i) {
    made.push_back(MakeBooking(i == 6 ? "pt_b" : "pt_a", "TRV-" + std::to_string(i),
                               (20'600 + i / 2) * day + int64_t{i} * 1'000));
    ASSERT_TRUE(store_->CreateBooking(made.back()).ok());
  }
  ASSERT_FALSE(store_->CreateBooking(made[0])->created);  // a repeat counts once
  auto allow = [](const Booking&, const domain::PromoCode&) { return Status::Ok(); };
  domain::EsimProfile profile{"8988247000000000018", "smdp.example.com", "M-1", "", "sample", true};
  for (const auto& code : made[1].promo_codes) {  // every code redeemed: COMPLETED
    ASSERT_TRUE(store_->RedeemPromoCode(code.code, 3'000, profile, allow, std::nullopt).ok());
    profile.iccid += "1";
  }
  auto cancel = [](const Booking&) { return Status::Ok(); };
  ASSERT_TRUE(store_->CancelBooking("pt_a", made[2].id, cancel).ok());
  ASSERT_TRUE(store_->CancelBooking("pt_a", made[2].id, cancel).ok());  // cancelled once
  ASSERT_TRUE(store_->CancelBooking("pt_a", made[4].id, cancel).ok());
  ASSERT_EQ(store_->GetBooking("pt_a", made[1].id)->status, BookingStatus::kCompleted);

  const std::optional<BookingStatus> statuses[] = {std::nullopt, BookingStatus::kConfirmed,
                                                   BookingStatus::kCancelled,
                                                   BookingStatus::kCompleted};
  const std::optional<Date> bounds[] = {std::nullopt, Date{20'600}, Date{20'601}, Date{20'602}};
  for (const auto& status : statuses) {
    for (const auto& from : bounds) {
      for (const auto& to : bounds) {
        BookingFilter f{.status = status, .created_from = from, .created_to = to, .per_page = 100};
        auto page = store_->ListBookings("pt_a", f);
        ASSERT_TRUE(page.ok()) << page.status().message();
        int64_t matching = std::count_if(made.begin(), made.end(), [&](const Booking& b) {
          return b.partner_id == "pt_a" && Matches(f, *store_->GetBooking("pt_a", b.id));
        });
        EXPECT_EQ(page->total, matching)
            << "status " << (status ? domain::BookingStatusName(*status) : "any") << ", from "
            << (from ? from->days : -1) << ", to " << (to ? to->days : -1);
        EXPECT_EQ(static_cast<int64_t>(page->bookings.size()), matching);
      }
    }
  }
  EXPECT_EQ(store_->ListBookings("pt_b", {})->total, 1);
}

TEST_P(StoreConformance, CancelAppliesOnlyWhenTheRuleAllows) {
  Booking b = MakeBooking("pt_a", "TRV-1");
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  auto refused = store_->CancelBooking(
      "pt_a", b.id, [](const Booking&) { return Status(ErrorCode::kFailedPrecondition, "no"); });
  EXPECT_EQ(refused.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetBooking("pt_a", b.id)->status, BookingStatus::kConfirmed);
  auto done = store_->CancelBooking("pt_a", b.id, [](const Booking&) { return Status::Ok(); });
  ASSERT_TRUE(done.ok());
  Booking after = *store_->GetBooking("pt_a", b.id);
  EXPECT_EQ(after, *done);
  EXPECT_EQ(after.status, BookingStatus::kCancelled);
  EXPECT_EQ(after.promo_codes[0].status, PromoStatus::kRevoked);
  EXPECT_EQ(after.messages[0].status, MessageStatus::kCancelled);
  auto filtered = store_->ListBookings("pt_a", {.status = BookingStatus::kCancelled});
  EXPECT_EQ(filtered->total, 1);
}

TEST_P(StoreConformance, AddsMessagesToABooking) {
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  domain::Message m = b.messages[0];
  m.id = NewId("msg_");
  m.kind = "resend";
  m.recipient = "grace@example.com";
  m.created_at = m.due_at = 1000 + 86'400'000;  // the next day
  ASSERT_TRUE(store_->AddMessage(b.id, m).ok());
  auto got = store_->GetBooking("pt_a", b.id);
  ASSERT_EQ(got->messages.size(), 2u);
  EXPECT_EQ(got->messages[1], m);
  EXPECT_EQ(store_->AddMessage("bk_nope", m).code(), ErrorCode::kNotFound);
  // Each message is counted pending on the day it was created.
  auto stats = store_->QueryStats(Date{0}, Date{1}, "pt_a");
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  ASSERT_EQ(stats->rows.size(), 2u);
  for (const StatsRow& row : stats->rows) {
    EXPECT_EQ(row.counters.messages_pending, 1) << row.day.days;
    EXPECT_EQ(row.counters.accepted, row.day.days == 0 ? 1 : 0) << row.day.days;
  }
}

// Reads `b` through GetBookingIfChanged at the revision last seen, after a change: the answer
// must be the booking as it is now, at a new revision when the store keeps revisions.
void ExpectChangedSince(Store& store, const Booking& b, std::optional<int64_t>& seen,
                        const char* change) {
  SCOPED_TRACE(change);
  auto checked = store.GetBookingIfChanged(b.partner_id, b.id, seen);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  ASSERT_TRUE(checked->booking.has_value());
  EXPECT_EQ(*checked->booking, *store.GetBooking(b.partner_id, b.id));
  if (checked->revision) {
    EXPECT_NE(checked->revision, seen);
    // Unchanged since: only the revision comes back.
    auto again = store.GetBookingIfChanged(b.partner_id, b.id, checked->revision);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->revision, checked->revision);
    EXPECT_FALSE(again->booking.has_value());
  }
  seen = checked->revision;
}

TEST_P(StoreConformance, ABookingReadIfChangedIsAnsweredAfterEveryChange) {
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  Booking cancelled = MakeBooking("pt_a", "TRV-2", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  ASSERT_TRUE(store_->CreateBooking(cancelled).ok());
  std::optional<int64_t> seen;
  ExpectChangedSince(*store_, b, seen, "created");
  EXPECT_EQ(store_->GetBookingIfChanged("pt_b", b.id, seen).status().code(),
            ErrorCode::kNotFound);  // another partner's booking, as GetBooking
  EXPECT_EQ(store_->GetBookingIfChanged("pt_a", "bk_nope", seen).status().code(),
            ErrorCode::kNotFound);

  ASSERT_EQ(store_->ClaimDueMessages(1000, 61'000, 1)->size(), 1u);
  ExpectChangedSince(*store_, b, seen, "message claimed by a worker");
  ASSERT_TRUE(store_->MarkMessageSent(b.messages[0].id, 2000).ok());
  ExpectChangedSince(*store_, b, seen, "message sent");
  domain::Message resend = b.messages[0];
  resend.id = NewId("msg_");
  resend.kind = "resend";
  ASSERT_TRUE(store_->AddMessage(b.id, resend).ok());
  ExpectChangedSince(*store_, b, seen, "message added");
  ASSERT_TRUE(store_->MarkMessageFailed(resend.id, "550 no such user", {}).ok());
  ExpectChangedSince(*store_, b, seen, "message failed");
  auto allow = [](const Booking&, const domain::PromoCode&) { return Status::Ok(); };
  domain::EsimProfile profile{"8988247000000000018", "smdp.example.com", "M-1", "", "sample", true};
  ASSERT_TRUE(
      store_->RedeemPromoCode(b.promo_codes[0].code, 3000, profile, allow, std::nullopt).ok());
  ExpectChangedSince(*store_, b, seen, "code redeemed");
  ASSERT_TRUE(store_->EraseTraveller("ada@example.com").ok());
  ExpectChangedSince(*store_, b, seen, "traveller erased");

  std::optional<int64_t> seen_cancelled;
  ExpectChangedSince(*store_, cancelled, seen_cancelled, "created");
  ASSERT_TRUE(
      store_->CancelBooking("pt_a", cancelled.id, [](const Booking&) { return Status::Ok(); })
          .ok());
  ExpectChangedSince(*store_, cancelled, seen_cancelled, "cancelled");
}

}  // namespace
}  // namespace tripsim::store::test
