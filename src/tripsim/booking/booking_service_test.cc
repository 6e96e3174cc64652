#include "tripsim/booking/booking_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tripsim/base/crypto.h"
#include "tripsim/store/memory_store.h"

namespace tripsim::booking {
namespace {

using domain::BookingRequest;

const int64_t kNow = MillisOfDate(*ParseIsoDate("2026-06-01")) + 3'600'000;

domain::Package Pkg(const std::string& id, const std::string& country, int64_t mb, int days,
                    int64_t cost) {
  return {id,
          id,
          "sample",
          {country},
          "",
          mb,
          days,
          domain::PackageType::kDataLimited,
          {cost, "EUR"},
          {cost * 2, "EUR"},
          false};
}

class BookingServiceTest : public ::testing::Test {
 protected:
  BookingServiceTest()
      : store_(store::NewMemoryStore()), clock_(kNow), service_(*store_, catalogs_, clock_, {}) {
    catalogs_.Set(std::make_shared<const catalog::Catalog>(std::vector<domain::Package>{
        Pkg("fr-1gb-7d", "FR", 1024, 7, 200), Pkg("fr-3gb-15d", "FR", 3072, 15, 400),
        Pkg("de-1gb-7d", "DE", 1024, 7, 150)}));
    partner_.partner.id = "pt_a";
    partner_.strategy = strategy::DefaultStrategy();
  }

  static BookingRequest Request(std::string ref = "TRV-1") {
    BookingRequest r;
    r.booking_id = std::move(ref);
    r.departure_date = "2026-07-15";
    r.email = "ada@example.com";
    domain::PackageSpec s;
    s.destinations = {"FR"};
    r.package_specifications = {s};
    r.should_send_message = true;
    r.channels = {"EMAIL"};
    return r;
  }

  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  CatalogHolder catalogs_;
  BookingService service_;
  ActivePartner partner_;
};

// The refresh every few seconds lists the packages again only after an import.
TEST(CatalogHolder, ReloadsOnlyWhenTheCatalogChanged) {
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  CatalogHolder holder;
  ASSERT_TRUE(holder.Reload(*store).ok());
  std::shared_ptr<const catalog::Catalog> first = holder.Get();
  ASSERT_TRUE(holder.Reload(*store).ok());
  EXPECT_EQ(holder.Get(), first);  // the same snapshot: nothing was read again
  domain::Package p =
      catalog::ParseCatalogFile(catalog::SampleCatalogJson(), catalog::Format::kJson)->front();
  ASSERT_TRUE(store->UpsertPackages({p}, false).ok());
  ASSERT_TRUE(holder.Reload(*store).ok());
  EXPECT_NE(holder.Get(), first);
  EXPECT_NE(holder.Get()->Find(p.id), nullptr);
}

TEST_F(BookingServiceTest, CreatesWithAssignedPackageCodeAndMessage) {
  auto r = service_.Create(partner_, Request(), "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->created);
  const domain::Booking& b = r->booking;
  ASSERT_EQ(b.promo_codes.size(), 1u);
  EXPECT_EQ(b.promo_codes[0].package->id, "fr-1gb-7d");
  EXPECT_EQ(b.promo_codes[0].assignment.strategy, "fixed_size");
  EXPECT_EQ(FormatDate(b.promo_codes[0].valid_until), "2026-08-21");  // +7 days +30 grace
  ASSERT_EQ(b.messages.size(), 1u);
  EXPECT_EQ(b.messages[0].status, domain::MessageStatus::kPending);
  EXPECT_EQ(*store_->GetBooking("pt_a", b.id), b);
}

TEST_F(BookingServiceTest, RepeatAnswersTheOriginalAndConflictNamesIt) {
  auto first = service_.Create(partner_, Request(), "");
  auto again = service_.Create(partner_, Request(), "");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->booking, first->booking);
  BookingRequest changed = Request();
  changed.first_name = "Grace";
  auto conflict = service_.Create(partner_, changed, "");
  EXPECT_EQ(conflict.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(conflict.status().details()[0].existing_id, first->booking.id);
}

// The repeat is not checked before the booking is made again; where it can no longer be made
// (the package left the catalog), the repeat still gets its booking, or the conflict.
TEST_F(BookingServiceTest, RepeatIsAnsweredWhenTheBookingCouldNotBeMadeAgain) {
  auto first = service_.Create(partner_, Request(), "");
  ASSERT_TRUE(first.ok());
  catalogs_.Set(std::make_shared<const catalog::Catalog>(
      std::vector<domain::Package>{Pkg("de-1gb-7d", "DE", 1024, 7, 150)}));
  auto again = service_.Create(partner_, Request(), "");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->booking, first->booking);
  BookingRequest changed = Request();
  changed.first_name = "Grace";
  EXPECT_EQ(service_.Create(partner_, changed, "").status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(service_.Create(partner_, Request("TRV-2"), "").status().code(),
            ErrorCode::kUnprocessable);  // a new booking_id: no package
}

TEST_F(BookingServiceTest, IdempotencyKeyWorksWithoutBookingId) {
  BookingRequest r = Request();
  r.booking_id.reset();
  auto a = service_.Create(partner_, r, "key-1");
  auto b = service_.Create(partner_, r, "key-1");
  EXPECT_TRUE(a->created);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->booking.id, b->booking.id);
  EXPECT_TRUE(service_.Create(partner_, r, "")->created);  // no key: a new booking each time
}

TEST_F(BookingServiceTest, PaxIssuesOneCodePerTraveller) {
  BookingRequest r = Request();
  r.pax = 3;
  auto b = service_.Create(partner_, r, "");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->booking.promo_codes.size(), 3u);
}

TEST_F(BookingServiceTest, EmailRequestedWithoutAddressWarnsAndQueuesNothing) {
  BookingRequest r = Request();
  r.email.reset();
  auto b = service_.Create(partner_, r, "");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->booking.messages.empty());
  ASSERT_EQ(b->warnings.size(), 1u);
  EXPECT_EQ(b->warnings[0].field, "email");
}

