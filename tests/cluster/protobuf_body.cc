#include "tests/cluster/protobuf_body.h"

#include <cstdint>
#include <ctime>
#include <map>
#include <utility>

#include "tests/cluster/admission.h"

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

constexpr char kMagic[] = {'k', '8', 's', '\0'};

// One field of a message: protobuf's wire format, read from a byte range.
struct Field {
  uint32_t number = 0;
  uint64_t varint = 0;  // wire type 0
  std::string bytes;    // wire type 2
};

class Reader {
 public:
  explicit Reader(std::string data) : data_(std::move(data)) {}

  bool done() const { return pos_ >= data_.size(); }

  // The next field; false at a malformed or truncated one (or a group, which Kubernetes never
  // uses). Fixed-width fields are skipped over.
  bool next(Field& field, int& wire_type) {
    uint64_t tag = 0;
    if (!varint(tag)) return false;
    field = Field{};
    field.number = static_cast<uint32_t>(tag >> 3);
    wire_type = static_cast<int>(tag & 7);
    switch (wire_type) {
      case 0:
        return varint(field.varint);
      case 1:
        return skip(8);
      case 2: {
        uint64_t size = 0;
        if (!varint(size) || size > data_.size() - pos_) return false;
        field.bytes = data_.substr(pos_, size);
        pos_ += size;
        return true;
      }
      case 5:
        return skip(4);
      default:
        return false;
    }
  }

