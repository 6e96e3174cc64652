// What the Store tests share: the conformance fixture, run on every Store (memory, SQLite;
// PostgreSQL when a server is available through TRIPSIM_TEST_POSTGRES_URL, which scripts/test
// sets), and the rows they store. The suite is instantiated once, in
// store_conformance_test.cc; its tests are in the store_conformance_*_test.cc files.
//
//   TEST_P(StoreConformance, Something) {
//     ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-1")).ok());
//   }
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tripsim/store/store.h"

namespace tripsim::store::test {

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

void PrintTo(const StoreFactory& f, std::ostream* os);

// Memory, SQLite and PostgreSQL.
std::vector<StoreFactory> AllStores();

// A new, empty temporary folder.
std::string Dir();

domain::Partner MakePartner(const std::string& id);
domain::Package MakePackage(const std::string& id);
// A booking of `partner` with two promo codes and one pending email, created at `created_at`.
domain::Booking MakeBooking(const std::string& partner, std::optional<std::string> ref,
                            int64_t created_at = 5000);

// PostgreSQL: a fresh database per test on the server named by TRIPSIM_TEST_POSTGRES_URL
// (scripts/test starts one); without the variable the PostgreSQL cases skip. They are always
// instantiated: CTest lists the tests when they are built, before scripts/test starts the
// server (instantiated only with the variable set, they never ran there).
bool PostgresAvailable();
// The URL of the test database of `dir` on the server named by TRIPSIM_TEST_POSTGRES_URL.
std::string PostgresTestUrl(const std::string& dir);
std::unique_ptr<Store> OpenPostgresForTest(const std::string& dir);

// A store as tripsimd left it before migration 7 (which counts bookings per day and status
// for the list totals), in either dialect: migrations 1-6, one partner, four bookings on two
// days, one of them cancelled.
std::string StoreBeforeMigration7(bool postgres);

// What migration 7 counted in a store of StoreBeforeMigration7, and that it goes on counting.
void ExpectTheBookingsBeforeMigration7Counted(Store& s);

// Each test gets a fresh store of the parameter's kind with two partners, pt_a and pt_b.
class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (GetParam().name == "postgres" && !PostgresAvailable()) {
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

}  // namespace tripsim::store::test
