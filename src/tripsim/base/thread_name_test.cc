#include "tripsim/base/thread_name.h"

#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tripsim/base/background_loop.h"
#include "tripsim/base/worker_pool.h"

namespace tripsim {
namespace {

std::string ThisThreadsName() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

TEST(ThreadName, ALongNameIsCutToWhatLinuxKeeps) {
  std::string seen;
  std::thread([&] {
    NameThisThread("a-name-longer-than-fifteen");
    seen = ThisThreadsName();
  }).join();
  EXPECT_EQ(seen, "a-name-longer-t");
}

TEST(ThreadName, PoolAndLoopThreadsCarryTheirNames) {
  std::promise<std::string> pool_name;
  WorkerPool pool("worker", 1);
  pool.Post([&] { pool_name.set_value(ThisThreadsName()); });
  EXPECT_EQ(pool_name.get_future().get(), "worker-0");

  std::promise<std::string> loop_name;
  bool once = false;
  BackgroundLoop loop("outbox", std::chrono::milliseconds(1), [&] {
    if (!once) loop_name.set_value(ThisThreadsName());
    once = true;
    return 0;
  });
  loop.Start();
  EXPECT_EQ(loop_name.get_future().get(), "outbox");
  loop.Stop();
}

}  // namespace
}  // namespace tripsim
