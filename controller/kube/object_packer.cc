#include "controller/kube/object_packer.h"

#include <zlib.h>

namespace cellar::kube {

namespace {

using json = nlohmann::json;

// A window of 8 KiB holds the dictionary and the object being packed (projected objects are a
// few KiB at most); a larger one would only make each thread's streams bigger. What does not fit
// still packs, just less tightly.
constexpr int kWindowBits = 13;
constexpr int kMemLevel = 6;
constexpr size_t kMaxDictionary = 4096;

// One deflate and one inflate stream per thread, reset for each object: setting a stream up
// costs tens of kilobytes of allocation, far more than packing one object.
struct Streams {
  z_stream deflater{};
  z_stream inflater{};
  bool deflater_ready = false;
  bool inflater_ready = false;
  ~Streams() {
    if (deflater_ready) deflateEnd(&deflater);
    if (inflater_ready) inflateEnd(&inflater);
  }
};

Streams& streams() {
  thread_local Streams s;
  return s;
}

const Bytef* bytes(std::string_view s) {
  return reinterpret_cast<const Bytef*>(s.data());
}

}  // namespace

ObjectPacker::ObjectPacker(std::vector<json::json_pointer> drop) : drop_(std::move(drop)) {
  drop_.push_back("/metadata/managedFields"_json_pointer);
}

std::string ObjectPacker::pack(const json& object) {
  json kept = object;
  for (const auto& pointer : drop_) {
    if (!kept.contains(pointer)) continue;
    json& parent = kept[pointer.parent_pointer()];
    if (parent.is_object()) parent.erase(pointer.back());
  }
  std::vector<uint8_t> message = json::to_msgpack(kept);
  const std::string_view plain(reinterpret_cast<const char*>(message.data()), message.size());
  std::call_once(dictionary_once_,
                 [&] { dictionary_ = std::string(plain.substr(0, kMaxDictionary)); });

  Streams& s = streams();
  if (!s.deflater_ready) {
    if (deflateInit2(&s.deflater, 1, Z_DEFLATED, -kWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      throw std::bad_alloc();
    }
    s.deflater_ready = true;
  } else {
    deflateReset(&s.deflater);
  }
  deflateSetDictionary(&s.deflater, bytes(dictionary_), static_cast<uInt>(dictionary_.size()));
  std::string out(deflateBound(&s.deflater, static_cast<uLong>(plain.size())), '\0');
  s.deflater.next_in = const_cast<Bytef*>(bytes(plain));
  s.deflater.avail_in = static_cast<uInt>(plain.size());
  s.deflater.next_out = reinterpret_cast<Bytef*>(out.data());
  s.deflater.avail_out = static_cast<uInt>(out.size());
  deflate(&s.deflater, Z_FINISH);  // deflateBound makes room for all of it in one call
  out.resize(out.size() - s.deflater.avail_out);  // the cache copies it into a block of its own
  return out;
}

std::optional<json> ObjectPacker::unpack(std::string_view packed) const {
  Streams& s = streams();
  if (!s.inflater_ready) {
    if (inflateInit2(&s.inflater, -kWindowBits) != Z_OK) throw std::bad_alloc();
    s.inflater_ready = true;
  } else {
    inflateReset(&s.inflater);
  }
  // A raw stream takes its dictionary before the first byte.
  inflateSetDictionary(&s.inflater, bytes(dictionary_), static_cast<uInt>(dictionary_.size()));
  std::vector<uint8_t> plain(packed.size() * 8 + 256);
  s.inflater.next_in = const_cast<Bytef*>(bytes(packed));
  s.inflater.avail_in = static_cast<uInt>(packed.size());
  size_t produced = 0;
  for (;;) {
    s.inflater.next_out = plain.data() + produced;
    s.inflater.avail_out = static_cast<uInt>(plain.size() - produced);
    const int rc = inflate(&s.inflater, Z_NO_FLUSH);
    produced = plain.size() - s.inflater.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return std::nullopt;
    if (s.inflater.avail_out != 0) return std::nullopt;  // input ended before the stream did
    plain.resize(plain.size() * 2);
  }
  plain.resize(produced);
  json object = json::from_msgpack(plain, true, false);
  if (object.is_discarded()) return std::nullopt;
  return object;
}

}  // namespace cellar::kube
