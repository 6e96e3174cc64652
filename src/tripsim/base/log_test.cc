#include "tripsim/base/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace tripsim::log {
namespace {

// A file of this process and test: ctest runs tests in parallel, each in its own process.
std::string TempPath(std::string_view name) {
  return ::testing::TempDir() + "/tripsim-" + std::string(name) + "-" + std::to_string(::getpid()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt";
}

// Runs `body` with stderr sent to a file and returns the lines written meanwhile.
std::vector<std::string> CaptureStderr(const std::function<void()>& body) {
  const std::string path = TempPath("log");
  Flush();
  std::FILE* file = std::fopen(path.c_str(), "w");
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  body();
  Flush();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::fclose(file);
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::remove(path.c_str());
  return lines;
}

TEST(Log, WritesOneJsonObjectPerLineWithTheRequestId) {
  auto lines = CaptureStderr([] {
    ScopedRequestId rid("req_1");
    Info("booking.created", {{"booking", "bk_1"}, {"note", "a \"quoted\"\nline\\ é"}});
  });
  ASSERT_EQ(lines.size(), 1u);
  auto line = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(line.at("event"), "booking.created");
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("request_id"), "req_1");
  EXPECT_EQ(line.at("booking"), "bk_1");
  EXPECT_EQ(line.at("note"), "a \"quoted\"\nline\\ é");
  EXPECT_EQ(line.at("ts").as_string().size(), 24u);  // 2026-11-27T17:44:39.261Z
}

TEST(Log, LinesBelowTheLevelAreNotWritten) {
  auto lines = CaptureStderr([] {
    SetLevel(Level::kWarn);
    Info("quiet");
    Warn("loud");
    SetLevel(Level::kInfo);
  });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"loud\""), std::string::npos);
  EXPECT_EQ(ParseLevel("error"), Level::kError);
  EXPECT_EQ(ParseLevel("verbose"), std::nullopt);
}

TEST(Log, AWarningIsWrittenAtOnce) {
  const std::string path = TempPath("log-warn");
  Flush();
  std::FILE* file = std::fopen(path.c_str(), "w");
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  Warn("store.slow");
  std::ifstream in(path);  // read before any flush: the warning is already in the file
  std::stringstream seen;
  seen << in.rdbuf();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::fclose(file);
  std::remove(path.c_str());
  EXPECT_NE(seen.str().find("store.slow"), std::string::npos);
}

TEST(Log, LinesFromManyThreadsStayWhole) {
  auto lines = CaptureStderr([] {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([t] {
        for (int i = 0; i < 5000; ++i) {
          Info("http.request", {{"thread", std::to_string(t)}, {"i", std::to_string(i)}});
        }
      });
    }
    for (auto& th : threads) th.join();
  });
  ASSERT_EQ(lines.size(), 20000u);
  for (const auto& line : lines) EXPECT_EQ(boost::json::parse(line).at("event"), "http.request");
}

}  // namespace
}  // namespace tripsim::log
