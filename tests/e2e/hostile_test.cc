// Hostile and abusive clients: malformed HTTP, oversized or lying headers, deep JSON, invalid
// UTF-8, thousands of specifications, slow connections, and partners over their rate limit.
// Always a 4xx in the documented shape (or a closed connection), never a crash or a hang.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {
namespace {

namespace json = boost::json;

int Port(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `bytes` on a new connection and reads until the server closes it or `seconds` pass.
std::string Exchange(int port, const std::string& bytes, int seconds = 15) {
  int fd = Connect(port);
  if (fd < 0) return "";
  (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    // One response is enough: stop once its body has arrived.
    size_t head = out.find("\r\n\r\n");
    size_t cl = out.find("Content-Length: ");
    if (head != std::string::npos && cl != std::string::npos && cl < head) {
      size_t len = std::stoul(out.substr(cl + 16));
      if (out.size() >= head + 4 + len) break;
    }
  }
  close(fd);
  return out;
}

int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string BodyOf(const std::string& response) {
  size_t head = response.find("\r\n\r\n");
  return head == std::string::npos ? "" : response.substr(head + 4);
}

class HostileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = TripsimdProcess::Start({}).release();
    ASSERT_NE(server_, nullptr);
  }
  static void TearDownTestSuite() { delete server_; }
  static TripsimdProcess* server_;
};

TripsimdProcess* HostileTest::server_ = nullptr;

TEST_F(HostileTest, MalformedRequestsGet4xxInTheErrorShapeOrAClosedConnection) {
  int port = Port(server_->url());
  const std::vector<std::string> corpus = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST /api/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /api/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST /api/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n",
      "POST /api/bookings HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
      "POST /api/bookings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\n" + std::string(20000, 'X') + "\r\n\r\n",
      std::string("GET /\x00\x01\x02 HTTP/1.1\r\n\r\n", 24),
      "GET /api/bookings/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const std::string& request : corpus) {
    std::string response = Exchange(port, request);
    int status = StatusOf(response);
    if (status == 0) continue;  // the server closed the connection: acceptable for garbage
    EXPECT_GE(status, 400) << request.substr(0, 60);
    EXPECT_LT(status, 500) << request.substr(0, 60);
    json::value body = Json(BodyOf(response));
    EXPECT_FALSE(body.at("success").as_bool());
    EXPECT_EQ(body.at("error").at("code").as_int64(), status);
  }
  EXPECT_EQ(RawRequest("GET", server_->url() + "/healthz", {}).status, 200);  // still alive
}

TEST_F(HostileTest, HostileJsonBodiesAre400) {
  sdk::Client client(server_->ClientOptions());
  std::string deep = std::string(5000, '[') + std::string(5000, ']');
  std::string invalid_utf8 =
      R"({"booking_id":"TRV-)" + std::string("\xff\xfe") + R"(","departure_date":"2026-12-01"})";
  json::object many = GuideBody("MANY-SPECS");
  json::array specs;
  for (int i = 0; i < 3000; ++i) specs.emplace_back(json::object{{"destination", "FR"}});
  many["package_specifications"] = specs;
  for (const std::string& body : {deep, invalid_utf8, json::serialize(many), std::string("{}"),
                                  std::string("null"), std::string("\"str\"")}) {
    auto r = client.Post("/api/bookings", body);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, body.size() > 64 * 1024 ? 413 : 400) << body.substr(0, 40);
    EXPECT_FALSE(Json(r->body).at("success").as_bool());
  }
}

TEST_F(HostileTest, SlowClientsDoNotDelayANormalRequest) {
  int port = Port(server_->url());
  std::vector<int> slow;
  for (int i = 0; i < 300; ++i) {
    int fd = Connect(port);
    if (fd < 0) break;
    std::string partial = "POST /api/bookings HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    (void)send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  ASSERT_GE(slow.size(), 250u);
  auto start = std::chrono::steady_clock::now();
  sdk::Client client(server_->ClientOptions());
  auto r = client.Post("/api/bookings", json::serialize(GuideBody("SLOW-NEIGHBOURS")));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 201);
  EXPECT_LT(elapsed, std::chrono::seconds(2));  // liveness: ten times a generous normal
  for (int fd : slow) close(fd);
}

TEST_F(HostileTest, APartnerOverItsRateLimitGets429WithRetryAfter) {
  CommandResult created = server_->Admin({"partner", "create", "--name", "Limited"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  json::value creds = Json(created.out);
  std::string id(creds.at("partner_id").as_string());
  ASSERT_EQ(server_->Admin({"partner", "update", "--partner", id, "--rate-limit", "2/s"}).exit_code,
            0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the partner cache's TTL
  sdk::Client client({.base_url = server_->url(),
                      .api_key = std::string(creds.at("api_key").as_string()),
                      .api_secret = std::string(creds.at("api_secret").as_string()),
                      .max_attempts = 1});
  int limited = 0;
  std::optional<std::string> retry_after;
  for (int i = 0; i < 10; ++i) {
    auto r = client.Get("/api/bookings");
    if (r->status == 429) {
      ++limited;
      retry_after = r->Header("retry-after");
      EXPECT_EQ(Json(r->body).at("error").at("code").as_int64(), 429);
    }
  }
  EXPECT_GE(limited, 5);
  EXPECT_EQ(retry_after, "1");
  // The SDK's retries honour Retry-After and get through.
  sdk::Client patient({.base_url = server_->url(),
                       .api_key = std::string(creds.at("api_key").as_string()),
                       .api_secret = std::string(creds.at("api_secret").as_string())});
  auto r = patient.Get("/api/bookings");
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(r->attempts, 2);
}

}  // namespace
}  // namespace tripsim::testing
