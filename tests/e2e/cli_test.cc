// The command lines: tripsimd's operator commands and the partner's tripsim.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

TEST(Cli, HelpAndBadFlags) {
  for (const char* program : {"tripsimd", "tripsim"}) {
    CommandResult help = RunCommand(BinDir() + "/" + program, {"--help"}, "/tmp");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Usage"), std::string::npos);
    CommandResult version = RunCommand(BinDir() + "/" + program, {"--version"}, "/tmp");
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.out, std::string(program) + " " + TRIPSIM_VERSION + "\n");
    CommandResult bad = RunCommand(BinDir() + "/" + program, {"--no-such-flag"}, "/tmp");
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_FALSE(bad.err.empty());
  }
}

TEST(Cli, PartnerCommandsValidateAndPrintJson) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  CommandResult bad =
      server->Admin({"partner", "create", "--name", "X", "--strategy", R"({"name":"budget"})"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("strategy.target_cost"), std::string::npos);
  CommandResult ok = server->Admin({"partner", "create", "--name", "Budget OTA", "--strategy",
                                    R"({"name":"budget","target_cost":"8.00 EUR","min_days":7})",
                                    "--webhook-url", "https://ota.example.com/hooks"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  auto created = Json(ok.out);
  EXPECT_TRUE(created.as_object().contains("webhook_secret"));
  std::string id(created.at("partner_id").as_string());
  CommandResult list = server->Admin({"partner", "list"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find(id), std::string::npos);
  EXPECT_EQ(list.out.find(std::string(created.at("api_secret").as_string())), std::string::npos);
  CommandResult rotated = server->Admin({"partner", "rotate-secret", "--partner", id});
  ASSERT_EQ(rotated.exit_code, 0);
  EXPECT_NE(Json(rotated.out).at("api_secret"), created.at("api_secret"));
  EXPECT_EQ(server->Admin({"partner", "enable", "--partner", "pt_nobody"}).exit_code, 2);
}

TEST(Cli, PartnerCliCreatesReadsAndCancelsBookings) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  std::map<std::string, std::string> env = {{"TRIPSIM_BASE_URL", server->url()},
                                            {"TRIPSIM_API_KEY", server->api_key()},
                                            {"TRIPSIM_API_SECRET", server->api_secret()}};
  std::string cli = BinDir() + "/tripsim";
  CommandResult created =
      RunCommand(cli,
                 {"--json", "bookings", "create", "--booking-id", "CLI-1", "--departure-date",
                  DaysFromToday(10), "--email", "a@example.com", "--first-name", "Ada",
                  "--last-name", "L", "--destination", "DE", "--size", "3GB", "--no-message"},
                 "/tmp", env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(Json(created.out).at("data").at("promo_codes").at(0).at("destination").as_string(),
            "DE");
  CommandResult table = RunCommand(cli, {"bookings", "get", "CLI-1", "--external"}, "/tmp", env);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("PROMO CODE"), std::string::npos);
  CommandResult listed = RunCommand(cli, {"bookings", "list"}, "/tmp", env);
  EXPECT_NE(listed.out.find("CLI-1"), std::string::npos);
  CommandResult cancel =
      RunCommand(cli, {"bookings", "cancel", "CLI-1", "--external"}, "/tmp", env);
  EXPECT_EQ(cancel.exit_code, 0) << cancel.err;
  env["TRIPSIM_API_SECRET"] = "wrong";
  CommandResult denied = RunCommand(cli, {"bookings", "list"}, "/tmp", env);
  EXPECT_EQ(denied.exit_code, 3);
  EXPECT_NE(denied.err.find("Invalid signature"), std::string::npos);
}

}  // namespace
}  // namespace tripsim::testing
