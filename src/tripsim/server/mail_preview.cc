#include "tripsim/server/mail_preview.h"

#include <boost/json.hpp>
#include <fstream>

#include "tripsim/base/clock.h"
#include "tripsim/dashboard/stats.h"
#include "tripsim/render/email.h"

namespace tripsim::server {

Result<std::string> PreviewMail(store::Store& store, const std::string& booking_id,
                                const std::string& public_url, const std::string& mail_from,
                                const std::string& out) {
  TRIPSIM_ASSIGN_OR_RETURN(partners, store.ListPartners());
  for (const auto& p : partners) {
    Result<domain::Booking> b = store.GetBooking(p.id, booking_id);
    if (!b.ok()) continue;
    domain::Message m;
    if (!b->messages.empty()) {
      m = b->messages.front();
    } else {
      m.id = "msg_preview";
      m.kind = "booking_confirmation";
      m.recipient = b->request.email.value_or("traveller@example.com");
    }
    TRIPSIM_ASSIGN_OR_RETURN(
        email, render::RenderEmail({.booking = *b,
                                    .message = m,
                                    .public_url = public_url,
                                    .sender_name = p.display_name.empty() ? p.name : p.display_name,
                                    .from_address = p.email_from.empty() ? mail_from : p.email_from,
                                    .reply_to = p.email_reply_to,
                                    .now_millis = SystemClock().NowMillis()}));
    std::ofstream(out + ".eml", std::ios::binary) << email.mime;
    std::ofstream html(out + ".html", std::ios::binary);
    html << render::PreviewHtml(email);
    if (!html) return Unavailable("cannot write " + out + ".html");
    return boost::json::serialize(boost::json::object{
        {"eml", out + ".eml"}, {"html", out + ".html"}, {"subject", email.subject}});
  }
  return NotFound("no booking " + booking_id);
}

Result<std::string> ListFailedMail(store::Store& store,
                                   const std::optional<std::string>& partner_id, int limit) {
  if (limit < 1 || limit > 1000) return InvalidArgument("--limit must be 1 to 1000");
  if (partner_id) TRIPSIM_RETURN_IF_ERROR(store.GetPartner(*partner_id).status());
  TRIPSIM_ASSIGN_OR_RETURN(failed, store.ListFailedMessages(partner_id, limit));
  return dashboard::EncodeFailedMessages(failed);
}

}  // namespace tripsim::server
