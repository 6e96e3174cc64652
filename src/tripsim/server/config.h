// tripsimd's configuration (design.md 8): defaults, then a TOML file, then TRIPSIM_*
// environment variables, then command-line flags, each overriding the one before.
//
//   Config c = Config::Defaults();
//   TRIPSIM_RETURN_IF_ERROR(ApplyToml(c, "tripsim.toml"));
//   ApplyEnvironment(c, environ_lookup);
//   ...flags...
//   TRIPSIM_RETURN_IF_ERROR(Validate(c));
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/status.h"

namespace tripsim::server {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string store = "sqlite:var/tripsim.db";
  std::string env = "staging";  // staging | production
  std::string mail = "maildir:var/mail";
  bool mail_explicit = false;                      // set by the file, environment or a flag
  std::string mail_from;                           // default: noreply@<public URL host>
  std::string public_url;                          // default: http://<bound listen address>
  std::string master_key;                          // 64 hex characters (TRIPSIM_MASTER_KEY)
  std::string master_key_file = "var/master.key";  // staging fallback, created 0600
  int signature_window_seconds = 300;
  int outbox_lease_seconds = 120;
  std::vector<int> webhook_retry_seconds;  // empty: 60, 300, 1800  // a crashed server's claimed
                                           // messages return after this
  int io_threads = 0;                      // 0: one per core
  int handler_threads = 0;                 // 0: HandlerThreads' default for the store
  std::string log_level = "info";
  bool metrics_public = false;               // /metrics without an operator token
  int traveller_retention_days = 365;        // personal fields erased this long after the trip
  std::vector<std::string> trusted_proxies;  // their X-Forwarded-For names the client
  std::string tls_cert;  // PEM certificate chain: serve HTTPS directly (with tls_key)
  std::string tls_key;   // PEM private key

  bool production() const { return env == "production"; }
};

// Reads the keys of a TOML file (same names as Config's fields) into `c`.
Status ApplyToml(Config& c, const std::string& path);

// Reads TRIPSIM_LISTEN, TRIPSIM_STORE, TRIPSIM_ENV, TRIPSIM_MAIL, TRIPSIM_MAIL_FROM,
// TRIPSIM_PUBLIC_URL, TRIPSIM_MASTER_KEY, TRIPSIM_MASTER_KEY_FILE,
// TRIPSIM_SIGNATURE_WINDOW_SECONDS, TRIPSIM_OUTBOX_LEASE_SECONDS, TRIPSIM_WEBHOOK_RETRY_SECONDS,
// TRIPSIM_IO_THREADS, TRIPSIM_HANDLER_THREADS, TRIPSIM_LOG_LEVEL, TRIPSIM_METRICS_PUBLIC (1/true)
// through `getenv`.
Status ApplyEnvironment(Config& c, const std::function<const char*(const char*)>& getenv);

// Checks values and the production requirements; names every problem.
Status Validate(const Config& c);

// "host:port" -> parts; fails on anything else.
Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen);

// The SQLite path of a "sqlite:PATH" store; nullopt for another kind.
std::optional<std::string> SqlitePath(const std::string& store);
// True for a "postgresql://…" (or "postgres://…") store URL.
bool IsPostgresUrl(const std::string& store);
// The store setting fit for output: a PostgreSQL URL's password becomes "***".
std::string RedactedStore(const std::string& store);

// The handler threads (the worker pool for handlers that wait): `handler_threads`, else 64 on
// SQLite and 16 on PostgreSQL, where each handler holds a connection while it works and
// threads beyond the connections would only queue for one (measured: docs/performance.md).
int HandlerThreads(const Config& c);
// The PostgreSQL connection pool: one connection per handler thread, a few for the background
// workers (outbox, webhooks, retention, dashboard counters), and one per lane writing batches
// of new bookings.
size_t PostgresPoolSize(const Config& c);

}  // namespace tripsim::server
