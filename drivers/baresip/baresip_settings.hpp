// The `baresip` section of the adapter config (docs/drivers/baresip.md lists every key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cti/settings.hpp"

namespace cti::baresip {

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
    std::string text() const { return host + ":" + std::to_string(port); }
};

struct BaresipSettings {
    HostPort ctrl{"127.0.0.1", 4444};          // baresip's ctrl_tcp listen address
    std::string dial_uri = "sip:{number}@{domain}";  // template of the URI a dial goes to
    std::string dial_domain;                    // {domain}; empty: the account's host[:port]
    std::int64_t command_timeout_ms = 3000;     // ctrl_tcp gives no reply at all to bad input
    std::int64_t reconnect_min_ms = 100;
    std::int64_t reconnect_max_ms = 5000;

    // Managed mode: the driver starts baresip itself with a generated headless config.
    bool managed = false;
    std::string baresip_path = "baresip";
    std::string sip_listen = "127.0.0.1:5062";
    std::string account = "<sip:agent@127.0.0.1:5062>;regint=0";
    std::string config_dir;                     // empty: a fresh temporary directory
    std::int64_t start_timeout_ms = 10000;      // until "baresip is ready." in its output
};

// Reads and checks the section: the settings, or the first problem, naming its key.
Result<BaresipSettings> read_settings(SettingsReader& reader);

// "host:port" with a port from 1 to 65535, else nullopt.
std::optional<HostPort> parse_host_port(const std::string& text);

// The dial URI for a (validated) number: the template with {number} and {domain} filled in.
std::string dial_uri_for(const std::string& uri_template, const std::string& domain,
                         const std::string& number);

}  // namespace cti::baresip
