#include "tripsim/catalog/csv.h"

#include <algorithm>

namespace tripsim::catalog {
namespace {

// One line's fields, unquoted.
std::vector<std::string> SplitLine(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// The next line of `text` from `pos`, without its LF or CRLF; advances `pos` past it.
std::string_view NextLine(std::string_view text, size_t& pos) {
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(pos, end - pos);
  pos = end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view WithoutByteOrderMark(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  return text;
}

Result<CsvTable> CsvTable::Parse(std::string_view text,
                                 std::initializer_list<std::string_view> required,
                                 std::string_view what) {
  text = WithoutByteOrderMark(text);
  size_t pos = 0;
  std::string_view first = NextLine(text, pos);
  if (Trim(first).empty()) return InvalidArgument(std::string(what) + " CSV is empty");
  CsvTable t;
  for (const std::string& name : SplitLine(first)) t.header_.emplace_back(Trim(name));
  for (std::string_view name : required) {
    if (std::find(t.header_.begin(), t.header_.end(), name) == t.header_.end()) {
      return InvalidArgument(std::string(what) + " CSV header lacks the column " +
                             std::string(name));
    }
  }
  for (size_t line = 2; pos < text.size(); ++line) {
    std::string_view l = NextLine(text, pos);
    if (Trim(l).empty()) continue;
    Row row{line, SplitLine(l)};
    row.fields.resize(t.header_.size());
    t.rows_.push_back(std::move(row));
  }
  return t;
}

size_t CsvTable::column(std::string_view name) const {
  return static_cast<size_t>(std::find(header_.begin(), header_.end(), name) - header_.begin());
}

}  // namespace tripsim::catalog
