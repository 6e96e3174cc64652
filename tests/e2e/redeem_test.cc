// Redemption end to end: inventory import, the redeem API and page, synthetic staging
// profiles, one profile per code even under concurrent redeems, and production's stock-out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"
#include "tripsim/domain/esim.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string Iccid(const std::string& payload18) {
  return payload18 + domain::LuhnCheckDigit(payload18);
}

RawResponse Redeem(const TripsimdProcess& s, const std::string& code) {
  return RawRequest("POST", s.url() + "/api/promo-codes/" + code + "/redeem", {});
}

std::string FirstCode(const TripsimdProcess& s, const std::string& ref, json::object body = {}) {
  sdk::Client client(s.ClientOptions());
  if (body.empty()) body = GuideBody(ref);
  auto r = client.Post("/api/bookings", json::serialize(body));
  EXPECT_EQ(r->status, 201) << r->body;
  return std::string(Json(r->body).at("data").at("promo_codes").at(0).at("promo_code").as_string());
}

TEST(Redeem, StagingHandsOutASyntheticProfileOnceAndThePageShowsItsQr) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  std::string code = FirstCode(*server, "RDM-1");
  RawResponse page = RawRequest("GET", server->url() + "/redeem/" + code, {});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Get my eSIM"), std::string::npos);
  // Typed as a traveller might: lower case, no hyphens.
  std::string typed = code;
  typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
  for (char& c : typed) c = static_cast<char>(std::tolower(c));
  RawResponse first = Redeem(*server, typed);
  ASSERT_EQ(first.status, 200) << first.body;
  json::value data = Json(first.body).at("data");
  std::string iccid(data.at("iccid").as_string());
  EXPECT_TRUE(domain::IsValidIccid(iccid));
  EXPECT_EQ(iccid.substr(0, 4), "8999");
  EXPECT_TRUE(data.at("test_profile").as_bool());
  std::string activation(data.at("activation_code").as_string());
  EXPECT_EQ(activation.rfind("LPA:1$smdp.staging.tripsim.test$", 0), 0u);
  EXPECT_EQ(std::string(data.at("ios_install_url").as_string()),
            "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + activation);
  EXPECT_FALSE(data.at("confirmation_code_required").as_bool());
  EXPECT_FALSE(data.at("install_steps").as_array().empty());
  RawResponse again = Redeem(*server, code);
  EXPECT_EQ(Json(again.body).at("data").at("iccid").as_string(), iccid);
  // Or with spaces between the groups, as the email shows them: the same eSIM.
  std::string spaced = code;
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  RawResponse spaced_page =
      RawRequest("GET", server->url() + "/redeem/" + sdk::UrlEncode(spaced), {});
  EXPECT_EQ(spaced_page.status, 200);
  EXPECT_NE(spaced_page.body.find(std::string(data.at("matching_id").as_string())),
            std::string::npos);
  // The booking shows the redemption; the page now shows the eSIM and its QR code.
  sdk::Client client(server->ClientOptions());
  json::value booking =
      Json(client.Get("/api/bookings/RDM-1/byExternalBookingId")->body).at("data");
  EXPECT_EQ(booking.at("status").as_string(), "COMPLETED");
  EXPECT_EQ(booking.at("promo_codes").at(0).at("status").as_string(), "REDEEMED");
  EXPECT_TRUE(booking.at("promo_codes").at(0).at("redeemed_at").is_string());
  page = RawRequest("GET", server->url() + "/redeem/" + code, {});
  ASSERT_EQ(page.status, 200);
  size_t at = page.body.find("data:image/png;base64,");
  ASSERT_NE(at, std::string::npos);
  std::string b64 = page.body.substr(at + 22, page.body.find('"', at) - at - 22);
  std::string dir = server->dir();
  std::ofstream(dir + "/qr.b64") << b64;
  CommandResult decoded = RunCommand(
      "/bin/sh", {"-c", "base64 -d qr.b64 > qr.png && /usr/bin/zbarimg --raw -q qr.png"}, dir);
  ASSERT_EQ(decoded.exit_code, 0) << decoded.err;
  EXPECT_EQ(decoded.out, activation + "\n");
}

// The traveller reads the page in the booking's language, else in the browser's; so are the
// country named and the refusals worded.
TEST(Redeem, ThePageSpeaksTheBookingsLanguageElseTheBrowsers) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  json::object german = GuideBody("RDM-DE", "AT");
  german["locale"] = "de-AT";
  std::string code = FirstCode(*server, "RDM-DE", german);
  RawResponse page =
      RawRequest("GET", server->url() + "/redeem/" + code, {"Accept-Language: fr-FR,fr;q=0.9"});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(page.body.find("Meine eSIM abrufen"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>Österreich</strong>"), std::string::npos);
  std::string plain = FirstCode(*server, "RDM-XX");  // no locale: the browser's language
  RawResponse french = RawRequest("GET", server->url() + "/redeem/" + plain,
                                  {"Accept-Language: fr-CH, fr;q=0.9, en;q=0.8"});
  EXPECT_NE(french.body.find("Obtenir mon eSIM"), std::string::npos);
  RawResponse unknown =
      RawRequest("GET", server->url() + "/redeem/ZZZZ-ZZZZ-ZZZZ", {"Accept-Language: es"});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("Código desconocido"), std::string::npos);
}

