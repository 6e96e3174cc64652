#include "tripsim/store/memory_store.h"

#include <algorithm>
#include <tuple>

#include "tripsim/base/clock.h"
#include "tripsim/base/ids.h"
#include "tripsim/store/memory_store_impl.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store {

using domain::Booking;
using domain::Partner;

Status MemoryStore::CreatePartner(const Partner& p) {
  std::lock_guard lock(mu_);
  for (const auto& [id, q] : partners_) {
    if (id == p.id || q.api_key == p.api_key) {
      return {ErrorCode::kAlreadyExists, "partner id or api key already exists"};
    }
  }
  partners_[p.id] = p;
  return Status::Ok();
}

Status MemoryStore::UpdatePartner(const Partner& p) {
  std::lock_guard lock(mu_);
  auto it = partners_.find(p.id);
  if (it == partners_.end()) return NotFound("unknown partner " + p.id);
  it->second = p;
  return Status::Ok();
}

Result<Partner> MemoryStore::GetPartner(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = partners_.find(id);
  if (it == partners_.end()) return NotFound("unknown partner " + id);
  return it->second;
}

Result<Partner> MemoryStore::FindPartnerByApiKey(const std::string& key) {
  std::lock_guard lock(mu_);
  for (const auto& [id, p] : partners_) {
    if (p.api_key == key) return p;
  }
  return NotFound("unknown api key");
}

Result<std::vector<Partner>> MemoryStore::ListPartners() {
  std::lock_guard lock(mu_);
  std::vector<Partner> out;
  for (const auto& [id, p] : partners_) out.push_back(p);
  return out;
}

Status MemoryStore::UpsertPackages(const std::vector<domain::Package>& packages,
                                   bool retire_missing) {
  std::lock_guard lock(mu_);
  if (retire_missing) {
    for (auto& [id, p] : packages_) p.retired = true;
  }
  for (const auto& p : packages) packages_[p.id] = p;
  ++catalog_version_;
  return Status::Ok();
}

Result<int64_t> MemoryStore::CatalogVersion() {
  std::lock_guard lock(mu_);
  return catalog_version_;
}

Result<std::vector<domain::Package>> MemoryStore::ListPackages() {
  std::lock_guard lock(mu_);
  std::vector<domain::Package> out;
  for (const auto& [id, p] : packages_) out.push_back(p);
  return out;
}

Result<CreateResult> MemoryStore::CreateBooking(const Booking& b) {
  std::lock_guard lock(mu_);
  for (const auto& [id, existing] : bookings_) {
    if (existing.partner_id != b.partner_id) continue;
    bool same_ref = b.request.booking_id && existing.request.booking_id == b.request.booking_id;
    bool same_key = !b.idempotency_key.empty() && existing.idempotency_key == b.idempotency_key;
    if (same_ref || same_key) return CreateResult{existing, false};
  }
  for (const auto& [id, existing] : bookings_) {
    for (const auto& taken : existing.promo_codes) {
      for (const auto& code : b.promo_codes) {
        if (code.code == taken.code) return Status(ErrorCode::kAlreadyExists, "promo code taken");
      }
    }
  }
  bookings_[b.id] = b;
  order_.push_back(b.id);
  Enqueue(b, "booking.created", "", b.created_at);
  return CreateResult{b, true};
}

Result<Booking> MemoryStore::GetBooking(const std::string& partner_id, const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = bookings_.find(id);
  if (it == bookings_.end() || it->second.partner_id != partner_id) {
    return NotFound("booking not found");
  }
  return it->second;
}

Result<Booking> MemoryStore::FindBookingByReference(const std::string& partner_id,
                                                    const std::string& booking_id) {
  return FindIf(partner_id, [&](const Booking& b) { return b.request.booking_id == booking_id; });
}

Result<Booking> MemoryStore::FindBookingByIdempotencyKey(const std::string& partner_id,
                                                         const std::string& key) {
  return FindIf(partner_id, [&](const Booking& b) { return b.idempotency_key == key; });
}

Result<BookingPage> MemoryStore::ListBookings(const std::string& partner_id,
                                              const BookingFilter& filter) {
  std::lock_guard lock(mu_);
  std::vector<const Booking*> matching;
  for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
    const Booking& b = bookings_.at(*it);
    if (b.partner_id == partner_id && Matches(filter, b)) matching.push_back(&b);
  }
  std::stable_sort(matching.begin(), matching.end(), [](const Booking* a, const Booking* b) {
    return a->created_at > b->created_at;
  });
  BookingPage page;
  page.total = static_cast<int64_t>(matching.size());
  size_t offset = Offset(filter);
  for (size_t i = offset; i < matching.size() && i < offset + static_cast<size_t>(filter.per_page);
       ++i) {
    page.bookings.push_back(*matching[i]);
  }
  return page;
}

Result<Booking> MemoryStore::CancelBooking(const std::string& partner_id, const std::string& id,
                                           const CancelRule& rule) {
  std::lock_guard lock(mu_);
  auto it = bookings_.find(id);
  if (it == bookings_.end() || it->second.partner_id != partner_id) {
    return NotFound("booking not found");
  }
  TRIPSIM_RETURN_IF_ERROR(rule(it->second));
  if (it->second.status != domain::BookingStatus::kCancelled) {
    Enqueue(it->second, "booking.cancelled", "", SystemClock().NowMillis());
  }
  ApplyCancel(it->second);
  return it->second;
}

