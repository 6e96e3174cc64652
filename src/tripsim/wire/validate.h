// Field-level checks shared by the request parsers of wire/. Internal to wire.
#pragma once

#include <string_view>

namespace tripsim::wire::internal {

// Unicode code points in a valid UTF-8 string.
size_t CodePoints(std::string_view s);
// True when s contains a C0 or C1 control character or DEL.
bool HasControl(std::string_view s);
// An address a mail server would accept (RFC 5321 mailbox, dot-atom local part, a host name
// with at least one dot), at most 254 characters, without CR or LF.
bool IsValidEmail(std::string_view s);
// ^\+\d{1,3}\d{1,14}$
bool IsValidPhone(std::string_view s);
// Letters and digits only, 1-10 characters.
bool IsValidFlightNumber(std::string_view s);
// ^[0-9]\d*(\.\d+)?(MB|GB)$
bool IsValidSizeText(std::string_view s);
// One of the locales of design.md 2.3, or its two-letter language part.
bool IsKnownLocale(std::string_view s);

}  // namespace tripsim::wire::internal
