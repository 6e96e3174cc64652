// OutboxWorker: delivers the messages of the outbox (design.md 5). It claims due messages with
// a lease, renders and sends each one, and records the outcome: SENT; or, after a temporary
// failure, PENDING again after an exponential backoff with jitter; or FAILED with the reason
// after a permanent failure or the last attempt. The Message-ID is derived from the message
// id, so every attempt (and a re-send after a crash) carries the same one.
//
//   OutboxWorker worker(store, mailer, clock, {.public_url = url});
//   worker.Start();          // polls in the background until Stop()
//   int n = worker.RunOnce();  // tests: one claim-and-send step
#pragma once

#include <chrono>
#include <string>

#include "tripsim/base/background_loop.h"
#include "tripsim/base/clock.h"
#include "tripsim/base/worker_pool.h"
#include "tripsim/notify/mailer.h"
#include "tripsim/render/email.h"
#include "tripsim/store/store.h"

namespace tripsim::notify {

struct OutboxOptions {
  std::string public_url;                        // redeem links in the emails
  std::string default_from;                      // From when the partner has no email_from
  int batch = 32;                                // messages claimed at once
  std::chrono::milliseconds lease{120'000};      // a crashed worker's claims return after this
  std::chrono::milliseconds poll{250};           // how often to look for due messages
  std::chrono::milliseconds first_retry{2'000};  // then doubled per attempt, with jitter
  std::chrono::milliseconds max_retry{900'000};
  int max_attempts = 8;
};

// When to try again after `attempts` attempts: first_retry * 2^(attempts-1), capped, with the
// upper half randomized ("equal jitter"). nullopt when no attempt is left.
std::optional<int64_t> NextAttemptAt(int64_t now, int attempts, const OutboxOptions& options,
                                     uint64_t random);

class OutboxWorker {
 public:
  OutboxWorker(store::Store& store, Mailer& mailer, const Clock& clock, OutboxOptions options);
  ~OutboxWorker();

  // Claims one batch of due messages and delivers them. Returns how many were attempted.
  int RunOnce();
  void Start();
  // Finishes the message in hand, then stops.
  void Stop();

 private:
  // The email of `item` from `partner` (its sender), or why there is none.
  Result<render::Email> Render(const store::OutboxItem& item,
                               const Result<domain::Partner>& partner, int64_t now) const;
  // Sends `email` (or records why it cannot be sent) and records the outcome.
  void Deliver(const store::OutboxItem& item, Result<render::Email> email);

  store::Store& store_;
  Mailer& mailer_;
  const Clock& clock_;
  const OutboxOptions options_;
  // Renders the next email while the loop sends one: one thread for the worker's life, so that
  // the renderer's compiled templates and date formatters (kept per thread) are kept too.
  WorkerPool renderer_;
  BackgroundLoop loop_;  // after renderer_: stops before it
};

}  // namespace tripsim::notify