Status MemoryStore::AddMessage(const std::string& booking_id, const domain::Message& message) {
  std::lock_guard lock(mu_);
  auto it = bookings_.find(booking_id);
  if (it == bookings_.end()) return NotFound("booking not found");
  it->second.messages.push_back(message);
  return Status::Ok();
}

Result<Booking> MemoryStore::FindBookingByPromoUuid(const std::string& uuid) {
  std::lock_guard lock(mu_);
  for (const auto& [id, b] : bookings_) {
    for (const auto& p : b.promo_codes) {
      if (p.uuid == uuid) return b;
    }
  }
  return NotFound("promo code not found");
}

Result<Booking> MemoryStore::ClaimPromoCode(
    const std::string& uuid, int64_t now, const domain::Message& message,
    const std::function<Status(const Booking&, const domain::PromoCode&)>& rule) {
  std::lock_guard lock(mu_);
  for (auto& [id, b] : bookings_) {
    for (auto& p : b.promo_codes) {
      if (p.uuid != uuid) continue;
      TRIPSIM_RETURN_IF_ERROR(rule(b, p));
      p.status = domain::PromoStatus::kClaimed;
      p.claimed_at = now;
      b.messages.push_back(message);
      return b;
    }
  }
  return NotFound("promo code not found");
}

Status MemoryStore::ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t) {
  std::lock_guard lock(mu_);
  for (const auto& p : profiles) {
    for (const auto& have : inventory_) {
      if (have.profile.iccid == p.iccid) {
        return {ErrorCode::kAlreadyExists, "ICCID " + p.iccid + " is already in the inventory"};
      }
    }
  }
  for (const auto& p : profiles) inventory_.push_back({p, ""});
  return Status::Ok();
}

Result<std::vector<ProviderStock>> MemoryStore::InventoryStatus() {
  std::lock_guard lock(mu_);
  std::map<std::string, ProviderStock> by;
  for (const auto& s : inventory_) {
    ProviderStock& p = by[s.profile.provider];
    p.provider = s.profile.provider;
    (s.promo_code.empty() ? p.available : p.assigned)++;
  }
  std::vector<ProviderStock> out;
  for (auto& [k, v] : by) out.push_back(v);
  return out;
}

Result<Redemption> MemoryStore::FindRedemption(const std::string& code) {
  std::lock_guard lock(mu_);
  for (const auto& [id, b] : bookings_) {
    for (const auto& p : b.promo_codes) {
      if (p.code != code) continue;
      for (const auto& s : inventory_) {
        if (s.promo_code == code) return Redemption{b, s.profile, false};
      }
      return Redemption{b, {}, false};
    }
  }
  return NotFound("promo code not found");
}

Result<Redemption> MemoryStore::RedeemPromoCode(const std::string& code, int64_t now,
                                                const std::optional<domain::EsimProfile>& synthetic,
                                                const PromoRule& rule,
                                                const std::optional<domain::PromoCode>& assign) {
  std::lock_guard lock(mu_);
  for (auto& [id, b] : bookings_) {
    for (auto& p : b.promo_codes) {
      if (p.code != code) continue;
      for (const auto& s : inventory_) {
        if (s.promo_code == code) return Redemption{b, s.profile, false};
      }
      if (assign && !p.package) {
        p.package = assign->package;
        p.destination = assign->destination;
        p.assignment = assign->assignment;
      }
      TRIPSIM_RETURN_IF_ERROR(rule(b, p));
      const std::string provider = p.package ? p.package->provider : "";
      Stock* free = nullptr;
      for (auto& s : inventory_) {
        if (s.promo_code.empty() && s.profile.provider == provider) {
          free = &s;
          break;
        }
      }
      if (free == nullptr) {
        if (!synthetic)
          return Status(ErrorCode::kResourceExhausted, "no eSIM in stock for " + provider);
        inventory_.push_back({*synthetic, ""});
        free = &inventory_.back();
      }
      free->promo_code = code;
      p.status = domain::PromoStatus::kRedeemed;
      p.redeemed_at = now;
      bool all = std::all_of(b.promo_codes.begin(), b.promo_codes.end(), [](const auto& c) {
        return c.status == domain::PromoStatus::kRedeemed ||
               c.status == domain::PromoStatus::kRevoked;
      });
      if (all) b.status = domain::BookingStatus::kCompleted;
      Enqueue(b, "promo_code.redeemed", code, now);
      return Redemption{b, free->profile, true};
    }
  }
  return NotFound("promo code not found");
}

Status MemoryStore::ExpireIdempotencyKeys(int64_t before_millis) {
  std::lock_guard lock(mu_);
  for (auto& [id, b] : bookings_) {
    if (b.created_at < before_millis) b.idempotency_key.clear();
  }
  return Status::Ok();
}

void MemoryStore::Enqueue(const Booking& b, const std::string& event, const std::string& subject,
                          int64_t now) {
  auto p = partners_.find(b.partner_id);
  if (p == partners_.end() || p->second.webhook_url.empty()) return;
  webhooks_.push_back(
      {{NewOrderedId("evt_"), b.partner_id, event, b.id, subject, now, "PENDING", 0, ""}, now, 0});
}

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace tripsim::store
