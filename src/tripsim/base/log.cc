#include "tripsim/base/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

#include "tripsim/base/background_loop.h"
#include "tripsim/base/clock.h"
#include "tripsim/base/date.h"

namespace tripsim::log {
namespace {

thread_local std::string t_request_id;
std::atomic<Level> g_level{Level::kInfo};

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

std::string_view LevelName(Level level) { return kLevelNames[static_cast<int>(level)]; }

// A JSON string literal. Most values (ids, paths, statuses) are printable ASCII with nothing to
// escape and are copied as they are; anything else goes through Boost.JSON's serializer.
void AppendJsonString(std::string& out, std::string_view s) {
  const bool plain = std::all_of(
      s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out += boost::json::serialize(boost::json::string(s));
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

// The "ts" value of a line; lines come in bursts, so each thread formats a millisecond once.
std::string_view Timestamp() {
  thread_local int64_t formatted_ms = -1;
  thread_local std::string formatted;
  const int64_t now = SystemClock().NowMillis();
  if (now != formatted_ms) {
    formatted = FormatTimestamp(now);
    formatted_ms = now;
  }
  return formatted;
}

// Collects lines (under spdlog's sink lock) and writes them to stderr in one write(2) per
// batch: when 64 KiB are waiting, at once after a line at warning level or above (the logger
// flushes on it), and otherwise when the flusher below asks, 20 ms after the batch's first
// line, which wakes it (an idle server's flusher sleeps).
class BatchingStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit BatchingStderrSink(std::function<void()> on_first_line)
      : on_first_line_(std::move(on_first_line)) {}

 private:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (buffer_.empty()) on_first_line_();
    buffer_.append(msg.payload.data(), msg.payload.size());
    buffer_ += '\n';
    if (buffer_.size() >= size_t{64} * 1024) WriteOut();
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

  const std::function<void()> on_first_line_;
  std::string buffer_;
};

// A synchronous spdlog logger: a request thread formats its line and appends it to the sink's
// buffer, with neither a queue nor a wake-up per line; it writes to stderr only for a full
// batch or a warning. Never destroyed, so that a line logged while the process exits (from a
// static destructor or another thread) still has a logger; what is waiting is written at exit.
class LogState {
 public:
  LogState()
      : logger_(std::make_shared<spdlog::logger>(
            "tripsim", std::make_shared<BatchingStderrSink>([this] { flusher_.Wake(); }))),
        // Woken by a batch's first line; then lets the batch gather for 20 ms and writes it.
        flusher_("log-flush", std::chrono::hours(1), [this] {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          logger_->flush();
          return 0;
        }) {
    logger_->set_level(spdlog::level::trace);
    logger_->flush_on(spdlog::level::warn);
    flusher_.Start();
    std::atexit([] { Get().Flush(); });
  }

  static LogState& Get() {
    static LogState* state = new LogState();
    return *state;
  }

  void Write(Level level, std::string_view line) {
    logger_->log(level >= Level::kWarn ? spdlog::level::warn : spdlog::level::info, line);
  }
  void Flush() { logger_->flush(); }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  BackgroundLoop flusher_;
};

}  // namespace

std::optional<Level> ParseLevel(std::string_view name) {
  for (size_t i = 0; i < std::size(kLevelNames); ++i) {
    if (name == kLevelNames[i]) return static_cast<Level>(i);
  }
  return std::nullopt;
}

void SetLevel(Level level) { g_level.store(level); }

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  thread_local std::string line;
  line.assign(R"({"ts":")");
  line += Timestamp();
  line += R"(","level":")";
  line += LevelName(level);
  line += R"(","event":)";
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
  LogState::Get().Write(level, line);
}

void Flush() { LogState::Get().Flush(); }

ScopedRequestId::ScopedRequestId(std::string id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(id);
}

ScopedRequestId::~ScopedRequestId() { t_request_id = std::move(previous_); }

}  // namespace tripsim::log
