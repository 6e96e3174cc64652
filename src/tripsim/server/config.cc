#include "tripsim/server/config.h"

#include <toml++/toml.h>
#include <charconv>

#include "tripsim/base/log.h"
#include "tripsim/store/postgres/postgres_store.h"

namespace tripsim::server {
namespace {

Status ParseInt(const std::string& text, const char* name, int& out) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument(std::string(name) + " must be an integer, got '" + text + "'");
  }
  out = v;
  return Status::Ok();
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Status ApplyToml(Config& c, const std::string& path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument("cannot read config " + path + ": " + std::string(e.description()));
  }
  auto str = [&](const char* key, std::string& out) {
    if (auto v = t[key].value<std::string>()) out = *v;
  };
  auto num = [&](const char* key, int& out) {
    if (auto v = t[key].value<int64_t>()) out = static_cast<int>(*v);
  };
  str("listen", c.listen);
  str("store", c.store);
  str("env", c.env);
  if (t.contains("mail")) c.mail_explicit = true;
  str("mail", c.mail);
  str("public_url", c.public_url);
  str("mail_from", c.mail_from);
  str("master_key", c.master_key);
  str("master_key_file", c.master_key_file);
  num("signature_window_seconds", c.signature_window_seconds);
  num("outbox_lease_seconds", c.outbox_lease_seconds);
  num("io_threads", c.io_threads);
  num("handler_threads", c.handler_threads);
  str("log_level", c.log_level);
  if (auto v = t["metrics_public"].value<bool>()) c.metrics_public = *v;
  num("traveller_retention_days", c.traveller_retention_days);
  str("tls_cert", c.tls_cert);
  str("tls_key", c.tls_key);
  if (const toml::array* proxies = t["trusted_proxies"].as_array()) {
    c.trusted_proxies.clear();
    for (const auto& p : *proxies) {
      if (auto v = p.value<std::string>()) c.trusted_proxies.push_back(*v);
    }
  }
  static constexpr const char* kKnown[] = {"listen",
                                           "store",
                                           "env",
                                           "mail",
                                           "mail_from",
                                           "public_url",
                                           "master_key",
                                           "master_key_file",
                                           "signature_window_seconds",
                                           "outbox_lease_seconds",
                                           "io_threads",
                                           "handler_threads",
                                           "log_level",
                                           "metrics_public",
                                           "traveller_retention_days",
                                           "trusted_proxies",
                                           "tls_cert",
                                           "tls_key"};
  for (const auto& [key, value] : t) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key.str()) == std::end(kKnown)) {
      return InvalidArgument("unknown key '" + std::string(key.str()) + "' in " + path);
    }
  }
  return Status::Ok();
}

Status ApplyEnvironment(Config& c, const std::function<const char*(const char*)>& getenv) {
  auto str = [&](const char* name, std::string& out) {
    if (const char* v = getenv(name)) out = v;
    return getenv(name) != nullptr;
  };
  str("TRIPSIM_LISTEN", c.listen);
  str("TRIPSIM_STORE", c.store);
  str("TRIPSIM_ENV", c.env);
  if (str("TRIPSIM_MAIL", c.mail)) c.mail_explicit = true;
  str("TRIPSIM_PUBLIC_URL", c.public_url);
  str("TRIPSIM_MAIL_FROM", c.mail_from);
  str("TRIPSIM_MASTER_KEY", c.master_key);
  str("TRIPSIM_MASTER_KEY_FILE", c.master_key_file);
  str("TRIPSIM_LOG_LEVEL", c.log_level);
  str("TRIPSIM_TLS_CERT", c.tls_cert);
  str("TRIPSIM_TLS_KEY", c.tls_key);
  if (const char* v = getenv("TRIPSIM_TRUSTED_PROXIES")) {  // "10.0.0.1,10.0.0.2"
    c.trusted_proxies.clear();
    std::string list = v;
    for (size_t start = 0; start < list.size();) {
      size_t comma = std::min(list.find(',', start), list.size());
      if (comma > start) c.trusted_proxies.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  if (const char* v = getenv("TRIPSIM_TRAVELLER_RETENTION_DAYS")) {
    TRIPSIM_RETURN_IF_ERROR(
        ParseInt(v, "TRIPSIM_TRAVELLER_RETENTION_DAYS", c.traveller_retention_days));
  }
  if (const char* v = getenv("TRIPSIM_METRICS_PUBLIC")) {
    c.metrics_public = std::string_view(v) == "1" || std::string_view(v) == "true";
  }
  if (const char* v = getenv("TRIPSIM_SIGNATURE_WINDOW_SECONDS")) {
    TRIPSIM_RETURN_IF_ERROR(
        ParseInt(v, "TRIPSIM_SIGNATURE_WINDOW_SECONDS", c.signature_window_seconds));
  }
  if (const char* v = getenv("TRIPSIM_OUTBOX_LEASE_SECONDS")) {
    TRIPSIM_RETURN_IF_ERROR(ParseInt(v, "TRIPSIM_OUTBOX_LEASE_SECONDS", c.outbox_lease_seconds));
  }
  if (const char* v = getenv("TRIPSIM_WEBHOOK_RETRY_SECONDS")) {  // "60,300,1800"
    c.webhook_retry_seconds.clear();
    std::string list = v;
    size_t start = 0;
    while (start < list.size()) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      int seconds = 0;
      TRIPSIM_RETURN_IF_ERROR(
          ParseInt(list.substr(start, comma - start), "TRIPSIM_WEBHOOK_RETRY_SECONDS", seconds));
      c.webhook_retry_seconds.push_back(seconds);
      start = comma + 1;
    }
  }
  if (const char* v = getenv("TRIPSIM_IO_THREADS")) {
    TRIPSIM_RETURN_IF_ERROR(ParseInt(v, "TRIPSIM_IO_THREADS", c.io_threads));
  }
  if (const char* v = getenv("TRIPSIM_HANDLER_THREADS")) {
    TRIPSIM_RETURN_IF_ERROR(ParseInt(v, "TRIPSIM_HANDLER_THREADS", c.handler_threads));
  }
  return Status::Ok();
}

Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("listen must be host:port, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  std::string p = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
    return InvalidArgument("listen port must be 0-65535, got '" + p + "'");
  }
  return std::make_pair(host, static_cast<unsigned short>(port));
}

