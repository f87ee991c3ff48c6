// The S3 client the agent's commands use: the connection its flags describe, and the credentials
// read from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the only
// place they ever come from. One function for dump and delete alike.
#pragma once

#include "controller/agent/agent_options.h"
#include "controller/s3/curl_s3_client.h"

namespace cellar::agent {

s3::S3ClientConfig s3_client_config(const S3Connection& connection, const Environment& env);

}  // namespace cellar::agent
