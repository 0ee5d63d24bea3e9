// The adapter's configuration: one JSON file, every key optional with a default.
// The keys are documented in docs/CONFIG.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cti/driver_registry.hpp"
#include "cti/result.hpp"
#include "agent/agent_state.hpp"
#include "dial_plan/dial_plan.hpp"
#include "logging/logging.hpp"
#include "pairing/pairing_settings.hpp"
#include "screen_pop/screen_pop_settings.hpp"

namespace cti {

inline constexpr std::uint16_t default_port = 11000;

// "fixed": every user of the machine gets `port` and `port_fallbacks` as written.
// "per_user": terminal servers and Citrix share one loopback between users, so each user's
// ports are shifted by (user number mod per_user_slots) * per_user_stride.
enum class PortScheme { fixed, per_user };

struct PortSchemeSettings {
    PortScheme scheme = PortScheme::fixed;
    std::uint16_t stride = 10;
    std::uint16_t slots = 100;
};

// One config file as read, before the layers are merged.
struct ConfigLayer {
    std::string file;
    nlohmann::json settings;
};

struct Limits {
    std::size_t max_message_bytes = 64 * 1024;   // bigger WebSocket messages close with 1009
    std::size_t client_queue_limit = 256;        // frames queued per client before 4008
    std::int64_t handshake_timeout_ms = 10'000;  // HTTP request / WebSocket handshake
    std::int64_t request_timeout_ms = 2'000;     // a connection's first HTTP request, in full
    std::int64_t auth_timeout_ms = 5'000;        // a WebSocket of another origin, to authenticate or pair
    std::int64_t idle_timeout_ms = 300'000;      // no traffic: ping, then close
    std::size_t replay_buffer = 1024;            // events kept for `resume`
    std::int64_t socket_send_buffer = 0;         // SO_SNDBUF for client sockets; 0 = system
    std::size_t max_connections = 64;            // open connections before 503
    std::size_t reserved_connections = 4;        // more for the own origin and the command line
    std::size_t max_unauthenticated = 16;        // connections not known yet; the oldest is evicted
    std::size_t handshakes_per_second = 20;      // WebSocket upgrades before 429; 0 = no limit
    std::size_t commands_per_minute = 600;       // per page, before 4029; 0 = no limit
    std::size_t dials_per_minute = 20;           // dial and transfer, per page; 0 = no limit
};

// Optional wss:// and https:// on the same port as ws:// (docs/TLS.md). Without files the adapter
// makes its own key and self-signed certificate in the user's data folder on first use.
struct TlsSettings {
    bool enabled = false;
    std::string certificate_file;  // IT's certificate (PEM), with key_file; empty: the adapter's own
    std::string key_file;
};

struct Config {
    std::string source = "(built-in defaults)";  // the file it came from, for messages
    std::uint16_t port = default_port;           // 0: any free port (tests)
    std::vector<std::uint16_t> port_fallbacks{11001, 11002, 11003};
    PortSchemeSettings port_scheme;
    bool same_user_only = true;  // the port takes connections of this user's processes only
    std::vector<std::string> allowed_origins;    // normalised scheme://host[:port]
    std::string driver = "simulator";
    nlohmann::json driver_settings = nlohmann::json::object();
    LogOptions log;
    Limits limits;
    std::string call_log_file;            // the SQLite journal of ended calls
    std::int64_t call_log_retention_days = 90;  // acknowledged logs older than this are removed
    DialPlanSettings dial_plan;
    AgentSettings agent;
    ScreenPopSettings screen_pop;
    PairingSettings pairing;
    TlsSettings tls;
    std::vector<ConfigLayer> layers;  // the files read, machine first; empty for defaults

    // The file that sets `key` ("limits.client_queue_limit", "allowed_origins[0]"), for
    // messages about it; `source` when no file sets it.
    std::string source_of(const std::string& key) const;
};

// The command line stops with this (exit code 3); what() names the file, the key and what was
// expected. Only the command line throws it: everything below returns a Result.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The command line's one bridge from a failed Result to its exit code 3 and message (caught in
// run_command_line): the value, or ConfigError with the error's message.
template <typename T>
T or_config_error(Result<T> result) {
    if (!result) throw ConfigError(result.error().message);
    return std::move(*result);
}

// The loaders below fail with an Error whose message names the file, the key and what was
// expected ("FILE: key 'limits.replay_buffer': expected an integer from 16 to 1000000, got ...");
// its kind is invalid_input for a bad setting or JSON, not_found for an explicitly given file
// that does not exist, and failed for one that cannot be read.

// Reads and validates `file`. When `file` is the default path and does not exist the defaults
// are used; an explicitly given file must exist.
Result<Config> load_config(const std::filesystem::path& file, bool explicitly_given,
                   std::span<const DriverFactory> drivers);

// Validates a config held in memory (`source` names it in messages).
Result<Config> parse_config(const std::string& text, const std::string& source,
                    std::span<const DriverFactory> drivers);

// The machine config (IT's) and then the user's own, each only when the file exists; a key in
// the user's file overrides the same key of the machine's, objects are merged key by key.
// An error names the file that holds the key at fault.
Result<Config> load_layered_config(const std::filesystem::path& machine_file,
                           const std::filesystem::path& user_file,
                           std::span<const DriverFactory> drivers);

// Builds the configured driver from its section; a bad setting is named as the loaders do.
Result<std::unique_ptr<Driver>> create_driver(const Config& config, std::span<const DriverFactory> drivers);

// "https://Crm.Example.com:443" -> "https://crm.example.com"; empty when not a valid origin.
std::string normalize_origin(const std::string& text, std::string* problem = nullptr);

}  // namespace cti
