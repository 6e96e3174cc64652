// tripsimd mail preview: renders a booking's email exactly as the outbox worker would, for
// operators, into <out>.eml (the MIME message) and <out>.html (viewable in a browser).
// tripsimd mail failed: the emails that failed for good, and why.
#pragma once

#include <optional>
#include <string>

#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::server {

// Returns {"eml": path, "html": path, "subject": ...} as JSON.
Result<std::string> PreviewMail(store::Store& store, const std::string& booking_id,
                                const std::string& public_url, const std::string& mail_from,
                                const std::string& out);

// [{"message_id","booking_id","partner_id","recipient","attempts","created_at","last_error"}],
// newest first, of one partner (kNotFound for an unknown one) or of all; at most `limit`.
Result<std::string> ListFailedMail(store::Store& store,
                                   const std::optional<std::string>& partner_id, int limit);

}  // namespace tripsim::server
