// One conformance suite for every Store implementation (memory, SQLite; PostgreSQL when a
// server is available through TRIPSIM_TEST_POSTGRES_URL).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "tripsim/base/ids.h"
#include "tripsim/store/memory_store.h"
#include "tripsim/store/migrations.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/postgres/pg.h"
#include "tripsim/store/postgres/postgres_store.h"
#include "tripsim/store/sqlite/db.h"
#include "tripsim/store/sqlite/sqlite_store.h"

namespace tripsim::store {
namespace {

using domain::Booking;
using domain::BookingStatus;
using domain::MessageStatus;
using domain::Partner;
using domain::PromoStatus;

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

void PrintTo(const StoreFactory& f, std::ostream* os) { *os << f.name; }

std::string Dir() {
  auto dir = std::filesystem::temp_directory_path() / ("tripsim-store-" + NewId(""));
  std::filesystem::create_directories(dir);
  return dir.string();
}

Partner MakePartner(const std::string& id) {
  Partner p;
  p.id = id;
  p.name = "Partner " + id;
  p.api_key = "key-" + id;
  p.secret_sealed = "sealed";
  p.strategy_json = R"({"name":"fixed_size","size":"1GB"})";
  p.destination_allow_list = {"FR", "DE"};
  p.created_at = 1000;
  p.previous_secret_sealed = "sealed-before";
  p.previous_secret_until = 86'400'000;
  p.daily_booking_limit = 500;
  return p;
}

domain::Package MakePackage(const std::string& id) {
  return {id,           "France " + id, "sample", {"FR"},
          "",           1024,           7,        domain::PackageType::kDataLimited,
          {200, "EUR"}, {500, "EUR"},   false};
}

Booking MakeBooking(const std::string& partner, std::optional<std::string> ref,
                    int64_t created_at = 5000) {
  Booking b;
  b.id = NewId("bk_");
  b.partner_id = partner;
  b.request.booking_id = std::move(ref);
  b.request.departure_date = "2026-07-15";
  b.request.return_date = "2026-07-22";
  b.request.email = "ada@example.com";
  b.request.first_name = "Ada";
  b.request.pax = 2;
  domain::PackageSpec spec;
  spec.destinations = {"FR"};
  spec.size_mb = 1024;
  b.request.package_specifications = {spec};
  b.request.should_send_message = true;
  b.request.channels = {"EMAIL"};
  b.created_at = created_at;
  b.fingerprint = "fp";
  for (int i = 0; i < 2; ++i) {
    domain::PromoCode p;
    p.code = NewId("PC-");
    p.uuid = NewUuidV7();
    p.package = MakePackage("fr-1gb-7d");
    p.destination = "FR";
    p.assignment = {"fixed_size", "smallest package with at least 1GB"};
    p.valid_until = Date{20700};
    b.promo_codes.push_back(p);
  }
  domain::Message m;
  m.id = NewId("msg_");
  m.channel = "EMAIL";
  m.kind = "booking_confirmation";
  m.recipient = "ada@example.com";
  m.created_at = created_at;
  m.due_at = created_at;
  b.messages.push_back(m);
  return b;
}

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (GetParam().name == "postgres" && !std::getenv("TRIPSIM_TEST_POSTGRES_URL")) {
      GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
    }
    dir_ = Dir();
    store_ = GetParam().open(dir_);
    ASSERT_TRUE(store_->CreatePartner(MakePartner("pt_a")).ok());
    ASSERT_TRUE(store_->CreatePartner(MakePartner("pt_b")).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, PartnersRoundTripAndKeysAreUnique) {
  auto p = store_->FindPartnerByApiKey("key-pt_a");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, MakePartner("pt_a"));
  EXPECT_EQ(store_->CreatePartner(MakePartner("pt_a")).code(), ErrorCode::kAlreadyExists);
  Partner changed = *p;
  changed.enabled = false;
  changed.webhook_url = "https://example.com/hook";
  ASSERT_TRUE(store_->UpdatePartner(changed).ok());
  EXPECT_EQ(*store_->GetPartner("pt_a"), changed);
  EXPECT_EQ(store_->GetPartner("pt_zz").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->UpdatePartner(MakePartner("pt_zz")).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListPartners()->size(), 2u);
}

TEST_P(StoreConformance, PackagesUpsertAndRetire) {
  Result<int64_t> before = store_->CatalogVersion();
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(*store_->CatalogVersion(), *before);  // reading does not move it
  ASSERT_TRUE(store_->UpsertPackages({MakePackage("a"), MakePackage("b")}, false).ok());
  Result<int64_t> after = store_->CatalogVersion();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*after, *before);
  domain::Package a2 = MakePackage("a");
  a2.validity_days = 30;
  ASSERT_TRUE(store_->UpsertPackages({a2}, true).ok());
  auto all = store_->ListPackages();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], a2);
  EXPECT_TRUE((*all)[1].retired);
}

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

