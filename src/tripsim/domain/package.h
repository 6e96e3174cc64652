// Packages of the catalog, money and data sizes.
//
//   std::optional<int64_t> mb = ParseDataSize("1.5GB");   // 1536
//   std::optional<Money> m = ParseMoney("4.50 EUR");       // {450, "EUR"}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tripsim::domain {

// An amount in integer minor units (cents) of an ISO 4217 currency.
struct Money {
  int64_t minor = 0;
  std::string currency;
  bool operator==(const Money&) const = default;
};

// "4.50 EUR", "8 EUR": up to two decimals, then a space and three capital letters.
std::optional<Money> ParseMoney(std::string_view text);
std::string FormatMoney(const Money& m);  // "4.50 EUR"

// Megabytes, with 1 GB = 1024 MB. kUnlimitedMb ranks above every size.
inline constexpr int64_t kUnlimitedMb = INT64_MAX;

// "500MB", "1GB", "1.5GB" (see design 2.3) or, when allow_unlimited, "unlimited".
std::optional<int64_t> ParseDataSize(std::string_view text, bool allow_unlimited = false);
std::string FormatDataSize(int64_t mb);  // "5GB", "500MB", "1.5GB", "unlimited"

enum class PackageType { kDataLimited, kUnlimited, kStarter };

// "data-limited", "unlimited", "starter"; the deprecated "time-limited" reads as data-limited.
std::optional<PackageType> ParsePackageType(std::string_view text);
std::string_view PackageTypeName(PackageType t);

struct Package {
  std::string id;
  std::string name;
  std::string provider;
  std::vector<std::string> countries;  // ISO alpha-2, sorted
  std::string region;                  // empty when the package is not regional
  int64_t data_mb = 0;                 // kUnlimitedMb for unlimited data
  int validity_days = 0;
  PackageType type = PackageType::kDataLimited;
  Money cost;
  Money price;
  bool retired = false;  // kept for bookings that hold it, never assigned again
  bool operator==(const Package&) const = default;
};

}  // namespace tripsim::domain
