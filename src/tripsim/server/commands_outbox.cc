// tripsimd's webhooks and mail subcommands: a partner's events and their redelivery, a
// booking's email rendered to files, and the emails that failed for good.
#include <boost/json.hpp>

#include "tripsim/base/clock.h"
#include "tripsim/server/command_line.h"
#include "tripsim/server/mail_preview.h"

namespace tripsim::server {
namespace {

// webhooks list | redeliver.
void AddWebhooks(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::string partner, event;
    bool only_failed = false;
  };
  auto f = std::make_shared<Flags>();
  auto* webhooks = app.add_subcommand("webhooks", "partner webhook events");
  webhooks->require_subcommand(1);
  auto* list = webhooks->add_subcommand("list", "a partner's events, newest first");
  f->common.AddTo(list);
  list->add_option("--partner", f->partner, "partner id")->required();
  list->add_flag("--failed", f->only_failed, "only dead-lettered events");
  out.push_back({list, [f] {
                   return WithStore(f->common, false, [&](store::Store& s, const std::string&) {
                     return ListWebhooks(s, f->partner, f->only_failed);
                   });
                 }});

  auto* redeliver = webhooks->add_subcommand("redeliver", "send an event again");
  f->common.AddTo(redeliver);
  redeliver->add_option("--event", f->event, "event id (evt_...)")->required();
  out.push_back(
      {redeliver, [f] {
         return WithStore(
             f->common, false, [&](store::Store& s, const std::string&) -> Result<std::string> {
               TRIPSIM_RETURN_IF_ERROR(s.RequeueWebhook(f->event, SystemClock().NowMillis()));
               return boost::json::serialize(
                   boost::json::object{{"event_id", f->event}, {"requeued", true}});
             });
       }});
}

// mail preview | failed.
void AddMail(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::string booking, out = "mail-preview";
    std::optional<std::string> public_url, failed_partner;
    int failed_limit = 50;
  };
  auto f = std::make_shared<Flags>();
  auto* mail = app.add_subcommand("mail", "traveller emails");
  mail->require_subcommand(1);
  auto* preview = mail->add_subcommand("preview", "render a booking's email to files");
  f->common.AddTo(preview);
  preview->add_option("--booking", f->booking, "tripsim booking id (bk_...)")->required();
  preview->add_option("--out", f->out, "output path without extension (.eml, .html added)");
  preview->add_option("--public-url", f->public_url, "base URL of the links in the email");
  out.push_back({preview, [f] {
                   Result<Config> c = BuildConfig(f->common, [&](Config& cfg) {
                     if (f->public_url) cfg.public_url = *f->public_url;
                   });
                   if (!c.ok()) return Report(c.status());
                   return WithStore(f->common, false, [&](store::Store& s, const std::string&) {
                     std::string url =
                         c->public_url.empty() ? "http://" + c->listen : c->public_url;
                     std::string from = c->mail_from.empty() ? "noreply@localhost" : c->mail_from;
                     return PreviewMail(s, f->booking, url, from, f->out);
                   });
                 }});

  auto* failed = mail->add_subcommand(
      "failed", "the emails that failed for good, newest first, with the reason (JSON)");
  f->common.AddTo(failed);
  failed->add_option("--partner", f->failed_partner, "only this partner's (pt_...)");
  failed->add_option("--limit", f->failed_limit, "at most this many (default 50)");
  out.push_back({failed, [f] {
                   return WithStore(f->common, false, [&](store::Store& s, const std::string&) {
                     return ListFailedMail(s, f->failed_partner, f->failed_limit);
                   });
                 }});
}

}  // namespace

void AddOutboxCommands(CLI::App& app, Commands& out) {
  AddWebhooks(app, out);
  AddMail(app, out);
}

}  // namespace tripsim::server
