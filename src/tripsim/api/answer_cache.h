// AnswerCache: the encoded answers of GET /api/bookings/{id}, each kept with the revision of
// the booking it was encoded from and the store's commit mark from before that read. A booking
// read again is answered from here, instead of reading its rows and encoding them again, when
// nothing at all was committed since (the store's mark is the same: store::Store::CommitMark),
// or else when one check of its revision in the store finds it unchanged
// (store::Store::GetBookingIfChanged).
//
// Direct-mapped: a booking id hashes to one slot, and a newer answer replaces the slot's
// entry, so memory stays below `slots` answers of at most kMaxBody bytes each. Thread-safe.
//
//   std::optional<uint64_t> mark = store.CommitMark();  // before reading
//   std::shared_ptr<const AnswerCache::Entry> known = cache.Find(partner_id, booking_id);
//   if (known && mark && known->as_of == mark) ... known->body is current ...
//   ... else the store answers: unchanged since known->revision, or the booking at revision R ...
//   cache.Put({partner_id, booking_id, R, mark, body});
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tripsim/base/mutex.h"

namespace tripsim::api {

class AnswerCache {
 public:
  struct Entry {
    std::string partner_id;
    std::string booking_id;
    int64_t revision = 0;
    // The store's commit mark taken before `revision` was read; empty when it had none.
    std::optional<uint64_t> as_of;
    std::string body;
  };
  // Larger answers (bookings with dozens of promo codes) are not kept.
  static constexpr size_t kMaxBody = size_t{8} * 1024;

  explicit AnswerCache(size_t slots);

  // The answer kept for this partner's booking, or nullptr.
  std::shared_ptr<const Entry> Find(std::string_view partner_id, std::string_view booking_id) const;
  // Keeps `entry` in its booking's slot, in place of what was there.
  void Put(Entry entry);

 private:
  struct Slot {
    mutable Mutex mu;
    std::shared_ptr<const Entry> entry GUARDED_BY(mu);
  };
  Slot& SlotOf(std::string_view booking_id) const;

  const size_t count_;
  const std::unique_ptr<Slot[]> slots_;
};

}  // namespace tripsim::api
