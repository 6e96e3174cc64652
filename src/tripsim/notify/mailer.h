// Mailer: the seam to the outside mail system. Implementations: SmtpMailer (libcurl),
// MaildirMailer (one .eml file per message, the embedded default) and RecordingMailer (tests).
//
//   Status s = mailer.Send("noreply@esim.example.com", "ada@example.com", mime);
//   // Ok: accepted. kUnavailable: try again later. kFailedPrecondition: rejected for good.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tripsim/base/status.h"

namespace tripsim::notify {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Hands one message to the mail system. Returns Ok when it was accepted; kUnavailable for a
  // temporary failure (connection errors, SMTP 4xx), kFailedPrecondition for a permanent one
  // (SMTP 5xx). Not required to be thread-safe: one worker calls it.
  virtual Status Send(const std::string& from, const std::string& to, const std::string& mime) = 0;
};

struct SmtpOptions {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string username;
  std::string password;
  bool require_starttls = false;  // smtp:// only: refuse to send without STARTTLS
  bool verify_tls = true;         // check the server's certificate
  long timeout_seconds = 30;
};

// Parses "smtp://[user:password@]host:port[?starttls=required][&verify=false]".
Result<SmtpOptions> ParseSmtpUrl(const std::string& url);

std::unique_ptr<Mailer> NewSmtpMailer(SmtpOptions options);

// Writes each message as <dir>/new/<message-file>.eml (through <dir>/tmp, fsynced, renamed),
// the maildir way. The file is named after the Message-ID, so a re-sent message replaces itself.
std::unique_ptr<Mailer> NewMaildirMailer(std::string dir);

// Keeps every message in memory; can be told to fail. Thread-safe.
class RecordingMailer final : public Mailer {
 public:
  struct Sent {
    std::string from, to, mime;
  };
  Status Send(const std::string& from, const std::string& to, const std::string& mime) override;
  void FailNext(Status status, int times = 1);
  std::vector<Sent> sent() const;

 private:
  mutable std::mutex mu_;
  std::vector<Sent> sent_;
  Status fail_with_;
  int fail_times_ = 0;
};

}  // namespace tripsim::notify
