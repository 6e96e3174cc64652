#include "tripsim/base/date.h"

#include <cstdio>

namespace tripsim {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// `value`'s last `n` decimal digits, zero-padded, at p[0..n).
void PutDigits(char* p, unsigned value, int n) {
  for (int i = n - 1; i >= 0; --i, value /= 10) p[i] = static_cast<char>('0' + value % 10);
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses the time and offset after 'T'; true when the whole rest is valid.
bool ValidTimeWithOffset(std::string_view s) {
  int hh = 0;
  int mm = 0;
  if (!Digits(s, 0, 2, hh) || s.size() < 5 || s[2] != ':' || !Digits(s, 3, 2, mm)) return false;
  if (hh > 23 || mm > 59) return false;
  size_t pos = 5;
  if (pos < s.size() && s[pos] == ':') {
    int ss = 0;
    if (!Digits(s, pos + 1, 2, ss) || ss > 60) return false;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return false;
    }
  }
  std::string_view offset = s.substr(pos);
  if (offset == "Z" || offset == "z") return true;
  int oh = 0;
  int om = 0;
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && Digits(offset, 1, 2, oh) &&
         offset[3] == ':' && Digits(offset, 4, 2, om) && oh <= 23 && om <= 59;
}

}  // namespace

// Howard Hinnant's days_from_civil algorithm.
Date DateFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{static_cast<int32_t>(era * 146097 + static_cast<int>(doe) - 719468)};
}

void CivilFromDate(Date date, int& y, unsigned& m, unsigned& d) {
  const int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

std::optional<Date> ParseIsoDateOnly(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || !Digits(text, 0, 4, y) || text[4] != '-' || !Digits(text, 5, 2, m) ||
      text[7] != '-' || !Digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  if (y < 1900 || m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, m)) {
    return std::nullopt;
  }
  return DateFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::optional<Date> ParseIsoDate(std::string_view text) {
  if (text.size() == 10) return ParseIsoDateOnly(text);
  if (text.size() < 17 || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  if (!ValidTimeWithOffset(text.substr(11))) return std::nullopt;
  return ParseIsoDateOnly(text.substr(0, 10));
}

std::string FormatDate(Date date) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDate(date, y, m, d);
  if (y < 0 || y > 9999) {  // outside what four digits hold: printf's widths
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
  }
  // Written digit by digit: this runs several times for every booking answered.
  char buf[10];
  PutDigits(buf, static_cast<unsigned>(y), 4);
  buf[4] = '-';
  PutDigits(buf + 5, m, 2);
  buf[7] = '-';
  PutDigits(buf + 8, d, 2);
  return std::string(buf, sizeof buf);
}

Date DateOfMillis(int64_t unix_millis) {
  int64_t days = unix_millis / kMillisPerDay;
  if (unix_millis % kMillisPerDay < 0) --days;
  return Date{static_cast<int32_t>(days)};
}

int64_t MillisOfDate(Date date) { return int64_t{date.days} * kMillisPerDay; }

std::string FormatTimestamp(int64_t unix_millis) {
  Date date = DateOfMillis(unix_millis);
  auto ms = static_cast<unsigned>(unix_millis - MillisOfDate(date));
  std::string out = FormatDate(date);
  char buf[14];  // "THH:MM:SS.mmmZ"
  buf[0] = 'T';
  PutDigits(buf + 1, ms / 3'600'000, 2);
  buf[3] = ':';
  PutDigits(buf + 4, ms / 60'000 % 60, 2);
  buf[6] = ':';
  PutDigits(buf + 7, ms / 1000 % 60, 2);
  buf[9] = '.';
  PutDigits(buf + 10, ms % 1000, 3);
  buf[13] = 'Z';
  out.append(buf, sizeof buf);
  return out;
}

}  // namespace tripsim
