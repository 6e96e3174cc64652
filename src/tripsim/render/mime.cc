#include "tripsim/render/mime.h"

#include <openssl/evp.h>

#include <vector>

namespace tripsim::render {
namespace {

std::string Base64(std::string_view data) {
  std::vector<unsigned char> out(4 * ((data.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(n));
}

std::string StripLineBreaks(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '\r' && c != '\n') out += c;
  }
  return out;
}

bool PlainHeaderText(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return s.find("=?") == std::string_view::npos;
}

// True at the start of a UTF-8 sequence, so encoded words never split a character.
bool CharStart(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

std::string Base64Lines(std::string_view data) {
  std::string encoded = Base64(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76);
    out += "\r\n";
  }
  return out;
}

std::string EncodeHeaderText(std::string_view text) {
  std::string clean = StripLineBreaks(text);
  if (PlainHeaderText(clean)) return clean;
  // Encoded words of at most 45 bytes of text (60 base64 characters), joined by folding.
  std::string out;
  size_t start = 0;
  while (start < clean.size()) {
    size_t end = std::min(clean.size(), start + 45);
    while (end < clean.size() && !CharStart(clean[end])) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(clean).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string FormatAddress(std::string_view display_name, std::string_view address) {
  std::string name = StripLineBreaks(display_name);
  if (name.empty()) return std::string(address);
  if (!PlainHeaderText(name)) return EncodeHeaderText(name) + " <" + std::string(address) + ">";
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + std::string(address) + ">";
}

}  // namespace tripsim::render
