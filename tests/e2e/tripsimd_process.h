// Test harness: runs the real tripsimd binary in a temporary folder, on a free loopback port,
// and speaks to it over HTTP. Used by every end-to-end test.
//
//   auto server = TripsimdProcess::Start({});
//   sdk::Client client(server->ClientOptions());
//   server->Kill(SIGKILL); server->Restart();
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tripsim/sdk/client.h"

namespace tripsim::testing {

// The folder of the built programs (tripsimd, tripsim).
std::string BinDir();

struct ProcessOptions {
  std::vector<std::string> serve_args;     // extra flags for `tripsimd serve`
  std::map<std::string, std::string> env;  // extra environment variables
  std::string dir;                         // reuse this folder (a restart); new when empty
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a program to completion with `args`, in `cwd`, capturing its output.
CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& cwd,
                         const std::map<std::string, std::string>& env = {});

class TripsimdProcess {
 public:
  // Starts `tripsimd serve --listen 127.0.0.1:0` and waits (up to 20 s) until it listens.
  // Returns nullptr after printing the server's stderr when it does not come up.
  static std::unique_ptr<TripsimdProcess> Start(ProcessOptions options);
  ~TripsimdProcess();

  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }
  // The staging demo partner printed at first start (empty after a restart on the same store).
  const std::string& api_key() const { return api_key_; }
  const std::string& api_secret() const { return api_secret_; }
  const std::string& partner_id() const { return partner_id_; }
  sdk::ClientOptions ClientOptions() const;

  // Sends `signal`, then waits for the process to exit; returns its exit status (or -signal).
  int Kill(int signal);
  // Starts the server again on the same folder (and a new port).
  bool Restart();
  // Runs `tripsimd <args> --store <this server's store>` (an operator command).
  CommandResult Admin(std::vector<std::string> args) const;
  std::string StderrLog() const;

 private:
  bool Launch();

  ProcessOptions options_;
  std::string dir_;
  pid_t pid_ = -1;
  std::string url_, api_key_, api_secret_, partner_id_;
};

// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
int FreePort();

// A helper program running in the background (a test SMTP server), killed on destruction.
class ChildProcess {
 public:
  // Starts `program args` and waits up to 20 s for a stdout line containing `ready_text`.
  static std::unique_ptr<ChildProcess> Start(const std::string& program,
                                             const std::vector<std::string>& args,
                                             const std::string& ready_text);
  ~ChildProcess();
  void Kill();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
};

// Polls `done` every 50 ms until it is true or `seconds` pass; returns its last value.
bool WaitFor(const std::function<bool()>& done, int seconds = 20);

// One HTTP request with exactly the given headers (no signing): for tests of hostile or
// malformed requests.
struct RawResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};
RawResponse RawRequest(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, const std::string& body = "");

}  // namespace tripsim::testing
