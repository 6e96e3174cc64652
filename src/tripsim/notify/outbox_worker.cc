#include "tripsim/notify/outbox_worker.h"

#include <chrono>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <random>

#include "tripsim/base/log.h"
#include "tripsim/base/metrics.h"
#include "tripsim/render/email.h"

namespace tripsim::notify {
namespace {

// The niceness of the outbox's threads (Linux, per thread).
constexpr int kNice = 10;

}  // namespace

std::optional<int64_t> NextAttemptAt(int64_t now, int attempts, const OutboxOptions& options,
                                     uint64_t random) {
  if (attempts >= options.max_attempts) return std::nullopt;
  int64_t delay = options.first_retry.count();
  for (int i = 1; i < attempts && delay < options.max_retry.count(); ++i) delay *= 2;
  delay = std::min<int64_t>(delay, options.max_retry.count());
  int64_t half = delay / 2;
  return now + half +
         (half > 0 ? static_cast<int64_t>(random % static_cast<uint64_t>(half + 1)) : 0);
}

OutboxWorker::OutboxWorker(store::Store& store, Mailer& mailer, const Clock& clock,
                           OutboxOptions options)
    : store_(store),
      mailer_(mailer),
      clock_(clock),
      options_(std::move(options)),
      // Rendering emails (QR codes, MIME) is the heaviest background work: at a booking peak it
      // yields the CPU to partner requests, and catches up when they calm down.
      renderer_("outbox-render", 1, kNice),
      loop_(
          "outbox", options_.poll, [this] { return RunOnce(); }, kNice) {}

OutboxWorker::~OutboxWorker() { Stop(); }

int OutboxWorker::RunOnce() {
  const int64_t now = clock_.NowMillis();
  Result<std::vector<store::OutboxItem>> items =
      store_.ClaimDueMessages(now, now + options_.lease.count(), options_.batch);
  if (!items.ok()) {
    log::Warn("outbox.claim_failed", {{"error", items.status().message()}});
    return 0;
  }
  // The next email is rendered on the renderer's thread while this one is sent and its outcome
  // committed. Sending stays one at a time, each outcome durable before the next email goes
  // out: a crash leaves at most one sent email unrecorded.
  std::map<std::string, Result<domain::Partner>> partners;  // the batch's senders, read once
  auto render_async = [&](const store::OutboxItem& item) {
    const std::string& id = item.booking.partner_id;
    auto it = partners.find(id);
    if (it == partners.end()) it = partners.emplace(id, store_.GetPartner(id)).first;
    auto rendered = std::make_shared<std::promise<Result<render::Email>>>();
    std::future<Result<render::Email>> email = rendered->get_future();
    renderer_.Post([this, &item, &partner = it->second, now = clock_.NowMillis(), rendered] {
      try {
        rendered->set_value(Render(item, partner, now));
      } catch (...) {  // handed to the sender, as std::async would
        rendered->set_exception(std::current_exception());
      }
    });
    return email;
  };
  std::future<Result<render::Email>> next;
  if (!items->empty()) next = render_async(items->front());
  for (size_t i = 0; i < items->size(); ++i) {
    Result<render::Email> email = next.get();
    if (i + 1 < items->size()) next = render_async((*items)[i + 1]);
    Deliver((*items)[i], std::move(email));
  }
  return static_cast<int>(items->size());
}

Result<render::Email> OutboxWorker::Render(const store::OutboxItem& item,
                                           const Result<domain::Partner>& partner,
                                           int64_t now) const {
  if (!partner.ok()) return partner.status();
  if (item.message.recipient.empty()) return Status{ErrorCode::kFailedPrecondition, "no recipient"};
  const domain::Partner& p = *partner;
  return render::RenderEmail(
      {.booking = item.booking,
       .message = item.message,
       .public_url = options_.public_url,
       .sender_name = p.display_name.empty() ? p.name : p.display_name,
       .from_address = p.email_from.empty() ? options_.default_from : p.email_from,
       .reply_to = p.email_reply_to,
       .now_millis = now});
}

void OutboxWorker::Deliver(const store::OutboxItem& item, Result<render::Email> email) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const domain::Message& m = item.message;
  Status sent = email.status();
  if (sent.ok()) {
    const auto start = std::chrono::steady_clock::now();
    sent = mailer_.Send(email->envelope_from, email->recipient, email->mime);
    Metrics::Global().Observe(
        "tripsim_smtp_send_duration_seconds", {},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const int64_t now = clock_.NowMillis();
  Status recorded;
  if (sent.ok()) {
    recorded = store_.MarkMessageSent(m.id, now);
    Metrics::Global().Add("tripsim_emails_total", {{"result", "sent"}});
    log::Info("message.sent", {{"message", m.id}, {"booking", item.booking.id}});
  } else {
    std::optional<int64_t> retry_at = sent.code() == ErrorCode::kUnavailable
                                          ? NextAttemptAt(now, m.attempts, options_, rng())
                                          : std::nullopt;
    recorded = store_.MarkMessageFailed(m.id, sent.message(), retry_at);
    Metrics::Global().Add("tripsim_emails_total", {{"result", retry_at ? "retry" : "failed"}});
    log::Warn(
        retry_at ? "message.retry" : "message.failed",
        {{"message", m.id}, {"attempts", std::to_string(m.attempts)}, {"error", sent.message()}});
  }
  if (!recorded.ok()) {
    // The lease expires and the message is tried again: at most one duplicate, same Message-ID.
    log::Error("outbox.record_failed", {{"message", m.id}, {"error", recorded.message()}});
  }
}

void OutboxWorker::Start() { loop_.Start(); }

void OutboxWorker::Stop() { loop_.Stop(); }

}  // namespace tripsim::notify
