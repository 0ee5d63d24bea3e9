// Who may talk to the adapter: the Host and Origin checks made before any request is served or
// any WebSocket is accepted (docs/PROTOCOL.md, section 1.1).
//
// Host: only loopback names with the bound port, so a DNS-rebinding page (evil.example
// resolving to 127.0.0.1) is refused. Origin: an exact allow-list, plus the adapter's own page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cti {

class AccessPolicy {
public:
    explicit AccessPolicy(std::vector<std::string> allowed_origins);

    // Called once the listening port is known; `serves_tls`: the port also serves https://.
    void set_port(std::uint16_t port, bool serves_tls = false);

    bool host_allowed(std::string_view host) const;
    // `origin` as sent by the browser. An empty origin is never allowed here; callers decide
    // whether a request without Origin may go on (plain HTTP GET yes, WebSocket no).
    bool origin_allowed(std::string_view origin) const;

    // The adapter's own page origin (http://127.0.0.1:PORT, localhost, [::1]): trusted without
    // a token, since a browser sends it only for pages this adapter served.
    bool is_own_origin(std::string_view origin) const;

    const std::vector<std::string>& own_origins() const { return own_origins_; }

private:
    std::vector<std::string> allowed_origins_;
    std::vector<std::string> own_origins_;
    std::vector<std::string> allowed_hosts_;
};

}  // namespace cti
