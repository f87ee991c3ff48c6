#include "controller/s3/xml_text.h"

#include <cstdlib>

namespace cellar::s3 {
namespace {

void append_utf8(std::string* out, unsigned long code) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// Finds the next <tag> or <tag ...> (not <tagger>) from `from`; npos when none.
size_t find_open(const std::string& xml, const std::string& tag, size_t from, size_t* content) {
  const std::string open = "<" + tag;
  for (size_t at = xml.find(open, from); at != std::string::npos; at = xml.find(open, at + 1)) {
    size_t after = at + open.size();
    if (after >= xml.size()) return std::string::npos;
    char c = xml[after];
    if (c != '>' && c != ' ' && c != '/') continue;
    size_t end = xml.find('>', after);
    if (end == std::string::npos) return std::string::npos;
    *content = end + 1;
    if (xml[end - 1] == '/') *content = std::string::npos;  // <tag/>: empty
    return at;
  }
  return std::string::npos;
}

}  // namespace

std::string xml_unescape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    size_t end = text.find(';', i);
    if (end == std::string::npos) {
      out.push_back('&');
      continue;
    }
    std::string name = text.substr(i + 1, end - i - 1);
    if (name == "lt") {
      out.push_back('<');
    } else if (name == "gt") {
      out.push_back('>');
    } else if (name == "amp") {
      out.push_back('&');
    } else if (name == "quot") {
      out.push_back('"');
    } else if (name == "apos") {
      out.push_back('\'');
    } else if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      unsigned long code = std::strtoul(name.c_str() + (hex ? 2 : 1), nullptr, hex ? 16 : 10);
      append_utf8(&out, code);
    } else {
      out.append(text, i, end - i + 1);
    }
    i = end;
  }
  return out;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> element_blocks(const std::string& xml, const std::string& tag) {
  std::vector<std::string> blocks;
  const std::string close = "</" + tag + ">";
  size_t from = 0;
  while (true) {
    size_t content = 0;
    size_t at = find_open(xml, tag, from, &content);
    if (at == std::string::npos) break;
    if (content == std::string::npos) {
      blocks.emplace_back();
      from = at + 1;
      continue;
    }
    size_t end = xml.find(close, content);
    if (end == std::string::npos) break;
    blocks.push_back(xml.substr(content, end - content));
    from = end + close.size();
  }
  return blocks;
}

std::optional<std::string> element_text(const std::string& xml, const std::string& tag) {
  std::vector<std::string> blocks = element_blocks(xml, tag);
  if (blocks.empty()) return std::nullopt;
  return xml_unescape(blocks.front());
}

}  // namespace cellar::s3
