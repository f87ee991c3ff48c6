#include "controller/agent/s3_connection.h"

namespace cellar::agent {

namespace {

std::string env_value(const Environment& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

}  // namespace

s3::S3ClientConfig s3_client_config(const S3Connection& connection, const Environment& env) {
  s3::S3ClientConfig config;
  config.endpoint = {connection.endpoint, connection.region, connection.force_path_style};
  config.credentials = {env_value(env, "AWS_ACCESS_KEY_ID"),
                        env_value(env, "AWS_SECRET_ACCESS_KEY"),
                        env_value(env, "AWS_SESSION_TOKEN")};
  config.ca_file = connection.ca_file;
  return config;
}

}  // namespace cellar::agent
