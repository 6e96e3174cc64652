#include "tripsim/domain/package.h"

#include <charconv>
#include <cstdio>

namespace tripsim::domain {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  if (!AllDigits(s) || s.size() > 15) return std::nullopt;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<Money> ParseMoney(std::string_view text) {
  size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view amount = text.substr(0, space);
  std::string_view currency = text.substr(space + 1);
  if (currency.size() != 3) return std::nullopt;
  for (char c : currency) {
    if (c < 'A' || c > 'Z') return std::nullopt;
  }
  std::string_view whole = amount;
  std::string_view frac;
  if (size_t dot = amount.find('.'); dot != std::string_view::npos) {
    whole = amount.substr(0, dot);
    frac = amount.substr(dot + 1);
    if (frac.empty() || frac.size() > 2 || !AllDigits(frac)) return std::nullopt;
  }
  std::optional<int64_t> units = ParseInt(whole);
  if (!units) return std::nullopt;
  int64_t cents = frac.empty() ? 0 : *ParseInt(frac) * (frac.size() == 1 ? 10 : 1);
  return Money{*units * 100 + cents, std::string(currency)};
}

std::string FormatMoney(const Money& m) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%02lld %s", static_cast<long long>(m.minor / 100),
                static_cast<long long>(m.minor % 100), m.currency.c_str());
  return buf;
}

std::optional<int64_t> ParseDataSize(std::string_view text, bool allow_unlimited) {
  if (allow_unlimited && text == "unlimited") return kUnlimitedMb;
  if (text.size() < 3) return std::nullopt;
  std::string_view unit = text.substr(text.size() - 2);
  int64_t factor = unit == "GB" ? 1024 : unit == "MB" ? 1 : 0;
  if (factor == 0) return std::nullopt;
  std::string_view number = text.substr(0, text.size() - 2);
  std::string_view whole = number;
  std::string_view frac;
  if (size_t dot = number.find('.'); dot != std::string_view::npos) {
    whole = number.substr(0, dot);
    frac = number.substr(dot + 1);
    if (!AllDigits(frac) || frac.size() > 6) return std::nullopt;
  }
  std::optional<int64_t> w = ParseInt(whole);
  if (!w || *w > 1'000'000) return std::nullopt;
  int64_t mb = *w * factor;
  if (!frac.empty()) {
    int64_t scale = 1;
    for (size_t i = 0; i < frac.size(); ++i) scale *= 10;
    mb += *ParseInt(frac) * factor / scale;
  }
  return mb;
}

std::string FormatDataSize(int64_t mb) {
  if (mb == kUnlimitedMb) return "unlimited";
  if (mb >= 1024 && mb % 1024 == 0) return std::to_string(mb / 1024) + "GB";
  if (mb >= 1024 && (mb * 10) % 1024 == 0) {
    return std::to_string(mb / 1024) + "." + std::to_string((mb * 10 / 1024) % 10) + "GB";
  }
  return std::to_string(mb) + "MB";
}

std::optional<PackageType> ParsePackageType(std::string_view text) {
  if (text == "data-limited" || text == "time-limited") return PackageType::kDataLimited;
  if (text == "unlimited") return PackageType::kUnlimited;
  if (text == "starter") return PackageType::kStarter;
  return std::nullopt;
}

std::string_view PackageTypeName(PackageType t) {
  switch (t) {
    case PackageType::kDataLimited:
      return "data-limited";
    case PackageType::kUnlimited:
      return "unlimited";
    case PackageType::kStarter:
      return "starter";
  }
  return "data-limited";
}

}  // namespace tripsim::domain
