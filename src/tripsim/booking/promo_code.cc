#include "tripsim/booking/promo_code.h"

#include <cctype>

#include "tripsim/base/crypto.h"

namespace tripsim::booking {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static_assert(kAlphabet.size() == 32);

std::string Group(std::string_view compact) {
  return std::string(compact.substr(0, 4)) + "-" + std::string(compact.substr(4, 4)) + "-" +
         std::string(compact.substr(8, 4));
}

}  // namespace

std::string NewPromoCode() {
  std::string random = crypto::RandomBytes(12);
  std::string compact;
  for (char c : random) compact += kAlphabet[static_cast<unsigned char>(c) & 31];
  return Group(compact);
}

std::optional<std::string> NormalizePromoCode(std::string_view typed) {
  if (typed.size() > 20) return std::nullopt;
  std::string compact;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u == 'O') u = '0';
    if (u == 'I' || u == 'L') u = '1';
    if (kAlphabet.find(u) == std::string_view::npos) return std::nullopt;
    compact += u;
  }
  if (compact.size() != 12) return std::nullopt;
  return Group(compact);
}

}  // namespace tripsim::booking
