// Clock: the one source of "now", so that tests can control time.
//
//   SystemClock clock;            // production
//   FakeClock fake(1715558400000); fake.Advance(std::chrono::seconds(301));  // tests
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tripsim {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (UTC). Thread-safe.
  virtual int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_millis) : now_(now_millis) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Set(int64_t now_millis) { now_.store(now_millis); }
  void Advance(std::chrono::milliseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace tripsim
