// Traveller email end to end: the real tripsimd delivering to a real SMTP server (aiosmtpd)
// on loopback; QR codes decoded with zbarimg.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/smtp.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class EmailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("tripsim-mail-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    smtp_ = std::make_unique<SmtpServer>(dir_ + "/received");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<TripsimdProcess> StartServer(const std::string& mail_url) {
    auto s = TripsimdProcess::Start({.serve_args = {"--mail", mail_url}});
    EXPECT_NE(s, nullptr);
    return s;
  }

  static sdk::Response Book(const TripsimdProcess& server, json::object body) {
    sdk::Client client(server.ClientOptions());
    auto r = client.Post("/api/bookings", json::serialize(body));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->status, 201) << r->body;
    return *r;
  }

  static json::value Booking(const TripsimdProcess& server, const std::string& id) {
    sdk::Client client(server.ClientOptions());
    return Json(client.Get("/api/bookings/" + id)->body).at("data");
  }

  std::string dir_;
  std::unique_ptr<SmtpServer> smtp_;
};

TEST_F(EmailTest, BookingEmailArrivesWithCodeBothAlternativesAndADecodableQr) {
  ASSERT_TRUE(smtp_->Start());
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));
  ASSERT_NE(server, nullptr);
  json::value created = Json(Book(*server, GuideBody("MAIL-1")).body);
  std::string code(created.at("data").at("promo_codes").at(0).at("promo_code").as_string());
  std::string id(created.at("data").at("id").as_string());
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; })) << server->StderrLog();
  json::value mail = smtp_->Messages().at(0);
  EXPECT_EQ(mail.at("to").as_string(), "Ada <traveller@example.com>");
  EXPECT_EQ(mail.at("content_type").as_string(), "multipart/related");
  EXPECT_NE(std::string(mail.at("text").as_string()).find(code), std::string::npos);
  EXPECT_NE(std::string(mail.at("html").as_string()).find(code), std::string::npos);
  EXPECT_NE(std::string(mail.at("html").as_string()).find("cid:qr-1@tripsim"), std::string::npos);
  ASSERT_EQ(mail.at("images").as_array().size(), 1u);
  std::string png(mail.at("images").at(0).at("file").as_string());
  CommandResult qr = RunCommand("/usr/bin/zbarimg", {"--raw", "-q", png}, "/");
  ASSERT_EQ(qr.exit_code, 0) << qr.err;
  EXPECT_EQ(qr.out, server->url() + "/redeem/" + code + "\n");
  // The booking shows the message as sent, with its time.
  ASSERT_TRUE(WaitFor([&] {
    return Booking(*server, id).at("messages").at(0).at("status").as_string() == "SENT";
  }));
  EXPECT_TRUE(Booking(*server, id).at("messages").at(0).at("sent_at").is_string());
  std::string message_id(mail.at("message_id").as_string());
  EXPECT_EQ(message_id.find(
                "<" + std::string(Booking(*server, id).at("messages").at(0).at("id").as_string())),
            0u);
}

TEST_F(EmailTest, NoEmailWithoutShouldSendAndGermanForGermanBookings) {
  ASSERT_TRUE(smtp_->Start());
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));
  ASSERT_NE(server, nullptr);
  json::object silent = GuideBody("MAIL-SILENT");
  silent["communication_options"] = json::object{{"should_send_message", false}};
  json::value quiet = Json(Book(*server, silent).body);
  EXPECT_TRUE(quiet.at("data").at("messages").as_array().empty());
  json::object german = GuideBody("MAIL-DE");
  german["locale"] = "de-DE";
  german["first_name"] = "Jörg";
  Book(*server, german);
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // the worker polls every 250 ms
  ASSERT_EQ(smtp_->Files().size(), 1u);  // only the German one, never the silent booking
  json::value mail = smtp_->Messages().at(0);
  EXPECT_NE(std::string(mail.at("subject").as_string()).find("Ihre eSIM"), std::string::npos);
  EXPECT_NE(std::string(mail.at("text").as_string()).find("Hallo Jörg,"), std::string::npos);
}

