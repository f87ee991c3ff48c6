#include "controller/kube/list_reader.h"

#include <string>
#include <utility>
#include <vector>

namespace cellar::kube {

namespace {

using json = nlohmann::json;

// A SAX handler that builds documents: the answer without its items, and each item on its own.
class ListSax : public json::json_sax_t {
 public:
  explicit ListSax(const std::function<void(json&&)>& item) : item_(item) {}

  bool null() override { return value(nullptr); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override { return value(std::move(v)); }
  bool binary(binary_t& v) override { return value(json::binary(std::move(v))); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override {
    if (depth_ == 1 && key_ == "items") {
      in_items_ = true;
      ++depth_;
      outer_ = std::exchange(stack_, {});
      return true;
    }
    return open(json::array());
  }
  bool end_object() override { return close(); }
  bool end_array() override {
    if (in_items_ && depth_ == 2) {
      in_items_ = false;
      --depth_;
      stack_ = std::exchange(outer_, {});
      return true;
    }
    return close();
  }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

  json& answer() { return answer_; }

 private:
  // Where a new value goes: into the item being read, or into the answer.
  json* place(json v) {
    json& root = in_items_ ? current_ : answer_;
    if (stack_.empty()) {
      root = std::move(v);
      return &root;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    json& slot = parent[key_];
    slot = std::move(v);
    return &slot;
  }
  bool value(json v) {
    if (in_items_ && stack_.empty()) return true;  // an item that is not an object: no object
    place(std::move(v));
    return true;
  }
  bool open(json container) {
    ++depth_;
    // Pointers into a parent stay valid: nothing else is added to it until this child closes.
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    --depth_;
    stack_.pop_back();
    if (in_items_ && stack_.empty()) {
      item_(std::move(current_));
      current_ = nullptr;
    }
    return true;
  }

  const std::function<void(json&&)>& item_;
  json answer_;
  json current_;
  std::vector<json*> stack_;  // the open containers of the document being built
  std::vector<json*> outer_;  // the answer's, while an item is built
  std::string key_;
  int depth_ = 0;  // in the whole answer
  bool in_items_ = false;
};

}  // namespace

std::optional<json> read_list(std::string_view body, const std::function<void(json&&)>& item) {
  ListSax sax(item);
  if (!json::sax_parse(body, &sax) || !sax.answer().is_object()) return std::nullopt;
  return std::move(sax.answer());
}

}  // namespace cellar::kube
