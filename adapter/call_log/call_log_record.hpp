// One call's log, as the journal keeps it and the pages see it (protocol/ encodes it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cti/call.hpp"

namespace cti {

struct CallLogRecord {
    std::int64_t cursor = 0;   // the journal's row id; orders records and pages history
    std::string log_id;        // the call's id
    Call call;                 // as it ended
    std::int64_t duration_s = 0;  // answered to ended; 0 when never answered
    std::optional<std::string> disposition;
    std::optional<std::string> notes;
    bool acknowledged = false;
    // False for a call the journal could not write: the pages still hear of it, and that its
    // copy on disk is missing.
    bool journaled = true;
};

}  // namespace cti
