// HttpServer: HTTP/1.1 on Boost.Beast, asynchronous on one io_context run by `io_threads`
// threads. The handler is called on a network thread and must not block: it answers at once,
// or later from another thread (after a group commit, from a worker pool), through `Respond`.
//
// With tls_cert_file and tls_key_file it serves HTTPS (TLS 1.2 or later) instead.
//
// Limits: body (413), header size (431), a deadline for the whole header (which also closes
// idle keep-alive connections) and for the body, and a connection cap. Stop() drains
// in-flight requests.
//
//   HttpServer server({.listen_host = "127.0.0.1", .listen_port = 0});
//   Result<std::string> bound = server.Listen();  // "127.0.0.1:43125"
//   server.SetHandlers(app.ServerHandlers());      // may depend on the bound address
//   server.Run();
//   ...
//   server.Stop();
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "tripsim/api/http.h"
#include "tripsim/base/status.h"

namespace tripsim::api {

struct HttpServerOptions {
  std::string listen_host = "127.0.0.1";
  unsigned short listen_port = 8080;
  int io_threads = 2;
  size_t body_limit = size_t{64} * 1024;
  size_t header_limit = size_t{16} * 1024;
  // From the end of the previous response (or the connection's start) to the end of the
  // request header: bounds idle keep-alive connections and slow headers alike.
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};  // for the whole body
  size_t max_connections = 10000;
  // HTTPS directly: a PEM certificate chain and its private key (both or neither).
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  struct Handlers {
    // Every request, on a network thread: must not block; calls `respond` once, now or later.
    std::function<void(HttpRequest, Respond)> handle;
    // Called for requests rejected before a handler sees them (413, 431, 400), with the
    // response sent, so that they can be counted.
    std::function<void(const HttpRequest&, const HttpResponse&)> on_rejected;
    // Builds the body of an error the server itself produces (status, message).
    std::function<HttpResponse(int, const std::string&)> error_response;
  };

  explicit HttpServer(HttpServerOptions options);
  // REQUIRES: called before Run() (after Listen(), so handlers may use the bound address).
  void SetHandlers(Handlers handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (connections wait in the backlog); returns the bound "host:port".
  Result<std::string> Listen();
  // Starts accepting and serving. REQUIRES: Listen() succeeded and SetHandlers() was called.
  void Run();
  // Stops accepting, lets in-flight requests finish (up to `grace`), then closes everything.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10000));

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tripsim::api
