// NameThisThread: names the calling thread for `top -H`, `ps -L`, gdb and perf (Linux keeps
// 15 bytes; a longer name is cut).
//
//   std::thread([] { NameThisThread("sqlite-writer"); ... });
#pragma once

#include <string>
#include <string_view>

#include <pthread.h>

namespace tripsim {

inline void NameThisThread(std::string_view name) {
  const std::string cut(name.substr(0, 15));
  (void)pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace tripsim
