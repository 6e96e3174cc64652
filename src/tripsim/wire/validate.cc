#include "tripsim/wire/validate.h"

#include <array>
#include <cctype>

#include "tripsim/base/host_name.h"

namespace tripsim::wire::internal {
namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAtext(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-";
  return IsAlnum(c) || kSpecials.find(c) != std::string_view::npos;
}

bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!IsAtext(s[i])) {
      return false;
    }
  }
  return true;
}

constexpr std::array<std::string_view, 29> kLocales = {
    "en-US", "en-EU", "en-GB", "en-CA", "en-AU", "en-NZ", "nl-NL", "nl-BE", "de-DE", "de-AT",
    "de-CH", "de-BE", "fr-FR", "fr-CA", "fr-BE", "fr-CH", "it-IT", "it-CH", "es-ES", "pt-PT",
    "pt-BR", "cs-CZ", "pl-PL", "sv-SE", "sk-SK", "da-DK", "ko-KR", "hu-HU", "no-NO"};
constexpr std::string_view kLastLocale = "zh-CN";

}  // namespace

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool HasControl(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return true;
    // U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < s.size()) {
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool IsValidEmail(std::string_view s) {
  if (s.size() > 254) return false;
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  return IsDotAtom(s.substr(0, at)) && IsHostName(s.substr(at + 1));
}

bool IsValidPhone(std::string_view s) {
  if (s.size() < 3 || s.size() > 18 || s[0] != '+') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

bool IsValidFlightNumber(std::string_view s) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (!IsAlnum(c)) return false;
  }
  return true;
}

bool IsValidSizeText(std::string_view s) {
  if (s.size() < 3) return false;
  std::string_view unit = s.substr(s.size() - 2);
  if (unit != "MB" && unit != "GB") return false;
  std::string_view num = s.substr(0, s.size() - 2);
  size_t i = 0;
  while (i < num.size() && IsDigit(num[i])) ++i;
  if (i == 0) return false;
  if (i == num.size()) return true;
  if (num[i] != '.' || i + 1 == num.size()) return false;
  for (++i; i < num.size(); ++i) {
    if (!IsDigit(num[i])) return false;
  }
  return true;
}

bool IsKnownLocale(std::string_view s) {
  auto matches = [s](std::string_view locale) {
    return s == locale || (s.size() == 2 && s == locale.substr(0, 2));
  };
  for (std::string_view l : kLocales) {
    if (matches(l)) return true;
  }
  return matches(kLastLocale);
}

}  // namespace tripsim::wire::internal
