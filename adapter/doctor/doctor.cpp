#include "doctor/doctor.hpp"

#include "cli/local_http.hpp"
#include "cli/running_instance.hpp"
#include "doctor/browser_policy_check.hpp"
#include "doctor/driver_check.hpp"
#include "doctor/driver_trial.hpp"
#include "doctor/log_tail.hpp"
#include "doctor/pairing_check.hpp"
#include "doctor/tls_check.hpp"
#include "net/beast.hpp"
#include "net/port_report.hpp"
#include "platform/port_holder.hpp"
#include "service/adapter_service.hpp"
#include "service/discovery_file.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t log_lines_scanned = 2000;
constexpr std::size_t log_errors_shown = 5;
constexpr const char* start_remedy =
    "start it: `systemctl --user start cti-adapter` (package installs), or `cti-adapter run`";

enum class PortProbe { free, in_use, denied };

// Binds the port for a moment, as the adapter would (127.0.0.1), and lets it go.
PortProbe probe_port(std::uint16_t port) {
    net::io_context io;
    tcp::acceptor acceptor(io);
    beast::error_code ec;
    const tcp::endpoint endpoint{net::ip::address_v4::loopback(), port};
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (ec == net::error::access_denied) return PortProbe::denied;
    return ec ? PortProbe::in_use : PortProbe::free;
}

struct ProbeOutcome {
    const char* state;
    CheckStatus status;
    const char* detail;
    const char* remedy;
};

// Indexed by PortProbe: what a port that /proc does not attribute to anyone means.
constexpr ProbeOutcome probe_outcomes[] = {
    {"free", CheckStatus::pass, "free", ""},
    {"other", CheckStatus::warn,
     "in use by a program this user may not see (another user's); the adapter takes the next port",
     "run `sudo cti-adapter doctor` (or `sudo ss -ltnp`) to name it"},
    {"denied", CheckStatus::fail, "permission denied (a privileged port, or a port range reserved by the system)",
     "use a port from 1024 to 65535 that the system does not reserve"},
};

nlohmann::json holder_json(const platform::PortHolder& holder) {
    return {{"pid", holder.pid}, {"name", holder.name}, {"command_line", holder.command_line}};
}

class Doctor {
public:
    Doctor(const DoctorOptions& options, std::span<const DriverFactory> drivers)
        : options_(options), drivers_(drivers), discovery_(options.discovery_file) {}

    Diagnosis run() {
        check_config();
        check_adapter();
        check_ports();
        check_driver();
        check_origins();
        diagnosis_.report.add(check_pairings(config()));
        diagnosis_.report.add(check_tls(config()));
        diagnosis_.report.add(check_browser_policies(config(), options_.policy_root));
        check_log();
        add_browser_notes();
        return std::move(diagnosis_);
    }

private:
    // The config as run would read it; the checks after this use the defaults when it is bad.
    const Config& config() const { return diagnosis_.config ? *diagnosis_.config : defaults_; }

    void check_config() {
        CheckResult check{"config", "configuration", CheckStatus::pass, "", "", {}};
        std::vector<fs::path> files;
        if (!options_.config_file.empty()) files = {options_.config_file};
        else files = {options_.machine_config, options_.user_config};
        check.data["files"] = nlohmann::json::array();
        for (const auto& file : files) {
            std::error_code ec;
            const bool found = fs::exists(file, ec);
            check.data["files"].push_back({{"path", file.string()}, {"found", found}});
            check.detail += (check.detail.empty() ? "" : "; ") + file.string() + (found ? " (found)" : " (not present)");
        }
        auto config = options_.config_file.empty()
                          ? load_layered_config(options_.machine_config, options_.user_config, drivers_)
                          : load_config(options_.config_file, true, drivers_);
        if (config) {
            diagnosis_.config = std::move(*config);
            check.detail += diagnosis_.config->layers.empty() ? "; no file: built-in defaults" : "; valid";
        } else {
            check.status = CheckStatus::fail;
            check.detail += "\ninvalid: " + config.error().message;
            check.remedy = "correct the key named above (docs/CONFIG.md lists every key); the adapter "
                           "refuses to start until then. The checks below use the built-in defaults.";
        }
        defaults_ = or_config_error(parse_config("{}", "(built-in defaults)", drivers_));
        diagnosis_.report.add(std::move(check));
    }

    void check_adapter() {
        CheckResult check{"adapter", "adapter running", CheckStatus::pass, "", "", {}};
        check.data["discovery_file"] = discovery_.path().string();
        running_ = find_running_instance(discovery_, options_.timeout);
        if (running_) {
            status_port_ = running_->port;
            check.detail = "pid " + std::to_string(running_->pid) + " on http://127.0.0.1:" +
                           std::to_string(running_->port) + "/, version " + running_->version +
                           ", started " + running_->started + "; /health answers";
            check.data["running"] = true;
            check.data["pid"] = running_->pid;
            check.data["port"] = running_->port;
        } else {
            describe_not_running(check);
        }
        diagnosis_.report.add(std::move(check));
    }

