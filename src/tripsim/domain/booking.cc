#include "tripsim/domain/booking.h"

#include <array>
#include <utility>

namespace tripsim::domain {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "";
}

constexpr std::array<std::pair<BookingStatus, std::string_view>, 4> kBookingStatuses = {{
    {BookingStatus::kConfirmed, "CONFIRMED"},
    {BookingStatus::kCompleted, "COMPLETED"},
    {BookingStatus::kCancelled, "CANCELLED"},
    {BookingStatus::kExpired, "EXPIRED"},
}};
constexpr std::array<std::pair<PromoStatus, std::string_view>, 5> kPromoStatuses = {{
    {PromoStatus::kIssued, "ISSUED"},
    {PromoStatus::kClaimed, "CLAIMED"},
    {PromoStatus::kRedeemed, "REDEEMED"},
    {PromoStatus::kRevoked, "REVOKED"},
    {PromoStatus::kExpired, "EXPIRED"},
}};
constexpr std::array<std::pair<MessageStatus, std::string_view>, 4> kMessageStatuses = {{
    {MessageStatus::kPending, "PENDING"},
    {MessageStatus::kSent, "SENT"},
    {MessageStatus::kFailed, "FAILED"},
    {MessageStatus::kCancelled, "CANCELLED"},
}};

}  // namespace

std::string_view BookingStatusName(BookingStatus s) { return NameOf(kBookingStatuses, s); }
std::optional<BookingStatus> ParseBookingStatus(std::string_view s) {
  return Lookup(kBookingStatuses, s);
}
std::string_view PromoStatusName(PromoStatus s) { return NameOf(kPromoStatuses, s); }
std::optional<PromoStatus> ParsePromoStatus(std::string_view s) {
  return Lookup(kPromoStatuses, s);
}
std::string_view MessageStatusName(MessageStatus s) { return NameOf(kMessageStatuses, s); }
std::optional<MessageStatus> ParseMessageStatus(std::string_view s) {
  return Lookup(kMessageStatuses, s);
}

}  // namespace tripsim::domain
