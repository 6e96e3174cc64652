// MemoryStore: a complete in-memory Store for tests. Nothing survives the process.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "tripsim/store/store.h"

namespace tripsim::store {

std::unique_ptr<Store> NewMemoryStore();

}  // namespace tripsim::store