    void describe_not_running(CheckResult& check) {
        check.data["running"] = false;
        if (const auto stale = discovery_.read())
            check.detail = "not running: " + discovery_.path().string() + " names pid " +
                           std::to_string(stale->pid) + " on port " + std::to_string(stale->port) +
                           ", which is gone or does not answer /health (a stale file; the next start replaces it)";
        else
            check.detail = "not running: no discovery file " + discovery_.path().string();
        // One started with --port, or by hand, publishes no file; it still answers on its port.
        for (auto port : candidate_ports(config())) {
            if (port == 0 || !adapter_answers(port, options_.timeout)) continue;
            status_port_ = port;
            check.status = CheckStatus::warn;
            check.detail += "\nbut an adapter answers /health on port " + std::to_string(port) +
                            " (started with --port, or another user's adapter on a shared machine)";
            check.remedy = "stop that one and start the adapter normally so it publishes its port: " +
                           std::string(start_remedy);
            check.data["port"] = port;
            return;
        }
        check.status = CheckStatus::fail;
        check.remedy = start_remedy;
    }

    void check_ports() {
        bool usable = false;
        const auto ports = candidate_ports(config());
        for (auto port : ports) {
            if (port == 0) continue;  // "any free port": nothing to check
            auto check = check_port(port);
            if (port == ports.back()) say_it_is_the_last(check);
            usable = usable || check.data["state"] == "free" || check.data["state"] == "ours";
            diagnosis_.report.add(std::move(check));
        }
        if (usable || candidate_ports(config()).front() == 0) return;
        diagnosis_.report.add({"ports", "a free port", CheckStatus::fail,
                               "no port of the list is free and no adapter of this user holds one: "
                               "`cti-adapter run` would exit with code 4",
                               "stop the programs named above, or set \"port\"/\"port_fallbacks\" in the "
                               "config (and the page's port list to match)",
                               {}});
    }

    CheckResult check_port(std::uint16_t port) const {
        CheckResult check{"port", "port " + std::to_string(port), CheckStatus::pass, "", "", {{"port", port}}};
        const auto holder = platform::find_port_holder(port);
        if (holder) check.data["holder"] = holder_json(*holder);
        if (running_ && ((holder && holder->pid == running_->pid) || (!holder && running_->port == port))) {
            check.data["state"] = "ours";
            check.detail = "used by this user's adapter (pid " + std::to_string(running_->pid) + ")";
        } else if (holder) {
            check.data["state"] = "other";
            check.status = CheckStatus::warn;
            check.detail = "held by " + describe_port_holder(*holder) + "; the adapter takes the next port of the list";
            check.remedy = "if that program should not be there, stop it (kill " + std::to_string(holder->pid) +
                           "); if it is another user's adapter on a shared machine, use \"port_scheme\": \"per_user\"";
        } else {
            describe_unnamed_port(port, check);
        }
        return check;
    }

    // "the adapter takes the next port": not of the last one, after which there is none.
    static void say_it_is_the_last(CheckResult& check) {
        constexpr std::string_view next = "the adapter takes the next port";
        const auto at = check.detail.find(next);
        if (at == std::string::npos) return;
        const auto end = check.detail.find_first_of(";\n", at);
        check.detail.replace(at, (end == std::string::npos ? check.detail.size() : end) - at,
                             "it is the last port of the list: the adapter has no port left to take");
    }

    static void describe_unnamed_port(std::uint16_t port, CheckResult& check) {
        const auto& outcome = probe_outcomes[static_cast<std::size_t>(probe_port(port))];
        check.data["state"] = outcome.state;
        check.status = outcome.status;
        check.detail = outcome.detail;
        check.remedy = outcome.remedy;
    }

    void check_driver() {
        CheckResult check{"driver", "phone system (driver '" + config().driver + "')", CheckStatus::warn, "", "", {}};
        if (!status_port_) {
            try_driver_here(check);
            diagnosis_.report.add(std::move(check));
            return;
        }
        try {
            diagnosis_.status = get_local_json(*status_port_, "/status", options_.timeout);
            describe_driver(diagnosis_.status.at("driver"), check);
        } catch (const std::exception& error) {
            check.status = CheckStatus::fail;
            check.detail = "the adapter on port " + std::to_string(*status_port_) + " did not answer /status: " + error.what();
            check.remedy = "restart it: `systemctl --user restart cti-adapter`";
        }
        diagnosis_.report.add(std::move(check));
    }

