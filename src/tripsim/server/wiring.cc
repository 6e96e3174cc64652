#include "tripsim/server/wiring.h"

#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tripsim/api/app.h"
#include "tripsim/api/http_server.h"
#include "tripsim/base/background_loop.h"
#include "tripsim/base/crypto.h"
#include "tripsim/base/log.h"
#include "tripsim/booking/booking_service.h"
#include "tripsim/booking/partner_directory.h"
#include "tripsim/catalog/catalog.h"
#include "tripsim/notify/mailer.h"
#include "tripsim/notify/outbox_worker.h"
#include "tripsim/notify/webhook_worker.h"
#include "tripsim/server/partner_admin.h"
#include "tripsim/store/postgres/postgres_store.h"
#include "tripsim/store/sqlite/sqlite_store.h"
#include "tripsim/wire/booking_codec.h"

namespace tripsim::server {
namespace fs = std::filesystem;

Result<std::unique_ptr<store::Store>> OpenStore(const Config& config, bool migrate, StoreUse use) {
  if (IsPostgresUrl(config.store)) {
    return store::OpenPostgresStore({.url = config.store,
                                     .pool_size = PostgresPoolSize(config),
                                     .fill_pool = use == StoreUse::kServer,
                                     .migrate = migrate});
  }
  std::optional<std::string> path = SqlitePath(config.store);
  if (!path) {
    return InvalidArgument("unsupported store; use sqlite:PATH or postgresql://…");
  }
  fs::path parent = fs::path(*path).parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  return store::OpenSqliteStore({.path = *path, .migrate = migrate});
}

Result<std::string> LoadMasterKey(const Config& config) {
  if (!config.master_key.empty()) return crypto::HexDecode(config.master_key);
  if (config.production()) return InvalidArgument("production requires TRIPSIM_MASTER_KEY");
  fs::path file = config.master_key_file;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (!file.parent_path().empty()) fs::create_directories(file.parent_path(), ec);
    std::string key = crypto::HexEncode(crypto::RandomBytes(32));
    ::mode_t old = ::umask(077);
    {
      std::ofstream out(file, std::ios::trunc);
      out << key << "\n";
      if (!out) {
        ::umask(old);
        return Status(ErrorCode::kUnavailable, "cannot write master key file " + file.string());
      }
    }
    ::umask(old);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, ec);
    log::Info("master_key.created", {{"file", file.string()}});
  }
  std::ifstream in(file);
  std::string hex;
  in >> hex;
  if (hex.size() != 64)
    return InvalidArgument("master key file " + file.string() + " is malformed");
  return crypto::HexDecode(hex);
}

