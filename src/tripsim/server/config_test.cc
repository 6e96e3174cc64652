#include "tripsim/server/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace tripsim::server {
namespace {

TEST(Config, AcceptsPostgresUrlsAndRedactsTheirPassword) {
  Config c;
  c.store = "postgresql://tripsim:s3cret@db.internal:5432/tripsim";
  EXPECT_TRUE(Validate(c).ok());
  EXPECT_EQ(RedactedStore(c.store), "postgresql://tripsim:***@db.internal:5432/tripsim");
  EXPECT_EQ(RedactedStore("postgresql://tripsim@db/tripsim"), "postgresql://tripsim@db/tripsim");
  EXPECT_EQ(RedactedStore("sqlite:var/t.db"), "sqlite:var/t.db");
  c.store = "mysql://x";
  EXPECT_FALSE(Validate(c).ok());
}

TEST(Config, ReadsEveryDocumentedTomlKey) {
  std::string path = ::testing::TempDir() + "/tripsim-config-keys.toml";
  std::ofstream(path) << "mail_from = \"esim@example.com\"\noutbox_lease_seconds = 30\n"
                         "metrics_public = true\n";
  Config c;
  ASSERT_TRUE(ApplyToml(c, path).ok());
  EXPECT_EQ(c.mail_from, "esim@example.com");
  EXPECT_EQ(c.outbox_lease_seconds, 30);
  EXPECT_TRUE(c.metrics_public);
}

TEST(Config, FileThenEnvironmentThenFlags) {
  std::string path = ::testing::TempDir() + "/tripsim-config-test.toml";
  std::ofstream(path) << "listen = \"0.0.0.0:9000\"\nstore = \"sqlite:/tmp/a.db\"\n";
  Config c;
  ASSERT_TRUE(ApplyToml(c, path).ok());
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  std::map<std::string, std::string> env{{"TRIPSIM_STORE", "sqlite:/tmp/b.db"}};
  ASSERT_TRUE(ApplyEnvironment(c, [&](const char* n) {
                return env.contains(n) ? env[n].c_str() : nullptr;
              }).ok());
  EXPECT_EQ(c.store, "sqlite:/tmp/b.db");
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_TRUE(Validate(c).ok());
  std::remove(path.c_str());
}

TEST(Config, RejectsUnknownKeysAndBadValues) {
  std::string path = ::testing::TempDir() + "/tripsim-config-bad.toml";
  std::ofstream(path) << "lisen = \"x\"\n";
  Config c;
  EXPECT_FALSE(ApplyToml(c, path).ok());
  c.listen = "nonsense";
  c.env = "prod";
  c.log_level = "verbose";
  Status s = Validate(c);
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.details().size(), 3u);
  EXPECT_EQ(s.details()[2].field, "log_level");
  std::remove(path.c_str());
}

TEST(Config, ProductionNeedsKeyMailAndPublicUrl) {
  Config c;
  c.env = "production";
  Status s = Validate(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.details().size(), 3u);
  c.master_key = std::string(64, 'a');
  c.mail_explicit = true;
  c.public_url = "https://esim.example.com";
  EXPECT_TRUE(Validate(c).ok());
}

TEST(Config, HandlerThreadsFollowTheStoreUnlessSet) {
  Config c;
  EXPECT_EQ(HandlerThreads(c), 64);  // SQLite: creation needs none, waiting writes batch
  c.store = "postgresql://tripsim@db/tripsim";
  EXPECT_EQ(HandlerThreads(c), 16);  // PostgreSQL: one connection per handler
  EXPECT_EQ(PostgresPoolSize(c), 22u);
  c.handler_threads = 40;
  EXPECT_EQ(HandlerThreads(c), 40);
  EXPECT_EQ(PostgresPoolSize(c), 46u);
  EXPECT_TRUE(Validate(c).ok());
  c.handler_threads = -1;
  c.io_threads = 100000;
  Status s = Validate(c);
  ASSERT_EQ(s.details().size(), 2u);
  EXPECT_EQ(s.details()[0].field, "io_threads");
  EXPECT_EQ(s.details()[1].field, "handler_threads");
}

TEST(ParseListen, ReadsHostAndPort) {
  EXPECT_EQ(ParseListen("127.0.0.1:0")->second, 0);
  EXPECT_EQ(ParseListen("[::1]:8080")->first, "::1");
  EXPECT_FALSE(ParseListen("8080").ok());
  EXPECT_FALSE(ParseListen("host:99999").ok());
}

}  // namespace
}  // namespace tripsim::server
