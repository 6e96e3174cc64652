#include "tripsim/catalog/inventory_file.h"

#include <map>
#include <set>
#include <sstream>

#include "tripsim/base/host_name.h"
#include "tripsim/catalog/csv.h"

namespace tripsim::catalog {
namespace {

bool Printable(const std::string& s, size_t max) {
  if (s.size() > max) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<domain::EsimProfile>> ParseInventoryCsv(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line)) return InvalidArgument("inventory CSV is empty");
  std::vector<std::string> header = SplitCsvLine(line);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  for (const char* required :
       {"iccid", "smdp_address", "matching_id", "confirmation_code", "provider"}) {
    if (!col.contains(required)) {
      return InvalidArgument(std::string("inventory CSV header lacks the column ") + required);
    }
  }
  std::vector<domain::EsimProfile> out;
  std::vector<FieldIssue> issues;
  std::set<std::string> seen;
  size_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> f = SplitCsvLine(line);
    f.resize(header.size());
    domain::EsimProfile p{f[col["iccid"]],       f[col["smdp_address"]],
                          f[col["matching_id"]], f[col["confirmation_code"]],
                          f[col["provider"]],    false};
    std::string where = "row " + std::to_string(row) + " ";
    size_t before = issues.size();
    if (!domain::IsValidIccid(p.iccid)) {
      issues.push_back({where + "iccid", "must be 19-20 digits with a valid Luhn check digit", {}});
    } else if (!seen.insert(p.iccid).second) {
      issues.push_back({where + "iccid", "duplicate ICCID " + p.iccid, {}});
    }
    if (!IsHostName(p.smdp_address))
      issues.push_back({where + "smdp_address", "must be a host name", {}});
    if (p.matching_id.empty() || !Printable(p.matching_id, 255)) {
      issues.push_back({where + "matching_id", "must be 1-255 printable characters", {}});
    }
    if (!Printable(p.confirmation_code, 64)) {
      issues.push_back(
          {where + "confirmation_code", "must be at most 64 printable characters", {}});
    }
    if (p.provider.empty() || !Printable(p.provider, 100)) {
      issues.push_back({where + "provider", "must name the provider", {}});
    }
    if (issues.size() == before) out.push_back(std::move(p));
  }
  if (!issues.empty()) {
    // Built before the call: the order in which arguments are evaluated is unspecified.
    std::string message =
        "inventory rejected, nothing imported (first problem: " + issues.front().field + ": " +
        issues.front().issue + ")";
    return InvalidArgument(std::move(message), std::move(issues));
  }
  return out;
}

}  // namespace tripsim::catalog
