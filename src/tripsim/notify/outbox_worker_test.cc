#include "tripsim/notify/outbox_worker.h"

#include <gtest/gtest.h>

#include "tripsim/base/ids.h"
#include "tripsim/store/memory_store.h"

namespace tripsim::notify {
namespace {

class OutboxWorkerTest : public ::testing::Test {
 protected:
  OutboxWorkerTest()
      : store_(store::NewMemoryStore()),
        clock_(1'000'000),
        worker_(*store_, mailer_, clock_,
                {.public_url = "https://esim.example.com",
                 .default_from = "noreply@esim.example.com",
                 .max_attempts = 3}) {
    domain::Partner p;
    p.id = "pt_a";
    p.name = "Demo Travel";
    p.api_key = "k";
    EXPECT_TRUE(store_->CreatePartner(p).ok());
    booking_.id = "bk_1";
    booking_.partner_id = "pt_a";
    booking_.request.departure_date = "2026-07-15";
    booking_.request.booking_id = "TRV-1";
    domain::PromoCode code;
    code.code = "K7Q2-M9XD-4TPA";
    code.uuid = NewUuidV7();
    booking_.promo_codes.push_back(code);
    domain::Message m;
    m.id = "msg_1";
    m.channel = "EMAIL";
    m.kind = "booking_confirmation";
    m.recipient = "ada@example.com";
    m.due_at = clock_.NowMillis();
    booking_.messages.push_back(m);
    EXPECT_TRUE(store_->CreateBooking(booking_).ok());
  }

  domain::Message Message() { return store_->GetBooking("pt_a", "bk_1")->messages[0]; }

  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  RecordingMailer mailer_;
  OutboxWorker worker_;
  domain::Booking booking_;
};

TEST_F(OutboxWorkerTest, SendsOnceAndMarksSent) {
  EXPECT_EQ(worker_.RunOnce(), 1);
  ASSERT_EQ(mailer_.sent().size(), 1u);
  EXPECT_EQ(mailer_.sent()[0].to, "ada@example.com");
  EXPECT_NE(mailer_.sent()[0].mime.find("Message-ID: <msg_1@esim.example.com>"), std::string::npos);
  EXPECT_EQ(Message().status, domain::MessageStatus::kSent);
  EXPECT_EQ(worker_.RunOnce(), 0);
  EXPECT_EQ(mailer_.sent().size(), 1u);
}

TEST_F(OutboxWorkerTest, RetriesTemporaryFailuresWithTheSameMessageId) {
  mailer_.FailNext(Unavailable("421 try again later"), 2);
  EXPECT_EQ(worker_.RunOnce(), 1);
  EXPECT_EQ(Message().status, domain::MessageStatus::kPending);
  EXPECT_EQ(Message().last_error, "421 try again later");
  EXPECT_EQ(worker_.RunOnce(), 0);  // backing off
  clock_.Advance(std::chrono::seconds(3));
  EXPECT_EQ(worker_.RunOnce(), 1);  // second failure
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(worker_.RunOnce(), 1);
  EXPECT_EQ(Message().status, domain::MessageStatus::kSent);
  EXPECT_EQ(Message().attempts, 3);
  EXPECT_EQ(mailer_.sent().size(), 1u);
}

TEST_F(OutboxWorkerTest, PermanentFailureEndsFailedAtOnce) {
  mailer_.FailNext(Status(ErrorCode::kFailedPrecondition, "SMTP 550: no such user"));
  EXPECT_EQ(worker_.RunOnce(), 1);
  EXPECT_EQ(Message().status, domain::MessageStatus::kFailed);
  EXPECT_EQ(Message().last_error, "SMTP 550: no such user");
}

TEST_F(OutboxWorkerTest, GivesUpAfterTheLastAttempt) {
  mailer_.FailNext(Unavailable("connection refused"), 10);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(worker_.RunOnce(), 1);
    clock_.Advance(std::chrono::minutes(20));
  }
  EXPECT_EQ(Message().status, domain::MessageStatus::kFailed);
  EXPECT_EQ(worker_.RunOnce(), 0);
}

TEST(NextAttemptAt, BacksOffExponentiallyWithJitterAndCap) {
  OutboxOptions o;
  EXPECT_EQ(NextAttemptAt(0, 1, o, 0), 1000);
  EXPECT_EQ(NextAttemptAt(0, 1, o, 1000), 2000);
  EXPECT_EQ(NextAttemptAt(0, 3, o, 0), 4000);
  EXPECT_EQ(NextAttemptAt(0, 7, o, 0), 64'000);
  EXPECT_FALSE(NextAttemptAt(0, 8, o, 0).has_value());
  o.max_attempts = 20;
  EXPECT_EQ(NextAttemptAt(0, 12, o, 0), 450'000);  // capped at 15 minutes
}

}  // namespace
}  // namespace tripsim::notify
