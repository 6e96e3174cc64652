// A crash loses no acknowledged booking: kill -9 right after a 201, restart, read it back.
#include <gtest/gtest.h>
#include <signal.h>

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
