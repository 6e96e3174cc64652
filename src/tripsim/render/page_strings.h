// The strings of the pages travellers read (templates/pages/strings.json), by language.
// Internal to render/.
#pragma once

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace tripsim::render {

const boost::json::object& PageStrings();

// A page's view with its strings in `lang` (English where a translation lacks one) as
// t_<key>, and "lang", the language itself; each value lands HTML-escaped.
kainjow::mustache::data PageView(const std::string& lang);

// One string in `lang` (English where a translation lacks it).
std::string PageText(const std::string& lang, std::string_view key);

}  // namespace tripsim::render
