#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/url/parse.hpp>
#include <cstring>
#include <filesystem>

#include "tripsim/notify/mailer.h"

namespace tripsim::notify {
namespace fs = std::filesystem;

namespace {

// Feeds the message to libcurl's upload.
struct Upload {
  const std::string* data = nullptr;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t left = up->data->size() - up->offset;
  size_t chunk = std::min(left, size * n);
  std::memcpy(buffer, up->data->data() + up->offset, chunk);
  up->offset += chunk;
  return chunk;
}

// The address inside "Name <addr>" or the whole string.
std::string BareAddress(const std::string& a) {
  size_t lt = a.rfind('<');
  size_t gt = a.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    return a.substr(lt + 1, gt - lt - 1);
  }
  return a;
}

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options)
      : options_(std::move(options)), curl_(curl_easy_init()) {}
  ~SmtpMailer() override { curl_easy_cleanup(curl_); }

  Status Send(const std::string& from, const std::string& to, const std::string& mime) override {
    // The handle is kept between messages, so libcurl reuses the SMTP connection.
    curl_easy_reset(curl_);
    char error[CURL_ERROR_SIZE] = {0};
    std::string envelope_from = "<" + BareAddress(from) + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + BareAddress(to) + ">").c_str());
    Upload up{&mime};
    curl_easy_setopt(curl_, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, envelope_from.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &ReadChunk);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, options_.timeout_seconds);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    if (!options_.username.empty()) {
      curl_easy_setopt(curl_, CURLOPT_USERNAME, options_.username.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, options_.password.c_str());
    }
    if (options_.require_starttls) curl_easy_setopt(curl_, CURLOPT_USE_SSL, CURLUSESSL_ALL);
    if (!options_.verify_tls) {
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(curl_);
    curl_slist_free_all(rcpt);
    if (rc == CURLE_OK) return Status::Ok();
    long code = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
    std::string why =
        std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
    if (code >= 500 && code < 600) {
      return {ErrorCode::kFailedPrecondition, "SMTP " + std::to_string(code) + ": " + why};
    }
    return Unavailable(code > 0 ? "SMTP " + std::to_string(code) + ": " + why : why);
  }

 private:
  SmtpOptions options_;
  CURL* curl_;
};

class MaildirMailer final : public Mailer {
 public:
  explicit MaildirMailer(std::string dir) : dir_(std::move(dir)) {}

  Status Send(const std::string&, const std::string&, const std::string& mime) override {
    std::error_code ec;
    for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(fs::path(dir_) / sub, ec);
    if (ec) return Unavailable("cannot create maildir " + dir_ + ": " + ec.message());
    std::string name = FileName(mime);
    fs::path tmp = fs::path(dir_) / "tmp" / name;
    int fd = ::open(tmp.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0640);
    if (fd < 0) return Unavailable("cannot write " + tmp.string());
    bool ok = ::write(fd, mime.data(), mime.size()) == static_cast<ssize_t>(mime.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Unavailable("cannot write " + tmp.string());
    fs::rename(tmp, fs::path(dir_) / "new" / name, ec);
    if (ec) return Unavailable("cannot deliver to maildir: " + ec.message());
    return Status::Ok();
  }

 private:
  // <local part of the Message-ID>.eml: stable for a message across attempts.
  static std::string FileName(const std::string& mime) {
    size_t at = mime.find("Message-ID: <");
    std::string id = "message";
    if (at != std::string::npos) {
      size_t start = at + 13;
      size_t end = mime.find_first_of("@>", start);
      id = mime.substr(start, end - start);
    }
    for (char& c : id) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
    }
    return id + ".eml";
  }

  std::string dir_;
};

}  // namespace

Result<SmtpOptions> ParseSmtpUrl(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "smtp" && parsed->scheme() != "smtps") ||
      parsed->host().empty()) {
    return InvalidArgument("mail must be smtp://host:port or smtps://host:port, got " + url);
  }
  SmtpOptions o;
  o.url = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host()) +
          (parsed->has_port() ? ":" + std::string(parsed->port()) : "");
  o.username = std::string(parsed->user());
  o.password = std::string(parsed->password());
  for (auto param : parsed->params()) {
    if (param.key == "starttls") o.require_starttls = param.value == "required";
    if (param.key == "verify") o.verify_tls = param.value != "false";
  }
  return o;
}

std::unique_ptr<Mailer> NewSmtpMailer(SmtpOptions options) {
  return std::make_unique<SmtpMailer>(std::move(options));
}

std::unique_ptr<Mailer> NewMaildirMailer(std::string dir) {
  return std::make_unique<MaildirMailer>(std::move(dir));
}

Status RecordingMailer::Send(const std::string& from, const std::string& to,
                             const std::string& mime) {
  std::lock_guard lock(mu_);
  if (fail_times_ > 0) {
    --fail_times_;
    return fail_with_;
  }
  sent_.push_back({from, to, mime});
  return Status::Ok();
}

void RecordingMailer::FailNext(Status status, int times) {
  std::lock_guard lock(mu_);
  fail_with_ = std::move(status);
  fail_times_ = times;
}

std::vector<RecordingMailer::Sent> RecordingMailer::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

}  // namespace tripsim::notify
