// A DumpSink that encrypts: pg_dump's bytes go through age, to the Backup's recipients, and what
// age writes goes on to the storage sink. Nothing unencrypted reaches the storage, and nothing
// touches a disk on the way: pipes only.
#pragma once

#include <string>
#include <vector>

#include "controller/agent/age_process.h"
#include "controller/agent/dump_sink.h"

namespace cellar::agent {

// age --encrypt with one --recipient per key; reads stdin, writes the age file to stdout.
std::vector<std::string> age_encrypt_arguments(const std::string& program,
                                               const std::vector<std::string>& recipients);

class EncryptingSink : public DumpSink {
 public:
  // `next` receives the encrypted bytes and must outlive this sink.
  EncryptingSink(std::vector<std::string> age_argv, DumpSink& next, int cancel_fd);

  std::string open() override;
  std::string write(const char* data, size_t size) override;
  // Ends age's input, passes its last bytes on, then commits `next` only if age succeeded.
  std::string commit() override;
  std::string discard() override;
  std::string location() const override { return next_.location(); }

 private:
  std::string forward(const char* data, size_t size) { return next_.write(data, size); }

  std::vector<std::string> argv_;
  DumpSink& next_;
  AgeProcess age_;
  AgeOutput to_next_;
};

}  // namespace cellar::agent