TEST_P(StoreConformance, OutboxClaimsWithALeaseAndRecordsOutcomes) {
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  EXPECT_TRUE(store_->ClaimDueMessages(999, 5000, 10)->empty());  // not due yet
  auto claimed = store_->ClaimDueMessages(1000, 5000, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message.id, b.messages[0].id);
  EXPECT_EQ((*claimed)[0].message.attempts, 1);
  EXPECT_EQ((*claimed)[0].booking.id, b.id);
  EXPECT_TRUE(store_->ClaimDueMessages(4999, 9000, 10)->empty());  // leased
  // A claimed message counts as sent for cancellation: the store reports the attempt.
  EXPECT_EQ(store_->GetBooking("pt_a", b.id)->messages[0].attempts, 1);
  ASSERT_TRUE(store_->MarkMessageFailed(b.messages[0].id, "421 try later", 6000).ok());
  EXPECT_TRUE(store_->ClaimDueMessages(5999, 9000, 10)->empty());
  auto again = store_->ClaimDueMessages(6000, 9000, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].message.attempts, 2);
  EXPECT_EQ((*again)[0].message.last_error, "421 try later");
  ASSERT_TRUE(store_->MarkMessageSent(b.messages[0].id, 6500).ok());
  domain::Message sent = store_->GetBooking("pt_a", b.id)->messages[0];
  EXPECT_EQ(sent.status, MessageStatus::kSent);
  EXPECT_EQ(sent.sent_at, 6500);
  EXPECT_TRUE(store_->ClaimDueMessages(100000, 200000, 10)->empty());
}