std::string RedactedStore(const std::string& store) {
  if (!IsPostgresUrl(store)) return store;
  const size_t scheme = store.find("://") + 3;
  const size_t at = store.find('@', scheme);
  const size_t colon = store.find(':', scheme);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return store;
  return store.substr(0, colon + 1) + "***" + store.substr(at);
}

bool IsPostgresUrl(const std::string& store) {
  return store.rfind("postgresql://", 0) == 0 || store.rfind("postgres://", 0) == 0;
}

std::optional<std::string> SqlitePath(const std::string& store) {
  if (store.rfind("sqlite:", 0) != 0) return std::nullopt;
  return store.substr(7);
}

int HandlerThreads(const Config& c) {
  if (c.handler_threads > 0) return c.handler_threads;
  return IsPostgresUrl(c.store) ? 16 : 64;
}

size_t PostgresPoolSize(const Config& c) {
  constexpr size_t kBackgroundWorkers = 4;
  return static_cast<size_t>(HandlerThreads(c)) + kBackgroundWorkers +
         store::PostgresOptions{}.write_lanes;
}

Status Validate(const Config& c) {
  std::vector<FieldIssue> issues;
  if (c.env != "staging" && c.env != "production") {
    issues.push_back({"env", "must be staging or production", {}});
  }
  if (!ParseListen(c.listen).ok()) issues.push_back({"listen", "must be host:port", {}});
  if ((!SqlitePath(c.store) || SqlitePath(c.store)->empty()) && !IsPostgresUrl(c.store)) {
    issues.push_back({"store", "must be sqlite:PATH or postgresql://…", {}});
  }
  if (c.mail.rfind("maildir:", 0) != 0 && c.mail.rfind("smtp://", 0) != 0 &&
      c.mail.rfind("smtps://", 0) != 0) {
    issues.push_back({"mail", "must be maildir:PATH, smtp://host:port or smtps://host:port", {}});
  }
  if (!c.master_key.empty() && !IsHex64(c.master_key)) {
    issues.push_back({"master_key", "TRIPSIM_MASTER_KEY must be 64 hex characters", {}});
  }
  if (!c.public_url.empty() && c.public_url.rfind("http://", 0) != 0 &&
      c.public_url.rfind("https://", 0) != 0) {
    issues.push_back({"public_url", "must start with http:// or https://", {}});
  }
  if (!log::ParseLevel(c.log_level)) {
    issues.push_back({"log_level", "must be debug, info, warn or error", {}});
  }
  if (c.io_threads < 0 || c.io_threads > 256) {
    issues.push_back({"io_threads", "must be 0 (one per core) to 256", {}});
  }
  if (c.handler_threads < 0 || c.handler_threads > 1024) {
    issues.push_back({"handler_threads", "must be 0 (the store's default) to 1024", {}});
  }
  if (c.outbox_lease_seconds < 2 || c.outbox_lease_seconds > 3600) {
    issues.push_back({"outbox_lease_seconds", "must be 2 to 3600", {}});
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    issues.push_back(
        {c.tls_cert.empty() ? "tls_cert" : "tls_key", "tls_cert and tls_key go together", {}});
  }
  if (c.traveller_retention_days < 0 || c.traveller_retention_days > 3650) {
    issues.push_back({"traveller_retention_days", "must be 0 to 3650", {}});
  }
  if (c.signature_window_seconds < 1 || c.signature_window_seconds > 86400) {
    issues.push_back({"signature_window_seconds", "must be 1 to 86400", {}});
  }
  if (c.production()) {
    if (c.master_key.empty()) {
      issues.push_back({"master_key", "production requires TRIPSIM_MASTER_KEY", {}});
    }
    if (!c.mail_explicit) {
      issues.push_back(
          {"mail", "production requires an explicit --mail (smtp:// or maildir:)", {}});
    }
    if (c.public_url.empty()) {
      issues.push_back({"public_url", "production requires --public-url", {}});
    }
  }
  if (issues.empty()) return Status::Ok();
  std::string message = "invalid configuration:";
  for (const auto& i : issues) message += "\n  " + i.field + ": " + i.issue;
  return InvalidArgument(message, std::move(issues));
}

}  // namespace tripsim::server
