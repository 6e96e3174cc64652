#include "tripsim/base/crypto.h"

#include <gtest/gtest.h>

namespace tripsim::crypto {
namespace {

TEST(HmacSha256Hex, MatchesRfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// One thread's context is re-armed with each key: a long key (hashed first), then a short one
// again, give RFC 4231's values.
TEST(HmacSha256Hex, TakesANewKeyOnEveryCall) {
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sha256Hex, HashesEmptyString) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Hex, RoundTripsAndAcceptsUppercase) {
  EXPECT_EQ(HexEncode("\x01\xab"), "01ab");
  EXPECT_EQ(HexDecode("01AB").value(), "\x01\xab");
  EXPECT_FALSE(HexDecode("0").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Seal, RoundTripsAndDetectsTamperingAndWrongKey) {
  std::string key(32, 'k');
  Result<std::string> sealed = Seal(key, "secret value");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find("secret"), std::string::npos);
  EXPECT_EQ(Open(key, *sealed).value(), "secret value");
  EXPECT_FALSE(Open(std::string(32, 'x'), *sealed).ok());
  std::string tampered = *sealed;
  tampered[30] = tampered[30] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(Open(key, tampered).ok());
}

TEST(RandomBytes, DiffersBetweenCalls) { EXPECT_NE(RandomBytes(16), RandomBytes(16)); }

}  // namespace
}  // namespace tripsim::crypto
