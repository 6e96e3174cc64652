#include "tests/e2e/tripsimd_process.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tripsim/base/ids.h"

namespace tripsim::testing {
namespace fs = std::filesystem;

std::string BinDir() { return TRIPSIM_BIN_DIR; }

namespace {

std::vector<char*> Argv(const std::string& program, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// In the child: chdir, set the environment, redirect, exec. Never returns.
[[noreturn]] void Exec(const std::string& program, const std::vector<std::string>& args,
                       const std::string& cwd, const std::map<std::string, std::string>& env,
                       int out_fd, int err_fd) {
  if (chdir(cwd.c_str()) != 0) _exit(126);
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  auto argv = Argv(program, args);
  execv(program.c_str(), argv.data());
  _exit(127);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& cwd, const std::map<std::string, std::string>& env) {
  std::string base = (fs::temp_directory_path() / ("tripsim-cmd-" + NewId(""))).string();
  int out = open((base + ".out").c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  int err = open((base + ".err").c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  pid_t pid = fork();
  if (pid == 0) Exec(program, args, cwd, env, out, err);
  close(out);
  close(err);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  r.out = ReadFile(base + ".out");
  r.err = ReadFile(base + ".err");
  fs::remove(base + ".out");
  fs::remove(base + ".err");
  return r;
}

std::unique_ptr<TripsimdProcess> TripsimdProcess::Start(ProcessOptions options) {
  auto p = std::unique_ptr<TripsimdProcess>(new TripsimdProcess());
  p->options_ = std::move(options);
  p->dir_ = p->options_.dir;
  if (p->dir_.empty()) {
    p->dir_ = (fs::temp_directory_path() / ("tripsim-e2e-" + NewId(""))).string();
    fs::create_directories(p->dir_);
  }
  if (!p->Launch()) {
    std::cerr << "tripsimd did not start; its stderr:\n" << p->StderrLog() << "\n";
    return nullptr;
  }
  return p;
}

bool TripsimdProcess::Launch() {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return false;
  int err = open((dir_ + "/stderr.log").c_str(), O_CREAT | O_WRONLY | O_APPEND, 0600);
  std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0"};
  args.insert(args.end(), options_.serve_args.begin(), options_.serve_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    close(pipe_fds[0]);
    Exec(BinDir() + "/tripsimd", args, dir_, options_.env, pipe_fds[1], err);
  }
  close(pipe_fds[1]);
  close(err);
  // Read stdout lines until the "listening" line, for at most 20 s.
  std::string buffer;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool listening = false;
  while (!listening && std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{pipe_fds[0], POLLIN, 0};
    if (poll(&pfd, 1, 200) <= 0) continue;
    char chunk[4096];
    ssize_t n = read(pipe_fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      if (ec || !v.is_object()) continue;
      const auto& o = v.as_object();
      std::string event(o.at("event").as_string());
      if (event == "demo_partner") {
        api_key_ = o.at("api_key").as_string();
        api_secret_ = o.at("api_secret").as_string();
        partner_id_ = o.at("partner_id").as_string();
      } else if (event == "listening") {
        url_ = o.at("url").as_string();
        listening = true;
      }
    }
  }
  // Keep draining stdout in the background so the server never blocks on a full pipe.
  int fd = pipe_fds[0];
  std::thread([fd] {
    char sink[4096];
    while (read(fd, sink, sizeof sink) > 0) {
    }
    close(fd);
  }).detach();
  if (!listening) Kill(SIGKILL);
  return listening;
}

TripsimdProcess::~TripsimdProcess() {
  if (pid_ > 0) Kill(SIGKILL);
  std::error_code ec;
  if (options_.dir.empty()) fs::remove_all(dir_, ec);
}

sdk::ClientOptions TripsimdProcess::ClientOptions() const {
  return {.base_url = url_, .api_key = api_key_, .api_secret = api_secret_};
}

int TripsimdProcess::Kill(int signal) {
  if (pid_ <= 0) return 0;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

bool TripsimdProcess::Restart() {
  if (pid_ > 0) Kill(SIGKILL);
  return Launch();
}

CommandResult TripsimdProcess::Admin(std::vector<std::string> args) const {
  args.push_back("--store");
  args.push_back("sqlite:" + dir_ + "/var/tripsim.db");
  return RunCommand(BinDir() + "/tripsimd", args, dir_, options_.env);
}

std::string TripsimdProcess::StderrLog() const { return ReadFile(dir_ + "/stderr.log"); }

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::unique_ptr<ChildProcess> ChildProcess::Start(const std::string& program,
                                                  const std::vector<std::string>& args,
                                                  const std::string& ready_text) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return nullptr;
  auto child = std::unique_ptr<ChildProcess>(new ChildProcess());
  child->pid_ = fork();
  if (child->pid_ == 0) {
    close(pipe_fds[0]);
    Exec(program, args, "/", {}, pipe_fds[1], 2);
  }
  close(pipe_fds[1]);
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (seen.find(ready_text) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{pipe_fds[0], POLLIN, 0};
    if (poll(&pfd, 1, 200) <= 0) continue;
    char chunk[512];
    ssize_t n = read(pipe_fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    seen.append(chunk, static_cast<size_t>(n));
  }
  // The read end stays open while the child runs, so its later writes never hit a closed pipe.
  child->stdout_fd_ = pipe_fds[0];
  if (seen.find(ready_text) == std::string::npos) return nullptr;
  return child;
}

ChildProcess::~ChildProcess() { Kill(); }

void ChildProcess::Kill() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of("\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

}  // namespace

RawResponse RawRequest(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, const std::string& body) {
  RawResponse r;
  CURL* h = curl_easy_init();
  curl_slist* list = curl_slist_append(nullptr, "Expect:");
  for (const auto& line : headers) list = curl_slist_append(list, line.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);  // else curl waits for the body the headers announce
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  if (!body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &CollectHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform(h) == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  return r;
}

}  // namespace tripsim::testing
