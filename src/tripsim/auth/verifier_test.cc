#include "tripsim/auth/verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tripsim/base/crypto.h"

namespace tripsim::auth {
namespace {

constexpr int64_t kNow = 1715558400000;

class MapKeyStore : public KeyStore {
 public:
  Result<std::optional<Credentials>> Find(std::string_view key) const override {
    auto it = creds.find(std::string(key));
    if (it == creds.end()) return std::optional<Credentials>();
    return std::optional<Credentials>(it->second);
  }
  std::map<std::string, Credentials> creds;
};

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : clock_(kNow) { keys_.creds["key1"] = {"pt_1", "s3cret", true, false, "", 0}; }

  Verification Check(std::string ts, std::string sig, std::string target = "/api/bookings") {
    ts_ = std::move(ts);
    sig_ = std::move(sig);
    target_ = std::move(target);
    SignedRequest r{"POST", target_, "key1", ts_, sig_, std::nullopt, "{}"};
    return Verify(r, keys_, clock_, {});
  }
  std::string SignAt(int64_t ts, std::string_view target = "/api/bookings") {
    return Sign("s3cret", std::to_string(ts), "POST", target);
  }

  FakeClock clock_;
  MapKeyStore keys_;
  std::string ts_, sig_, target_;
};

TEST_F(VerifierTest, ThePreviousSecretWorksUntilItsRotationGraceEnds) {
  keys_.creds["key1"].previous_secret = "old-secret";
  keys_.creds["key1"].previous_secret_until = kNow + 1000;
  const std::string ts = std::to_string(kNow);
  EXPECT_TRUE(Check(ts, SignAt(kNow)).status.ok());  // the new one
  EXPECT_TRUE(Check(ts, Sign("old-secret", ts, "POST", "/api/bookings")).status.ok());
  EXPECT_FALSE(Check(ts, Sign("other", ts, "POST", "/api/bookings")).status.ok());
  clock_.Advance(std::chrono::milliseconds(1001));
  const std::string later = std::to_string(kNow + 1001);
  EXPECT_EQ(Check(later, Sign("old-secret", later, "POST", "/api/bookings")).status.message(),
            "Invalid signature");
  EXPECT_TRUE(Check(later, SignAt(kNow + 1001)).status.ok());
}

TEST_F(VerifierTest, MatchesTheGuidesStringToSign) {
  EXPECT_EQ(StringToSign("1715558400000", "GET", "/api/bookings?perPage=10"),
            "1715558400000GET/api/bookings?perPage=10");
  EXPECT_EQ(Sign("s", "1", "GET", "/api/x"), crypto::HmacSha256Hex("s", "1GET/api/x"));
}

TEST_F(VerifierTest, AcceptsAValidSignatureInEitherCase) {
  std::string sig = SignAt(kNow);
  EXPECT_TRUE(Check(std::to_string(kNow), sig).status.ok());
  std::transform(sig.begin(), sig.end(), sig.begin(), ::toupper);
  Verification v = Check(std::to_string(kNow), sig);
  EXPECT_TRUE(v.status.ok());
  EXPECT_EQ(v.partner_id, "pt_1");
}

TEST_F(VerifierTest, RejectsTimestampOutsideWindowButAcceptsItsEdges) {
  for (int64_t delta : {-300'000, 300'000}) {
    EXPECT_TRUE(Check(std::to_string(kNow + delta), SignAt(kNow + delta)).status.ok()) << delta;
  }
  for (int64_t delta : {-300'001, 300'001}) {
    Verification v = Check(std::to_string(kNow + delta), SignAt(kNow + delta));
    EXPECT_EQ(v.status.code(), ErrorCode::kUnauthenticated);
    EXPECT_NE(v.status.message().find("expired"), std::string::npos);
    EXPECT_EQ(v.partner_id, "pt_1");
  }
  const std::string seconds = std::to_string(kNow / 1000);
  EXPECT_NE(Check(seconds, SignAt(kNow / 1000)).status.message().find("in seconds"),
            std::string::npos);
  EXPECT_NE(Check("9999999999999999", SignAt(kNow)).status.message().find("expired"),
            std::string::npos);  // the largest accepted; times 1000 it would overflow
}

TEST_F(VerifierTest, RejectsMalformedTimestampAndBadSignature) {
  EXPECT_NE(Check("12abc", SignAt(kNow)).status.message().find("Malformed"), std::string::npos);
  EXPECT_EQ(Check(std::to_string(kNow), SignAt(kNow, "/api/other")).status.message(),
            "Invalid signature");
  EXPECT_TRUE(
      Check(std::to_string(kNow), SignAt(kNow, "/api/bookings?page=2"), "/api/bookings?page=2")
          .status.ok());
}

TEST_F(VerifierTest, DistinguishesMissingHeadersUnknownKeyAndDisabledPartner) {
  SignedRequest r{"POST", "/api/bookings", std::nullopt, "1", "ab", std::nullopt, ""};
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.message(), "Missing x-api-key header");
  r.api_key = "nope";
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.message(), "Unknown API key");
  r.api_key = "key1";
  r.timestamp.reset();
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.message(), "Missing x-timestamp header");
  keys_.creds["key1"].enabled = false;
  Verification v = Check(std::to_string(kNow), SignAt(kNow));
  EXPECT_EQ(v.status.code(), ErrorCode::kPermissionDenied);
}

TEST_F(VerifierTest, AnOptionalBodyHashMustMatchAndBeSigned) {
  std::string ts = std::to_string(kNow);
  std::string hash = crypto::Sha256Hex("{}");
  SignedRequest r{"POST", "/api/bookings", "key1", ts, "", hash, "{}"};
  std::string with_hash = Sign("s3cret", ts, "POST", "/api/bookings", hash);
  std::string without = Sign("s3cret", ts, "POST", "/api/bookings");
  r.signature = with_hash;
  EXPECT_TRUE(Verify(r, keys_, clock_, {}).status.ok());
  r.signature = without;  // the hash was sent but not signed
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.message(), "Invalid signature");
  r.signature = with_hash;
  r.body = "{\"changed\":1}";
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.message(),
            "x-content-sha256 does not match the request body");
}

TEST_F(VerifierTest, RequiresBodyHashWhenConfigured) {
  keys_.creds["key1"].require_body_hash = true;
  std::string ts = std::to_string(kNow);
  std::string hash = crypto::Sha256Hex("{}");
  std::string sig = Sign("s3cret", ts, "POST", "/api/bookings", hash);
  SignedRequest r{"POST", "/api/bookings", "key1", ts, sig, hash, "{}"};
  EXPECT_TRUE(Verify(r, keys_, clock_, {}).status.ok());
  r.body = "{\"tampered\":1}";
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.code(), ErrorCode::kUnauthenticated);
  r.body = "{}";
  r.content_sha256.reset();
  EXPECT_EQ(Verify(r, keys_, clock_, {}).status.code(), ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace tripsim::auth
