// The only translation unit that includes Boost.Beast.
#include "tripsim/api/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <optional>
#include <thread>
#include <vector>

#include "tripsim/base/log.h"
#include "tripsim/base/thread_name.h"

namespace tripsim::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// State shared by the server and its sessions; sessions hold it by shared_ptr, so it outlives
// the last of them.
struct Shared {
  HttpServerOptions options;
  HttpServer::Handlers handlers;
  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::mutex drain_mu;
  std::condition_variable drained;

  Shared(HttpServerOptions o, HttpServer::Handlers h)
      : options(std::move(o)), handlers(std::move(h)) {}

  void RequestDone() {
    if (in_flight.fetch_sub(1) == 1) {
      std::lock_guard lock(drain_mu);
      drained.notify_all();
    }
  }
};

namespace {

// The request line and headers of a parsed message, header names in lower case.
void CopyHead(const http::request<http::string_body>& msg, HttpRequest& req) {
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  for (const auto& field : msg) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection: plain HTTP (Stream = beast::tcp_stream) or HTTPS (TlsStream).
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <typename... TlsContext>
  Session(tcp::socket socket, std::shared_ptr<Shared> shared, TlsContext&... tls)
      : stream_(std::move(socket), tls...), shared_(std::move(shared)) {
    beast::error_code ec;
    auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = endpoint.address().to_string();
  }

  ~Session() { shared_->connections.fetch_sub(1); }

  void Start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // The handshake must finish within the header deadline, like a slow request line.
      beast::get_lowest_layer(stream_).expires_after(shared_->options.header_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->ReadHeader();
                              });
    } else {
      net::dispatch(stream_.get_executor(),
                    beast::bind_front_handler(&Session::ReadHeader, this->shared_from_this()));
    }
  }

 private:
  void ReadHeader() {
    if (shared_->stopping.load()) return Close();
    head_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.header_limit));
    parser_->body_limit(shared_->options.body_limit);
    beast::get_lowest_layer(stream_).expires_after(shared_->options.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, this->shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec == http::error::header_limit) return Reject(431, "Request header fields too large");
    if (ec == http::error::body_limit) return Reject(413, "Request body too large");
    if (ec) {
      if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
          ec == net::error::operation_aborted || ec == net::error::connection_reset ||
          ec == net::error::eof || buffer_.size() == 0) {
        return Close();
      }
      log::Info("http.malformed", {{"error", ec.message()}});
      return Reject(400, "Malformed HTTP request");
    }
    auto& req = parser_->get();
    if (parser_->content_length() && *parser_->content_length() > shared_->options.body_limit) {
      return Reject(413, "Request body too large (limit " +
                             std::to_string(shared_->options.body_limit / 1024) + " KiB)");
    }
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont,
                        [self = this->shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    beast::get_lowest_layer(stream_).expires_after(shared_->options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, this->shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec == http::error::body_limit) return Reject(413, "Request body too large");
    if (ec == beast::error::timeout) return Reject(408, "Request body not received in time");
    if (ec) return Close();
    beast::get_lowest_layer(stream_).expires_never();
    auto& msg = parser_->get();
    HttpRequest req;
    CopyHead(msg, req);
    req.body = std::move(msg.body());
    req.peer = peer_;
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_ = msg.method() == http::verb::head;
    Dispatch(std::move(req));
  }

  void Dispatch(HttpRequest&& req) {
    shared_->in_flight.fetch_add(1);
    // Runs the maker on this connection's thread: at once when the handler answers on it.
    shared_->handlers.handle(std::move(req), [self = this->shared_from_this()](ResponseMaker make) {
      net::dispatch(self->stream_.get_executor(),
                    [self, make = std::move(make)] { self->Send(make()); });
    });
  }

  // Answers a request rejected before it reached a handler, then closes the connection.
  void Reject(int status, const std::string& message) {
    shared_->in_flight.fetch_add(1);
    keep_alive_ = false;
    HttpResponse res = shared_->handlers.error_response(status, message);
    if (shared_->handlers.on_rejected) {
      HttpRequest req;
      if (parser_) CopyHead(parser_->get(), req);
      req.peer = peer_;
      shared_->handlers.on_rejected(req, res);
    }
    Send(std::move(res));
  }

  void Send(HttpResponse res) {
    auto msg = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(res.status), version_ == 10 ? 10 : 11);
    msg->set(http::field::server, "tripsim");
    msg->set(http::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) msg->set(k, v);
    msg->body() = std::move(res.body);
    msg->keep_alive(keep_alive_ && !shared_->stopping.load());
    msg->prepare_payload();
    if (head_) msg->body().clear();  // the Content-Length stays that of the GET
    beast::get_lowest_layer(stream_).expires_after(shared_->options.body_timeout);
    http::async_write(stream_, *msg,
                      [self = this->shared_from_this(), msg](beast::error_code ec, size_t) {
                        self->shared_->RequestDone();
                        if (ec || !msg->keep_alive()) return self->Close();
                        self->ReadHeader();
                      });
  }

  void Close() {
    beast::error_code ec;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Shared> shared_;
  std::string peer_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool head_ = false;  // the request being answered is a HEAD
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, Handlers handlers)
      : shared_(std::make_shared<Shared>(std::move(options), std::move(handlers))),
        contexts_(MakeContexts(std::max(1, shared_->options.io_threads))),
        acceptor_(*contexts_.front()),
        tls_(net::ssl::context::tls_server) {}

  void SetHandlers(Handlers handlers) { shared_->handlers = std::move(handlers); }

  Result<std::string> Listen() {
    const HttpServerOptions& o = shared_->options;
    if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
      beast::error_code tls_ec;
      tls_.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1);
      tls_.use_certificate_chain_file(o.tls_cert_file, tls_ec);
      if (tls_ec)
        return InvalidArgument("cannot use TLS certificate " + o.tls_cert_file + ": " +
                               tls_ec.message());
      tls_.use_private_key_file(o.tls_key_file, net::ssl::context::pem, tls_ec);
      if (tls_ec)
        return InvalidArgument("cannot use TLS key " + o.tls_key_file + ": " + tls_ec.message());
      use_tls_ = true;
    }
    beast::error_code ec;
    auto address = net::ip::make_address(shared_->options.listen_host, ec);
    if (ec) return InvalidArgument("invalid listen address " + shared_->options.listen_host);
    tcp::endpoint endpoint(address, shared_->options.listen_port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status(ErrorCode::kUnavailable, "cannot listen on " + shared_->options.listen_host +
                                                 ":" + std::to_string(endpoint.port()) + ": " +
                                                 ec.message());
    }
    auto bound = acceptor_.local_endpoint();
    std::string host = bound.address().to_string();
    if (bound.address().is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(bound.port());
  }

  void Run() {
    Accept();
    for (auto& ioc : contexts_) {
      // Keeps run() going while the context has no connection yet.
      guards_.push_back(net::make_work_guard(*ioc));
      threads_.emplace_back([&ioc = *ioc, name = "http-" + std::to_string(threads_.size())] {
        NameThisThread(name);
        ioc.run();
      });
    }
  }

  void Stop(std::chrono::milliseconds grace) {
    if (stopped_) return;
    stopped_ = true;
    shared_->stopping.store(true);
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    {
      std::unique_lock lock(shared_->drain_mu);
      shared_->drained.wait_for(lock, grace, [&] { return shared_->in_flight.load() == 0; });
    }
    for (auto& ioc : contexts_) ioc->stop();
    for (auto& t : threads_) t.join();
  }

  ~Impl() { Stop(std::chrono::milliseconds(0)); }

 private:
  // One io_context per network thread, each connection on one of them (round robin): a
  // connection's handlers run on its thread with no strand, and a thread never wakes another to
  // hand it work, as threads sharing one context do.
  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int n) {
    std::vector<std::unique_ptr<net::io_context>> contexts;
    for (int i = 0; i < n; ++i) contexts.push_back(std::make_unique<net::io_context>(1));
    return contexts;
  }

  void Accept() {
    net::io_context& next = *contexts_[next_context_++ % contexts_.size()];
    acceptor_.async_accept(next, [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
        log::Warn("http.accept_failed", {{"error", ec.message()}});
      } else if (shared_->connections.load() >= shared_->options.max_connections) {
        beast::error_code ignored;
        s.close(ignored);
      } else {
        shared_->connections.fetch_add(1);
        if (use_tls_) {
          std::make_shared<Session<TlsStream>>(std::move(s), shared_, tls_)->Start();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(std::move(s), shared_)->Start();
        }
      }
      if (acceptor_.is_open()) Accept();
    });
  }

  std::shared_ptr<Shared> shared_;
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  size_t next_context_ = 0;  // used by the accept handler only
  tcp::acceptor acceptor_;
  net::ssl::context tls_;
  bool use_tls_ = false;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options), Handlers{})) {}

HttpServer::~HttpServer() = default;

void HttpServer::SetHandlers(Handlers handlers) { impl_->SetHandlers(std::move(handlers)); }

Result<std::string> HttpServer::Listen() { return impl_->Listen(); }

void HttpServer::Run() { impl_->Run(); }

void HttpServer::Stop(std::chrono::milliseconds grace) { impl_->Stop(grace); }

}  // namespace tripsim::api
