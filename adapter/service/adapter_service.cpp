#include "service/adapter_service.hpp"

#include <algorithm>
#include <random>

#include "call_log/call_log_journal.hpp"
#include "core/adapter_core.hpp"
#include "logging/logging.hpp"
#include "net/listener.hpp"
#include "net/server_context.hpp"
#include "platform/paths.hpp"
#include "platform/process.hpp"
#ifdef CTI_WITH_UNIX_SOCKET
#include "net/unix_listener.hpp"
#endif
#ifdef CTI_WITH_NAMED_PIPE
#include "net/named_pipe_listener.hpp"
#include "platform/windows_user.hpp"
#endif
#ifdef CTI_WITH_TLS
#include "net/tls_server_context.hpp"
#include "tls/tls_identity.hpp"
#endif
#include "version.hpp"

namespace cti {
namespace {

// A random id for this run; clients use it to tell a restart from a reconnect.
std::string new_epoch() {
    std::random_device random;
    std::uint64_t value = (static_cast<std::uint64_t>(random()) << 32) ^ random();
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

// "/etc/cti-adapter/config.json + /home/agent/.config/cti-adapter/config.json"
std::string config_files(const Config& config) {
    if (config.layers.empty()) return config.source;
    std::string files;
    for (const auto& layer : config.layers) files += (files.empty() ? "" : " + ") + layer.file;
    return files;
}

// What the command line prints after "cannot listen: ", and what the tests read.
std::string describe(const std::vector<BindAttempt>& attempts) {
    std::string text = "no port is free on 127.0.0.1";
    for (const auto& attempt : attempts) text += "\n  port " + std::to_string(attempt.port) + ": " + attempt.problem;
    return text;
}

using TlsContext = std::shared_ptr<net::ssl::context>;

// The TLS context when the config enables TLS; null when it does not, or this build has no TLS.
Result<TlsContext> make_tls(const Config& config) {
    if (!config.tls.enabled) return nullptr;
#ifdef CTI_WITH_TLS
    const auto identity = tls::load_tls_identity(config, tls::own_identity_dir());
    if (!identity) return fail(identity.error());
    spdlog::info("TLS: this port also serves wss:// and https://, with {} ({}; SHA-256 {}; valid until {})",
                 identity->certificate_file.string(), identity->provided ? "IT's certificate" : "own certificate",
                 identity->facts.sha256_fingerprint, identity->facts.not_after);
    return make_tls_server_context(*identity);
#else
    spdlog::error("\"tls\": {{\"enabled\": true}} in {}, but this build of cti-adapter has no TLS support: "
                  "it serves ws:// and http:// only",
                  config.source_of("tls.enabled"));
    return nullptr;
#endif
}

// The configured call_log_file that cannot be opened is the config's to correct.
Result<std::unique_ptr<CallLogJournal>> open_journal(const Config& config) {
    auto journal = CallLogJournal::open(config.call_log_file, static_cast<int>(config.call_log_retention_days));
    if (!journal)
        return fail(ErrorKind::invalid_input,
                    config.source_of("call_log_file") + ": key 'call_log_file': " + journal.error().message);
    return journal;
}

}  // namespace

struct AdapterService::Parts {
    Parts(Config config_in, std::unique_ptr<Driver> driver, std::unique_ptr<CallLogJournal> journal, TlsContext tls)
        : config(std::move(config_in)),
          pairing(config.pairing),
          core(io, CoreOptions{std::string(adapter_version), new_epoch(), config.limits.replay_buffer,
                           config.dial_plan, config.agent, config.screen_pop,
                           CommandRates{config.limits.commands_per_minute, config.limits.dials_per_minute},
                           config.limits.client_queue_limit},
               std::move(driver), std::move(journal), pairing),
          context{io, core, AccessPolicy(config.allowed_origins), config.limits, pairing, std::move(tls)},
          listener(std::make_shared<Listener>(io, context)),
          signals(io),
          stop_deadline(io) {
        context.same_user_only = config.same_user_only;
    }

