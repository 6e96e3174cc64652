// A traveller's language, and country and destination names in it (ICU's CLDR display names),
// for the emails and pages travellers read.
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

// Sorts (name, value) pairs by name in the alphabetical order of `lang` ("Österreich"
// before "Polen" in German).
void SortByName(std::vector<std::pair<std::string, std::string>>& named, const std::string& lang);

}  // namespace tripsim::render
