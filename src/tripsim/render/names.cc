#include "tripsim/render/names.h"

#include <unicode/coll.h>
#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "tripsim/base/date.h"

namespace tripsim::render {

std::string PrimaryLanguage(std::string_view tag) {
  std::string out(tag.substr(0, tag.find_first_of("-_")));
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string CountryName(const domain::Country& c, const std::string& lang) {
  icu::UnicodeString name;
  icu::Locale("und", c.alpha2.c_str()).getDisplayCountry(icu::Locale(lang.c_str()), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() || out == c.alpha2 ? c.name : out;
}

std::string DestinationName(std::string_view destination, const std::string& lang) {
  const auto& geo = domain::Geography::Builtin();
  std::string out;
  size_t start = 0;
  while (start <= destination.size()) {
    size_t comma = destination.find(',', start);
    if (comma == std::string_view::npos) comma = destination.size();
    const std::string code(destination.substr(start, comma - start));
    const domain::Country* c = geo.FindCountry(code);
    if (!code.empty()) out += (out.empty() ? "" : ", ") + (c ? CountryName(*c, lang) : code);
    start = comma + 1;
  }
  return out;
}

std::string LongDate(std::string_view iso_date, std::string_view locale) {
  const std::optional<Date> date = ParseIsoDateOnly(iso_date);
  if (!date) return std::string(iso_date);
  // A formatter per locale and thread, kept: making one was nine tenths of the cost of a date
  // (bench/render_bench). Locales come from bookings, so only the first few are kept.
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::DateFormat>> formats;
  std::unique_ptr<icu::DateFormat> made;
  icu::DateFormat* format = nullptr;
  if (auto known = formats.find(std::string(locale)); known != formats.end()) {
    format = known->second.get();
  } else {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale where = icu::Locale::forLanguageTag(std::string(locale), status);
    made.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, where));
    if (U_FAILURE(status) || made == nullptr) return std::string(iso_date);
    made->setTimeZone(*icu::TimeZone::getGMT());  // the date's midnight is UTC's
    format = made.get();
    if (formats.size() < 32) formats.emplace(std::string(locale), std::move(made));
  }
  icu::UnicodeString text;
  format->format(static_cast<UDate>(date->days) * U_MILLIS_PER_DAY, text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

void SortByName(std::vector<std::pair<std::string, std::string>>& named, const std::string& lang) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> collator(
      icu::Collator::createInstance(icu::Locale(lang.c_str()), status));
  if (U_FAILURE(status) || collator == nullptr) {
    std::sort(named.begin(), named.end());
    return;
  }
  std::stable_sort(named.begin(), named.end(), [&](const auto& a, const auto& b) {
    UErrorCode s = U_ZERO_ERROR;
    return collator->compareUTF8(a.first, b.first, s) == UCOL_LESS;
  });
}

}  // namespace tripsim::render