TEST_F(EmailTest, AnSmtpOutageDelaysTheEmailButLosesAndDoublesNothing) {
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));  // nothing there
  ASSERT_NE(server, nullptr);
  std::string id(
      Json(Book(*server, GuideBody("MAIL-OUTAGE")).body).at("data").at("id").as_string());
  ASSERT_TRUE(WaitFor(
      [&] { return Booking(*server, id).at("messages").at(0).at("attempts").as_int64() >= 1; }));
  EXPECT_EQ(Booking(*server, id).at("messages").at(0).at("status").as_string(), "PENDING");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_TRUE(smtp_->Start());
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; }, 60)) << server->StderrLog();
  json::value m = Booking(*server, id).at("messages").at(0);
  ASSERT_TRUE(WaitFor([&] {
    m = Booking(*server, id).at("messages").at(0);
    return m.at("status").as_string() == "SENT";
  }));
  EXPECT_GE(m.at("attempts").as_int64(), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(smtp_->Files().size(), 1u);
}

TEST_F(EmailTest, A5xxAnswerEndsFailedWithTheReason) {
  ASSERT_TRUE(smtp_->Start({"--reject", "550"}));
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));
  ASSERT_NE(server, nullptr);
  std::string id(Json(Book(*server, GuideBody("MAIL-550")).body).at("data").at("id").as_string());
  json::value m;
  ASSERT_TRUE(WaitFor([&] {
    m = Booking(*server, id).at("messages").at(0);
    return m.at("status").as_string() == "FAILED";
  }));
  EXPECT_EQ(m.at("attempts").as_int64(), 1);
  EXPECT_NE(std::string(m.at("last_error").as_string()).find("550"), std::string::npos);

  // The operator sees it, and why, without reading the partner's bookings.
  CommandResult failed = server->Admin({"mail", "failed"});
  ASSERT_EQ(failed.exit_code, 0) << failed.err;
  const json::array list = Json(failed.out).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("booking_id").as_string(), id);
  EXPECT_EQ(list[0].at("message_id"), m.at("id"));
  EXPECT_EQ(list[0].at("recipient"), m.at("recipient"));
  EXPECT_EQ(list[0].at("last_error"), m.at("last_error"));
  EXPECT_EQ(server->Admin({"mail", "failed", "--partner", "pt_nobody"}).exit_code, 2);
  // And on the dashboard's figures.
  CommandResult token = server->Admin({"admin-token", "create"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  RawResponse stats =
      RawRequest("GET", server->url() + "/api/admin/stats",
                 {"Authorization: Bearer " + std::string(Json(token.out).at("token").as_string())});
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(Json(stats.body).at("failed_messages"), list);
}

TEST_F(EmailTest, LoginAndStartTlsWork) {
  std::string cert = dir_ + "/cert.pem";
  std::string key = dir_ + "/key.pem";
  CommandResult made = RunCommand("/usr/bin/openssl",
                                  {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                   "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"},
                                  "/");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_TRUE(smtp_->Start({"--auth", "mailer:s3cret", "--tls-cert", cert, "--tls-key", key}));
  auto server = StartServer("smtp://mailer:s3cret@127.0.0.1:" + std::to_string(smtp_->port) +
                            "?starttls=required&verify=false");
  ASSERT_NE(server, nullptr);
  Book(*server, GuideBody("MAIL-TLS"));
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; })) << server->StderrLog();
  EXPECT_EQ(server->StderrLog().find("s3cret"), std::string::npos);  // never logged
}

TEST_F(EmailTest, HeaderInjectionIsRefusedAtTheApi) {
  auto server = StartServer("maildir:" + dir_ + "/maildir");
  ASSERT_NE(server, nullptr);
  sdk::Client client(server->ClientOptions());
  json::object body = GuideBody("MAIL-CRLF");
  body["email"] = "a@example.com\r\nBcc: victim@example.com";
  EXPECT_EQ(client.Post("/api/bookings", json::serialize(body))->status, 400);
  body = GuideBody("MAIL-CRLF2");
  body["first_name"] = "Ada\r\nBcc: victim@example.com";
  EXPECT_EQ(client.Post("/api/bookings", json::serialize(body))->status, 400);
}