TEST_P(StoreConformance, ExpiredLeaseIsTakenOverAndFailureIsFinal) {
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  ASSERT_EQ(store_->ClaimDueMessages(1000, 2000, 10)->size(), 1u);
  ASSERT_EQ(store_->ClaimDueMessages(2000, 3000, 10)->size(), 1u);  // the first claimer died
  ASSERT_TRUE(store_->MarkMessageFailed(b.messages[0].id, "550 no such user", std::nullopt).ok());
  domain::Message m = store_->GetBooking("pt_a", b.id)->messages[0];
  EXPECT_EQ(m.status, MessageStatus::kFailed);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_TRUE(store_->ClaimDueMessages(100000, 200000, 10)->empty());

  // The operator's list of failures, of every partner or of one.
  auto failed = store_->ListFailedMessages(std::nullopt, 10);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  ASSERT_EQ(failed->size(), 1u);
  const FailedMessage& f = failed->front();
  EXPECT_EQ(f.message_id, b.messages[0].id);
  EXPECT_EQ(f.booking_id, b.id);
  EXPECT_EQ(f.partner_id, "pt_a");
  EXPECT_EQ(f.recipient, b.messages[0].recipient);
  EXPECT_EQ(f.attempts, 2);
  EXPECT_EQ(f.last_error, "550 no such user");
  EXPECT_EQ(store_->ListFailedMessages("pt_a", 10)->size(), 1u);
  EXPECT_TRUE(store_->ListFailedMessages("pt_b", 10)->empty());
  EXPECT_TRUE(store_->ListFailedMessages(std::nullopt, 0)->empty());
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

TEST_P(StoreConformance, WebhookEventsAreRecordedWithTheChangesForWebhookPartners) {
  Partner hooked = *store_->GetPartner("pt_a");
  hooked.webhook_url = "https://ota.example.com/hooks";
  ASSERT_TRUE(store_->UpdatePartner(hooked).ok());
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_b", "TRV-1", 1000)).ok());  // no webhook URL
  ASSERT_EQ(store_->ClaimDueMessages(1000, 2000, 10)->size(), 2u);
  ASSERT_TRUE(store_->MarkMessageSent(b.messages[0].id, 1500).ok());
  auto events = store_->ListWebhookEvents("pt_a", 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event, "message.sent");
  EXPECT_EQ((*events)[0].subject_id, b.messages[0].id);
  EXPECT_EQ((*events)[1].event, "booking.created");
  EXPECT_TRUE(store_->ListWebhookEvents("pt_b", 10)->empty());

  auto claimed = store_->ClaimDueWebhooks(2000, 3000, 10);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_TRUE(store_->ClaimDueWebhooks(2500, 3000, 10)->empty());  // leased
  ASSERT_TRUE(store_->MarkWebhookDelivered((*claimed)[0].id, 2100).ok());
  ASSERT_TRUE(store_->MarkWebhookFailed((*claimed)[1].id, "HTTP 500", 5000).ok());
  EXPECT_TRUE(store_->ClaimDueWebhooks(4999, 9000, 10)->empty());
  auto retry = store_->ClaimDueWebhooks(5000, 9000, 10);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ(retry->at(0).attempts, 2);
  ASSERT_TRUE(store_->MarkWebhookFailed(retry->at(0).id, "HTTP 500", std::nullopt).ok());
  std::vector<std::string> statuses;
  auto listed = store_->ListWebhookEvents("pt_a", 10);
  for (const auto& e : *listed) statuses.push_back(e.status);
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<std::string>{"DEAD", "DELIVERED"}));
  // The operator redelivers the dead letter.
  ASSERT_TRUE(store_->RequeueWebhook(retry->at(0).id, 10000).ok());
  auto again = store_->ClaimDueWebhooks(10000, 11000, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->at(0).id, retry->at(0).id);
  EXPECT_EQ(store_->RequeueWebhook("evt_nope", 1).code(), ErrorCode::kNotFound);
}

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

TEST_P(StoreConformance, ReportsTheDepthOfTheOutboxes) {
  EXPECT_EQ(store_->QueueDepth(1000)->messages, 0);
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-1", 1000)).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-2", 3000)).ok());
  auto depth = store_->QueueDepth(2000);
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->messages, 1);  // the second is not due yet
  EXPECT_EQ(depth->oldest_message_due_at, 1000);
  EXPECT_EQ(depth->webhooks, 0);
  EXPECT_FALSE(depth->oldest_webhook_due_at.has_value());
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

// PostgreSQL: a fresh database per test on the server named by TRIPSIM_TEST_POSTGRES_URL
// (scripts/test starts one); without the variable the PostgreSQL cases skip. They are always
// instantiated: CTest lists the tests when they are built, before scripts/test starts the
// server (instantiated only with the variable set, they never ran there).
// The URL of the test database of `dir` on the server named by TRIPSIM_TEST_POSTGRES_URL.
std::string PostgresTestUrl(const std::string& dir) {
  const std::string base = std::getenv("TRIPSIM_TEST_POSTGRES_URL");
  std::string name = "t_";
  for (char ch : std::filesystem::path(dir).filename().string().substr(14)) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return base.substr(0, base.rfind('/') + 1) + name;
}

std::unique_ptr<Store> OpenPostgresForTest(const std::string& dir) {
  const std::string url = PostgresTestUrl(dir);
  auto admin = pg::Conn::Connect(std::getenv("TRIPSIM_TEST_POSTGRES_URL"));
  EXPECT_TRUE(admin.ok()) << admin.status().message();
  EXPECT_TRUE((*admin)->Script("CREATE DATABASE " + url.substr(url.rfind('/') + 1)).ok());
  auto store = OpenPostgresStore({.url = url});
  EXPECT_TRUE(store.ok()) << store.status().message();
  return std::move(store).value();
}

