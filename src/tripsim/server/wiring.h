// The composition root: the only place that knows which implementations tripsimd uses. It
// reads the Config and builds the store, the catalog, the use cases and the HTTP server.
//
//   auto rt = Runtime::Start(config, stdout_lines);   // serves until Stop()
//   rt.value()->WaitForSignal();                      // SIGTERM / SIGINT
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tripsim/base/status.h"
#include "tripsim/server/config.h"
#include "tripsim/store/store.h"

namespace tripsim::server {

// How a store is opened: for a command, or for the server (which on PostgreSQL opens its
// pool's connections at start rather than during its first requests).
enum class StoreUse { kCommand, kServer };

// Opens the configured store (creating its folder), migrating it when `migrate`.
Result<std::unique_ptr<store::Store>> OpenStore(const Config& config, bool migrate = true,
                                                StoreUse use = StoreUse::kCommand);

// The 32-byte master key: TRIPSIM_MASTER_KEY, or the key file (created with mode 0600 on
// first use, staging only).
Result<std::string> LoadMasterKey(const Config& config);

// Writes one machine-readable JSON line to stdout (and flushes).
void PrintJsonLine(const std::string& json);

// Runs `tripsimd serve` until SIGTERM or SIGINT, then drains and exits. Returns the exit code.
int Serve(const Config& config);

}  // namespace tripsim::server
