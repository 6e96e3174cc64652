#include "tripsim/base/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

#include <boost/json/serialize.hpp>

namespace tripsim {
namespace {

namespace json = boost::json;

void WriteDouble(double d, std::string& out) {
  if (!std::isfinite(d)) {  // not a JSON number: as Boost writes it
    out += json::serialize(json::value(d));
    return;
  }
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  const std::string_view text(buf.data(), ec == std::errc() ? end - buf.data() : 0);
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void Write(const json::value& v, std::string& out);

void WriteObject(const json::object& o, std::string& out) {
  out += '{';
  bool first = true;
  for (const json::key_value_pair& member : o) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(member.key());
    out += ':';
    Write(member.value(), out);
  }
  out += '}';
}

void Write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object:
      WriteObject(v.get_object(), out);
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_:
      WriteDouble(v.get_double(), out);
      return;
    default:  // strings, integers, booleans, null
      out += json::serialize(v);
  }
}

}  // namespace

std::string JsonText(const json::value& v) {
  std::string out;
  Write(v, out);
  return out;
}

std::string JsonText(const json::object& o) {
  std::string out;
  WriteObject(o, out);
  return out;
}

}  // namespace tripsim
