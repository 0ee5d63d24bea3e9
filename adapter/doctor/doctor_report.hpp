// What `cti-adapter doctor` found: one result per check, as text for people and as JSON with a
// stable shape (docs/TROUBLESHOOTING.md) for scripts and support tools.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cti {

// info: a note that needs no action (browser notes, no log file configured).
enum class CheckStatus { pass, info, warn, fail };

struct CheckResult {
    std::string id;      // stable: config, adapter, port, ports, driver, allowed_origins, pairing, tls, log, browser
    std::string title;   // "port 11000"
    CheckStatus status = CheckStatus::pass;
    std::string detail;  // what was found
    std::string remedy;  // what to do about it; empty when nothing is needed
    nlohmann::json data = nlohmann::json::object();  // the facts, for scripts
};

struct DoctorReport {
    std::vector<CheckResult> checks;

    void add(CheckResult check) { checks.push_back(std::move(check)); }
    bool failed() const;
    CheckStatus overall() const;  // the worst status of any check
    nlohmann::json to_json() const;
    std::string to_text() const;
};

const char* to_string(CheckStatus status);

}  // namespace cti
