// AnswerCache: the encoded answers of GET /api/bookings/{id}, each kept with the revision of
// the booking it was encoded from. A booking read again while unchanged is answered from here
// after one check of its revision in the store (store::Store::GetBookingIfChanged), instead of
// reading its rows and encoding them again.
//
// Direct-mapped: a booking id hashes to one slot, and a newer answer replaces the slot's
// entry, so memory stays below `slots` answers of at most kMaxBody bytes each. Thread-safe.
//
//   std::shared_ptr<const AnswerCache::Entry> known = cache.Find(partner_id, booking_id);
//   ... the store answers: unchanged since known->revision, or the booking at revision R ...
//   cache.Put({partner_id, booking_id, R, body});
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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
