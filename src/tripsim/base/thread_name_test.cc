#include "tripsim/base/thread_name.h"

#include <algorithm>
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

// This thread's niceness (Linux keeps one per thread).
int ThisThreadsNiceness() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

TEST(ThreadName, NicedPoolAndLoopThreadsYieldAndOthersKeepTheirPriority) {
  const int inherited = ThisThreadsNiceness();
  std::promise<int> plain, niced;
  WorkerPool plain_pool("plain", 1);
  plain_pool.Post([&] { plain.set_value(ThisThreadsNiceness()); });
  WorkerPool niced_pool("niced", 1, /*nice=*/7);
  niced_pool.Post([&] { niced.set_value(ThisThreadsNiceness()); });
  EXPECT_EQ(plain.get_future().get(), inherited);
  // Exactly 7 unless the test itself runs nicer than that (only root may lower it again).
  EXPECT_EQ(niced.get_future().get(), std::max(7, inherited));

  std::promise<int> loop_niceness;
  bool once = false;
  BackgroundLoop loop(
      "niced-loop", std::chrono::milliseconds(1),
      [&] {
        if (!once) loop_niceness.set_value(ThisThreadsNiceness());
        once = true;
        return 0;
      },
      /*nice=*/7);
  loop.Start();
  EXPECT_EQ(loop_niceness.get_future().get(), std::max(7, inherited));
  loop.Stop();
}

}  // namespace
}  // namespace tripsim
