// Host names as mail and SM-DP+ addresses use them: dot-separated labels of letters, digits
// and inner hyphens (1-63 each, 253 in all), at least two labels, and a top-level label that is
// not all digits (that would be an IP address).
#pragma once

#include <string_view>

namespace tripsim {

bool IsHostName(std::string_view s);

}  // namespace tripsim
