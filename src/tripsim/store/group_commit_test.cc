#include "tripsim/store/sqlite/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tripsim/base/ids.h"
#include "tripsim/store/sqlite/checkpointer.h"

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

// A job's undo journal stays in memory up to 1 MiB (Db::Open) and spills to a temporary file
// past it: a job that rewrites 4 MiB of existing pages and then fails is undone whole either way,
// and the neighbours of its batch are written.
TEST(GroupCommitWriter, AFailedJobLargerThanItsInMemoryJournalIsUndoneWhole) {
  auto dir = std::filesystem::temp_directory_path() / ("tripsim-gc-" + NewId(""));
  std::filesystem::create_directories(dir);
  {
    Db db = Db::Open((dir / "t.db").string(), true).value();
    ASSERT_TRUE(db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL);"
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < 1000) INSERT INTO t SELECT i, printf('%.4000c', 'a') FROM n")
                    .ok());
    GroupCommitWriter writer(std::move(db), 64);
    std::vector<std::thread> threads;
    std::vector<Status> results(3);
    for (int i = 0; i < 3; ++i) {
      threads.emplace_back([&, i] {
        results[static_cast<size_t>(i)] = writer.Submit([i](Db& d) -> Status {
          if (i != 1) return d.Exec("INSERT INTO t VALUES (" + std::to_string(2000 + i) + ", 'x')");
          TRIPSIM_RETURN_IF_ERROR(d.Exec("UPDATE t SET v = printf('%.4000c', 'b')"));
          return InvalidArgument("refused after rewriting every row");
        });
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_TRUE(results[0].ok());
    EXPECT_FALSE(results[1].ok());
    EXPECT_TRUE(results[2].ok());
  }
  Db db = Db::Open((dir / "t.db").string(), false).value();
  Stmt s = db.Prepare("SELECT COUNT(*), SUM(v LIKE 'b%'), SUM(k >= 2000) FROM t").value();
  ASSERT_EQ(s.Step(), Stmt::kRow);
  EXPECT_EQ(s.Int(0), 1002);
  EXPECT_EQ(s.Int(1), 0);
  EXPECT_EQ(s.Int(2), 2);
  std::filesystem::remove_all(dir);
}

// A Deferred that adds up the keys its jobs report and writes their sum once a transaction, as
// the store's dashboard counters do.
class Tally final : public GroupCommitWriter::Deferred {
 public:
  void Add(int64_t k) { job_ += k; }
  void EndJob(bool kept) override {
    if (kept) transaction_ += job_;
    job_ = 0;
  }
  Status Flush(Db& db) override {
    const int64_t sum = std::exchange(transaction_, 0);
    if (fail_flush) return Unavailable("no room for the tally");
    if (sum == 0) return Status::Ok();
    return db.Exec("INSERT INTO totals VALUES (" + std::to_string(sum) + ")");
  }
  void Forget() override { job_ = transaction_ = 0; }

  std::atomic<bool> fail_flush = false;

 private:
  int64_t job_ = 0;
  int64_t transaction_ = 0;
};

// One batch of jobs 1-5 behind a first job that holds the writer until they are all queued.
// Job `k` inserts k into t and reports it to `tally` (the writer's Deferred) when there is one;
// `job` may then fail it. Returns once every job of the batch is answered.
std::vector<Status> RunOneBatch(GroupCommitWriter& writer, Tally* tally,
                                const std::function<Status(Db&, int)>& job) {
  std::vector<Status> results(6);
  std::promise<void> running, queued, done;
  std::shared_future<void> go = queued.get_future().share();
  writer.SubmitAsync(
      [&running, go](Db&) -> Status {
        running.set_value();
        go.wait();
        return Status::Ok();
      },
      [&](Status s) { results[0] = std::move(s); });
  running.get_future().wait();
  for (int i = 1; i <= 5; ++i) {
    writer.SubmitAsync(
        [i, tally, &job](Db& d) -> Status {
          TRIPSIM_RETURN_IF_ERROR(d.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")"));
          if (tally != nullptr) tally->Add(i);
          return job(d, i);
        },
        [&, i](Status s) {
          results[static_cast<size_t>(i)] = std::move(s);
          if (i == 5) done.set_value();
        });
  }
  queued.set_value();
  done.get_future().wait();
  return results;
}

std::string Column(Db& db, const std::string& sql) {
  Stmt s = db.Prepare(sql).value();
  return s.Step() == Stmt::kRow ? s.Text(0) : "no row";
}

// A scratch database with the tables of the tests below: t (the jobs' rows) and totals (a
// Tally's sums).
struct ScratchStore {
  ScratchStore() : dir(std::filesystem::temp_directory_path() / ("tripsim-gc-" + NewId(""))) {
    std::filesystem::create_directories(dir);
    Db db = Db::Open(path(), true).value();
    EXPECT_TRUE(db.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY); CREATE TABLE totals (n);").ok());
  }
  ~ScratchStore() { std::filesystem::remove_all(dir); }
  std::string path() const { return (dir / "t.db").string(); }

  const std::filesystem::path dir;
};

