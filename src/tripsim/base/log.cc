#include "tripsim/base/log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

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

// Lines are written by spdlog's background thread, so that request threads never wait for a
// write(2) to stderr; a full queue blocks rather than drops.
spdlog::logger& Logger() {
  static auto logger = [] {
    spdlog::init_thread_pool(16384, 1);
    auto l = std::make_shared<spdlog::async_logger>(
        "tripsim", std::make_shared<spdlog::sinks::stderr_sink_mt>(), spdlog::thread_pool(),
        spdlog::async_overflow_policy::block);
    l->set_pattern("%v");
    l->flush_on(spdlog::level::info);
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
