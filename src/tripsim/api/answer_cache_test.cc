#include "tripsim/api/answer_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace tripsim::api {
namespace {

TEST(AnswerCache, FindsAnAnswerOnlyForItsOwnPartnerAndBooking) {
  AnswerCache cache(16);
  EXPECT_EQ(cache.Find("pt_a", "bk_1"), nullptr);
  cache.Put({"pt_a", "bk_1", 3, 41, R"({"id":"bk_1"})"});
  std::shared_ptr<const AnswerCache::Entry> found = cache.Find("pt_a", "bk_1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->revision, 3);
  EXPECT_EQ(found->as_of, 41u);
  EXPECT_EQ(found->body, R"({"id":"bk_1"})");
  EXPECT_EQ(cache.Find("pt_b", "bk_1"), nullptr);  // another partner's id answers nothing
  EXPECT_EQ(cache.Find("pt_a", "bk_2"), nullptr);
}

TEST(AnswerCache, ANewerAnswerReplacesTheOneInItsSlot) {
  AnswerCache cache(1);  // every booking shares the one slot
  cache.Put({"pt_a", "bk_1", 1, std::nullopt, "first"});
  cache.Put({"pt_a", "bk_1", 2, std::nullopt, "second"});
  EXPECT_EQ(cache.Find("pt_a", "bk_1")->body, "second");
  cache.Put({"pt_a", "bk_2", 1, std::nullopt, "other"});
  EXPECT_EQ(cache.Find("pt_a", "bk_1"), nullptr);
  EXPECT_EQ(cache.Find("pt_a", "bk_2")->body, "other");
}

TEST(AnswerCache, AnAnswerLargerThanTheLimitIsNotKept) {
  AnswerCache cache(16);
  cache.Put({"pt_a", "bk_1", 1, std::nullopt, std::string(AnswerCache::kMaxBody + 1, 'x')});
  EXPECT_EQ(cache.Find("pt_a", "bk_1"), nullptr);
  cache.Put({"pt_a", "bk_1", 1, std::nullopt, std::string(AnswerCache::kMaxBody, 'x')});
  EXPECT_NE(cache.Find("pt_a", "bk_1"), nullptr);
}

TEST(AnswerCache, AnEntryFoundStaysWholeWhileOthersReplaceIt) {
  AnswerCache cache(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 20'000; ++i) {
        const std::string id = "bk_" + std::to_string(i % 8);
        if ((i + t) % 2 == 0) {
          cache.Put({"pt_a", id, i, i, id + "@" + std::to_string(i)});
        } else if (auto e = cache.Find("pt_a", id)) {
          ASSERT_EQ(e->booking_id, id);
          ASSERT_EQ(e->body, id + "@" + std::to_string(e->revision));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace
}  // namespace tripsim::api