TEST_F(BookingServiceTest, PartnerRemindersAreQueuedBeforeDeparture) {
  partner_.partner.reminder_days = 3;
  auto b = service_.Create(partner_, Request(), "");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->booking.messages.size(), 2u);
  EXPECT_EQ(b->booking.messages[1].kind, "reminder");
  EXPECT_EQ(b->booking.messages[1].due_at,
            MillisOfDate(*ParseIsoDate("2026-07-12")) + 9 * 3'600'000LL);
  BookingRequest soon = Request("TRV-SOON");
  soon.departure_date = "2026-06-02";  // the reminder would be in the past: none
  EXPECT_EQ(service_.Create(partner_, soon, "")->booking.messages.size(), 1u);
}

TEST_F(BookingServiceTest, NoPackageIs422NamingTheSpecification) {
  BookingRequest r = Request();
  r.package_specifications[0].destinations = {"JP"};
  auto b = service_.Create(partner_, r, "");
  EXPECT_EQ(b.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(b.status().details()[0].field, "package_specifications[0].destination");
  EXPECT_EQ(store_->ListBookings("pt_a", {})->total, 0);
}

TEST_F(BookingServiceTest, CancelRevokesAndIsIdempotentButNotAfterDeparture) {
  auto b = service_.Create(partner_, Request(), "");
  auto c = service_.Cancel("pt_a", b->booking.id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, domain::BookingStatus::kCancelled);
  EXPECT_TRUE(service_.Cancel("pt_a", b->booking.id).ok());
  auto late = service_.Create(partner_, Request("TRV-2"), "");
  clock_.Set(MillisOfDate(*ParseIsoDate("2026-07-16")));
  auto refused = service_.Cancel("pt_a", late->booking.id);
  EXPECT_EQ(refused.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("departure"), std::string::npos);
}

TEST_F(BookingServiceTest, ConcurrentDuplicatesCreateOneBooking) {
  std::atomic<int> created{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      auto r = service_.Create(partner_, Request("TRV-RACE"), "");
      if (!r.ok()) ++failed;
      if (r.ok() && r->created) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(failed.load(), 0);
}

}  // namespace
}  // namespace tripsim::booking