// A store as tripsimd left it before migration 7 (which counts bookings per day and status
// for the list totals), in either dialect: migrations 1-6, one partner, four bookings on two
// days, one of them cancelled.
std::string StoreBeforeMigration7(bool postgres) {
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
      "applied_at BIGINT NOT NULL);";
  for (const Migration& m : Migrations()) {
    if (m.version >= 7) break;
    sql += std::string(postgres ? m.postgres : m.sqlite) + ";\n";
    sql += "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '', 0);";
  }
  sql +=
      "INSERT INTO partners (id, name, api_key, secret_sealed, enabled, strategy_json, "
      "allow_list, package_types, require_body_hash, webhook_url, webhook_secret_sealed, "
      "email_from, email_reply_to, display_name, reminder_days, rate_limit, created_at) "
      "VALUES ('pt_a', 'A', 'key-a', 's', 1, '{}', '', '', 0, '', '', '', '', '', 0, 0, 0);";
  const char* bookings[][2] = {
      {"bk_1", "CONFIRMED"}, {"bk_2", "CANCELLED"}, {"bk_3", "CONFIRMED"}, {"bk_4", "CONFIRMED"}};
  int64_t created = 20'600LL * 86'400'000;
  for (const auto& [id, status] : bookings) {
    sql += std::string(
               "INSERT INTO bookings (id, partner_id, fingerprint, status, created_at, "
               "departure_date, departure_day, should_send_message, channels, specs) "
               "VALUES ('") +
           id + "', 'pt_a', 'fp', '" + status + "', " + std::to_string(created) +
           ", '2026-07-15', 20649, 0, '', '[]');";
    created += 43'200'000;  // two a day
  }
  return sql;
}

