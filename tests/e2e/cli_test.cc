// The command lines: tripsimd's operator commands and the partner's tripsim.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

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
  CommandResult twice = server->Admin({"partner", "create", "--name", "budget ota"});
  EXPECT_EQ(twice.exit_code, 0);  // warned, not refused
  EXPECT_NE(twice.err.find("partner.name_taken"), std::string::npos) << twice.err;
  EXPECT_NE(twice.err.find(id), std::string::npos) << twice.err;
  EXPECT_EQ(ok.err.find("partner.name_taken"), std::string::npos) << ok.err;
  CommandResult rotated = server->Admin({"partner", "rotate-secret", "--partner", id});
  ASSERT_EQ(rotated.exit_code, 0);
  EXPECT_NE(Json(rotated.out).at("api_secret"), created.at("api_secret"));
  EXPECT_EQ(server->Admin({"partner", "enable", "--partner", "pt_nobody"}).exit_code, 2);
}

// A webhook secret is shown when the partner's first webhook URL is set, whether by create or
// by update, and again only when it is rotated.
TEST(Cli, WebhookSecretsAreShownWhenIssued) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  CommandResult plain = server->Admin({"partner", "create", "--name", "Later Hooks"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  std::string id(Json(plain.out).at("partner_id").as_string());
  CommandResult refused = server->Admin({"partner", "rotate-webhook-secret", "--partner", id});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("no webhook URL"), std::string::npos) << refused.err;

  CommandResult hooked = server->Admin(
      {"partner", "update", "--partner", id, "--webhook-url", "https://ota.example.com/hooks"});
  ASSERT_EQ(hooked.exit_code, 0) << hooked.err;
  std::string first(Json(hooked.out).at("webhook_secret").as_string());
  EXPECT_EQ(first.size(), 64u);
  CommandResult moved = server->Admin(
      {"partner", "update", "--partner", id, "--webhook-url", "https://ota.example.com/v2/hooks"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_FALSE(Json(moved.out).as_object().contains("webhook_secret"));

  CommandResult rotated = server->Admin({"partner", "rotate-webhook-secret", "--partner", id});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  auto r = Json(rotated.out);
  EXPECT_EQ(r.at("webhook_url"), "https://ota.example.com/v2/hooks");
  EXPECT_NE(std::string(r.at("webhook_secret").as_string()), first);
  EXPECT_EQ(server->Admin({"partner", "list"}).out.find(first), std::string::npos);
}

// The demo partner's credentials, as `tripsim` reads them from the environment.
std::map<std::string, std::string> PartnerEnv(const TripsimdProcess& server) {
  return {{"TRIPSIM_BASE_URL", server.url()},
          {"TRIPSIM_API_KEY", server.api_key()},
          {"TRIPSIM_API_SECRET", server.api_secret()}};
}

// A command line's words, split at spaces.
std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

TEST(Cli, PartnerCliCreatesReadsAndCancelsBookings) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  std::map<std::string, std::string> env = PartnerEnv(*server);
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

TEST(Cli, PartnerCliSendsTheWholeRequest) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  const std::map<std::string, std::string> env = PartnerEnv(*server);
  auto run = [&](const std::string& line) {
    return RunCommand(BinDir() + "/tripsim", Words(line), "/tmp", env);
  };

  // Three destinations are one trip: one package covers them, once per traveller.
  CommandResult trip = run("--json bookings create --booking-id CLI-TRIP --departure-date " +
                           DaysFromToday(10) + " --return-date " + DaysFromToday(20) +
                           " --email a@example.com --destination FR --destination DE"
                           " --destination IT --pax 2 --locale nl --package-type data-limited"
                           " --duration 14");
  ASSERT_EQ(trip.exit_code, 0) << trip.err;
  const auto answer = Json(trip.out);
  const auto& data = answer.at("data");
  EXPECT_EQ(data.at("locale").as_string(), "nl");
  EXPECT_EQ(data.at("pax").as_int64(), 2);
  EXPECT_EQ(data.at("package_specifications").as_array().size(), 1u);
  const auto& codes = data.at("promo_codes").as_array();
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes.at(0).at("package_id"), codes.at(1).at("package_id"));
  EXPECT_GE(codes.at(0).at("package_duration").as_int64(), 14);

  // No booking_id and no destination: the Idempotency-Key makes the retry a repeat, and the
  // traveller chooses the destination when redeeming.
  const std::string keyed =
      "--json bookings create --idempotency-key cli-key-1 --email "
      "b@example.com --departure-date " +
      DaysFromToday(5);
  CommandResult first = run(keyed);
  CommandResult again = run(keyed);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json(first.out).at("data").at("id"), Json(again.out).at("data").at("id"));
  EXPECT_TRUE(Json(first.out).at("data").at("promo_codes").at(0).at("destination").is_null());

  // Resend queues a second email; the list filters by creation date.
  std::string id(Json(trip.out).at("data").at("id").as_string());
  CommandResult resent = run("--json bookings resend " + id);
  ASSERT_EQ(resent.exit_code, 0) << resent.err;
  EXPECT_EQ(Json(resent.out).at("data").at("messages").as_array().size(), 2u);
  EXPECT_NE(run("bookings list --from " + DaysFromToday(0)).out.find("CLI-TRIP"),
            std::string::npos);
  CommandResult none = run("bookings list --to " + DaysFromToday(-1));
  EXPECT_EQ(none.out.find("CLI-TRIP"), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("0 in all"), std::string::npos) << none.out;

  // A malformed option is refused before anything is sent; the server's refusal is shown
  // with its details.
  const std::string create =
      "bookings create --booking-id CLI-X --departure-date " + DaysFromToday(5);
  CommandResult bad_size = run(create + " --size 5XB");
  EXPECT_EQ(bad_size.exit_code, 2);
  EXPECT_NE(bad_size.err.find("--size"), std::string::npos);
  CommandResult refused = run(create + " --pax 0");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("pax: "), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace tripsim::testing
