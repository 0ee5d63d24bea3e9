// HKLM\SOFTWARE\Policies through the registry API: where Chrome, Edge, Chromium and Firefox read
// their machine policies on Windows. install-config runs elevated (the MSI's deferred custom
// action), which writing HKLM needs.
#include "browser_policy/policy_registry.hpp"

#include <vector>

#include <windows.h>

namespace cti {
namespace {

std::wstring wide(const std::string& text) {
    if (text.empty()) return {};
    const int size = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring result(static_cast<std::size_t>(size), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), result.data(), size);
    return result;
}

std::string narrow(const wchar_t* text, std::size_t length) {
    if (length == 0) return {};
    const int size = WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
    std::string result(static_cast<std::size_t>(size), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), result.data(), size, nullptr, nullptr);
    return result;
}

tl::unexpected<Error> registry_failure(const std::string& key, const char* what, LSTATUS status) {
    return fail(ErrorKind::failed, "HKLM\\" + key + ": cannot " + what + " (error " + std::to_string(status) + ")");
}

// An open key, closed when it goes out of scope.
class Key {
public:
    Key() = default;
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
    ~Key() {
        if (handle_) RegCloseKey(handle_);
    }
    HKEY* out() { return &handle_; }
    HKEY get() const { return handle_; }

private:
    HKEY handle_ = nullptr;
};

// Policies are read by 64-bit browsers: always the 64-bit view, whatever this build is.
constexpr REGSAM view = KEY_WOW64_64KEY;

class MachinePolicyRegistry final : public PolicyRegistry {
public:
    std::map<std::string, std::string> strings(const std::string& key) const override {
        std::map<std::string, std::string> values;
        Key opened;
        if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, wide(key).c_str(), 0, KEY_READ | view, opened.out()) != ERROR_SUCCESS)
            return values;
        for (DWORD index = 0;; ++index) {
            wchar_t name[256];
            DWORD name_length = 256;
            DWORD type = 0;
            DWORD data_size = 0;
            const auto status = RegEnumValueW(opened.get(), index, name, &name_length, nullptr, &type, nullptr, &data_size);
            if (status != ERROR_SUCCESS) break;
            if (type != REG_SZ) continue;
            std::vector<wchar_t> data(data_size / sizeof(wchar_t) + 1, L'\0');
            DWORD size = static_cast<DWORD>(data.size() * sizeof(wchar_t));
            if (RegQueryValueExW(opened.get(), name, nullptr, nullptr, reinterpret_cast<BYTE*>(data.data()), &size) !=
                ERROR_SUCCESS)
                continue;
            std::size_t length = size / sizeof(wchar_t);
            while (length > 0 && data[length - 1] == L'\0') --length;
            values[narrow(name, name_length)] = narrow(data.data(), length);
        }
        return values;
    }

    std::optional<std::uint32_t> dword(const std::string& key, const std::string& name) const override {
        DWORD data = 0;
        DWORD size = sizeof(data);
        if (RegGetValueW(HKEY_LOCAL_MACHINE, wide(key).c_str(), wide(name).c_str(), RRF_RT_REG_DWORD | RRF_SUBKEY_WOW6464KEY,
                         nullptr, &data, &size) != ERROR_SUCCESS)
            return std::nullopt;
        return data;
    }

    Result<> set_string(const std::string& key, const std::string& name, const std::string& data) override {
        const auto text = wide(data);
        return set(key, name, REG_SZ, reinterpret_cast<const BYTE*>(text.c_str()),
                   static_cast<DWORD>((text.size() + 1) * sizeof(wchar_t)));
    }

    Result<> set_dword(const std::string& key, const std::string& name, std::uint32_t data) override {
        const DWORD value = data;
        return set(key, name, REG_DWORD, reinterpret_cast<const BYTE*>(&value), sizeof(value));
    }

    Result<> remove_value(const std::string& key, const std::string& name) override {
        Key opened;
        if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, wide(key).c_str(), 0, KEY_SET_VALUE | view, opened.out()) != ERROR_SUCCESS)
            return {};
        const auto status = RegDeleteValueW(opened.get(), wide(name).c_str());
        if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND) return registry_failure(key, "delete a value", status);
        return {};
    }

    void remove_key_if_empty(const std::string& key) override {
        DWORD subkeys = 0;
        DWORD values = 0;
        {
            Key opened;
            if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, wide(key).c_str(), 0, KEY_READ | view, opened.out()) != ERROR_SUCCESS)
                return;
            if (RegQueryInfoKeyW(opened.get(), nullptr, nullptr, nullptr, &subkeys, nullptr, nullptr, &values, nullptr,
                                 nullptr, nullptr, nullptr) != ERROR_SUCCESS)
                return;
        }
        if (subkeys == 0 && values == 0) RegDeleteKeyExW(HKEY_LOCAL_MACHINE, wide(key).c_str(), view, 0);
    }

private:
    static Result<> set(const std::string& key, const std::string& name, DWORD type, const BYTE* data, DWORD size) {
        Key opened;
        auto status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, wide(key).c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                                      KEY_SET_VALUE | view, nullptr, opened.out(), nullptr);
        if (status != ERROR_SUCCESS) return registry_failure(key, "be created or opened", status);
        status = RegSetValueExW(opened.get(), wide(name).c_str(), 0, type, data, size);
        if (status != ERROR_SUCCESS) return registry_failure(key, "set a value", status);
        return {};
    }
};

}  // namespace

std::unique_ptr<PolicyRegistry> open_machine_policy_registry() {
    return std::make_unique<MachinePolicyRegistry>();
}

}  // namespace cti
