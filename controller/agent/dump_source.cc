#include "controller/agent/dump_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "controller/agent/s3_connection.h"
#include "controller/s3/curl_s3_client.h"
#include "controller/s3/s3_address.h"

namespace cellar::agent {
namespace {

constexpr size_t kChunkSize = 256 * 1024;

std::string does_not_exist(const std::string& location) {
  return "the dump " + location + " does not exist";
}

}  // namespace

std::string FileSource::read(const s3::ByteSink& sink) {
  int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return does_not_exist(path_);
    return "cannot open " + path_ + ": " + std::strerror(errno);
  }
  auto buffer = std::make_unique<char[]>(kChunkSize);
  std::string error;
  for (;;) {
    ssize_t n = ::read(fd, buffer.get(), kChunkSize);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "cannot read " + path_ + ": " + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    if (!sink(buffer.get(), static_cast<size_t>(n))) {
      error = kReadStopped;
      break;
    }
  }
  close(fd);
  return error;
}

S3Source::S3Source(std::unique_ptr<s3::S3Client> client, std::string bucket, std::string key)
    : client_(std::move(client)), bucket_(std::move(bucket)), key_(std::move(key)) {}

std::string S3Source::location() const {
  return s3::s3_location(bucket_, key_);
}

std::string S3Source::read(const s3::ByteSink& sink) {
  bool stopped = false;
  s3::ByteSink counted = [&](const char* data, size_t size) {
    if (sink(data, size)) return true;
    stopped = true;
    return false;
  };
  s3::Result<s3::Done> got = client_->get_object(bucket_, key_, counted);
  if (stopped) return kReadStopped;
  if (const s3::S3Error* error = s3::error_of(got)) {
    if (error->kind == s3::S3Error::Kind::kService &&
        (error->code == "NoSuchKey" ||
         (error->http_status == 404 && error->code != "NoSuchBucket"))) {
      return does_not_exist(location());
    }
    return error->describe();
  }
  return "";
}

std::unique_ptr<DumpSource> make_source(const RestoreSettings& settings, const Environment& env,
                                        int cancel_fd) {
  if (!settings.s3) return std::make_unique<FileSource>(settings.input);
  s3::S3ClientConfig config = s3_client_config(settings.s3->connection, env);
  config.cancel_fd = cancel_fd;
  return std::make_unique<S3Source>(s3::make_curl_s3_client(config), settings.s3->bucket,
                                    settings.s3->key);
}

}  // namespace cellar::agent
