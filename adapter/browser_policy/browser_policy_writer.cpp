#include "browser_policy/browser_policy_writer.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/json_object_file.hpp"
#include "platform/file_replacement.hpp"

#include "browser_policy/policy_origins.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* allowed_urls_key = "LocalNetworkAccessAllowedForUrls";
constexpr const char* frames_key = "LocalNetworkAccessPermissionsPolicyDefaultEnabled";

// The record's kinds of entry, one per PolicyFormat.
constexpr const char* own_file_kind = "own_file";
constexpr const char* firefox_kind = "firefox_skip_domains";
constexpr const char* registry_kind = "registry_list";
constexpr const char* policies_key = "SOFTWARE\\Policies";

// null when the file is absent; a file that is not a JSON object is left as it is.
Result<json> read_json_file(const fs::path& file) {
    auto value = read_json_object_file(file, JsonComments::refused);
    if (value) return std::move(*value);
    if (value.error().kind == ErrorKind::not_found) return json(nullptr);
    return fail(value.error().kind, value.error().message + "; left as it is");
}

// "FILE: cannot be created (Permission denied)": what the file system said, about which file.
tl::unexpected<Error> file_failure(const fs::path& file, const char* what, const std::error_code& ec) {
    return fail(ErrorKind::failed, file.string() + ": " + what + " (" + ec.message() + ")");
}

// Written beside and renamed over, so a browser starting meanwhile never reads half a file.
// Policies are not secret: every user's browser must read them (0644).
Result<> write_json_file(const fs::path& file, const json& value) {
    return platform::replace_file(file, value.dump(2) + "\n", ".partial",
                                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                      fs::perms::others_read);
}

// Creates the folders up to `folder`, appending those it made (deepest first) to `created`.
// Those made before a failure are recorded too, so that --remove takes them away.
Result<> make_folders(const fs::path& folder, json& created) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (auto at = folder; !at.empty() && !fs::exists(at, ec); at = at.parent_path()) {
        missing.push_back(at);
        if (at == at.parent_path()) break;
    }
    std::vector<fs::path> made;  // outermost first
    Result<> outcome;
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (fs::create_directory(*it, ec); ec) {
            outcome = file_failure(*it, "cannot be created", ec);
            break;
        }
        made.push_back(*it);
        fs::permissions(*it, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec, ec);
        if (ec) {
            outcome = file_failure(*it, "cannot be made readable by every user", ec);
            break;
        }
    }
    for (auto it = made.rbegin(); it != made.rend(); ++it) created.push_back(it->string());
    return outcome;
}

json& firefox_skip_domains(json& policies_file) {
    auto& skip = policies_file["policies"]["LocalNetworkAccess"]["SkipDomains"];
    if (!skip.is_array()) skip = json::array();
    return skip;
}

// Adds the hosts of `origins` to Firefox's SkipDomains; returns the ones that were not there.
Result<json> add_firefox_domains(const BrowserPolicyTarget& target, const std::vector<std::string>& origins,
                                 bool& created_file) {
    auto read = read_json_file(target.file);
    if (!read) return fail(std::move(read.error()));
    auto file = std::move(*read);
    created_file = file.is_null();
    if (created_file) file = json::object();
    if (file.contains("policies") && !file["policies"].is_object())
        return fail(ErrorKind::invalid_input, target.file.string() + ": \"policies\" is not an object; left as it is");
    auto& skip = firefox_skip_domains(file);
    json added = json::array();
    for (const auto& origin : origins) {
        const auto host = origin_host(origin);
        if (std::find(skip.begin(), skip.end(), host) == skip.end() &&
            std::find(added.begin(), added.end(), host) == added.end()) {
            skip.push_back(host);
            added.push_back(host);
        }
    }
    if (auto written = write_json_file(target.file, file); !written) return fail(std::move(written.error()));
    return added;
}

// Takes our domains out of Firefox's policies.json, and the keys (or the file, when we made it)
// that are left empty.
Result<> remove_firefox_domains(const fs::path& path, const json& entry) {
    auto read = read_json_file(path);
    if (!read) return fail(std::move(read.error()));
    auto file = std::move(*read);
    if (file.is_null()) return {};
    auto& policies = file["policies"];
    if (!policies.is_object()) return {};
    auto& access = policies["LocalNetworkAccess"];
    if (access.is_object() && access.contains("SkipDomains") && access["SkipDomains"].is_array()) {
        auto& skip = access["SkipDomains"];
        for (const auto& ours : entry.value("skip_domains", json::array()))
            skip.erase(std::remove(skip.begin(), skip.end(), ours), skip.end());
        if (skip.empty()) access.erase("SkipDomains");
    }
    if (access.is_null() || (access.is_object() && access.empty())) policies.erase("LocalNetworkAccess");
    const bool only_empty_policies = file.size() == 1 && policies.empty();
    if (!entry.value("created_file", false) || !only_empty_policies) return write_json_file(path, file);
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) return file_failure(path, "cannot be removed", ec);
    return {};
}

