#include "tripsim/base/ids.h"

#include "tripsim/base/crypto.h"

namespace tripsim {

std::string NewId(std::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string random = crypto::RandomBytes(20);
  std::string out(prefix);
  for (char c : random) out += kAlphabet[static_cast<unsigned char>(c) & 31];
  return out;
}

std::string NewUuidV4() {
  std::string b = crypto::RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string hex = crypto::HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace tripsim
