// NameThisThread: names the calling thread for `top -H`, `ps -L`, gdb and perf (Linux keeps
// 15 bytes; a longer name is cut). NiceThisThread: lowers the calling thread's scheduling
// priority, so that background work yields the CPU to request threads at peaks.
//
//   std::thread([] { NameThisThread("sqlite-writer"); ... });
//   std::thread([] { NameThisThread("outbox"); NiceThisThread(10); ... });
#pragma once

#include <string>
#include <string_view>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

namespace tripsim {

inline void NameThisThread(std::string_view name) {
  const std::string cut(name.substr(0, 15));
  (void)pthread_setname_np(pthread_self(), cut.c_str());
}

// A positive `nice` is this thread's niceness alone (Linux keeps one per thread); 0 or less
// leaves it as it is.
inline void NiceThisThread(int nice) {
  if (nice > 0) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice);
}

}  // namespace tripsim
