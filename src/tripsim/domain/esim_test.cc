#include "tripsim/domain/esim.h"

#include <gtest/gtest.h>

namespace tripsim::domain {
namespace {

TEST(Iccid, ChecksDigitsLengthAndLuhn) {
  EXPECT_EQ(LuhnCheckDigit("7992739871"), '3');  // the classic Luhn example
  std::string payload = "893100000000000001";    // 18 digits
  std::string iccid = payload + LuhnCheckDigit(payload);
  EXPECT_TRUE(IsValidIccid(iccid));
  iccid.back() = iccid.back() == '9' ? '0' : static_cast<char>(iccid.back() + 1);
  EXPECT_FALSE(IsValidIccid(iccid));
  EXPECT_FALSE(IsValidIccid("12345"));
  EXPECT_FALSE(IsValidIccid("89310000000000000a12"));
}

TEST(ActivationCode, FollowsSgp22) {
  EsimProfile p{"8931000000000000019", "smdp.example.com", "ABC-123", "", "sample", false};
  EXPECT_EQ(ActivationCode(p), "LPA:1$smdp.example.com$ABC-123");
  p.confirmation_code = "1234";
  EXPECT_EQ(ActivationCode(p), "LPA:1$smdp.example.com$ABC-123$$1");
}

}  // namespace
}  // namespace tripsim::domain
