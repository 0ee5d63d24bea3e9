// Where the core's parts say what happened, for every page to hear: the page hub in the
// adapter, a recording sink in the tests.
#pragma once

#include "core/page_event.hpp"

namespace cti {

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void publish(PageEvent event) = 0;
};

}  // namespace cti
