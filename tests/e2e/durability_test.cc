// A crash loses no acknowledged booking: kill -9 right after a 201, restart, read it back.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

TEST(Durability, AcknowledgedBookingSurvivesKill9) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  sdk::ClientOptions creds = server->ClientOptions();
  std::vector<std::string> ids;
  {
    sdk::Client client(creds);
    for (int i = 0; i < 20; ++i) {
      auto r = client.Post("/api/bookings",
                           boost::json::serialize(GuideBody("KILL-" + std::to_string(i))));
      ASSERT_EQ(r->status, 201) << r->body;
      ids.emplace_back(Json(r->body).at("data").at("id").as_string());
    }
  }
  EXPECT_EQ(server->Kill(SIGKILL), -SIGKILL);
  ASSERT_TRUE(server->Restart()) << server->StderrLog();
  creds.base_url = server->url();
  sdk::Client client(creds);
  for (const auto& id : ids) EXPECT_EQ(client.Get("/api/bookings/" + id)->status, 200) << id;
  EXPECT_EQ(Json(client.Get("/api/bookings")->body).at("meta").at("total").as_int64(), 20);
}

// A full disk: while the store cannot commit, bookings are refused with 503 in the error shape
// and nothing half-written stays; once there is room again the same server takes bookings.
// The store lives on a small tmpfs, so the test needs the right to mount (root): skipped
// where that is not allowed.
TEST(Durability, AFullDiskAnswers503LosesNothingAndRecovers) {
  char folder[] = "/tmp/tripsim-full-XXXXXX";
  ASSERT_NE(mkdtemp(folder), nullptr);
  const std::string mount_point = folder;
  if (RunCommand("/usr/bin/mount", {"-t", "tmpfs", "-o", "size=4m", "tmpfs", mount_point}, "/tmp")
          .exit_code != 0) {
    rmdir(folder);
    GTEST_SKIP() << "mounting a tmpfs is not allowed here";
  }
  struct Unmount {
    std::string path;
    ~Unmount() {
      RunCommand("/usr/bin/umount", {path}, "/tmp");
      rmdir(path.c_str());
    }
  } unmount{mount_point};
  auto server =
      TripsimdProcess::Start({.serve_args = {"--store", "sqlite:" + mount_point + "/tripsim.db"}});
  ASSERT_NE(server, nullptr);
  sdk::ClientOptions options = server->ClientOptions();
  options.max_attempts = 1;  // see every refusal
  sdk::Client client(options);
  int acknowledged = 0;
  sdk::Response refused;
  for (int i = 0; i < 5000 && refused.status == 0; ++i) {
    auto r = client.Post("/api/bookings",
                         boost::json::serialize(GuideBody("FULL-" + std::to_string(i))));
    ASSERT_TRUE(r.ok()) << r.status().message();
    if (r->status == 201) {
      ++acknowledged;
    } else {
      refused = *r;
    }
  }
  ASSERT_EQ(refused.status, 503) << refused.body;
  EXPECT_GT(acknowledged, 10);  // the disk filled up under bookings, not at start-up
  EXPECT_FALSE(Json(refused.body).at("success").as_bool());
  EXPECT_NE(server->StderrLog().find("disk is full"), std::string::npos);
  EXPECT_EQ(Json(client.Get("/api/bookings")->body).at("meta").at("total").as_int64(),
            acknowledged);

  ASSERT_EQ(RunCommand("/usr/bin/mount", {"-o", "remount,size=64m", mount_point}, "/tmp").exit_code,
            0);
  auto after = client.Post("/api/bookings", boost::json::serialize(GuideBody("FULL-AFTER")));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 201) << after->body;
  EXPECT_EQ(Json(client.Get("/api/bookings")->body).at("meta").at("total").as_int64(),
            acknowledged + 1);
  EXPECT_EQ(server->Kill(SIGTERM), 0);
  CommandResult check = RunCommand("/usr/bin/sqlite3",
                                   {mount_point + "/tripsim.db", "PRAGMA integrity_check"}, "/tmp");
  EXPECT_EQ(check.out, "ok\n");
}

TEST(Durability, SigtermDrainsAndExitsCleanly) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->Kill(SIGTERM), 0);
  EXPECT_NE(server->StderrLog().find("serve.stopped"), std::string::npos);
}

TEST(Production, RefusesToStartWithoutItsSettings) {
  std::string dir = ::testing::TempDir();
  CommandResult r = RunCommand(BinDir() + "/tripsimd",
                               {"serve", "--env", "production", "--listen", "127.0.0.1:0",
                                "--store", "sqlite:" + dir + "/prod.db"},
                               dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("TRIPSIM_MASTER_KEY"), std::string::npos);
  EXPECT_NE(r.err.find("public-url"), std::string::npos);
}

}  // namespace
}  // namespace tripsim::testing
