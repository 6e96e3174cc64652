#include "tripsim/store/sqlite/group_commit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tripsim/base/ids.h"

namespace tripsim::store::sqlite {
namespace {

TEST(GroupCommitWriter, AFailingJobDoesNotFailItsNeighbours) {
  auto dir = std::filesystem::temp_directory_path() / ("tripsim-gc-" + NewId(""));
  std::filesystem::create_directories(dir);
  {
    Db db = Db::Open((dir / "t.db").string(), true).value();
    ASSERT_TRUE(db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
    GroupCommitWriter writer(std::move(db), 64);
    std::vector<std::thread> threads;
    std::vector<Status> results(40);
    for (int i = 0; i < 40; ++i) {
      threads.emplace_back([&, i] {
        results[static_cast<size_t>(i)] = writer.Submit([i](Db& d) -> Status {
          // Every tenth job writes, then fails: its row must not survive.
          TRIPSIM_RETURN_IF_ERROR(d.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")"));
          if (i % 10 == 0) return InvalidArgument("refused");
          return Status::Ok();
        });
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < 40; ++i) {
      EXPECT_EQ(results[static_cast<size_t>(i)].ok(), i % 10 != 0) << i;
    }
  }
  Db db = Db::Open((dir / "t.db").string(), false).value();
  Stmt s = db.Prepare("SELECT COUNT(*), SUM(k % 10 = 0) FROM t").value();
  ASSERT_EQ(s.Step(), Stmt::kRow);
  EXPECT_EQ(s.Int(0), 36);
  EXPECT_EQ(s.Int(1), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tripsim::store::sqlite
