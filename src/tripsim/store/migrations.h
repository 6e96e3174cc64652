// The versioned schema, one list for every SQL dialect. Version N is applied once, in order,
// in the same transaction that records it in schema_migrations.
#pragma once

#include <span>
#include <string_view>

namespace tripsim::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sqlite;
  std::string_view postgres;
};

std::span<const Migration> Migrations();

}  // namespace tripsim::store