void PrintJsonLine(const std::string& json) {
  std::fputs(json.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

namespace {

// Loads the sample catalog into an empty catalog, and creates the demo partner on an empty
// store (printing its credentials once): the staging bootstrap of design.md 8.
Status BootstrapStaging(store::Store& store, const std::string& master_key, const Clock& clock) {
  TRIPSIM_ASSIGN_OR_RETURN(packages, store.ListPackages());
  if (packages.empty()) {
    TRIPSIM_ASSIGN_OR_RETURN(
        sample, catalog::ParseCatalogFile(catalog::SampleCatalogJson(), catalog::Format::kJson));
    TRIPSIM_RETURN_IF_ERROR(store.UpsertPackages(sample, false));
    log::Info("catalog.sample_loaded", {{"packages", std::to_string(sample.size())}});
  }
  TRIPSIM_ASSIGN_OR_RETURN(partners, store.ListPartners());
  if (partners.empty()) {
    PartnerSpec spec;
    spec.name = "Demo Travel (staging)";
    TRIPSIM_ASSIGN_OR_RETURN(created, CreatePartner(store, master_key, clock, spec));
    boost::json::object o = boost::json::parse(created).as_object();
    o["event"] = "demo_partner";
    PrintJsonLine(boost::json::serialize(o));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<notify::Mailer>> OpenMailer(const Config& config) {
  if (config.mail.rfind("maildir:", 0) == 0) return notify::NewMaildirMailer(config.mail.substr(8));
  TRIPSIM_ASSIGN_OR_RETURN(smtp, notify::ParseSmtpUrl(config.mail));
  return notify::NewSmtpMailer(std::move(smtp));
}

int Serve(const Config& config) {
  // Block the stop signals in every thread; this one waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto fail = [](const Status& s) {
    log::Error("serve.failed", {{"error", s.message()}});
    return 1;
  };
  Result<std::string> master_key = LoadMasterKey(config);
  if (!master_key.ok()) return fail(master_key.status());
  Result<std::unique_ptr<store::Store>> opened = OpenStore(config, true, StoreUse::kServer);
  if (!opened.ok()) return fail(opened.status());
  std::unique_ptr<store::Store> store = std::move(opened).value();
  SystemClock clock;
  if (!config.production()) {
    Status s = BootstrapStaging(*store, *master_key, clock);
    if (!s.ok()) return fail(s);
  }
  Result<std::unique_ptr<notify::Mailer>> mailer = OpenMailer(config);
  if (!mailer.ok()) return fail(mailer.status());
  booking::CatalogHolder catalogs;
  if (Status s = catalogs.Reload(*store); !s.ok()) return fail(s);
  booking::PartnerDirectory partners(*store, *master_key, clock, {});
  booking::BookingService bookings(*store, catalogs, clock,
                                   {.synthetic_profiles = !config.production()});

  auto listen = ParseListen(config.listen).value();
  api::HttpServerOptions http;
  http.listen_host = listen.first;
  http.listen_port = listen.second;
  http.io_threads = config.io_threads > 0
                        ? config.io_threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  http.tls_cert_file = config.tls_cert;
  http.tls_key_file = config.tls_key;
  const std::string scheme = config.tls_cert.empty() ? "http://" : "https://";

  // The public URL defaults to the bound address, so the App is built after Listen().
  api::HttpServer server(http);
  Result<std::string> bound = server.Listen();
  if (!bound.ok()) return fail(bound.status());
  std::string url = config.public_url.empty() ? scheme + *bound : config.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  api::AppOptions app_options;
  app_options.public_url = url;
  app_options.signature_window_millis = int64_t{config.signature_window_seconds} * 1000;
  app_options.metrics_public = config.metrics_public;
  app_options.trusted_proxies = config.trusted_proxies;
  const int handler_threads = HandlerThreads(config);
  app_options.worker_threads = handler_threads;
  dashboard::AttemptRecorder attempts(*store);
  api::App app({*store, bookings, partners, catalogs, clock, attempts}, app_options);
  server.SetHandlers(app.ServerHandlers());
  server.Run();
  std::string host = url.substr(url.find("://") + 3);
  host = host.substr(0, host.find_first_of(":/"));
  notify::OutboxWorker outbox(
      *store, **mailer, clock,
      {.public_url = url,
       .default_from = config.mail_from.empty() ? "noreply@" + host : config.mail_from,
       .lease = std::chrono::seconds(config.outbox_lease_seconds)});
  outbox.Start();
  notify::WebhookOptions webhook_options;
  webhook_options.master_key = *master_key;
  webhook_options.encode_data = [url](const domain::Booking& b, const store::WebhookEvent& e) {
    return wire::EncodeWebhookData(b, e.subject_id, {url});
  };
  if (!config.webhook_retry_seconds.empty()) {
    webhook_options.retry_delays.clear();
    for (int s : config.webhook_retry_seconds) {
      webhook_options.retry_delays.emplace_back(std::chrono::seconds(s));
    }
  }
  notify::WebhookWorker webhooks(*store, clock, webhook_options);
  webhooks.Start();
  PrintJsonLine(
      boost::json::serialize(boost::json::object{{"event", "listening"},
                                                 {"address", *bound},
                                                 {"url", scheme + *bound},
                                                 {"public_url", url},
                                                 {"env", config.env},
                                                 {"store", RedactedStore(config.store)}}));
  log::Info("serve.started", {{"address", *bound},
                              {"env", config.env},
                              {"version", TRIPSIM_VERSION},
                              {"io_threads", std::to_string(http.io_threads)},
                              {"handler_threads", std::to_string(handler_threads)}});

  BackgroundLoop catalog_refresh("catalog-refresh", std::chrono::seconds(5), [&] {
    if (Status s = catalogs.Reload(*store); !s.ok()) {
      log::Warn("catalog.reload_failed", {{"error", s.message()}});
    }
    return 0;
  });
  BackgroundLoop key_expiry("retention", std::chrono::minutes(10), [&] {
    (void)store->ExpireIdempotencyKeys(clock.NowMillis() - 24 * 3'600'000LL);
    // Traveller data is kept traveller_retention_days after the trip (design.md 10).
    const Date before{DateOfMillis(clock.NowMillis()).days - config.traveller_retention_days};
    Result<int64_t> erased = store->EraseTripsEndedBefore(before);
    if (!erased.ok()) {
      log::Warn("traveller.erase_failed", {{"error", erased.status().message()}});
    } else if (*erased > 0) {
      log::Info("traveller.erased", {{"bookings", std::to_string(*erased)}});
    }
    return 0;
  });
  BackgroundLoop attempt_flush("attempt-flush", std::chrono::seconds(1), [&] {
    if (Status s = attempts.Flush(); !s.ok()) {
      log::Warn("stats.flush_failed", {{"error", s.message()}});
    }
    return 0;
  });
  catalog_refresh.Start();
  key_expiry.Start();
  attempt_flush.Start();

  int sig = 0;
  sigwait(&signals, &sig);
  log::Info("serve.stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  server.Stop();
  attempt_flush.Stop();
  (void)attempts.Flush();
  outbox.Stop();
  webhooks.Stop();
  log::Info("serve.stopped");
  return 0;
}

}  // namespace tripsim::server