// SQLite may roll the whole transaction back when a statement fails for want of disk space,
// memory or I/O. The jobs of the batch before the failing one are then undone and must not be
// reported written; the jobs after it must still be written, and reported so. The deferred
// work of the jobs it undid goes with them; the jobs after it count in their own transaction.
TEST(GroupCommitWriter, ATransactionRolledBackUnderAJobFailsTheJobsItUndidAndNoOthers) {
  ScratchStore store;
  Tally tally;
  GroupCommitWriter writer(Db::Open(store.path(), false).value(), 64, &tally);
  std::vector<Status> results = RunOneBatch(writer, &tally, [](Db& d, int i) -> Status {
    if (i != 3) return Status::Ok();
    // What SQLite does on its own after SQLITE_FULL in some cases.
    TRIPSIM_RETURN_IF_ERROR(d.Exec("ROLLBACK"));
    return Unavailable("database or disk is full");
  });
  EXPECT_TRUE(results[0].ok());
  for (int i : {1, 2, 3})
    EXPECT_EQ(results[static_cast<size_t>(i)].code(), ErrorCode::kUnavailable) << i;
  for (int i : {4, 5}) EXPECT_TRUE(results[static_cast<size_t>(i)].ok()) << i;
  Db db = Db::Open(store.path(), false).value();
  EXPECT_EQ(Column(db, "SELECT group_concat(k) FROM (SELECT k FROM t ORDER BY k)"), "4,5");
  EXPECT_EQ(Column(db, "SELECT group_concat(n) FROM totals"), "9");
}

// The deferred work of a batch is what its kept jobs left: a job rolled back to its savepoint
// leaves nothing, and the batch writes its sum once.
TEST(GroupCommitWriter, DeferredWorkCountsTheKeptJobsOnceABatch) {
  ScratchStore store;
  Tally tally;
  GroupCommitWriter writer(Db::Open(store.path(), false).value(), 64, &tally);
  std::vector<Status> results = RunOneBatch(writer, &tally, [](Db&, int i) -> Status {
    return i == 2 ? InvalidArgument("refused") : Status::Ok();
  });
  for (int i = 0; i <= 5; ++i) EXPECT_EQ(results[static_cast<size_t>(i)].ok(), i != 2) << i;
  Db db = Db::Open(store.path(), false).value();
  EXPECT_EQ(Column(db, "SELECT group_concat(k) FROM (SELECT k FROM t ORDER BY k)"), "1,3,4,5");
  EXPECT_EQ(Column(db, "SELECT group_concat(n) FROM totals"), "13");
}

// Deferred work that cannot be written fails its batch, as a failed COMMIT does: nothing of the
// batch stays, and every job of it is told.
TEST(GroupCommitWriter, DeferredWorkThatFailsFailsItsBatchAndWritesNothing) {
  ScratchStore store;
  Tally tally;
  GroupCommitWriter writer(Db::Open(store.path(), false).value(), 64, &tally);
  std::vector<Status> results = RunOneBatch(writer, &tally, [&tally](Db&, int) -> Status {
    tally.fail_flush = true;
    return Status::Ok();
  });
  tally.fail_flush = false;
  EXPECT_TRUE(writer
                  .Submit([&tally](Db& d) -> Status {
                    TRIPSIM_RETURN_IF_ERROR(d.Exec("INSERT INTO t VALUES (6)"));
                    tally.Add(6);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(results[0].ok());
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(results[static_cast<size_t>(i)].code(), ErrorCode::kUnavailable) << i;
  }
  Db db = Db::Open(store.path(), false).value();
  EXPECT_EQ(Column(db, "SELECT group_concat(k) FROM t"), "6");
  EXPECT_EQ(Column(db, "SELECT group_concat(n) FROM totals"), "6");
}

// Every job is answered, in the order it was submitted, batch after batch.
TEST(GroupCommitWriter, JobsAreAnsweredInTheirOrder) {
  ScratchStore store;
  std::vector<int> answered;
  {
    GroupCommitWriter writer(Db::Open(store.path(), false).value(), 8);
    for (int i = 0; i < 200; ++i) {
      writer.SubmitAsync(
          [i](Db& d) { return d.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")"); },
          [&answered, i](const Status& s) {
            EXPECT_TRUE(s.ok()) << s.message();
            answered.push_back(i);  // answered on the writer thread alone
          });
    }
  }
  ASSERT_EQ(answered.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(answered[static_cast<size_t>(i)], i);
  Db db = Db::Open(store.path(), false).value();
  EXPECT_EQ(Column(db, "SELECT COUNT(*) FROM t"), "200");
}

// Under writes that never pause, the background checkpoints never find the WAL all copied, so
// the writer finishes one itself past four times the threshold: the WAL stays bounded instead of
// holding every frame ever written.
TEST(Checkpointer, KeepsTheWalBoundedUnderSteadyWrites) {
  auto dir = std::filesystem::temp_directory_path() / ("tripsim-ckpt-" + NewId(""));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "t.db").string();
  constexpr int kWakePages = 100;
  constexpr int kRows = 20000;
  {
    Db db = Db::Open(path, true).value();
    ASSERT_TRUE(db.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)").ok());
    Checkpointer checkpointer(path, kWakePages);
    checkpointer.Watch(db);
    GroupCommitWriter writer(std::move(db), 64);
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
      threads.emplace_back([&] {
        for (int i; (i = next.fetch_add(1)) < kRows;) {
          // Random keys and 1 KiB values: about 50 MB of WAL frames in all.
          Status s = writer.Submit([](Db& d) -> Status {
            TRIPSIM_ASSIGN_OR_RETURN(st, d.Prepare("INSERT INTO t VALUES (?, ?)"));
            st.Bind(1, NewId("")).Bind(2, std::string(1024, 'v'));
            return st.Run();
          });
          ASSERT_TRUE(s.ok()) << s.message();
        }
      });
    }
    for (auto& t : threads) t.join();
    // The WAL file is reused from its start, never shrunk: its size is the most it held.
    const auto wal = std::filesystem::file_size(path + "-wal");
    EXPECT_LT(wal, 1000u * (4096 + 24)) << "WAL of " << wal << " bytes";
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tripsim::store::sqlite
