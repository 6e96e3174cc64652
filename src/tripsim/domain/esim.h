// eSIM profiles of the operator's inventory, and the GSMA SGP.22 activation code that installs
// one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tripsim::domain {

struct EsimProfile {
  std::string iccid;         // 19-20 digits with a valid Luhn check digit
  std::string smdp_address;  // SM-DP+ host name
  std::string matching_id;
  std::string confirmation_code;  // empty when none is needed
  std::string provider;
  bool test_profile = false;  // a synthetic staging profile
  bool operator==(const EsimProfile&) const = default;
};

// "LPA:1$<smdp>$<matching id>", with "$$1" appended when a confirmation code is needed.
std::string ActivationCode(const EsimProfile& p);

// True for 19-20 digits whose last is the Luhn check digit of the others.
bool IsValidIccid(std::string_view iccid);

// The Luhn check digit of `digits`.
char LuhnCheckDigit(std::string_view digits);

}  // namespace tripsim::domain
