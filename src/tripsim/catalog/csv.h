// Reading the operator's CSV files (the catalog, the eSIM inventory). Internal to catalog.
//
//   TRIPSIM_ASSIGN_OR_RETURN(t, CsvTable::Parse(text, {"iccid", "provider"}, "inventory"));
//   const size_t iccid = t.column("iccid");
//   for (const CsvTable::Row& r : t.rows()) use(r.line, r.fields[iccid]);
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/status.h"

namespace tripsim::catalog {

// `text` without a leading UTF-8 byte-order mark, which spreadsheet programs and some editors
// write at the start of a file.
std::string_view WithoutByteOrderMark(std::string_view text);

class CsvTable {
 public:
  struct Row {
    size_t line;                      // its line in the file, the header being line 1
    std::vector<std::string> fields;  // one per column of the header ("" past a short line's end)
  };

  // Reads `text`: an optional UTF-8 byte-order mark, a header line, then a row per line, LF or
  // CRLF, RFC 4180 quoting (no line break inside a field); blank lines are skipped.
  // kInvalidArgument when the text is empty or the header lacks one of the `required` columns;
  // `what` names the file in the message ("inventory CSV ...").
  static Result<CsvTable> Parse(std::string_view text,
                                std::initializer_list<std::string_view> required,
                                std::string_view what);

  const std::vector<Row>& rows() const { return rows_; }

  // The position of a column that Parse was told is required.
  size_t column(std::string_view name) const;

 private:
  std::vector<std::string> header_;
  std::vector<Row> rows_;
};

}  // namespace tripsim::catalog
