// A real S3-compatible server for tests: s3rver (from the npm registry, installed by
// scripts/install-deps.sh) keeping objects in a private temp folder, behind
// s3_verify_proxy.py, a front that checks every request's SigV4 signature with botocore and fills
// in the multipart calls s3rver lacks (see that file). Both listen on 127.0.0.1 at free ports;
// both stop, and the folder goes, when the object goes away. The AWS CLI (/usr/bin/aws, Debian's,
// not whatever else is on the PATH) reads back what was stored, through the same front.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace cellar::testing {

class S3Server {
 public:
  // nullptr with `*error` set when either process cannot be started. With `tls`, the front
  // serves HTTPS with a certificate for 127.0.0.1 made for it (see ca_file()).
  static std::unique_ptr<S3Server> start(std::string* error, bool tls = false);
  ~S3Server();
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  // The verifying front: http[s]://127.0.0.1:PORT (path-style addressing).
  std::string endpoint() const;
  // With tls: the PEM file that verifies the front's certificate (self-signed); else empty.
  std::string ca_file() const;
  const std::string& access_key_id() const { return access_key_id_; }
  const std::string& secret_access_key() const { return secret_access_key_; }
  // AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=... for a client.
  std::vector<std::string> credentials_env() const;

  // Runs `aws s3api <args> --endpoint-url <front> --output json` with the credentials.
  CommandResult s3api(const std::vector<std::string>& args) const;
  // Makes a bucket through the front; a failure fails the current test.
  void create_bucket(const std::string& name) const;
  // What the front has logged so far: one line a request ("PUT /b/k?partNumber=1... 200").
  std::string front_log() const;

 private:
  S3Server() = default;
  std::string start_store();
  std::string start_front();
  std::string make_certificate();

  std::unique_ptr<TempDir> folder_;
  std::unique_ptr<ChildProcess> store_;
  std::unique_ptr<ChildProcess> front_;
  int store_port_ = 0;
  int front_port_ = 0;
  bool tls_ = false;
  std::string access_key_id_ = "AKIDCELLARTEST";
  std::string secret_access_key_;
};

}  // namespace cellar::testing
