#include "tripsim/base/ids.h"

#include <cstdint>

#include "tripsim/base/clock.h"
#include "tripsim/base/crypto.h"

namespace tripsim {

namespace {

// In ascending ASCII order, so that encoded numbers sort as the numbers do.
constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void AppendRandom(std::string& out, size_t chars) {
  for (char c : crypto::RandomBytes(chars)) out += kAlphabet[static_cast<unsigned char>(c) & 31];
}

}  // namespace

std::string NewId(std::string_view prefix) {
  std::string out(prefix);
  AppendRandom(out, 20);
  return out;
}

std::string NewOrderedId(std::string_view prefix) {
  const int64_t millis = SystemClock().NowMillis();
  std::string out(prefix);
  for (int shift = 45; shift >= 0; shift -= 5) {  // 50 bits: until the year 37648
    out += kAlphabet[(static_cast<uint64_t>(millis) >> shift) & 31];
  }
  AppendRandom(out, 16);
  return out;
}

std::string NewUuidV7() {
  const int64_t millis = SystemClock().NowMillis();
  std::string b = crypto::RandomBytes(16);
  for (int i = 0; i < 6; ++i) {  // unix_ts_ms, 48 bits, big-endian
    b[i] = static_cast<char>((static_cast<uint64_t>(millis) >> (40 - 8 * i)) & 0xff);
  }
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x70);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string hex = crypto::HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace tripsim
