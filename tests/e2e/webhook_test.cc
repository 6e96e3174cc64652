// Webhooks end to end: signed events for the booking lifecycle delivered to a real receiver;
// retries with the same event_id and a new timestamp; dead letters visible to the operator.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"
#include "tripsim/base/crypto.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::vector<json::value> Received(const std::string& file) {
  std::vector<json::value> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

TEST(Webhooks, LifecycleEventsAreSignedRetriedAndDeadLettered) {
  auto server = TripsimdProcess::Start({.env = {{"TRIPSIM_WEBHOOK_RETRY_SECONDS", "1,1,1"}}});
  ASSERT_NE(server, nullptr);
  std::string dir = server->dir();
  int port = FreePort();
  std::string log = dir + "/hooks.jsonl";
  std::string fail = dir + "/fail";
  auto receiver =
      ChildProcess::Start("/usr/bin/python3",
                          {std::string(TRIPSIM_SOURCE_DIR) + "/tests/e2e/webhook_receiver.py",
                           std::to_string(port), log, fail},
                          "ready");
  ASSERT_NE(receiver, nullptr);
  CommandResult created =
      server->Admin({"partner", "create", "--name", "Hooked OTA", "--webhook-url",
                     "http://127.0.0.1:" + std::to_string(port) + "/hook"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  json::value creds = Json(created.out);
  std::string secret(creds.at("webhook_secret").as_string());
  sdk::Client client({.base_url = server->url(),
                      .api_key = std::string(creds.at("api_key").as_string()),
                      .api_secret = std::string(creds.at("api_secret").as_string())});
  auto booked = client.Post("/api/bookings", json::serialize(GuideBody("HOOK-1")));
  ASSERT_EQ(booked->status, 201) << booked->body;
  std::string code(
      Json(booked->body).at("data").at("promo_codes").at(0).at("promo_code").as_string());
  ASSERT_EQ(RawRequest("POST", server->url() + "/api/promo-codes/" + code + "/redeem", {}).status,
            200);

  std::set<std::string> events;
  ASSERT_TRUE(WaitFor([&] {
    events.clear();
    for (const auto& r : Received(log))
      events.insert(
          std::string(Json(std::string(r.at("body").as_string())).at("event").as_string()));
    return events.size() == 3;
  })) << server->StderrLog();
  EXPECT_EQ(events,
            (std::set<std::string>{"booking.created", "message.sent", "promo_code.redeemed"}));
  for (const auto& r : Received(log)) {
    const auto& h = r.at("headers").as_object();
    std::string body(r.at("body").as_string());
    std::string ts(h.at("x-tripsim-timestamp").as_string());
    EXPECT_EQ(std::string(h.at("x-tripsim-signature").as_string()),
              "sha256=" + crypto::HmacSha256Hex(secret, ts + "." + body));
    json::value envelope = Json(body);
    EXPECT_EQ(std::string(envelope.at("event_id").as_string()).substr(0, 4), "evt_");
    EXPECT_EQ(envelope.at("data").at("booking_id").as_string(), "HOOK-1");
    if (envelope.at("event").as_string() == "promo_code.redeemed") {
      EXPECT_EQ(envelope.at("data").at("promo_code").at("promo_code").as_string(), code);
    }
  }

  // The receiver fails from now on: retries keep the event_id, then the event is dead.
  std::ofstream(fail) << "x";
  json::object silent = GuideBody("HOOK-2");
  silent["communication_options"] = json::object{{"should_send_message", false}};
  ASSERT_EQ(client.Post("/api/bookings", json::serialize(silent))->status, 201);
  ASSERT_EQ(client.Delete("/api/bookings/HOOK-2/byExternalBookingId")->status, 200);
  CommandResult listed;
  ASSERT_TRUE(WaitFor(
      [&] {
        listed = server->Admin(
            {"partner", "webhooks", "--partner", std::string(creds.at("partner_id").as_string())});
        if (listed.exit_code != 0) return false;
        json::value all = Json(listed.out);
        const json::array& list = all.as_array();
        return list.size() == 5 && std::all_of(list.begin(), list.end(), [](const json::value& e) {
                 return e.at("status").as_string() != "PENDING";
               });
      },
      40))
      << listed.out;
  std::map<std::string, std::set<std::string>> attempts;  // event_id -> timestamps
  for (const auto& r : Received(log)) {
    if (!r.at("failed").as_bool()) continue;
    json::value envelope = Json(std::string(r.at("body").as_string()));
    attempts[std::string(envelope.at("event_id").as_string())].insert(
        std::string(r.at("headers").at("x-tripsim-timestamp").as_string()));
  }
  EXPECT_NE(listed.out.find("\"DEAD\""), std::string::npos);
  EXPECT_NE(listed.out.find("booking.cancelled"), std::string::npos);
  ASSERT_EQ(attempts.size(), 2u);  // booking.created and booking.cancelled of HOOK-2
  for (const auto& [id, stamps] : attempts) EXPECT_EQ(stamps.size(), 4u) << id;  // 1 + 3 retries

  // The operator lists the dead letters and redelivers one once the receiver is back.
  std::string partner_id(creds.at("partner_id").as_string());
  CommandResult dead = server->Admin({"webhooks", "list", "--partner", partner_id, "--failed"});
  ASSERT_EQ(dead.exit_code, 0) << dead.err;
  json::value dead_list = Json(dead.out);
  ASSERT_EQ(dead_list.as_array().size(), 2u);
  std::string event_id(dead_list.at(0).at("event_id").as_string());
  fs::remove(fail);
  ASSERT_EQ(server->Admin({"webhooks", "redeliver", "--event", event_id}).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] {
    CommandResult now = server->Admin({"webhooks", "list", "--partner", partner_id, "--failed"});
    return now.exit_code == 0 && Json(now.out).as_array().size() == 1;
  }));
  EXPECT_EQ(server->Admin({"webhooks", "redeliver", "--event", "evt_nope"}).exit_code, 2);
}

}  // namespace
}  // namespace tripsim::testing
