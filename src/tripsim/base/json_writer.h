// JsonWriter: writes one JSON document straight into a string, member after member, for the
// answers sent most often (a booking, on every creation and every GET). No document tree is
// built, looked up into and dropped; strings are escaped by Boost.JSON's serializer, so a
// string comes out exactly as boost::json::serialize writes it.
//
//   std::string out;
//   JsonWriter w(out);
//   w.BeginObject();
//   w.Key("id").String(id);
//   w.Key("pax").Int(2);
//   w.Key("codes").BeginArray();
//   ...
//   w.EndArray();
//   w.EndObject();
//
// Keys are written as given: they must be literals that need no escaping. The writer puts the
// commas; it does not check that objects and arrays are closed in order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/serializer.hpp>

namespace tripsim {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The name of the next member; `key` needs no escaping.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t n);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();
  // The string, or null when there is none.
  JsonWriter& OptionalString(const std::optional<std::string>& s) {
    return s ? String(*s) : Null();
  }
  // The string, or null when it is empty.
  JsonWriter& StringOrNull(std::string_view s) { return s.empty() ? Null() : String(s); }

 private:
  void BeforeValue();

  std::string& out_;
  bool needs_comma_ = false;  // a value was written at this level: the next one follows a comma
  boost::json::serializer escaper_;
};

}  // namespace tripsim
