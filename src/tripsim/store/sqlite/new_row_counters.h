// What the rows a SQLite transaction inserts add to the dashboard's counters (daily_stats and
// send_times), counted by the statements that insert them instead of by triggers (migration
// 9): a trigger's frame and the statement journal it forces cost a third of a booking's write.
// Status changes and deletions are still counted by triggers, whoever writes. Internal to
// store/sqlite; used by the writer thread only.
//
//   NewRows n;
//   n.Add(booking);
//   counters.Add(DayOf(booking.created_at), booking.partner_id, n);  // the running job's
//   // ... GroupCommitWriter calls EndJob, then Flush before its COMMIT
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/store/sqlite/db.h"
#include "tripsim/store/sqlite/group_commit.h"

namespace tripsim::store::sqlite {

// What new rows add to one day's dashboard counters of a partner (daily_stats). Every insert
// of a booking, promo code or message goes through booking_rows.cc and counts itself here.
struct NewRows {
  // Indexed by status, in the order of daily_stats' columns.
  static_assert(static_cast<int>(domain::BookingStatus::kExpired) == 3);
  static_assert(static_cast<int>(domain::MessageStatus::kCancelled) == 3);
  std::array<int64_t, 4> bookings = {};  // confirmed, completed, cancelled, expired
  int64_t codes = 0;
  int64_t codes_redeemed = 0;
  int64_t codes_revoked = 0;
  std::array<int64_t, 4> messages = {};  // pending, sent, failed, cancelled

  void Add(const domain::Booking& b) { ++bookings[static_cast<size_t>(b.status)]; }
  void Add(const domain::PromoCode& p) {
    ++codes;
    codes_redeemed += p.status == domain::PromoStatus::kRedeemed;
    codes_revoked += p.status == domain::PromoStatus::kRevoked;
  }
  void Add(const domain::Message& m) { ++messages[static_cast<size_t>(m.status)]; }
  void Add(const NewRows& n) {
    for (size_t i = 0; i < 4; ++i) bookings[i] += n.bookings[i];
    codes += n.codes;
    codes_redeemed += n.codes_redeemed;
    codes_revoked += n.codes_revoked;
    for (size_t i = 0; i < 4; ++i) messages[i] += n.messages[i];
  }
};

// The day of daily_stats and send_times: the UTC date of a time, as a day number.
int64_t DayOf(int64_t millis);

// The counters of the rows a transaction inserts, added up in memory and written once, just
// before its commit (GroupCommitWriter::Deferred). A batch's bookings are of one day and mostly
// of one partner: the one counter row they all add to is written once a batch, not once a
// booking (9 % of the writer's instructions per booking, bench/writer_cost).
class NewRowCounters final : public GroupCommitWriter::Deferred {
 public:
  // Counts `n` on `day` for `partner_id`, as the running job's.
  void Add(int64_t day, std::string_view partner_id, const NewRows& n) {
    AddTo(job_, day, partner_id, n);
  }

  void EndJob(bool kept) override {
    if (kept) {
      for (const Entry& e : job_) AddTo(transaction_, e.day, e.partner_id, e.rows);
    }
    job_.clear();
  }

  Status Flush(Db& db) override;

  void Forget() override {
    job_.clear();
    transaction_.clear();
  }

 private:
  struct Entry {
    int64_t day;
    std::string partner_id;
    NewRows rows;
  };

  // A batch holds a few partners at most: a search of a short vector finds the entry.
  static void AddTo(std::vector<Entry>& to, int64_t day, std::string_view partner_id,
                    const NewRows& n) {
    for (Entry& e : to) {
      if (e.day == day && e.partner_id == partner_id) {
        e.rows.Add(n);
        return;
      }
    }
    to.push_back({day, std::string(partner_id), n});
  }

  std::vector<Entry> job_;          // what the running job counted
  std::vector<Entry> transaction_;  // what the transaction's kept jobs counted
};

// A message stored as already sent counts its time to send, as the dashboard's histogram
// does for those sent later (the trigger on messages' status).
Status CountSendTime(Db& db, const std::string& partner_id, const domain::Message& m);

}  // namespace tripsim::store::sqlite
