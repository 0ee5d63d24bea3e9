// A connection that holds a place in the PreAuthPool: one that has not sent its first request
// in full (HttpSession, TlsDetector) or a WebSocket that has not authenticated yet.
#pragma once

namespace cti {

class PreAuthMember {
public:
    virtual ~PreAuthMember() = default;
    // The pool is full and this connection is the one that waited longest: refuse it and end
    // it. Called from any thread (the pool's caller), so it only posts onto the member's strand.
    virtual void evict() = 0;
};

}  // namespace cti
