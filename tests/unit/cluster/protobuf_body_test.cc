// Kubernetes' protobuf envelope decoded into the JSON kube-apiserver would have read.
#include "tests/cluster/protobuf_body.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

// Protobuf's wire format, enough to write the messages a client sends.
std::string varint(uint64_t v) {
  std::string out;
  do {
    unsigned char byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (v);
  return out;
}
std::string bytes_field(int number, const std::string& value) {
  return varint(static_cast<uint64_t>(number) << 3 | 2) + varint(value.size()) + value;
}
std::string varint_field(int number, uint64_t value) {
  return varint(static_cast<uint64_t>(number) << 3) + varint(value);
}
std::string map_entry(int number, const std::string& key, const std::string& value) {
  return bytes_field(number, bytes_field(1, key) + bytes_field(2, value));
}
std::string envelope(const std::string& api_version, const std::string& kind,
                     const std::string& raw) {
  return std::string("k8s\0", 4) +
         bytes_field(1, bytes_field(1, api_version) + bytes_field(2, kind)) + bytes_field(2, raw) +
         bytes_field(3, "") + bytes_field(4, "");
}

// As gogo-protobuf writes an ObjectMeta: every string, even empty, and a zero creationTimestamp.
std::string object_meta(const std::string& name, const std::string& ns) {
  return bytes_field(1, name) + bytes_field(2, "") + bytes_field(3, ns) + bytes_field(4, "") +
         bytes_field(5, "") + bytes_field(6, "") + varint_field(7, 0) + bytes_field(8, "") +
         map_entry(11, "owner", "helm");
}

TEST(ProtobufBodyTest, DecodesASecretAsHelmSendsIt) {
  const std::string raw = bytes_field(1, object_meta("sh.helm.release.v1.cellar.v1", "cellar")) +
                          map_entry(2, "release", std::string("\x01\x00\xff", 3)) +
                          bytes_field(3, "helm.sh/release.v1");
  std::string error;
  auto secret = decode_protobuf_object(envelope("v1", "Secret", raw), &error);
  ASSERT_TRUE(secret) << error;
  EXPECT_EQ(*secret, json::parse(R"({
      "apiVersion": "v1", "kind": "Secret",
      "metadata": {"name": "sh.helm.release.v1.cellar.v1", "namespace": "cellar",
                   "labels": {"owner": "helm"}},
      "data": {"release": "AQD/"}, "type": "helm.sh/release.v1"})"));
}

TEST(ProtobufBodyTest, DecodesDeleteOptions) {
  const std::string raw = bytes_field(2, bytes_field(1, "u-1")) + bytes_field(4, "Background");
  auto options = decode_protobuf_object(envelope("meta.k8s.io/v1", "DeleteOptions", raw), nullptr);
  ASSERT_TRUE(options);
  EXPECT_EQ((*options)["preconditions"]["uid"], "u-1");
  EXPECT_EQ((*options)["propagationPolicy"], "Background");
}

TEST(ProtobufBodyTest, RefusesOtherKindsAndCutBodiesByName) {
  std::string error;
  EXPECT_FALSE(decode_protobuf_object(envelope("apps/v1", "Deployment", ""), &error));
  EXPECT_EQ(error, "protobuf bodies of apps/v1 Deployment");
  const std::string cut = envelope("v1", "Secret", bytes_field(1, object_meta("a", "b")));
  EXPECT_FALSE(decode_protobuf_object(cut.substr(0, cut.size() - 12), &error));
  EXPECT_FALSE(decode_protobuf_object("{}", &error));
}

}  // namespace
}  // namespace cellar::testcluster
