// Store conformance: the email and webhook outboxes.
#include <gtest/gtest.h>

#include "tripsim/store/store_conformance.h"

namespace tripsim::store::test {
namespace {

using domain::Booking;
using domain::MessageStatus;
using domain::Partner;

TEST_P(StoreConformance, OutboxClaimsWithALeaseAndRecordsOutcomes) {
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  EXPECT_TRUE(store_->ClaimDueMessages(999, 5000, 10)->empty());  // not due yet
  auto claimed = store_->ClaimDueMessages(1000, 5000, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message.id, b.messages[0].id);
  EXPECT_EQ((*claimed)[0].message.attempts, 1);
  EXPECT_EQ((*claimed)[0].booking.id, b.id);
  EXPECT_TRUE(store_->ClaimDueMessages(4999, 9000, 10)->empty());  // leased
  // A claimed message counts as sent for cancellation: the store reports the attempt.
  EXPECT_EQ(store_->GetBooking("pt_a", b.id)->messages[0].attempts, 1);
  ASSERT_TRUE(store_->MarkMessageFailed(b.messages[0].id, "421 try later", 6000).ok());
  EXPECT_TRUE(store_->ClaimDueMessages(5999, 9000, 10)->empty());
  auto again = store_->ClaimDueMessages(6000, 9000, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].message.attempts, 2);
  EXPECT_EQ((*again)[0].message.last_error, "421 try later");
  ASSERT_TRUE(store_->MarkMessageSent(b.messages[0].id, 6500).ok());
  domain::Message sent = store_->GetBooking("pt_a", b.id)->messages[0];
  EXPECT_EQ(sent.status, MessageStatus::kSent);
  EXPECT_EQ(sent.sent_at, 6500);
  EXPECT_TRUE(store_->ClaimDueMessages(100000, 200000, 10)->empty());
}

TEST_P(StoreConformance, ExpiredLeaseIsTakenOverAndFailureIsFinal) {
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  ASSERT_EQ(store_->ClaimDueMessages(1000, 2000, 10)->size(), 1u);
  ASSERT_EQ(store_->ClaimDueMessages(2000, 3000, 10)->size(), 1u);  // the first claimer died
  ASSERT_TRUE(store_->MarkMessageFailed(b.messages[0].id, "550 no such user", std::nullopt).ok());
  domain::Message m = store_->GetBooking("pt_a", b.id)->messages[0];
  EXPECT_EQ(m.status, MessageStatus::kFailed);
  EXPECT_EQ(m.attempts, 2);
  EXPECT_TRUE(store_->ClaimDueMessages(100000, 200000, 10)->empty());

  // The operator's list of failures, of every partner or of one.
  auto failed = store_->ListFailedMessages(std::nullopt, 10);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  ASSERT_EQ(failed->size(), 1u);
  const FailedMessage& f = failed->front();
  EXPECT_EQ(f.message_id, b.messages[0].id);
  EXPECT_EQ(f.booking_id, b.id);
  EXPECT_EQ(f.partner_id, "pt_a");
  EXPECT_EQ(f.recipient, b.messages[0].recipient);
  EXPECT_EQ(f.attempts, 2);
  EXPECT_EQ(f.last_error, "550 no such user");
  EXPECT_EQ(store_->ListFailedMessages("pt_a", 10)->size(), 1u);
  EXPECT_TRUE(store_->ListFailedMessages("pt_b", 10)->empty());
  EXPECT_TRUE(store_->ListFailedMessages(std::nullopt, 0)->empty());
}

TEST_P(StoreConformance, WebhookEventsAreRecordedWithTheChangesForWebhookPartners) {
  Partner hooked = *store_->GetPartner("pt_a");
  hooked.webhook_url = "https://ota.example.com/hooks";
  ASSERT_TRUE(store_->UpdatePartner(hooked).ok());
  Booking b = MakeBooking("pt_a", "TRV-1", 1000);
  ASSERT_TRUE(store_->CreateBooking(b).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_b", "TRV-1", 1000)).ok());  // no webhook URL
  ASSERT_EQ(store_->ClaimDueMessages(1000, 2000, 10)->size(), 2u);
  ASSERT_TRUE(store_->MarkMessageSent(b.messages[0].id, 1500).ok());
  auto events = store_->ListWebhookEvents("pt_a", 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event, "message.sent");
  EXPECT_EQ((*events)[0].subject_id, b.messages[0].id);
  EXPECT_EQ((*events)[1].event, "booking.created");
  EXPECT_TRUE(store_->ListWebhookEvents("pt_b", 10)->empty());

  auto claimed = store_->ClaimDueWebhooks(2000, 3000, 10);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_TRUE(store_->ClaimDueWebhooks(2500, 3000, 10)->empty());  // leased
  ASSERT_TRUE(store_->MarkWebhookDelivered((*claimed)[0].id, 2100).ok());
  ASSERT_TRUE(store_->MarkWebhookFailed((*claimed)[1].id, "HTTP 500", 5000).ok());
  EXPECT_TRUE(store_->ClaimDueWebhooks(4999, 9000, 10)->empty());
  auto retry = store_->ClaimDueWebhooks(5000, 9000, 10);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ(retry->at(0).attempts, 2);
  ASSERT_TRUE(store_->MarkWebhookFailed(retry->at(0).id, "HTTP 500", std::nullopt).ok());
  std::vector<std::string> statuses;
  auto listed = store_->ListWebhookEvents("pt_a", 10);
  for (const auto& e : *listed) statuses.push_back(e.status);
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<std::string>{"DEAD", "DELIVERED"}));
  // The operator redelivers the dead letter.
  ASSERT_TRUE(store_->RequeueWebhook(retry->at(0).id, 10000).ok());
  auto again = store_->ClaimDueWebhooks(10000, 11000, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->at(0).id, retry->at(0).id);
  EXPECT_EQ(store_->RequeueWebhook("evt_nope", 1).code(), ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ReportsTheDepthOfTheOutboxes) {
  EXPECT_EQ(store_->QueueDepth(1000)->messages, 0);
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-1", 1000)).ok());
  ASSERT_TRUE(store_->CreateBooking(MakeBooking("pt_a", "TRV-2", 3000)).ok());
  auto depth = store_->QueueDepth(2000);
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->messages, 1);  // the second is not due yet
  EXPECT_EQ(depth->oldest_message_due_at, 1000);
  EXPECT_EQ(depth->webhooks, 0);
  EXPECT_FALSE(depth->oldest_webhook_due_at.has_value());
}

}  // namespace
}  // namespace tripsim::store::test
