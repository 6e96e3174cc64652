#include "tripsim/domain/esim.h"

namespace tripsim::domain {

std::string ActivationCode(const EsimProfile& p) {
  std::string code = "LPA:1$" + p.smdp_address + "$" + p.matching_id;
  if (!p.confirmation_code.empty()) code += "$$1";
  return code;
}

char LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  bool twice = true;  // the rightmost payload digit is doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool IsValidIccid(std::string_view iccid) {
  if (iccid.size() < 19 || iccid.size() > 20) return false;
  for (char c : iccid) {
    if (c < '0' || c > '9') return false;
  }
  return LuhnCheckDigit(iccid.substr(0, iccid.size() - 1)) == iccid.back();
}

}  // namespace tripsim::domain
