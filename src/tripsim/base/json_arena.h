// JsonArena: the memory of one JSON document that is built or parsed, used and dropped at
// once (an API answer, a column read back from the store). Its strings and containers come
// from a buffer inside the arena, then from larger heap blocks once that is full, each a
// pointer bump; nothing is freed one by one, everything goes with the arena.
//
//   JsonArena<16384> arena;  // on the stack
//   boost::json::object o(arena.storage());
//   o["id"] = id;  // members and their strings are allocated in the arena too
//   std::string text = boost::json::serialize(o);
//   const boost::json::value doc = arena.Parse(column_text);
//
// The documents must go before their arena: declare it first.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

namespace tripsim {

template <size_t kBufferBytes>
class JsonArena {
 public:
  JsonArena() = default;
  JsonArena(const JsonArena&) = delete;
  JsonArena& operator=(const JsonArena&) = delete;

  // For documents built in the arena: pass it to each container and value made.
  const boost::json::storage_ptr& storage() const { return storage_; }
  // Parses `text` into a document in the arena; throws boost::system::system_error when it is
  // not JSON.
  boost::json::value Parse(std::string_view text) { return boost::json::parse(text, storage_); }

 private:
  unsigned char buffer_[kBufferBytes];  // not zeroed: the resource writes before it reads
  boost::json::monotonic_resource resource_{buffer_, kBufferBytes};
  boost::json::storage_ptr storage_{&resource_};  // not owning
};

}  // namespace tripsim