 private:
  bool varint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool skip(size_t n) {
    if (n > data_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

  std::string data_;
  size_t pos_ = 0;
};

// How a field of a message becomes JSON.
enum class Kind {
  kString,
  kBytes,  // base64, as JSON carries []byte
  kInt,
  kBool,
  kTime,       // metav1.Time: seconds and nanos, as RFC 3339
  kStringMap,  // map<string, string>
  kBytesMap,   // map<string, bytes>
  kStrings,    // repeated string
  kMessage,    // nested, by its own table
  kMessages,   // repeated nested
};

struct FieldRule {
  std::string name;
  Kind kind = Kind::kString;
  const std::map<uint32_t, FieldRule>* message = nullptr;
};
using Message = std::map<uint32_t, FieldRule>;

// The tables follow k8s.io/api's and apimachinery's generated.proto field numbers.
const Message kOwnerReference = {{1, {"kind"}},
                                 {3, {"name"}},
                                 {4, {"uid"}},
                                 {5, {"apiVersion"}},
                                 {6, {"controller", Kind::kBool}},
                                 {7, {"blockOwnerDeletion", Kind::kBool}}};
const Message kObjectMeta = {{1, {"name"}},
                             {2, {"generateName"}},
                             {3, {"namespace"}},
                             {5, {"uid"}},
                             {6, {"resourceVersion"}},
                             {7, {"generation", Kind::kInt}},
                             {8, {"creationTimestamp", Kind::kTime}},
                             {9, {"deletionTimestamp", Kind::kTime}},
                             {10, {"deletionGracePeriodSeconds", Kind::kInt}},
                             {11, {"labels", Kind::kStringMap}},
                             {12, {"annotations", Kind::kStringMap}},
                             {13, {"ownerReferences", Kind::kMessages, &kOwnerReference}},
                             {14, {"finalizers", Kind::kStrings}}};
const Message kSecret = {{1, {"metadata", Kind::kMessage, &kObjectMeta}},
                         {2, {"data", Kind::kBytesMap}},
                         {3, {"type"}},
                         {4, {"stringData", Kind::kStringMap}},
                         {5, {"immutable", Kind::kBool}}};
const Message kConfigMap = {{1, {"metadata", Kind::kMessage, &kObjectMeta}},
                            {2, {"data", Kind::kStringMap}},
                            {3, {"binaryData", Kind::kBytesMap}},
                            {4, {"immutable", Kind::kBool}}};
const Message kPreconditions = {{1, {"uid"}}, {2, {"resourceVersion"}}};
const Message kDeleteOptions = {{1, {"gracePeriodSeconds", Kind::kInt}},
                                {2, {"preconditions", Kind::kMessage, &kPreconditions}},
                                {3, {"orphanDependents", Kind::kBool}},
                                {4, {"propagationPolicy"}},
                                {5, {"dryRun", Kind::kStrings}}};
const Message kNamespaceSpec = {{1, {"finalizers", Kind::kStrings}}};
const Message kNamespace = {{1, {"metadata", Kind::kMessage, &kObjectMeta}},
                            {2, {"spec", Kind::kMessage, &kNamespaceSpec}}};

std::optional<std::string> rfc3339(const std::string& bytes) {
  Reader r(bytes);
  Field f;
  int wire = 0;
  int64_t seconds = 0;
  while (!r.done()) {
    if (!r.next(f, wire)) return std::nullopt;
    if (f.number == 1 && wire == 0) seconds = static_cast<int64_t>(f.varint);
  }
  // A zero Time is how gogo-protobuf writes an unset one: JSON leaves it out.
  if (seconds == 0) return "";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(text);
}

std::optional<std::pair<std::string, std::string>> map_entry(const std::string& bytes) {
  Reader r(bytes);
  Field f;
  int wire = 0;
  std::pair<std::string, std::string> entry;
  while (!r.done()) {
    if (!r.next(f, wire)) return std::nullopt;
    if (f.number == 1) entry.first = f.bytes;
    if (f.number == 2) entry.second = f.bytes;
  }
  return entry;
}

// gogo-protobuf writes every non-pointer field, empty or zero; JSON's omitempty leaves those out.
bool decode_message(const std::string& bytes, const Message& table, json& out) {
  out = json::object();
  Reader r(bytes);
  Field f;
  int wire = 0;
  while (!r.done()) {
    if (!r.next(f, wire)) return false;
    auto rule = table.find(f.number);
    if (rule == table.end()) continue;  // a field this server does not keep
    const FieldRule& field = rule->second;
    switch (field.kind) {
      case Kind::kString:
        if (!f.bytes.empty()) out[field.name] = f.bytes;
        break;
      case Kind::kBytes:
        out[field.name] = base64_encode(f.bytes);
        break;
      case Kind::kInt:
        if (f.varint != 0) out[field.name] = static_cast<int64_t>(f.varint);
        break;
      case Kind::kBool:
        out[field.name] = f.varint != 0;
        break;
      case Kind::kTime: {
        auto text = rfc3339(f.bytes);
        if (!text) return false;
        if (!text->empty()) out[field.name] = *text;
        break;
      }
      case Kind::kStringMap:
      case Kind::kBytesMap: {
        auto entry = map_entry(f.bytes);
        if (!entry) return false;
        if (!out.contains(field.name)) out[field.name] = json::object();
        out[field.name][entry->first] =
            field.kind == Kind::kBytesMap ? base64_encode(entry->second) : entry->second;
        break;
      }
      case Kind::kStrings:
        out[field.name].push_back(f.bytes);
        break;
      case Kind::kMessage:
      case Kind::kMessages: {
        json nested;
        if (!decode_message(f.bytes, *field.message, nested)) return false;
        if (field.kind == Kind::kMessage) {
          out[field.name] = std::move(nested);
        } else {
          out[field.name].push_back(std::move(nested));
        }
        break;
      }
    }
  }
  return true;
}

}  // namespace

std::optional<json> decode_protobuf_object(const std::string& body, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<json> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (body.size() < sizeof kMagic || body.compare(0, sizeof kMagic, kMagic, sizeof kMagic) != 0) {
    return fail("the body does not start with the protobuf envelope's magic number");
  }
  // runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType.
  Reader r(body.substr(sizeof kMagic));
  std::string api_version;
  std::string kind;
  std::string raw;
  Field f;
  int wire = 0;
  while (!r.done()) {
    if (!r.next(f, wire)) return fail("the protobuf envelope is malformed");
    if (f.number == 1) {
      Reader type_meta(f.bytes);
      Field t;
      while (!type_meta.done()) {
        if (!type_meta.next(t, wire)) return fail("the protobuf envelope is malformed");
        if (t.number == 1) api_version = t.bytes;
        if (t.number == 2) kind = t.bytes;
      }
    } else if (f.number == 2) {
      raw = f.bytes;
    } else if (f.number == 3 && !f.bytes.empty()) {
      return fail("protobuf content encoding " + f.bytes + " is not supported");
    }
  }
  static const std::map<std::string, const Message*> kKinds = {
      {"v1/Secret", &kSecret},
      {"v1/ConfigMap", &kConfigMap},
      {"v1/Namespace", &kNamespace},
      {"meta.k8s.io/v1/DeleteOptions", &kDeleteOptions},
      {"v1/DeleteOptions", &kDeleteOptions}};
  auto table = kKinds.find(api_version + "/" + kind);
  if (table == kKinds.end()) return fail("protobuf bodies of " + api_version + " " + kind);
  json object;
  if (!decode_message(raw, *table->second, object)) {
    return fail("the protobuf " + kind + " is malformed");
  }
  object["apiVersion"] = api_version;
  object["kind"] = kind;
  return object;
}

}  // namespace cellar::testcluster
