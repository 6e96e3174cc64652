#include "tripsim/api/answer_cache.h"

#include <functional>

namespace tripsim::api {

AnswerCache::AnswerCache(size_t slots)
    : count_(slots == 0 ? 1 : slots), slots_(std::make_unique<Slot[]>(count_)) {}

AnswerCache::Slot& AnswerCache::SlotOf(std::string_view booking_id) const {
  return slots_[std::hash<std::string_view>{}(booking_id) % count_];
}

std::shared_ptr<const AnswerCache::Entry> AnswerCache::Find(std::string_view partner_id,
                                                            std::string_view booking_id) const {
  Slot& slot = SlotOf(booking_id);
  std::shared_ptr<const Entry> entry;
  {
    MutexLock lock(slot.mu);
    entry = slot.entry;
  }
  if (!entry || entry->booking_id != booking_id || entry->partner_id != partner_id) return nullptr;
  return entry;
}

void AnswerCache::Put(Entry entry) {
  if (entry.body.size() > kMaxBody) return;
  Slot& slot = SlotOf(entry.booking_id);
  auto kept = std::make_shared<const Entry>(std::move(entry));
  MutexLock lock(slot.mu);
  slot.entry.swap(kept);  // the entry replaced is freed after the lock, with `kept`
}

}  // namespace tripsim::api
