// Just enough XML for S3's answers, which are flat and machine-written: the text of named
// elements, with the five predefined entities and numeric references decoded. Not a general
// parser: no attributes, no CDATA, no namespaces beyond ignoring them in the element name.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cellar::s3 {

// The text of the first <tag>...</tag> in `xml`, decoded; nullopt when there is none.
std::optional<std::string> element_text(const std::string& xml, const std::string& tag);

// The raw (still encoded) content of every <tag>...</tag>, in order; for repeated blocks such as
// <Upload> or <Contents>, to read each with element_text.
std::vector<std::string> element_blocks(const std::string& xml, const std::string& tag);

// `text` with &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN; decoded.
std::string xml_unescape(const std::string& text);

// `text` made safe to put between tags.
std::string xml_escape(const std::string& text);

}  // namespace cellar::s3
