#include "tripsim/render/email.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include "tripsim/base/date.h"
#include "tripsim/render/mime.h"
#include "tripsim/render/names.h"
#include "tripsim/render/qr.h"

namespace tripsim::embedded {
extern const std::string_view kEmailHtmlTemplate;
extern const std::string_view kEmailTextTemplate;
extern const std::string_view kEmailStrings;
}  // namespace tripsim::embedded

namespace tripsim::render {
namespace json = boost::json;
using Data = kainjow::mustache::data;
using Template = kainjow::mustache::mustache;

namespace {

const json::object& Strings() {
  static const json::value strings = json::parse(embedded::kEmailStrings);
  return strings.as_object();
}

// The compiled template of a text that lives as long as the process (an embedded template, a
// translation of Strings()), found by the text's address. Per thread: a template's render is
// not const. Compiling was a third of an email's cost when each render compiled its own.
Template& Compiled(std::string_view text, bool escape_html) {
  thread_local std::unordered_map<const char*, std::unique_ptr<Template>> compiled;
  std::unique_ptr<Template>& t = compiled[text.data()];
  if (t == nullptr) {
    t = std::make_unique<Template>(std::string(text));
    if (!escape_html) t->set_custom_escape([](const std::string& s) { return s; });
  }
  return *t;
}

// Renders a translation with plain-text values (no escaping: the result is plain text, and
// is escaped once where it lands in HTML).
std::string Translate(const json::object& lang, std::string_view key, const Data& values) {
  const json::value* v = lang.if_contains(key);
  if (v == nullptr || !v->is_string()) v = &Strings().at("en").as_object().at(key);
  const json::string& text = v->as_string();
  return Compiled({text.data(), text.size()}, false).render(values);
}

std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of(":/", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return host.empty() ? "tripsim.local" : host;
}

std::string RfcDate(int64_t millis) {
  time_t secs = static_cast<time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::string EmailLanguage(const std::optional<std::string>& locale) {
  std::string lang = locale ? PrimaryLanguage(*locale) : "en";
  return Strings().contains(lang) ? lang : "en";
}

Result<Email> RenderEmail(const EmailInput& in) {
  const domain::Booking& b = in.booking;
  const std::string lang_code = EmailLanguage(b.request.locale);
  const json::object& lang = Strings().at(lang_code).as_object();
  // A claimed code goes to whoever claimed it, who may not be the booking's traveller.
  const std::string name = in.message.kind == "claim"
                               ? ""
                               : b.request.first_name.value_or(b.request.full_name.value_or(""));

  Data values;
  values.set("name", name);
  values.set("sender", in.sender_name);
  // The date as the traveller's locale writes it; in English when the email cannot speak the
  // locale's language.
  const std::string date_locale =
      b.request.locale && PrimaryLanguage(*b.request.locale) == lang_code ? *b.request.locale
                                                                          : lang_code;
  values.set("departure", LongDate(b.request.departure_date.substr(0, 10), date_locale));

  Data view;
  view.set("lang", lang_code);
  view.set("sender", in.sender_name);
  for (const char* key : {"heading", "intro", "destination_label", "package_label", "code_label",
                          "button", "scan_hint", "qr_alt", "steps_title", "footer"}) {
    view.set(key, Translate(lang, key, values));
  }
  view.set("greeting", Translate(lang, name.empty() ? "greeting_anonymous" : "greeting", values));
  Data steps{Data::type::list};
  for (const auto& s : lang.at("steps").as_array()) steps << Data(std::string(s.as_string()));
  view.set("steps", steps);

  std::vector<Email::Image> images;
  Data codes{Data::type::list};
  std::vector<std::string> destinations;  // each once, in the codes' order
  std::vector<const domain::PromoCode*> shown;
  for (const domain::PromoCode& p : b.promo_codes) {
    if (p.status == domain::PromoStatus::kRevoked || p.status == domain::PromoStatus::kExpired) {
      continue;
    }
    if (!in.message.promo_code.empty() && in.message.promo_code != p.code) continue;
    shown.push_back(&p);
  }
  for (size_t i = 0; i < shown.size(); ++i) {
    const domain::PromoCode& p = *shown[i];
    std::string redeem_url = in.public_url + "/redeem/" + p.code;
    std::string destination =
        p.destination.empty() ? "-" : DestinationName(p.destination, lang_code);
    if (std::find(destinations.begin(), destinations.end(), destination) == destinations.end()) {
      destinations.push_back(destination);
    }
    Data code;
    // "eSIM 2 of 3": for a party, so that each traveller can be handed one.
    if (shown.size() > 1) {
      Data position;
      position.set("n", std::to_string(i + 1));
      position.set("total", std::to_string(shown.size()));
      code.set("position", Translate(lang, "position", position));
    }
    code.set("code", p.code);
    code.set("redeem_url", redeem_url);
    code.set("destination", destination);
    code.set("size", !p.package ? "-"
                     : p.package->data_mb == domain::kUnlimitedMb
                         ? Translate(lang, "unlimited", values)
                         : domain::FormatDataSize(p.package->data_mb));
    Data days;
    days.set("n", std::to_string(p.package ? p.package->validity_days : 0));
    code.set("validity", p.package ? Translate(lang, "days", days) : "-");
    std::string cid = "qr-" + std::to_string(images.size() + 1) + "@tripsim";
    code.set("qr_cid", cid);
    for (const char* key :
         {"destination_label", "package_label", "code_label", "button", "scan_hint", "qr_alt"}) {
      code.set(key, Translate(lang, key, values));
    }
    TRIPSIM_ASSIGN_OR_RETURN(png, QrPng(redeem_url));
    images.push_back({cid, std::move(png)});
    codes << code;
  }
  view.set("codes", codes);
  // "Your eSIM for France is ready"; for a trip of several destinations, all of them.
  std::string named;
  for (const std::string& d : destinations) named += (named.empty() ? "" : ", ") + d;
  Data subject_values = values;
  subject_values.set("destination", named);

  Email e;
  e.subject =
      Translate(lang, destinations.size() > 1 ? "subject_several" : "subject", subject_values);
  view.set("subject", e.subject);
  Template& html = Compiled(embedded::kEmailHtmlTemplate, true);
  Template& text = Compiled(embedded::kEmailTextTemplate, true);
  if (!html.is_valid() || !text.is_valid())
    return Internal("email template: " + html.error_message());
  e.html = html.render(view);
  e.text = text.render(view);
  e.message_id = "<" + in.message.id + "@" + HostOf(in.public_url) + ">";
  e.envelope_from = in.from_address;
  e.recipient = in.message.recipient;

  const std::string outer = "tripsim-rel-" + in.message.id;
  const std::string alt = "tripsim-alt-" + in.message.id;
  std::string m;
  m += "From: " + FormatAddress(in.sender_name, in.from_address) + "\r\n";
  m += "To: " + FormatAddress(name, e.recipient) + "\r\n";
  if (!in.reply_to.empty()) m += "Reply-To: " + FormatAddress("", in.reply_to) + "\r\n";
  m += "Subject: " + EncodeHeaderText(e.subject) + "\r\n";
  m += "Date: " + RfcDate(in.now_millis) + "\r\n";
  m += "Message-ID: " + e.message_id + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Language: " + lang_code + "\r\n";
  m += "Content-Type: multipart/related; boundary=\"" + outer +
       "\"; type=\"multipart/alternative\"\r\n";
  m += "\r\n--" + outer + "\r\n";
  m += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  m += "--" + alt +
       "\r\nContent-Type: text/plain; charset=utf-8\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n" +
       Base64Lines(e.text);
  m += "--" + alt +
       "\r\nContent-Type: text/html; charset=utf-8\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n" +
       Base64Lines(e.html);
  m += "--" + alt + "--\r\n";
  for (size_t i = 0; i < images.size(); ++i) {
    m += "--" + outer + "\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n";
    m += "Content-ID: <" + images[i].content_id + ">\r\n";
    m += "Content-Disposition: inline; filename=\"qr-" + std::to_string(i + 1) + ".png\"\r\n\r\n";
    m += Base64Lines(images[i].png);
  }
  m += "--" + outer + "--\r\n";
  e.mime = std::move(m);
  e.images = std::move(images);
  return e;
}

std::string PreviewHtml(const Email& email) {
  std::string html = email.html;
  for (const auto& image : email.images) {
    std::string cid = "cid:" + image.content_id;
    std::string data = Base64Lines(image.png);
    std::erase(data, '\r');
    std::erase(data, '\n');
    for (size_t pos = html.find(cid); pos != std::string::npos; pos = html.find(cid, pos)) {
      html.replace(pos, cid.size(), "data:image/png;base64," + data);
    }
  }
  return html;
}

}  // namespace tripsim::render
