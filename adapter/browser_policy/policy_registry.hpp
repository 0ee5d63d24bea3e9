// The machine's policy registry (HKLM on Windows) as the browser policy writer needs it. A
// small interface so that the list handling (append after IT's values, take away only ours) is
// tested on every system with an in-memory double; policy_registry_windows.cpp is the real one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "cti/result.hpp"

namespace cti {

class PolicyRegistry {
public:
    virtual ~PolicyRegistry() = default;

    // The string values of `key` (a path below HKLM, "SOFTWARE\\Policies\\..."), name -> data;
    // empty when the key does not exist.
    virtual std::map<std::string, std::string> strings(const std::string& key) const = 0;
    virtual std::optional<std::uint32_t> dword(const std::string& key, const std::string& name) const = 0;
    // Create the key when it is missing. A failure is a `failed` Error naming the key.
    virtual Result<> set_string(const std::string& key, const std::string& name, const std::string& data) = 0;
    virtual Result<> set_dword(const std::string& key, const std::string& name, std::uint32_t data) = 0;
    // A value (or key) that is not there is no failure.
    virtual Result<> remove_value(const std::string& key, const std::string& name) = 0;
    // Removes `key` when it holds no values and no subkeys; otherwise leaves it.
    virtual void remove_key_if_empty(const std::string& key) = 0;
};

// HKLM on Windows; nullptr on other systems.
std::unique_ptr<PolicyRegistry> open_machine_policy_registry();

}  // namespace cti
