// Structured JSON logs on stderr, one object per line, with the request id of the current
// request on every line that is written while it is being handled. Lines are written in
// batches: a warning or an error at once, other lines within 20 ms.
//
//   log::ScopedRequestId rid(request_id);
//   log::Info("booking.created", {{"booking", id}});
//
// Never pass secrets (API secrets, master keys, tokens) as fields.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tripsim::log {

using Field = std::pair<std::string_view, std::string_view>;

enum class Level { kDebug, kInfo, kWarn, kError };

// "debug", "info", "warn" or "error"; nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);
// Lines below `level` are not written (default: info).
void SetLevel(Level level);
void Write(Level level, std::string_view event, std::initializer_list<Field> fields = {});
inline void Info(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, e, f);
}
inline void Warn(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, e, f);
}
inline void Error(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kError, e, f);
}

// Writes the lines waiting in the batch now (they are also written at exit).
void Flush();

// Sets the request id attached to every line logged by this thread while it is alive.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

}  // namespace tripsim::log