// What migration 7 counted in a store of StoreBeforeMigration7, and that it goes on counting.
void ExpectTheBookingsBeforeMigration7Counted(Store& s) {
  EXPECT_EQ(s.ListBookings("pt_a", {})->total, 4);
  EXPECT_EQ(s.ListBookings("pt_a", {.status = BookingStatus::kCancelled})->total, 1);
  EXPECT_EQ(s.ListBookings("pt_a", {.created_from = Date{20'601}})->total, 2);
  ASSERT_TRUE(s.CancelBooking("pt_a", "bk_4", [](const Booking&) { return Status::Ok(); }).ok());
  EXPECT_EQ(s.ListBookings("pt_a", {.status = BookingStatus::kCancelled})->total, 2);
  ASSERT_TRUE(s.CreateBooking(MakeBooking("pt_a", "TRV-5", 20'601LL * 86'400'000)).ok());
  EXPECT_EQ(s.ListBookings("pt_a", {.created_from = Date{20'601}})->total, 3);
}

std::vector<StoreFactory> AllStores() {
  std::vector<StoreFactory> out = {{"memory", [](const std::string&) { return NewMemoryStore(); }},
                                   {"sqlite", [](const std::string& dir) {
                                      return OpenSqliteStore({.path = dir + "/t.db"}).value();
                                    }}};
  out.push_back({"postgres", OpenPostgresForTest});
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreConformance, ::testing::ValuesIn(AllStores()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(PostgresStore, InstancesStartingTogetherMigrateOnce) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  const std::string dir = Dir();
  OpenPostgresForTest(dir).reset();  // creates the database; then empty it again
  const std::string url = PostgresTestUrl(dir);
  auto admin = pg::Conn::Connect(url);
  ASSERT_TRUE(admin.ok());
  ASSERT_TRUE((*admin)->Script("DROP SCHEMA public CASCADE; CREATE SCHEMA public").ok());
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (OpenPostgresStore({.url = url}).ok()) opened += 1;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened, 4);
  auto versions = (*admin)->Exec("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations");
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->Int(0, 0), static_cast<int64_t>(Migrations().size()));
  EXPECT_EQ(versions->Int(0, 1), static_cast<int64_t>(Migrations().size()));
  std::filesystem::remove_all(dir);
}

// The dashboard triggers add through a PL/pgSQL function (migration 6), whose plan PostgreSQL
// keeps; the SQL function of migration 4 was planned again at every call.
TEST(PostgresStore, CountersAreAddedByAPlpgsqlFunction) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  const std::string dir = Dir();
  OpenPostgresForTest(dir).reset();
  auto admin = pg::Conn::Connect(PostgresTestUrl(dir));
  ASSERT_TRUE(admin.ok());
  auto language = (*admin)->Exec(
      "SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
      "WHERE p.proname = 'tripsim_stats_add'");
  ASSERT_TRUE(language.ok()) << language.status().message();
  ASSERT_EQ(language->size(), 1);
  EXPECT_EQ(language->Text(0, 0), "plpgsql");
  std::filesystem::remove_all(dir);
}

TEST(PostgresStore, AnUpgradedStoreCountsTheBookingsItHeld) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  const std::string dir = Dir();
  OpenPostgresForTest(dir).reset();  // creates the database; then empty it again
  auto admin = pg::Conn::Connect(PostgresTestUrl(dir));
  ASSERT_TRUE(admin.ok());
  ASSERT_TRUE((*admin)->Script("DROP SCHEMA public CASCADE; CREATE SCHEMA public").ok());
  Status made = (*admin)->Script(StoreBeforeMigration7(/*postgres=*/true));
  ASSERT_TRUE(made.ok()) << made.message();
  auto s = OpenPostgresStore({.url = PostgresTestUrl(dir)});
  ASSERT_TRUE(s.ok()) << s.status().message();
  ExpectTheBookingsBeforeMigration7Counted(**s);
  std::filesystem::remove_all(dir);
}

// With every connection in use, a released connection goes to the thread that has waited
// longest, not to whichever asks next: a busy thread that releases and asks again at once
// cannot keep it from the others (under load that starved requests for most of a second).
// A loopback port nothing listens on (bound for a moment, then closed): connections to it
// are refused at once.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  (void)bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  (void)getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(PostgresPool, FillOpensEveryConnectionBeforeAnyIsAskedFor) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  const std::string base = std::getenv("TRIPSIM_TEST_POSTGRES_URL");
  const std::string name = "fill-" + NewId("");  // this pool's connections, by name
  pg::Pool pool(
      base + (base.find('?') == std::string::npos ? "?" : "&") + "application_name=" + name, 4);
  ASSERT_TRUE(pool.Fill({}).ok());
  EXPECT_EQ(pool.open(), 4u);
  auto admin = pg::Conn::Connect(base).value();
  auto backends = admin->Exec("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1",
                              {pg::P(name)});
  ASSERT_TRUE(backends.ok()) << backends.status().message();
  EXPECT_EQ(backends->Int(0, 0), 4);  // connected, not one acquired yet
  std::vector<pg::Pool::Lease> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::move(pool.Acquire()).value());
  EXPECT_EQ(pool.open(), 4u);
}

TEST(PostgresPool, FillStopsAtTheFirstConnectionThatCannotBeOpened) {
  pg::Pool pool("postgresql://tripsim@127.0.0.1:" + std::to_string(ClosedPort()) + "/none", 4);
  EXPECT_EQ(pool.Fill({}).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(pool.open(), 0u);
}

TEST(PostgresPool, AReleasedConnectionGoesToTheThreadWaitingLongest) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  pg::Pool pool(std::getenv("TRIPSIM_TEST_POSTGRES_URL"), 1);
  std::optional<pg::Pool::Lease> held(pool.Acquire().value());
  std::atomic<bool> waiter_served{false};
  std::thread waiter([&] {
    auto lease = pool.Acquire();
    EXPECT_TRUE(lease.ok());
    waiter_served = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the waiter is waiting
  held.reset();
  {
    auto again = pool.Acquire();  // waits until the waiter has had the connection
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(waiter_served);
  }
  waiter.join();
}

// Sixty handler threads connecting at once to a busy PostgreSQL made it slower than the
// connect timeout and their requests failed with 503: the pool opens two at a time and the
// other threads wait for those or a released one. The server here accepts connections and
// never answers, so each attempt lasts until libpq's connect timeout; when it fails with no
// connection open, the threads waiting fail with it instead of trying in turn.
TEST(PostgresPool, OpensAtMostTwoConnectionsAtATimeAndWaitersFailWithThem) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(listen(listener, 16), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::atomic<int> accepted{0};
  std::vector<int> sockets;  // kept open (and silent) until the end
  std::thread acceptor([&] {
    for (int fd; (fd = accept(listener, nullptr, nullptr)) >= 0;) {
      sockets.push_back(fd);
      accepted += 1;
    }
  });
  pg::Pool pool("postgresql://tripsim@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
                    "/tripsim?connect_timeout=2&sslmode=disable&gssencmode=disable",
                8);
  std::atomic<int> failed{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      if (pool.Acquire().status().code() == ErrorCode::kUnavailable) failed += 1;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(accepted, 2);                   // two being opened, two threads waiting
  for (std::thread& t : clients) t.join();  // both attempts time out, and the waiters fail
  EXPECT_EQ(failed, 4);
  EXPECT_EQ(accepted, 2);
  shutdown(listener, SHUT_RDWR);
  close(listener);
  acceptor.join();
  for (int fd : sockets) close(fd);
}

// Conn::ExecAll sends several statements in one round trip (pipeline mode).
TEST(PostgresConn, ExecAllReturnsEachStatementsRowsInOrder) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  auto c = pg::Conn::Connect(std::getenv("TRIPSIM_TEST_POSTGRES_URL")).value();
  for (bool snapshot : {false, true}) {
    auto rows = c->ExecAll({{"SELECT 1", {}},
                            {"SELECT $1::int + 1", {pg::P(41)}},
                            {"SELECT g FROM generate_series(1, $1::int) g", {pg::P(3)}}},
                           snapshot);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0].Int(0, 0), 1);
    EXPECT_EQ((*rows)[1].Int(0, 0), 42);
    EXPECT_EQ((*rows)[2].size(), 3);
    EXPECT_FALSE(c->in_transaction());
  }
}

TEST(PostgresConn, ExecAllReportsTheFirstFailureAndLeavesTheConnectionUsable) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  auto c = pg::Conn::Connect(std::getenv("TRIPSIM_TEST_POSTGRES_URL")).value();
  for (bool snapshot : {false, true}) {
    auto rows = c->ExecAll({{"SELECT 1", {}}, {"SELECT 1 / $1::int", {pg::P(0)}}, {"SELECT 2", {}}},
                           snapshot);
    ASSERT_FALSE(rows.ok());
    EXPECT_NE(rows.status().message().find("division by zero"), std::string::npos)
        << rows.status().message();
    EXPECT_TRUE(c->reusable());  // out of pipeline mode, outside any transaction
    auto after = c->Exec("SELECT 3");
    ASSERT_TRUE(after.ok()) << after.status().message();
    EXPECT_EQ(after->Int(0, 0), 3);
  }
}

// Inside a transaction the statements are part of it: rolled back with it.
TEST(PostgresConn, ExecAllInsideATransactionIsPartOfIt) {
  if (!std::getenv("TRIPSIM_TEST_POSTGRES_URL")) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
  auto c = pg::Conn::Connect(std::getenv("TRIPSIM_TEST_POSTGRES_URL")).value();
  ASSERT_TRUE(c->Script("CREATE TEMP TABLE pipeline_t (v int)").ok());
  ASSERT_TRUE(c->Script("BEGIN").ok());
  auto rows = c->ExecAll({{"INSERT INTO pipeline_t VALUES ($1::int)", {pg::P(7)}},
                          {"SELECT COUNT(*) FROM pipeline_t", {}}});
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ((*rows)[1].Int(0, 0), 1);
  EXPECT_TRUE(c->in_transaction());
  ASSERT_TRUE(c->Script("ROLLBACK").ok());
  EXPECT_EQ(c->Exec("SELECT COUNT(*) FROM pipeline_t")->Int(0, 0), 0);
}

TEST(SqliteStore, KeepsBookingsAcrossReopen) {
  std::string dir = Dir();
  Booking b = MakeBooking("pt_a", "TRV-1");
  {
    auto s = OpenSqliteStore({.path = dir + "/t.db"}).value();
    ASSERT_TRUE(s->CreatePartner(MakePartner("pt_a")).ok());
    ASSERT_TRUE(s->CreateBooking(b).ok());
  }
  auto s = OpenSqliteStore({.path = dir + "/t.db"}).value();
  EXPECT_EQ(*s->GetBooking("pt_a", b.id), b);
  std::filesystem::remove_all(dir);
}

TEST(SqliteStore, AnUpgradedStoreCountsTheBookingsItHeld) {
  std::string dir = Dir();
  {
    auto db = sqlite::Db::Open(dir + "/t.db", /*create=*/true).value();
    Status made = db.Exec(StoreBeforeMigration7(/*postgres=*/false));
    ASSERT_TRUE(made.ok()) << made.message();
  }
  auto s = OpenSqliteStore({.path = dir + "/t.db"});
  ASSERT_TRUE(s.ok()) << s.status().message();
  ExpectTheBookingsBeforeMigration7Counted(**s);
  std::filesystem::remove_all(dir);
}

// Another process writing the same file (a `tripsimd` command while the server runs) moves
// the revision the server's open store answers: its cached answers are checked against it.
TEST(SqliteStore, ARevisionMovesWithAChangeWrittenByAnotherConnection) {
  const std::string dir = Dir();
  {
    auto server = OpenSqliteStore({.path = dir + "/t.db"}).value();
    ASSERT_TRUE(server->CreatePartner(MakePartner("pt_a")).ok());
    Booking b = MakeBooking("pt_a", "TRV-1");
    ASSERT_TRUE(server->CreateBooking(b).ok());
    auto before = server->GetBookingIfChanged("pt_a", b.id, std::nullopt);
    ASSERT_TRUE(before.ok() && before->revision);
    {
      auto command = OpenSqliteStore({.path = dir + "/t.db"}).value();
      ASSERT_EQ(*command->EraseTraveller("ada@example.com"), 1);
    }
    auto after = server->GetBookingIfChanged("pt_a", b.id, before->revision);
    ASSERT_TRUE(after.ok());
    ASSERT_TRUE(after->booking.has_value());
    EXPECT_FALSE(after->booking->request.email.has_value());
  }
  std::filesystem::remove_all(dir);
}

// The server answers a booking read again from its copy while the commit mark stays: reads
// must leave it where it is, and every commit, the server's own or a command's, must move it.
TEST(SqliteStore, ItsCommitMarkMovesWithEveryCommitAndOnlyThen) {
  const std::string dir = Dir();
  {
    auto server = OpenSqliteStore({.path = dir + "/t.db"}).value();
    ASSERT_TRUE(server->CreatePartner(MakePartner("pt_a")).ok());
    const std::optional<uint64_t> empty = server->CommitMark();
    ASSERT_TRUE(empty.has_value());
    Booking b = MakeBooking("pt_a", "TRV-1");
    ASSERT_TRUE(server->CreateBooking(b).ok());
    const std::optional<uint64_t> created = server->CommitMark();
    ASSERT_TRUE(created.has_value());
    EXPECT_NE(created, empty);
    ASSERT_TRUE(server->GetBooking("pt_a", b.id).ok());
    ASSERT_TRUE(server->GetBookingIfChanged("pt_a", b.id, std::nullopt).ok());
    ASSERT_TRUE(server->ListBookings("pt_a", {}).ok());
    EXPECT_EQ(server->CommitMark(), created);
    {
      auto command = OpenSqliteStore({.path = dir + "/t.db"}).value();
      ASSERT_EQ(*command->EraseTraveller("ada@example.com"), 1);
    }
    const std::optional<uint64_t> erased = server->CommitMark();
    ASSERT_TRUE(erased.has_value());
    EXPECT_NE(erased, created);
  }
  std::filesystem::remove_all(dir);
}

TEST(SqliteStore, ReportsAnUnopenableFile) {
  auto s = OpenSqliteStore({.path = "/nonexistent-dir/x/t.db"});
  EXPECT_EQ(s.status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace tripsim::store