TEST_F(EmailTest, ResendQueuesANewMessageAndASentEmailForbidsCancellation) {
  ASSERT_TRUE(smtp_->Start());
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));
  ASSERT_NE(server, nullptr);
  std::string id(
      Json(Book(*server, GuideBody("MAIL-RESEND")).body).at("data").at("id").as_string());
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; }));
  sdk::Client client(server->ClientOptions());
  auto resent = client.Post("/api/bookings/" + id + "/resend", "");
  ASSERT_EQ(resent->status, 202) << resent->body;
  EXPECT_EQ(Json(resent->body).at("data").at("messages").as_array().size(), 2u);
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 2; }));
  auto mails = smtp_->Messages();
  EXPECT_NE(mails[0].at("message_id"), mails[1].at("message_id"));
  EXPECT_EQ(mails[0].at("text"), mails[1].at("text"));
  auto cancel = client.Delete("/api/bookings/" + id);
  EXPECT_EQ(cancel->status, 409);
  EXPECT_NE(cancel->body.find("already sent"), std::string::npos);
  EXPECT_EQ(client.Post("/api/bookings/bk_unknown/resend", "")->status, 404);
}

// The traveller's address was wrong, or the booking had none: the partner sends the email to
// the right one. The booking's request stays as sent (a retry of it is still the same request).
TEST_F(EmailTest, ResendGoesToACorrectedAddress) {
  ASSERT_TRUE(smtp_->Start());
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));
  ASSERT_NE(server, nullptr);
  sdk::Client client(server->ClientOptions());
  json::object body = GuideBody("MAIL-FIX");
  body["email"] = "ada@exmaple.com";
  std::string id(Json(Book(*server, body).body).at("data").at("id").as_string());
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; }));

  auto bad = client.Post("/api/bookings/" + id + "/resend", R"({"email": "ada@"})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json(bad->body).at("error").at("details").at(0).at("field"), "email");
  auto fixed = client.ResendEmail(id, "ada@example.com");
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  ASSERT_EQ(fixed->messages.size(), 2u);
  EXPECT_EQ(fixed->messages[0].recipient, "ada@exmaple.com");
  EXPECT_EQ(fixed->messages[1].recipient, "ada@example.com");
  EXPECT_EQ(fixed->messages[1].kind, "resend");
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 2; }));
  std::vector<std::string> to;
  for (const auto& m : smtp_->Messages()) to.emplace_back(m.at("to").as_string());
  EXPECT_EQ(to, (std::vector<std::string>{"Ada <ada@exmaple.com>", "Ada <ada@example.com>"}));
  auto repeat = client.Post("/api/bookings", json::serialize(body));  // the original request
  EXPECT_EQ(repeat->status, 200) << repeat->body;

  json::object without = GuideBody("MAIL-NONE");
  without.erase("email");
  std::string none(Json(Book(*server, without).body).at("data").at("id").as_string());
  auto refused = client.Post("/api/bookings/" + none + "/resend", "");
  EXPECT_EQ(refused->status, 409);
  auto first = client.Post("/api/bookings/" + none + "/resend", R"({"email": "bob@example.com"})");
  EXPECT_EQ(first->status, 202) << first->body;
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 3; }));
}