// The registry formats' targets and record entries need one (Windows' HKLM).
Result<PolicyRegistry*> need(PolicyRegistry* registry) {
    if (!registry) return fail(ErrorKind::unsupported, "this system has no policy registry");
    return registry;
}

// Adds the entries after IT's ("1", "2", ... are the browsers' list values), skipping those
// already listed; the record keeps the names it wrote, and whether it set the frame DWORD.
Result<json> write_registry_target(const BrowserPolicyTarget& target, const BrowserPolicySettings& settings,
                                   const std::vector<std::string>& origins, PolicyRegistry& registry) {
    const auto list_key = registry_list_key(target);
    const auto existing = registry.strings(list_key);
    long next = 1;
    for (const auto& [name, data] : existing) {
        char* end = nullptr;
        const long index = std::strtol(name.c_str(), &end, 10);
        if (end && *end == '\0' && index >= next) next = index + 1;
    }
    json written = json::object();
    for (const auto& origin : origins) {
        const auto entry = target.format == PolicyFormat::firefox_registry ? origin_host(origin) : origin;
        const bool listed = std::any_of(existing.begin(), existing.end(), [&](const auto& value) { return value.second == entry; }) ||
                            std::any_of(written.begin(), written.end(), [&](const json& value) { return value == entry; });
        if (listed) continue;
        const auto name = std::to_string(next++);
        if (auto set = registry.set_string(list_key, name, entry); !set) return fail(std::move(set.error()));
        written[name] = entry;
    }
    json record{{"kind", registry_kind}, {"key", list_key}, {"values", written}, {"created_dword", false}};
    if (target.format == PolicyFormat::chromium_registry && settings.frames &&
        !registry.dword(target.registry_key, frames_key)) {
        if (auto set = registry.set_dword(target.registry_key, frames_key, 1); !set) return fail(std::move(set.error()));
        record["created_dword"] = true;
        record["dword_key"] = target.registry_key;
    }
    return record;
}

// Takes our values away (those still holding what we wrote), then the keys left empty up to
// SOFTWARE\Policies.
Result<> remove_registry_entry(const json& entry, PolicyRegistry& registry) {
    const std::string list_key = entry.value("key", "");
    const auto current = registry.strings(list_key);
    const auto ours = entry.value("values", json::object());
    for (const auto& [name, data] : ours.items()) {
        const auto it = current.find(name);
        if (it == current.end() || !data.is_string() || it->second != data.get<std::string>()) continue;
        if (auto removed = registry.remove_value(list_key, name); !removed) return removed;
    }
    if (entry.value("created_dword", false))
        if (auto removed = registry.remove_value(entry.value("dword_key", ""), frames_key); !removed) return removed;
    for (std::string key = list_key; key.size() > std::string(policies_key).size() && key.starts_with(policies_key);
         key = key.substr(0, key.rfind('\\')))
        registry.remove_key_if_empty(key);
    return {};
}

// One entry of the record taken away: its file, its domains in Firefox's file, or its values.
Result<> remove_entry(const json& entry, PolicyRegistry* registry) {
    const auto kind = entry.value("kind", "");
    const fs::path file = entry.value("file", "");
    if (kind == firefox_kind) return remove_firefox_domains(file, entry);
    if (kind == registry_kind) {
        auto machine = need(registry);
        if (!machine) return fail(std::move(machine.error()));
        return remove_registry_entry(entry, **machine);
    }
    std::error_code ec;
    fs::remove(file, ec);
    if (ec) return file_failure(file, "cannot be removed", ec);
    return {};
}

