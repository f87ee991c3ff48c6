#include "tests/support/s3_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <sstream>
#include <thread>

#include "tests/support/loopback_port.h"

namespace cellar::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string random_secret() {
  std::random_device device;
  std::ostringstream text;
  text << "s3-secret-";
  for (int i = 0; i < 4; ++i) text << std::hex << device();
  return text.str();
}

}  // namespace

std::unique_ptr<S3Server> S3Server::start(std::string* error, bool tls) {
  std::unique_ptr<S3Server> server(new S3Server());
  server->folder_ = std::make_unique<TempDir>("cellar-s3");
  server->secret_access_key_ = random_secret();
  server->tls_ = tls;
  std::string failure = tls ? server->make_certificate() : "";
  if (failure.empty()) failure = server->start_store();
  if (failure.empty()) failure = server->start_front();
  if (!failure.empty()) {
    *error = failure;
    return nullptr;
  }
  return server;
}

std::string S3Server::start_store() {
  const std::string data = folder_->file("data");
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    store_port_ = free_loopback_port();
    ChildProcessOptions options;
    options.argv = {
        CELLAR_S3RVER_BIN,           "--directory", data, "--address", "127.0.0.1", "--port",
        std::to_string(store_port_), "--silent"};
    options.stdout_path = folder_->file("s3rver.out");
    options.stderr_path = folder_->file("s3rver.err");
    std::string error;
    store_ = ChildProcess::spawn(options, &error);
    if (!store_) return "cannot start s3rver (" CELLAR_S3RVER_BIN "): " + error;
    const Clock::time_point deadline = Clock::now() + std::chrono::seconds{30};
    while (Clock::now() < deadline && store_->running()) {
      if (accepts_loopback_connections(store_port_)) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    last_error = "s3rver did not start: " + read_file(folder_->file("s3rver.err"));
    store_.reset();
  }
  return last_error;
}

std::string S3Server::make_certificate() {
  CommandResult made =
      run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                   "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                   folder_->file("key.pem"), "-out", folder_->file("cert.pem")},
                  {}, std::chrono::seconds{60});
  return made.exit_code == 0 ? "" : "cannot make a certificate: " + made.describe();
}

std::string S3Server::start_front() {
  ChildProcessOptions options;
  // Debian's python3, which has Debian's botocore; a python3 earlier on the PATH may not.
  options.argv = {"/usr/bin/python3", CELLAR_S3_VERIFY_PROXY,
                  "--upstream",       "127.0.0.1:" + std::to_string(store_port_),
                  "--data-dir",       folder_->file("data")};
  if (tls_) {
    for (const std::string& arg : {std::string("--tls-cert"), folder_->file("cert.pem"),
                                   std::string("--tls-key"), folder_->file("key.pem")}) {
      options.argv.push_back(arg);
    }
  }
  options.env = {"S3_VERIFY_ACCESS_KEY_ID=" + access_key_id_,
                 "S3_VERIFY_SECRET_ACCESS_KEY=" + secret_access_key_, "PYTHONUNBUFFERED=1"};
  options.pipe_stdout = true;
  options.stderr_path = folder_->file("front.log");
  std::string error;
  front_ = ChildProcess::spawn(options, &error);
  if (!front_) return "cannot start the verifying front: " + error;
  std::optional<std::string> line = front_->read_stdout_line(std::chrono::seconds{30});
  if (!line || line->rfind("ready ", 0) != 0) {
    return "the verifying front did not start: " + read_file(folder_->file("front.log"));
  }
  front_port_ = std::stoi(line->substr(6));
  return "";
}

S3Server::~S3Server() {
  if (front_) front_->terminate();
  if (store_) store_->terminate();
}

std::string S3Server::endpoint() const {
  return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(front_port_);
}

std::string S3Server::ca_file() const {
  return tls_ ? folder_->file("cert.pem") : "";
}

std::vector<std::string> S3Server::credentials_env() const {
  return {"AWS_ACCESS_KEY_ID=" + access_key_id_, "AWS_SECRET_ACCESS_KEY=" + secret_access_key_};
}

CommandResult S3Server::s3api(const std::vector<std::string>& args) const {
  // env -u: a profile or session token in the test's own environment must not reach the CLI.
  std::vector<std::string> argv = {"/usr/bin/env",      "-u",           "AWS_PROFILE", "-u",
                                   "AWS_SESSION_TOKEN", CELLAR_AWS_CLI, "s3api"};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const char* extra : {"--endpoint-url", "", "--output", "json"}) argv.push_back(extra);
  argv[argv.size() - 3] = endpoint();
  if (tls_) {
    argv.push_back("--ca-bundle");
    argv.push_back(ca_file());
  }
  std::vector<std::string> env = credentials_env();
  // Nothing from the machine's own AWS configuration may change what the CLI does.
  for (const char* setting :
       {"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
        "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true"}) {
    env.push_back(setting);
  }
  return run_command(argv, env, std::chrono::seconds{120});
}

void S3Server::create_bucket(const std::string& name) const {
  CommandResult result = s3api({"create-bucket", "--bucket", name});
  if (result.exit_code != 0) ADD_FAILURE() << "create-bucket " << name << ": " << result.describe();
}

std::string S3Server::front_log() const {
  return read_file(folder_->file("front.log"));
}

}  // namespace cellar::testing
