#include "tripsim/base/host_name.h"

#include <cctype>

namespace tripsim {

bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('.', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view label = s.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    start = end + 1;
  }
  std::string_view tld = s.substr(s.rfind('.') + 1);
  for (char c : tld) {
    if (c < '0' || c > '9') return true;
  }
  return false;
}

}  // namespace tripsim
