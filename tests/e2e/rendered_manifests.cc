#include "tests/e2e/rendered_manifests.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/cluster/apply_body.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tool_path.h"

namespace cellar::testing {

using json = nlohmann::json;

CommandResult helm_template(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      helm_path(), "template", "cellar", CELLAR_SOURCE_DIR "/charts/cellar", "-n", "cellar-system"};
  argv.insert(argv.end(), args.begin(), args.end());
  // helm keeps its caches and settings under HOME; a scratch one keeps the tests apart.
  TempDir home("cellar-helm-home");
  return run_command(argv, {"HOME=" + home.path()});
}

CommandResult kustomize_manifests() {
  TempDir home("cellar-kubectl-home");
  return run_command({kubectl_path(), "kustomize", CELLAR_SOURCE_DIR "/manifests"},
                     {"HOME=" + home.path()});
}

std::vector<json> yaml_documents(const std::string& text) {
  std::vector<json> documents;
  std::istringstream in(text);
  std::string current;
  auto flush = [&] {
    std::string error;
    auto document = testcluster::decode_apply_body(current, &error);
    if (!document) {
      ADD_FAILURE() << "not YAML (" << error << "):\n" << current;
    } else if (document->is_object() && !document->empty()) {
      documents.push_back(std::move(*document));
    }
    current.clear();
  };
  for (std::string line; std::getline(in, line);) {
    if (line == "---") {
      flush();
    } else {
      current += line + "\n";
    }
  }
  flush();
  return documents;
}

json find_object(const std::vector<json>& documents, const std::string& kind,
                 const std::string& name) {
  for (const auto& d : documents) {
    if (d.value("kind", "") != kind) continue;
    if (name.empty() || d["metadata"].value("name", "") == name) return d;
  }
  return nullptr;
}

std::vector<std::string> kinds_of(const std::vector<json>& documents) {
  std::vector<std::string> kinds;
  for (const auto& d : documents) kinds.push_back(d.value("kind", ""));
  return kinds;
}

std::string json_diff(const json& a, const std::string& a_label, const json& b,
                      const std::string& b_label) {
  if (a == b) return "";
  TempDir dir("cellar-json-diff");
  const std::string a_path = dir.path() + "/" + a_label;
  const std::string b_path = dir.path() + "/" + b_label;
  std::ofstream(a_path) << a.dump(2) << "\n";
  std::ofstream(b_path) << b.dump(2) << "\n";
  CommandResult diff =
      run_command({"diff", "-u", "--label", a_label, "--label", b_label, a_path, b_path});
  return diff.out.empty() ? "(differs, but diff printed nothing)" : diff.out;
}

}  // namespace cellar::testing
