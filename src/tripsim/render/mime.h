// MIME building blocks for email: base64, RFC 2047 encoded words, and header values that can
// never inject another header.
#pragma once

#include <string>
#include <string_view>

namespace tripsim::render {

// Base64 with CRLF line breaks every 76 characters (RFC 2045).
std::string Base64Lines(std::string_view data);

// A header value: ASCII text is kept as is, anything else becomes one or more RFC 2047
// encoded words (=?UTF-8?B?...?=). CR and LF never survive: they are removed first.
std::string EncodeHeaderText(std::string_view text);

// "Display Name <addr@example.com>" with the name encoded as above; just the address when the
// name is empty. REQUIRES: `address` is a valid address without CR/LF.
std::string FormatAddress(std::string_view display_name, std::string_view address);

}  // namespace tripsim::render
