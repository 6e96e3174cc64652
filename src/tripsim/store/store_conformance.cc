#include "tripsim/store/store_conformance.h"

#include <cstdlib>
#include <filesystem>

#include "tripsim/base/ids.h"
#include "tripsim/store/memory_store.h"
#include "tripsim/store/migrations.h"
#include "tripsim/store/postgres/pg.h"
#include "tripsim/store/postgres/postgres_store.h"
#include "tripsim/store/sqlite/sqlite_store.h"

namespace tripsim::store::test {

using domain::Booking;
using domain::BookingStatus;
using domain::Partner;

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
                    int64_t created_at) {
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

bool PostgresAvailable() { return std::getenv("TRIPSIM_TEST_POSTGRES_URL") != nullptr; }

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

}  // namespace tripsim::store::test
