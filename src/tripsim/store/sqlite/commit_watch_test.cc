#include "tripsim/store/sqlite/commit_watch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tripsim/base/ids.h"

namespace tripsim::store::sqlite {
namespace {

class CommitWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tripsim-watch-" + NewId(""));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    writer_ = Db::Open(path_, true).value();
    ASSERT_TRUE(writer_.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
    watch_ = CommitWatch::Open(path_).value();
  }
  void TearDown() override {
    watch_.reset();
    writer_ = Db();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string path_;
  Db writer_;
  std::unique_ptr<CommitWatch> watch_;
};

TEST_F(CommitWatchTest, TheMarkStaysWhileNothingIsCommitted) {
  const std::optional<uint64_t> before = watch_->Mark();
  ASSERT_TRUE(before.has_value());
  Db reader = Db::Open(path_, false).value();
  ASSERT_TRUE(reader.Exec("BEGIN; SELECT count(*) FROM t; COMMIT;").ok());
  ASSERT_TRUE(writer_.Exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (1, 'a'); ROLLBACK;").ok());
  EXPECT_EQ(watch_->Mark(), before);
}

TEST_F(CommitWatchTest, TheMarkMovesWithEveryCommitOfAnyConnection) {
  std::set<uint64_t> seen = {watch_->Mark().value()};
  Db other = Db::Open(path_, false).value();
  for (int i = 0; i < 5; ++i) {
    Db& db = i % 2 == 0 ? writer_ : other;
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ", 'x')").ok());
    const std::optional<uint64_t> mark = watch_->Mark();
    ASSERT_TRUE(mark.has_value());
    EXPECT_TRUE(seen.insert(*mark).second) << "commit " << i << " left the mark where it was";
  }
  // A commit that rewrites a row changes no size: the mark moves all the same.
  ASSERT_TRUE(other.Exec("UPDATE t SET v = 'y' WHERE k = 0").ok());
  EXPECT_TRUE(seen.insert(watch_->Mark().value()).second);
}

TEST_F(CommitWatchTest, TheMarkMovesWhenTheWalStartsOver) {
  ASSERT_TRUE(writer_.Exec("INSERT INTO t VALUES (1, 'a')").ok());
  const uint64_t before = watch_->Mark().value();
  // Everything copied back and the WAL emptied: the next commit writes its first frames again.
  ASSERT_TRUE(writer_.Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  ASSERT_TRUE(writer_.Exec("UPDATE t SET v = 'b' WHERE k = 1").ok());
  const std::optional<uint64_t> after = watch_->Mark();
  ASSERT_TRUE(after.has_value());
  EXPECT_NE(*after, before);
}

TEST(CommitWatch, ADatabaseWithoutAWalHasNothingToWatch) {
  EXPECT_EQ(CommitWatch::Open(":memory:").status().code(), ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tripsim::store::sqlite
