// Structured JSON logs on stderr, one object per line, with the request id of the current
// request on every line that is written while it is being handled.
//
//   log::ScopedRequestId rid(request_id);
//   log::Info("booking.created", {{"booking", id}});
//
// Never pass secrets (API secrets, master keys, tokens) as fields.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tripsim::log {

using Field = std::pair<std::string_view, std::string_view>;

enum class Level { kDebug, kInfo, kWarn, kError };

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
