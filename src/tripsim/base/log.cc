#include "tripsim/base/log.h"

#include <spdlog/async.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "tripsim/base/clock.h"
#include "tripsim/base/date.h"

namespace tripsim::log {
namespace {

thread_local std::string t_request_id;
std::atomic<Level> g_level{Level::kInfo};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += boost::json::serialize(boost::json::string(s));
}

// Writes lines to stderr in batches: a line waits only while more lines are queued behind it
// (at most 64 KiB), so a busy server makes one write(2) per batch instead of one per line, and
// an idle one writes each line at once. Used by the logger's single background thread only.
class BatchingStderrSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  // `pool` runs the only thread that calls this sink, so it outlives every call.
  explicit BatchingStderrSink(spdlog::details::thread_pool* pool) : pool_(pool) {}
  ~BatchingStderrSink() override { WriteOut(); }

 private:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    buffer_.append(msg.payload.data(), msg.payload.size());
    buffer_ += '\n';
    if (buffer_.size() >= 64 * 1024 || pool_->queue_size() == 0) WriteOut();
  }
  void flush_() override { WriteOut(); }

  void WriteOut() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
      if (n <= 0) break;  // stderr is gone: nothing better to do with the lines
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
  }

  spdlog::details::thread_pool* const pool_;
  std::string buffer_;
};

// Lines are written by spdlog's background thread, so that request threads never wait for a
// write(2) to stderr; a full queue blocks rather than drops.
spdlog::logger& Logger() {
  static auto logger = [] {
    spdlog::init_thread_pool(16384, 1);
    auto l = std::make_shared<spdlog::async_logger>(
        "tripsim", std::make_shared<BatchingStderrSink>(spdlog::thread_pool().get()),
        spdlog::thread_pool(), spdlog::async_overflow_policy::block);
    l->flush_on(spdlog::level::warn);
    return l;
  }();
  return *logger;
}

}  // namespace

void SetLevel(Level level) { g_level.store(level); }

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  std::string line = R"({"ts":")" + FormatTimestamp(SystemClock().NowMillis()) + R"(","level":")" +
                     LevelName(level) + R"(","event":)";
  AppendJsonString(line, event);
  if (!t_request_id.empty()) {
    line += R"(,"request_id":)";
    AppendJsonString(line, t_request_id);
  }
  for (const auto& [key, value] : fields) {
    line += ',';
    AppendJsonString(line, key);
    line += ':';
    AppendJsonString(line, value);
  }
  line += '}';
  Logger().info(line);
}

ScopedRequestId::ScopedRequestId(std::string id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(id);
}

ScopedRequestId::~ScopedRequestId() { t_request_id = std::move(previous_); }

}  // namespace tripsim::log
