#include "tripsim/catalog/inventory_file.h"

#include <set>

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
  TRIPSIM_ASSIGN_OR_RETURN(
      table, CsvTable::Parse(
                 text, {"iccid", "smdp_address", "matching_id", "confirmation_code", "provider"},
                 "inventory"));
  const size_t iccid = table.column("iccid"), smdp = table.column("smdp_address"),
               matching = table.column("matching_id"),
               confirmation = table.column("confirmation_code"),
               provider = table.column("provider");
  std::vector<domain::EsimProfile> out;
  std::vector<FieldIssue> issues;
  std::set<std::string> seen;
  for (const CsvTable::Row& row : table.rows()) {
    const std::vector<std::string>& f = row.fields;
    domain::EsimProfile p{f[iccid], f[smdp], f[matching], f[confirmation], f[provider], false};
    std::string where = "row " + std::to_string(row.line) + " ";
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