TEST(Redeem, InventoryIsImportedWholeAndHandedOutOldestFirstOnceEvenConcurrently) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  std::string dir = server->dir();
  std::string a = Iccid("893100000000000001");
  std::string b = Iccid("893100000000000002");
  std::ofstream(dir + "/bad.csv") << "iccid,smdp_address,matching_id,confirmation_code,provider\n"
                                  << a << ",smdp.example.com,M-1,,sample\n"
                                  << "8931000000000000020,not a host,M-2,,sample\n";
  CommandResult bad = server->Admin({"inventory", "import", dir + "/bad.csv"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("row 3 iccid"), std::string::npos);
  EXPECT_NE(bad.err.find("row 3 smdp_address"), std::string::npos);
  std::ofstream(dir + "/good.csv") << "iccid,smdp_address,matching_id,confirmation_code,provider\n"
                                   << a << ",smdp.example.com,M-1,,sample\n"
                                   << b << ",smdp.example.com,M-2,4321,sample\n";
  CommandResult good = server->Admin({"inventory", "import", dir + "/good.csv"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(server->Admin({"inventory", "import", dir + "/good.csv"}).exit_code, 1);  // duplicates
  std::string first = FirstCode(*server, "INV-1");
  RawResponse r1 = Redeem(*server, first);
  ASSERT_EQ(r1.status, 200) << r1.body;
  EXPECT_EQ(Json(r1.body).at("data").at("iccid").as_string(), a);
  EXPECT_FALSE(Json(r1.body).at("data").at("test_profile").as_bool());
  // Twenty concurrent redeems of one code hand out one profile.
  std::string second = FirstCode(*server, "INV-2");
  std::set<std::string> iccids;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&] {
      RawResponse r = Redeem(*server, second);
      std::lock_guard lock(mu);
      if (r.status == 200)
        iccids.insert(std::string(Json(r.body).at("data").at("iccid").as_string()));
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(iccids.size(), 1u);
  EXPECT_EQ(*iccids.begin(), b);
  json::value second_answer = Json(Redeem(*server, second).body).at("data");
  EXPECT_TRUE(second_answer.at("confirmation_code_required").as_bool());
  EXPECT_EQ(second_answer.at("activation_code").as_string(), "LPA:1$smdp.example.com$M-2$$1");
  EXPECT_NE(server->StderrLog().find("inventory.low_stock"), std::string::npos);
  CommandResult status = server->Admin({"inventory", "status"});
  ASSERT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find(R"({"provider":"sample","available":0,"assigned":2})"),
            std::string::npos);
}

TEST(Redeem, UnknownRevokedAndMalformedCodes) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Redeem(*server, "0000-0000-0000").status, 404);
  EXPECT_EQ(Redeem(*server, "not-a-code").status, 404);
  EXPECT_EQ(RawRequest("GET", server->url() + "/redeem/0000-0000-0000", {}).status, 404);
  json::object body = GuideBody("RDM-REVOKED");
  body["communication_options"] = json::object{{"should_send_message", false}};
  std::string code = FirstCode(*server, "RDM-REVOKED", body);
  sdk::Client client(server->ClientOptions());
  ASSERT_EQ(client.Delete("/api/bookings/RDM-REVOKED/byExternalBookingId")->status, 200);
  RawResponse revoked = Redeem(*server, code);
  EXPECT_EQ(revoked.status, 410);
  EXPECT_EQ(Json(revoked.body).at("error").at("code").as_int64(), 410);
  EXPECT_EQ(RawRequest("GET", server->url() + "/redeem/" + code, {}).status, 410);
}

// A traveller with the code but not its link types it at /redeem, as the form sends it.
TEST(Redeem, ACodeTypedOnTheEntryPageLeadsToItsPage) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  const std::string entry = server->url() + "/redeem";
  RawResponse form = RawRequest("GET", entry, {"Accept-Language: nl-NL,nl;q=0.9"});
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<form method=\"get\" action=\"/redeem\">"), std::string::npos);
  EXPECT_NE(form.body.find("Vul de promotiecode"), std::string::npos) << form.body;

  std::string code = FirstCode(*server, "RDM-TYPED");
  std::string typed = code;  // lower case, a space for each hyphen: "k7q2+m9xd+4tpa" in the form
  std::replace(typed.begin(), typed.end(), '-', '+');
  for (char& c : typed) c = static_cast<char>(std::tolower(c));
  RawResponse sent = RawRequest("GET", entry + "?code=" + typed, {});
  EXPECT_EQ(sent.status, 303);
  EXPECT_EQ(sent.headers["location"], "/redeem/" + code);
  EXPECT_EQ(RawRequest("GET", server->url() + sent.headers["location"], {}).status, 200);

  // Not a code: the form again, the typed text escaped, nothing looked up.
  RawResponse wrong = RawRequest("GET", entry + "?code=%3Cb%3Ebonus%3C%2Fb%3E", {});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("That is not a promo code"), std::string::npos);
  EXPECT_NE(wrong.body.find("&lt;b&gt;bonus&lt;/b&gt;"), std::string::npos) << wrong.body;
  EXPECT_EQ(wrong.body.find("<b>"), std::string::npos);
}

