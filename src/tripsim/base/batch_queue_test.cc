#include "tripsim/base/batch_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tripsim {
namespace {

TEST(BatchQueue, TakesWhatIsQueuedOldestFirstUpToABatch) {
  BatchQueue<int> queue;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(queue.Push(i).has_value());
  std::vector<int> batch;
  ASSERT_TRUE(queue.Take(batch, 3));
  EXPECT_EQ(batch, (std::vector<int>{0, 1, 2}));
  ASSERT_TRUE(queue.Take(batch, 3));
  EXPECT_EQ(batch, (std::vector<int>{0, 1, 2, 3, 4}));  // appended
}

TEST(BatchQueue, ATakerWaitsForTheFirstItemOnly) {
  BatchQueue<std::string> queue;
  std::vector<std::string> batch;
  std::thread taker([&] { EXPECT_TRUE(queue.Take(batch, 64)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the taker is waiting
  queue.Push("alone");
  taker.join();  // with one item, not waiting for a fuller batch
  EXPECT_EQ(batch, std::vector<std::string>{"alone"});
}

TEST(BatchQueue, ClosedItRefusesNewItemsAndDrainsThoseQueued) {
  BatchQueue<std::string> queue;
  queue.Push("queued");
  queue.Close();
  std::optional<std::string> refused = queue.Push("late");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(*refused, "late");  // handed back, to be answered by the caller
  std::vector<std::string> batch;
  EXPECT_TRUE(queue.Take(batch, 64));
  EXPECT_EQ(batch, std::vector<std::string>{"queued"});
  EXPECT_FALSE(queue.Take(batch, 64));
}

TEST(BatchQueue, CloseWakesWaitingTakers) {
  BatchQueue<int> queue;
  std::atomic<int> ended{0};
  std::vector<std::thread> takers;
  for (int i = 0; i < 3; ++i) {
    takers.emplace_back([&] {
      std::vector<int> batch;
      while (queue.Take(batch, 2)) batch.clear();
      ended += 1;
    });
  }
  for (int i = 0; i < 100; ++i) queue.Push(i);
  queue.Close();
  for (auto& t : takers) t.join();
  EXPECT_EQ(ended, 3);
}

TEST(BatchQueue, EveryItemIsTakenOnceAcrossTakers) {
  BatchQueue<int> queue;
  std::vector<std::vector<int>> taken(2);
  std::vector<std::thread> takers;
  for (auto& mine : taken) {
    takers.emplace_back([&queue, &mine] {
      while (queue.Take(mine, 7)) {
      }
    });
  }
  std::vector<std::thread> pushers;
  for (int p = 0; p < 4; ++p) {
    pushers.emplace_back([&queue, p] {
      for (int i = 0; i < 1000; ++i) queue.Push(p * 1000 + i);
    });
  }
  for (auto& t : pushers) t.join();
  queue.Close();
  for (auto& t : takers) t.join();
  std::vector<int> all = taken[0];
  all.insert(all.end(), taken[1].begin(), taken[1].end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 4000u);
  for (int i = 0; i < 4000; ++i) EXPECT_EQ(all[static_cast<size_t>(i)], i);
}

}  // namespace
}  // namespace tripsim
