// A real SMTP server for end-to-end tests: aiosmtpd (tests/e2e/smtp_server.py) on a free
// loopback port, writing every message it accepts as a .eml file.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/tripsimd_process.h"

namespace tripsim::testing {

inline const std::string kScripts = std::string(TRIPSIM_SOURCE_DIR) + "/tests/e2e/";

struct SmtpServer {
  int port = FreePort();
  std::string maildir;
  std::unique_ptr<ChildProcess> process;

  explicit SmtpServer(std::string dir) : maildir(std::move(dir)) {}

  bool Start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {kScripts + "smtp_server.py", "--port", std::to_string(port),
                                     "--maildir", maildir};
    args.insert(args.end(), extra.begin(), extra.end());
    process = ChildProcess::Start("/usr/bin/python3", args, "ready");
    return process != nullptr;
  }

  std::vector<std::string> Files() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(maildir, ec)) {
      if (e.path().extension() == ".eml") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The parsed summary of every message (see mail_tool.py).
  std::vector<boost::json::value> Messages() const {
    std::vector<boost::json::value> out;
    for (const auto& f : Files()) {
      CommandResult r = RunCommand("/usr/bin/python3", {kScripts + "mail_tool.py", f}, "/");
      if (r.exit_code == 0) out.push_back(boost::json::parse(r.out));
    }
    return out;
  }
};

}  // namespace tripsim::testing
