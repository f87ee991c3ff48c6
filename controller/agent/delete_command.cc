#include "controller/agent/delete_command.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "controller/agent/dump_runner.h"
#include "controller/agent/exit_codes.h"
#include "controller/agent/s3_connection.h"
#include "controller/agent/termination_message.h"
#include "controller/s3/curl_s3_client.h"
#include "controller/s3/s3_address.h"

namespace cellar::agent {
namespace {

std::string remove_file(const std::string& path) {
  if (unlink(path.c_str()) == 0 || errno == ENOENT) return "";
  return "cannot remove " + path + ": " + std::strerror(errno);
}

// Makes the removal survive a crash; a folder that is gone has nothing left to sync.
void sync_folder_of(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  int fd = open(folder.empty() ? "/" : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

}  // namespace

std::string delete_dump(const std::string& location) {
  std::string error = remove_file(location);
  if (error.empty()) error = remove_file(partial_path(location));
  sync_folder_of(location);
  return error;
}

std::string delete_s3_dump(s3::S3Client& client, const std::string& location) {
  std::optional<s3::S3Location> parsed = s3::parse_s3_location(location);
  if (!parsed) return "not an S3 location: " + location;
  s3::Result<s3::Done> deleted = client.delete_object(parsed->bucket, parsed->key);
  if (const s3::S3Error* error = s3::error_of(deleted)) return error->describe();
  // A dump whose agent was killed outright (no SIGTERM) may have left parts behind, which S3
  // keeps and bills until aborted; this is the object store's `.partial`.
  auto uploads = client.list_multipart_uploads(parsed->bucket, parsed->key);
  if (const s3::S3Error* error = s3::error_of(uploads)) {
    spdlog::warn("cannot list incomplete uploads of {}: {}", location, error->describe());
    return "";
  }
  for (const s3::MultipartUploadInfo& upload :
       std::get<std::vector<s3::MultipartUploadInfo>>(uploads)) {
    if (upload.key != parsed->key) continue;
    auto aborted = client.abort_multipart_upload(parsed->bucket, upload.key, upload.upload_id);
    if (const s3::S3Error* error = s3::error_of(aborted)) {
      if (error->code != "NoSuchUpload") return error->describe();
    }
  }
  return "";
}

namespace {

std::string delete_at(const DeleteSettings& settings, const Environment& env) {
  if (!s3::parse_s3_location(settings.location)) return delete_dump(settings.location);
  std::unique_ptr<s3::S3Client> client =
      s3::make_curl_s3_client(s3_client_config(settings.s3, env));
  return delete_s3_dump(*client, settings.location);
}

}  // namespace

int run_delete_command(const DeleteSettings& settings, const Environment& env) {
  std::string error = delete_at(settings, env);
  std::string message;
  if (error.empty()) {
    spdlog::info("deleted {}", settings.location);
    message = deleted_message(settings.location);
  } else {
    spdlog::error("delete of {} failed: {}", settings.location, error);
    message = failure_message(DumpFailure{error, "", std::nullopt, std::nullopt});
  }
  std::string write_error = write_termination_message(settings.termination_message_path, message);
  if (!write_error.empty()) spdlog::warn("cannot leave the termination message: {}", write_error);
  return error.empty() ? kExitSuccess : kExitFailure;
}

}  // namespace cellar::agent
