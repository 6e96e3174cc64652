// PostgresStore beyond the conformance suite: migrations by instances starting together,
// the counters' PL/pgSQL function, an upgraded store, and the connection pool and pipelined
// statements under it. Each skips without TRIPSIM_TEST_POSTGRES_URL (scripts/test sets it).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "tripsim/base/ids.h"
#include "tripsim/store/migrations.h"
#include "tripsim/store/postgres/pg.h"
#include "tripsim/store/postgres/postgres_store.h"
#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

TEST(PostgresStore, InstancesStartingTogetherMigrateOnce) {
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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

// With every connection in use, a released connection goes to the thread that has waited
// longest, not to whichever asks next: a busy thread that releases and asks again at once
// cannot keep it from the others (under load that starved requests for most of a second).
TEST(PostgresPool, AReleasedConnectionGoesToTheThreadWaitingLongest) {
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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
  if (!PostgresAvailable()) GTEST_SKIP() << "TRIPSIM_TEST_POSTGRES_URL unset";
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

}  // namespace
}  // namespace tripsim::store::test
