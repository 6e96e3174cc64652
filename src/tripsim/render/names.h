// A traveller's language, and country names, destination names and dates in it (ICU's CLDR
// data), for the emails and pages travellers read.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tripsim/domain/geography.h"

namespace tripsim::render {

// The primary language of a locale or language tag, lower case ("de-AT", "DE_de": "de").
std::string PrimaryLanguage(std::string_view tag);

// The country's name in `lang` ("JP" in "fr": "Japon"); the catalog's English name when ICU
// has none.
std::string CountryName(const domain::Country& c, const std::string& lang);

// A promo code's destination ("FR", or several countries "FR,DE") named in `lang`; a code
// that is no country (a region) stays as it is.
std::string DestinationName(std::string_view destination, const std::string& lang);

// A calendar date ("2026-12-20") as `locale` writes one in a sentence: "December 20, 2026" in
// en-US (and en), "20 December 2026" in en-GB, "20. Dezember 2026" in de-DE. The text as it
// is when it is no such date.
std::string LongDate(std::string_view iso_date, std::string_view locale);

// Sorts (name, value) pairs by name in the alphabetical order of `lang` ("Österreich"
// before "Polen" in German).
void SortByName(std::vector<std::pair<std::string, std::string>>& named, const std::string& lang);

}  // namespace tripsim::render
