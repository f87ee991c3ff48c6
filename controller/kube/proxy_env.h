// Which HTTP proxy a connection to a server outside the cluster (a webhook receiver) goes through,
// chosen from the environment as Go's net/http chooses it, so a cluster's egress proxy settings
// mean the same to Cellar as to kubectl and client-go: HTTPS_PROXY for https URLs, HTTP_PROXY for
// http ones (upper case first, then lower case), never for localhost or a loopback address, and
// not for hosts NO_PROXY names. Pure but for proxy_env_from_environment().
#pragma once

#include <string>

namespace cellar::kube {

struct ProxyEnv {
  std::string http_proxy;
  std::string https_proxy;
  std::string no_proxy;
};

ProxyEnv proxy_env_from_environment();

// The proxy's URL for a request to `scheme`://`host`:`port` ("http://proxy.corp:3128"; a proxy
// given without a scheme is taken as http://, as Go does), or empty for a direct connection.
// NO_PROXY is a comma-separated list of: "*" (no proxy at all); IP addresses and CIDR ranges;
// domains, "example.com" matching it and its subdomains, ".example.com" and "*.example.com" only
// its subdomains; each optionally with ":port". `host` may be an IPv6 literal in brackets.
std::string proxy_for(const std::string& scheme, const std::string& host, int port,
                      const ProxyEnv& env);

}  // namespace cellar::kube