TEST(Redeem, ADestinationlessCodeAsksWhereTheTravellerGoesAndAssignsThen) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  json::object body = GuideBody("RDM-ANYWHERE");
  body["package_specifications"] = json::array{json::object{}};
  std::string code = FirstCode(*server, "RDM-ANYWHERE", body);
  RawResponse page = RawRequest("GET", server->url() + "/redeem/" + code, {});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Where are you going?"), std::string::npos);
  EXPECT_NE(page.body.find("<option value=\"FR\">France</option>"), std::string::npos);
  EXPECT_EQ(Redeem(*server, code).status, 409);
  RawResponse bad = RawRequest("POST", server->url() + "/api/promo-codes/" + code + "/redeem",
                               {"Content-Type: application/json"}, R"({"destination":"ZZ"})");
  EXPECT_EQ(bad.status, 400);
  RawResponse chosen = RawRequest("POST", server->url() + "/api/promo-codes/" + code + "/redeem",
                                  {"Content-Type: application/json"}, R"({"destination":"JP"})");
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  sdk::Client client(server->ClientOptions());
  json::value booking =
      Json(client.Get("/api/bookings/RDM-ANYWHERE/byExternalBookingId")->body).at("data");
  const auto& pc = booking.at("promo_codes").at(0);
  EXPECT_EQ(pc.at("destination").as_string(), "JP");
  EXPECT_EQ(pc.at("package_size").as_string(), "1GB");  // the default strategy, fixed_size 1GB
  EXPECT_EQ(pc.at("status").as_string(), "REDEEMED");
}

TEST(Redeem, ProductionNeverInventsProfiles) {
  std::map<std::string, std::string> env = {{"TRIPSIM_MASTER_KEY", std::string(64, 'a')}};
  auto server =
      TripsimdProcess::Start({.serve_args = {"--env", "production", "--mail", "maildir:var/mail",
                                             "--public-url", "https://esim.example.com"},
                              .env = env});
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server
                ->Admin({"catalog", "import",
                         std::string(TRIPSIM_SOURCE_DIR) + "/data/catalog.sample.json"})
                .exit_code,
            0);
  CommandResult p = server->Admin({"partner", "create", "--name", "Prod OTA"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  json::value creds = Json(p.out);
  sdk::Client client({.base_url = server->url(),
                      .api_key = std::string(creds.at("api_key").as_string()),
                      .api_secret = std::string(creds.at("api_secret").as_string())});
  // The server reloads the catalog every few seconds.
  std::optional<sdk::Response> created;
  ASSERT_TRUE(WaitFor(
      [&] {
        created = *client.Post("/api/bookings", json::serialize(GuideBody("PROD-1")));
        return created->status == 201;
      },
      30))
      << created->body;
  std::string code(
      Json(created->body).at("data").at("promo_codes").at(0).at("promo_code").as_string());
  RawResponse r = Redeem(*server, code);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("No eSIM is available"), std::string::npos);
  EXPECT_FALSE(r.headers["retry-after"].empty());
}

TEST(Redeem, GuessingCodesFromOneAddressGets429AndOtherAddressesAreNotHeldBack) {
  auto server = TripsimdProcess::Start({.env = {{"TRIPSIM_TRUSTED_PROXIES", "127.0.0.1"}}});
  ASSERT_NE(server, nullptr);
  std::string code = FirstCode(*server, "GUESS-1");
  auto redeem_from = [&](const std::string& client, const std::string& c) {
    return RawRequest("POST", server->url() + "/api/promo-codes/" + c + "/redeem",
                      {"X-Forwarded-For: 198.51.100.7, " + client});
  };
  int refused_at = 0;
  for (int i = 1; i <= 15 && refused_at == 0; ++i) {
    RawResponse r = redeem_from("203.0.113.9", "AAAA-BBBB-" + std::to_string(1000 + i));
    if (r.status == 429)
      refused_at = i;
    else
      EXPECT_EQ(r.status, 404);
  }
  EXPECT_EQ(refused_at, 11);  // ten wrong guesses, then refused
  RawResponse refused = redeem_from("203.0.113.9", code);
  EXPECT_EQ(refused.status, 429);  // even a right code, until the bucket refills
  EXPECT_FALSE(refused.headers["retry-after"].empty());
  EXPECT_EQ(Json(refused.body).at("error").at("code").as_int64(), 429);
  RawResponse page =
      RawRequest("GET", server->url() + "/redeem/" + code, {"X-Forwarded-For: 203.0.113.9"});
  EXPECT_EQ(page.status, 429);
  EXPECT_NE(page.body.find("Too many attempts"), std::string::npos);
  EXPECT_EQ(redeem_from("203.0.113.10", code).status, 200);  // another traveller
}

}  // namespace
}  // namespace tripsim::testing