// Takes away the record's files; returns the folders it had created that are still there
// (not empty: something else was put in them).
json remove_recorded(const json& record, PolicyRegistry* registry, BrowserPolicyChanges& changes) {
    for (const auto& entry : record.value("entries", json::array())) {
        const fs::path file = entry.value("file", "");
        const auto kind = entry.value("kind", "");
        const auto label = entry.value("browser", "?") + ": " +
                           (kind == registry_kind ? "HKLM\\" + entry.value("key", "") : file.string());
        if (auto removed = remove_entry(entry, registry); removed) changes.removed.push_back(label);
        else changes.problems.push_back({removed.error().kind, label + ": not removed: " + removed.error().message});
    }
    // Deepest first, so that a folder emptied by removing its child goes too.
    std::vector<std::string> folders;
    for (const auto& folder : record.value("created_folders", json::array()))
        if (folder.is_string()) folders.push_back(folder.get<std::string>());
    std::sort(folders.begin(), folders.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    json still_there = json::array();
    for (const auto& folder : folders) {
        std::error_code ec;
        if (fs::is_directory(folder, ec) && fs::is_empty(folder, ec)) fs::remove(folder, ec);
        if (fs::exists(folder, ec)) still_there.push_back(folder);
    }
    return still_there;
}

// "Google Chrome: /etc/opt/chrome/policies/managed/cti-adapter.json", or the registry key.
std::string target_label(const BrowserPolicyTarget& target) {
    const bool registry = target.format == PolicyFormat::chromium_registry || target.format == PolicyFormat::firefox_registry;
    return target.browser + ": " + (registry ? "HKLM\\" + registry_list_key(target) : target.file.string());
}

json read_record(const fs::path& record_file, BrowserPolicyChanges& changes) {
    auto record = read_json_file(record_file);
    if (!record) {
        changes.problems.push_back(
            {record.error().kind, record.error().message + " (the record of the browser policies written before)"});
        return json::object();
    }
    return record->is_null() ? json::object() : std::move(*record);
}

Result<json> write_target(const BrowserPolicyTarget& target, const BrowserPolicySettings& settings,
                  const std::vector<std::string>& origins, PolicyRegistry* registry, json& created_folders) {
    if (target.format == PolicyFormat::chromium_registry || target.format == PolicyFormat::firefox_registry) {
        auto machine = need(registry);
        if (!machine) return fail(std::move(machine.error()));
        auto entry = write_registry_target(target, settings, origins, **machine);
        if (!entry) return entry;
        (*entry)["browser"] = target.browser;
        (*entry)["target"] = target.id;
        return entry;
    }
    if (auto made = make_folders(target.file.parent_path(), created_folders); !made) return fail(std::move(made.error()));
    json entry{{"browser", target.browser}, {"target", target.id}, {"file", target.file.string()}};
    if (target.format == PolicyFormat::firefox_policies_json) {
        bool created_file = false;
        auto added = add_firefox_domains(target, origins, created_file);
        if (!added) return fail(std::move(added.error()));
        entry["skip_domains"] = std::move(*added);
        entry["created_file"] = created_file;
        entry["kind"] = firefox_kind;
    } else {
        json policy{{allowed_urls_key, origins}};
        if (settings.frames) policy[frames_key] = true;
        if (auto written = write_json_file(target.file, policy); !written) return fail(std::move(written.error()));
        entry["kind"] = own_file_kind;
    }
    return entry;
}

}  // namespace

BrowserPolicyChanges sync_browser_policies(const fs::path& record_file, const BrowserPolicySettings& settings,
                                           std::span<const BrowserPolicyTarget> targets, PolicyRegistry* registry) {
    BrowserPolicyChanges changes;
    json record{{"entries", json::array()},
                {"created_folders", remove_recorded(read_record(record_file, changes), registry, changes)}};
    const auto origins = origins_needing_policy(settings.origins);
    if (!origins.empty()) {
        for (const auto& target : targets) {
            std::error_code ec;
            if (target.only_when_present && !fs::is_directory(target.browser_folder, ec)) continue;
            auto entry = write_target(target, settings, origins, registry, record["created_folders"]);
            if (!entry) {
                changes.problems.push_back(
                    {entry.error().kind, target_label(target) + ": not written: " + entry.error().message});
                continue;
            }
            record["entries"].push_back(std::move(*entry));
            changes.written.push_back(target_label(target));
        }
    }
    // Taken away already: what "removed" lists and is written again is an update, not a loss.
    std::erase_if(changes.removed, [&](const std::string& label) {
        return std::find(changes.written.begin(), changes.written.end(), label) != changes.written.end();
    });
    std::error_code ec;
    if (record["entries"].empty() && record["created_folders"].empty()) {
        fs::remove(record_file, ec);
    } else if (auto written = write_json_file(record_file, record); !written) {
        changes.problems.push_back(
            {written.error().kind, written.error().message + ": the policies written cannot be removed by --remove"});
    }
    return changes;
}

BrowserPolicyChanges remove_browser_policies(const fs::path& record_file, PolicyRegistry* registry) {
    BrowserPolicyChanges changes;
    remove_recorded(read_record(record_file, changes), registry, changes);
    std::error_code ec;
    fs::remove(record_file, ec);
    return changes;
}

fs::path browser_policy_record_file(const fs::path& machine_config) {
    return machine_config.parent_path() / "browser-policies.json";
}

}  // namespace cti