    Config config;
    net::io_context io{1};
    PairingService pairing;
    AdapterCore core;
    ServerContext context;
    std::shared_ptr<Listener> listener;
#ifdef CTI_WITH_UNIX_SOCKET
    std::shared_ptr<UnixListener> native_listener;  // set while the native messaging socket listens
#endif
#ifdef CTI_WITH_NAMED_PIPE
    std::shared_ptr<NamedPipeListener> native_listener;  // set while the native messaging pipe listens
#endif
    net::signal_set signals;
    net::steady_timer stop_deadline;
    bool stopping = false;
    bool watching_signals = false;
};

std::vector<std::uint16_t> candidate_ports(const Config& config, std::uint32_t user_number) {
    if (config.port == 0) return {0};
    const auto& scheme = config.port_scheme;
    // The config check keeps the shifted ports below 65536.
    const auto offset = scheme.scheme == PortScheme::per_user
                            ? static_cast<std::uint16_t>((user_number % scheme.slots) * scheme.stride)
                            : std::uint16_t{0};
    std::vector<std::uint16_t> ports{static_cast<std::uint16_t>(config.port + offset)};
    for (auto fallback : config.port_fallbacks) {
        const auto port = static_cast<std::uint16_t>(fallback + offset);
        if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
    }
    return ports;
}

std::vector<std::uint16_t> candidate_ports(const Config& config) {
    return candidate_ports(config, platform::current_user_number());
}

Result<std::unique_ptr<AdapterService>> AdapterService::create(Config config, std::unique_ptr<Driver> driver) {
    auto journal = open_journal(config);
    if (!journal) return fail(std::move(journal.error()));
    auto tls = make_tls(config);
    if (!tls) return fail(std::move(tls.error()));
    return std::unique_ptr<AdapterService>(new AdapterService(
        std::make_unique<Parts>(std::move(config), std::move(driver), std::move(*journal), std::move(*tls))));
}

AdapterService::AdapterService(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

AdapterService::~AdapterService() = default;

Result<std::uint16_t> AdapterService::start() {
    auto attempts = parts_->listener->bind(candidate_ports(parts_->config));
    if (attempts.empty() || !attempts.back().problem.empty()) return fail(ErrorKind::unavailable, describe(attempts));
    const auto port = parts_->listener->bound_port();
    if (attempts.size() > 1)
        spdlog::warn("port {} was not available ({}); using fallback port {}", attempts.front().port,
                     attempts.front().problem, port);
    parts_->context.port = port;
    parts_->context.policy.set_port(port, parts_->context.tls != nullptr);
    parts_->core.start();
    parts_->listener->run();
    if (!parts_->config.same_user_only)
        spdlog::warn("same_user_only is off ({}): processes of every user of this machine may connect to port {}",
                     parts_->config.source_of("same_user_only"), port);
    start_native_listener();
    spdlog::info("listening on {} (driver '{}', config {})", url(), parts_->config.driver,
                 config_files(parts_->config));
    return port;
}

// The door of the browser extensions' native messaging host (docs/BROWSER-EXTENSION.md). Pages
// on the TCP port do not need it, so an adapter that cannot have it runs on and says why.
void AdapterService::start_native_listener() {
#ifdef CTI_WITH_UNIX_SOCKET
    auto listener = std::make_shared<UnixListener>(parts_->io, parts_->context);
    if (auto problem = listener->bind(platform::native_socket_file())) {
        spdlog::warn("native messaging: {}; the browser extension cannot reach this adapter",
                     *problem);
        return;
    }
    listener->run();
    spdlog::info("native messaging: listening on {} (this user only)", listener->path().string());
    parts_->native_listener = std::move(listener);
#endif
#ifdef CTI_WITH_NAMED_PIPE
    auto listener = std::make_shared<NamedPipeListener>(parts_->io, parts_->context);
    std::wstring name;
    try {
        name = platform::native_pipe_name();
    } catch (const std::exception& error) {
        spdlog::warn("native messaging: {}; the browser extension cannot reach this adapter", error.what());
        return;
    }
    if (auto problem = listener->bind(name)) {
        spdlog::warn("native messaging: {}; the browser extension cannot reach this adapter",
                     *problem);
        return;
    }
    listener->run();
    spdlog::info("native messaging: listening on {} (this user only)", listener->name());
    parts_->native_listener = std::move(listener);
#endif
}

void AdapterService::stop_on_signals() {
    if (parts_->watching_signals) return;
    parts_->watching_signals = true;
    parts_->signals.add(SIGINT);
    parts_->signals.add(SIGTERM);
    parts_->signals.async_wait([this](beast::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("signal {} received; shutting down", signal);
        stop();
    });
}

void AdapterService::run(bool handle_signals) {
    if (handle_signals) stop_on_signals();
    parts_->io.run();
}

void AdapterService::stop() {
    net::post(parts_->io, [this] {
        if (std::exchange(parts_->stopping, true)) return;
        beast::error_code ignored;
        parts_->signals.cancel(ignored);
        parts_->listener->stop();
#if defined(CTI_WITH_UNIX_SOCKET) || defined(CTI_WITH_NAMED_PIPE)
        if (parts_->native_listener) parts_->native_listener->stop();
#endif
        // Before the core drains: pages still waiting to authenticate or pair get 1001 as well.
        parts_->context.unauthenticated.close_all(close_code::going_away, "adapter shutting down");
        parts_->core.shutdown([this] { parts_->io.stop(); });
        // Clients that do not finish their close handshake must not hold the exit up.
        parts_->stop_deadline.expires_after(std::chrono::seconds(3));
        parts_->stop_deadline.async_wait([this](beast::error_code ec) {
            if (!ec) parts_->io.stop();
        });
    });
}

std::uint16_t AdapterService::port() const { return parts_->context.port; }
std::string AdapterService::url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/"; }
const std::string& AdapterService::epoch() const { return parts_->core.options().epoch; }

}  // namespace cti
