// The traveller's email (design.md 5): subject, text and HTML in the booking's locale (en, nl,
// de, fr, es, it; en otherwise), and the MIME message with the QR code of each redeem link as
// an inline PNG. Templates and translations are files under templates/email/, compiled in.
// Every interpolated value is HTML-escaped in the HTML part; headers are RFC 2047 encoded.
//
//   Result<Email> e = RenderEmail({.booking = b, .message = m, .public_url = url, ...});
//   mailer.Send(e->envelope_from, e->recipient, e->mime);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"

namespace tripsim::render {

struct EmailInput {
  const domain::Booking& booking;
  const domain::Message& message;
  std::string public_url;    // redeem links: {public_url}/redeem/{code}
  std::string sender_name;   // the partner's display name (or name)
  std::string from_address;  // envelope and From address
  std::string reply_to;      // optional
  int64_t now_millis = 0;    // the Date header
};

struct Email {
  std::string message_id;  // "<msg_...@host>", the same on every attempt
  std::string envelope_from;
  std::string recipient;
  std::string subject;
  std::string text;
  std::string html;
  std::string mime;  // the whole message, CRLF line endings
  struct Image {
    std::string content_id;  // "qr-1@tripsim"
    std::string png;
  };
  std::vector<Image> images;
};

// The HTML part with each cid: image inlined as a data: URL, for viewing in a browser.
std::string PreviewHtml(const Email& email);

// The two-letter language the email is written in, for a booking locale ("de-AT" -> "de").
std::string EmailLanguage(const std::optional<std::string>& locale);

Result<Email> RenderEmail(const EmailInput& input);

}  // namespace tripsim::render
