// SqliteStore beyond the conformance suite: reopening, an upgraded store, and what other
// connections to the same file see (revisions, the commit mark).
#include <gtest/gtest.h>

#include <filesystem>

#include "tripsim/store/sqlite/db.h"
#include "tripsim/store/sqlite/sqlite_store.h"
#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

using domain::Booking;

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
}  // namespace tripsim::store::test
