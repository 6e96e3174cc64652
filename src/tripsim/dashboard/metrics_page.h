// The Prometheus page (/metrics): this process's own metrics (requests, latencies, deliveries)
// and the business figures read from the store at scrape time (bookings by partner and
// outcome, messages by state, promo codes, outbox depth and age, inventory stock). The store's
// figures are the same on every instance: aggregate them with max(), not sum().
//
//   std::string text = RenderMetricsPage(store, clock.NowMillis()).value();
#pragma once

#include <string>

#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::dashboard {

Result<std::string> RenderMetricsPage(store::Store& store, int64_t now_millis);

}  // namespace tripsim::dashboard