TEST_F(EmailTest, ATravellerClaimsACodeIssuedWithoutEmail) {
  ASSERT_TRUE(smtp_->Start());
  auto server = StartServer("smtp://127.0.0.1:" + std::to_string(smtp_->port));
  ASSERT_NE(server, nullptr);
  json::object body = GuideBody("MAIL-CLAIM");
  body.erase("email");
  body["pax"] = 2;
  json::value created = Json(Book(*server, body).body);
  const auto& codes = created.at("data").at("promo_codes").as_array();
  std::string uuid(codes.at(1).at("uuid").as_string());
  std::string code(codes.at(1).at("promo_code").as_string());
  std::string other(codes.at(0).at("promo_code").as_string());
  std::string claim_url(codes.at(1).at("claim_url").as_string());
  EXPECT_EQ(claim_url, server->url() + "/claim/" + uuid);
  RawResponse page = RawRequest("GET", claim_url, {});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form"), std::string::npos);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  std::string api = server->url() + "/api/promo-codes/claim/" + uuid;
  EXPECT_EQ(
      RawRequest("POST", api, {"Content-Type: application/json"}, R"({"email":"nope"})").status,
      400);
  RawResponse claimed = RawRequest("POST", api, {"Content-Type: application/json"},
                                   R"({"email":"grace@example.com"})");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_EQ(Json(claimed.body).at("data").at("status").as_string(), "CLAIMED");
  EXPECT_EQ(claimed.body.find(code), std::string::npos);  // the code goes by email only
  ASSERT_TRUE(WaitFor([&] { return smtp_->Files().size() == 1; }));
  json::value mail = smtp_->Messages().at(0);
  EXPECT_EQ(mail.at("to").as_string(), "grace@example.com");  // not the booking's traveller
  std::string text(mail.at("text").as_string());
  EXPECT_NE(text.find(code), std::string::npos);
  EXPECT_EQ(text.find(other), std::string::npos);  // only the claimed code
  EXPECT_EQ(RawRequest("POST", api, {"Content-Type: application/json"},
                       R"({"email":"grace@example.com"})")
                .status,
            409);
  EXPECT_EQ(
      RawRequest("POST",
                 server->url() + "/api/promo-codes/claim/00000000-0000-4000-8000-000000000000",
                 {"Content-Type: application/json"}, R"({"email":"a@example.com"})")
          .status,
      404);
  EXPECT_EQ(RawRequest("GET", server->url() + "/claim/nope", {}).status, 404);
  // In the browser's language when the booking names none.
  RawResponse taken = RawRequest("GET", claim_url, {"Accept-Language: de-DE,de;q=0.9"});
  EXPECT_NE(taken.body.find("Dieser Code wurde bereits angefordert."), std::string::npos);
}

TEST_F(EmailTest, TheHtmlEmailShowsTheQrCodeInChromium) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  sdk::Client client(server->ClientOptions());
  json::object body = GuideBody("MAIL-SHOT");
  body["locale"] = "fr-FR";
  auto created = client.Post("/api/bookings", json::serialize(body));
  ASSERT_EQ(created->status, 201);
  json::value v = Json(created->body);
  std::string id(v.at("data").at("id").as_string());
  std::string link(v.at("data").at("promo_codes").at(0).at("deep_link_url").as_string());
  CommandResult preview = server->Admin({"mail", "preview", "--booking", id, "--out",
                                         dir_ + "/preview", "--public-url", server->url()});
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  CommandResult shot = RunCommand(
      "/usr/bin/chromium",
      {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
       "--disable-background-networking", "--disable-component-update", "--disable-sync",
       "--user-data-dir=" + dir_ + "/chromium", "--hide-scrollbars", "--window-size=640,1400",
       "--screenshot=" + dir_ + "/shot.png", "file://" + dir_ + "/preview.html"},
      dir_);
  ASSERT_TRUE(fs::exists(dir_ + "/shot.png")) << shot.err;
  CommandResult qr = RunCommand("/usr/bin/zbarimg", {"--raw", "-q", dir_ + "/shot.png"}, "/");
  ASSERT_EQ(qr.exit_code, 0) << "no QR code visible in the rendered email";
  EXPECT_EQ(qr.out, link + "\n");
}

TEST_F(EmailTest, MaildirIsTheEmbeddedDefault) {
  auto server = TripsimdProcess::Start({});
  ASSERT_NE(server, nullptr);
  sdk::Client client(server->ClientOptions());
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(GuideBody("MAIL-DIR")))->status, 201);
  fs::path new_dir = fs::path(server->dir()) / "var/mail/new";
  ASSERT_TRUE(WaitFor([&] {
    std::error_code ec;
    return fs::exists(new_dir, ec) && !fs::is_empty(new_dir, ec);
  }));
}

}  // namespace
}  // namespace tripsim::testing