    // No adapter to ask: start the driver here for a moment (its own status, not the adapter's).
    void try_driver_here(CheckResult& check) {
        if (!diagnosis_.config) {
            check.detail = "cannot tell: the config is invalid";
            check.remedy = "fix the config first (see the config check)";
            return;
        }
        const auto tried = try_driver(*diagnosis_.config, drivers_, options_.timeout);
        if (!tried) {
            check.status = CheckStatus::fail;
            check.detail = "cannot start the driver: " + tried.error().message;
            check.remedy = "fix the config first (see the config check)";
            return;
        }
        const auto& trial = *tried;
        const nlohmann::json status = {{"name", config().driver},
                                       {"status", to_string(trial.status.state)},
                                       {"detail", trial.status.detail}};
        describe_driver(status, check);
        check.data["tried_by_doctor"] = true;
        check.detail += " (tried by doctor itself: no adapter is running)";
        if (trial.timed_out) {
            check.status = CheckStatus::warn;
            check.detail += "; no answer within " + std::to_string(options_.timeout.count()) + " ms";
        }
    }

    void check_origins() {
        const auto& origins = config().allowed_origins;
        CheckResult check{"allowed_origins", "allowed origins", CheckStatus::pass, "", "", {{"origins", origins}}};
        if (origins.empty()) {
            check.status = CheckStatus::warn;
            check.detail = "none: only the adapter's own page (http://127.0.0.1:PORT/) can connect";
            check.remedy = "add the CRM's origin, e.g. \"allowed_origins\": [\"https://acme.my.salesforce.com\"]; "
                           "a refused page is logged with the exact origin to copy";
        } else {
            for (const auto& origin : origins) check.detail += (check.detail.empty() ? "" : ", ") + origin;
            std::vector<std::string> plain;
            for (const auto& origin : origins)
                if (origin.rfind("http://", 0) == 0) plain.push_back(origin);
            if (!plain.empty()) {
                check.status = CheckStatus::warn;
                check.detail += "\nnot encrypted: " + nlohmann::json(plain).dump() +
                                "; anyone on the network path can change such a page, and Chrome refuses "
                                "loopback access from insecure pages";
                check.remedy = "serve the CRM over https:// and list its https:// origin";
            }
        }
        diagnosis_.report.add(std::move(check));
    }

    void check_log() {
        const auto& file = config().log.file;
        CheckResult check{"log", "log file", CheckStatus::pass, "", "", {{"file", file}}};
        std::error_code ec;
        if (file.empty()) {
            check.status = CheckStatus::info;
            check.detail = "no log file (\"log_file\": \"\"): the adapter logs to standard error only";
        } else if (!fs::exists(file, ec)) {
            check.status = CheckStatus::info;
            check.detail = file + " (not written yet: the adapter has not run with this config)";
        } else {
            describe_log(file, check);
        }
        diagnosis_.report.add(std::move(check));
    }

    static void describe_log(const std::string& file, CheckResult& check) {
        std::vector<std::string> errors;
        std::size_t warnings = 0;
        for (const auto& line : last_log_lines(file, log_lines_scanned)) {
            if (line.find("[error]") != std::string::npos || line.find("[critical]") != std::string::npos)
                errors.push_back(mask_numbers(line));
            if (line.find("[warning]") != std::string::npos) ++warnings;
        }
        if (errors.size() > log_errors_shown) errors.erase(errors.begin(), errors.end() - log_errors_shown);
        check.data["errors"] = errors;
        check.data["warnings"] = warnings;
        check.detail = file + ": " + std::to_string(warnings) + " warnings in the last " +
                       std::to_string(log_lines_scanned) + " lines";
        if (errors.empty()) return;
        check.status = CheckStatus::warn;
        check.detail += "; recent errors:";
        for (const auto& line : errors) check.detail += "\n" + line;
        check.remedy = "see docs/TROUBLESHOOTING.md for these messages; send `cti-adapter doctor --bundle FILE` to support";
    }

    void add_browser_notes() {
        diagnosis_.report.add(
            {"browser", "browser notes", CheckStatus::info,
             "Chrome and Edge (147 and later) and Firefox (154 and later) ask the agent once for \"local network\" "
             "access for the CRM's site; IT can pre-approve the CRM with a policy (the \"browser policies\" check "
             "above). A softphone inside a cross-origin iframe also needs allow=\"local-network-access\" on "
             "that iframe, or the policy LocalNetworkAccessPermissionsPolicyDefaultEnabled.\n"
             "Safari blocks ws:// connections to 127.0.0.1 from https:// pages: use Chrome, Edge or Firefox.",
             "", {}});
    }

    const DoctorOptions& options_;
    std::span<const DriverFactory> drivers_;
    DiscoveryFile discovery_;
    Config defaults_;
    std::optional<InstanceRecord> running_;
    std::optional<std::uint16_t> status_port_;
    Diagnosis diagnosis_;
};

}  // namespace

Diagnosis run_doctor(const DoctorOptions& options, std::span<const DriverFactory> drivers) {
    return Doctor(options, drivers).run();
}

}  // namespace cti
