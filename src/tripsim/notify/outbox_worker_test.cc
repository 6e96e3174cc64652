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

// Checks, as each email goes out, that every email sent before it is already recorded SENT.
class OneAtATimeMailer final : public Mailer {
 public:
  explicit OneAtATimeMailer(store::Store& store) : store_(store) {}
  Status Send(const std::string&, const std::string& to, const std::string&) override {
    for (const std::string& booking_id : sent_) {
      Result<domain::Booking> b = store_.GetBooking("pt_a", booking_id);
      if (!b.ok() || b->messages[0].status != domain::MessageStatus::kSent) ++unrecorded_;
    }
    sent_.push_back("bk_" + to.substr(0, to.find('@')));  // n@example.com belongs to bk_n
    return Status::Ok();
  }
  size_t sent() const { return sent_.size(); }
  int unrecorded() const { return unrecorded_; }

 private:
  store::Store& store_;
  std::vector<std::string> sent_;
  int unrecorded_ = 0;
};

// Rendering runs one email ahead, but sending does not: each outcome is durable before the
// next email goes out, so a crash leaves at most one sent email unrecorded.
TEST_F(OutboxWorkerTest, EachEmailIsRecordedBeforeTheNextIsSent) {
  for (int n = 2; n <= 6; ++n) {
    domain::Booking b = booking_;
    b.id = "bk_" + std::to_string(n);
    b.request.booking_id = "TRV-" + std::to_string(n);
    b.promo_codes[0].code = "K7Q2-M9XD-4TP" + std::to_string(n);
    b.promo_codes[0].uuid = NewUuidV7();
    b.messages[0].id = "msg_" + std::to_string(n);
    b.messages[0].recipient = std::to_string(n) + "@example.com";
    ASSERT_TRUE(store_->CreateBooking(b).ok());
  }
  ASSERT_TRUE(
      store_->CancelBooking("pt_a", "bk_1", [](const domain::Booking&) { return Status::Ok(); })
          .ok());  // the fixture's message goes elsewhere
  OneAtATimeMailer mailer(*store_);
  OutboxWorker worker(*store_, mailer, clock_, {.public_url = "https://esim.example.com"});
  EXPECT_EQ(worker.RunOnce(), 5);
  EXPECT_EQ(mailer.sent(), 5u);
  EXPECT_EQ(mailer.unrecorded(), 0);
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
