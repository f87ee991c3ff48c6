// Packs the objects a cache keeps into a few bytes each, and unpacks them when read.
//
// A controller's caches hold thousands of objects of one kind that differ in a few fields (a
// name, a uid, times, a checksum): 10,000 Completed Backups are 10,000 near copies of one
// document. Held as structs they cost about 3 KB each; packed, about 150 bytes. A packed object
// is the object's JSON, without the fields no reader needs, as MessagePack, deflated (zlib, raw)
// against a dictionary: the first object the packer saw. What repeats from that first object
// costs a few bits; what is new costs what it must.
//
// Contract:
// - unpack(pack(o)) equals o without the dropped fields and metadata.managedFields.
// - The dictionary is fixed by the first pack() and never changes, so every packed string of a
//   packer stays readable for the packer's life; a packed string is only for the packer that made
//   it.
// - pack() and unpack() may be called from any thread (each thread keeps its own zlib streams).
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::kube {

class ObjectPacker {
 public:
  // `drop`: JSON pointers to fields no reader of the cache needs (e.g. "/spec" of a Job whose
  // cache reads only metadata and status). metadata.managedFields is always dropped.
  explicit ObjectPacker(std::vector<nlohmann::json::json_pointer> drop = {});
  ObjectPacker(const ObjectPacker&) = delete;
  ObjectPacker& operator=(const ObjectPacker&) = delete;

  std::string pack(const nlohmann::json& object);
  // nullopt only for bytes this packer did not make (or memory gone bad).
  std::optional<nlohmann::json> unpack(std::string_view packed) const;

 private:
  std::vector<nlohmann::json::json_pointer> drop_;
  std::once_flag dictionary_once_;
  // Set once, under dictionary_once_, before any packed string exists; read-only after.
  std::string dictionary_;
};

}  // namespace cellar::kube
