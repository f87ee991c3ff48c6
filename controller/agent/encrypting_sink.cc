#include "controller/agent/encrypting_sink.h"

namespace cellar::agent {

std::vector<std::string> age_encrypt_arguments(const std::string& program,
                                               const std::vector<std::string>& recipients) {
  std::vector<std::string> args = {program, "--encrypt"};
  for (const std::string& recipient : recipients) {
    args.push_back("--recipient");
    args.push_back(recipient);
  }
  return args;
}

EncryptingSink::EncryptingSink(std::vector<std::string> age_argv, DumpSink& next, int cancel_fd)
    : argv_(std::move(age_argv)),
      next_(next),
      age_(cancel_fd),
      to_next_([this](const char* data, size_t size) { return forward(data, size); }) {}

std::string EncryptingSink::open() {
  if (std::string error = next_.open(); !error.empty()) return error;
  // age needs no environment: the database password and the storage's credentials stay out of
  // its reach.
  return age_.start(argv_, {});
}

std::string EncryptingSink::write(const char* data, size_t size) {
  return age_.write(data, size, to_next_);
}

std::string EncryptingSink::commit() {
  if (std::string error = age_.finish(to_next_); !error.empty()) return error;
  return next_.commit();
}

std::string EncryptingSink::discard() {
  age_.kill();
  return next_.discard();
}

}  // namespace cellar::agent
