#include "tripsim/base/json_writer.h"

#include <charconv>

namespace tripsim {

void JsonWriter::BeforeValue() {
  if (needs_comma_) out_ += ',';
  needs_comma_ = true;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  needs_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  needs_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  needs_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  needs_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_ += '"';
  out_ += key;
  out_ += "\":";
  needs_comma_ = false;  // the member's value follows the colon
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  escaper_.reset(s);
  char buf[256];
  while (!escaper_.done()) {
    boost::json::string_view chunk = escaper_.read(buf, sizeof buf);
    out_.append(chunk.data(), chunk.size());
  }
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t n) {
  BeforeValue();
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

}  // namespace tripsim
