// HTTPS served directly (--tls-cert/--tls-key), with a self-signed certificate made by openssl:
// curl verifies it against that certificate, a signed booking goes through, and plain HTTP on
// the TLS port gets nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"
#include "tripsim/base/crypto.h"

namespace tripsim::testing {
namespace {

TEST(Tls, ServesHttpsWithTheGivenCertificate) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("tripsim-tls-" + std::to_string(::getpid())))
          .string();
  std::filesystem::create_directories(dir);
  CommandResult made = RunCommand(
      "/usr/bin/openssl",
      {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem"},
      dir);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto server = TripsimdProcess::Start(
      {.serve_args = {"--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"}});
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server->url().rfind("https://", 0), 0u) << server->url();

  CommandResult health = RunCommand(
      "/usr/bin/curl", {"-sS", "--cacert", dir + "/cert.pem", server->url() + "/healthz"}, dir);
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(health.out, R"({"status":"ok"})");

  const std::string ts = std::to_string(SystemClock().NowMillis());
  const std::string sig = crypto::HmacSha256Hex(server->api_secret(), ts + "POST/api/bookings");
  CommandResult booked =
      RunCommand("/usr/bin/curl",
                 {"-sS", "--cacert", dir + "/cert.pem", "-w", "\n%{http_code}", "-H",
                  "Content-Type: application/json", "-H", "x-api-key: " + server->api_key(), "-H",
                  "x-timestamp: " + ts, "-H", "x-signature: " + sig, "--data",
                  boost::json::serialize(GuideBody("TLS-1")), server->url() + "/api/bookings"},
                 dir);
  EXPECT_EQ(booked.exit_code, 0) << booked.err;
  EXPECT_EQ(booked.out.substr(booked.out.rfind('\n') + 1), "201") << booked.out;

  std::string plain = server->url();
  plain.replace(0, 5, "http");
  CommandResult refused = RunCommand("/usr/bin/curl", {"-sS", "-m", "5", plain + "/healthz"}, dir);
  EXPECT_NE(refused.exit_code, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tripsim::testing
