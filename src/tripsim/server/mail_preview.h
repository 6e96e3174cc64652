// tripsimd mail preview: renders a booking's email exactly as the outbox worker would, for
// operators, into <out>.eml (the MIME message) and <out>.html (viewable in a browser).
#pragma once

#include <string>

#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::server {

// Returns {"eml": path, "html": path, "subject": ...} as JSON.
Result<std::string> PreviewMail(store::Store& store, const std::string& booking_id,
                                const std::string& public_url, const std::string& mail_from,
                                const std::string& out);

}  // namespace tripsim::server
