#include "cli/tls_command.hpp"

#include <iostream>

#include "cli/command_line.hpp"
#include "doctor/tls_check.hpp"
#ifdef CTI_WITH_TLS
#include "tls/tls_identity.hpp"
#endif

namespace cti {

int show_tls(const Config& config, bool json) {
    const auto check = check_tls(config);
    if (json) {
        std::cout << check.data.dump(2) << "\n";
    } else {
        std::cout << check.detail << "\n";
        if (check.data.contains("spki_sha256"))
            std::cout << "SPKI SHA-256 (for Chrome's --ignore-certificate-errors-spki-list) "
                      << check.data["spki_sha256"].get<std::string>() << "\n";
        if (!check.remedy.empty()) std::cout << "to do: " << check.remedy << "\n";
    }
    return check.status == CheckStatus::fail ? exit_code::command_failed : exit_code::ok;
}

int renew_tls(const Config& config, bool json) {
#ifdef CTI_WITH_TLS
    if (!config.tls.certificate_file.empty()) {
        std::cerr << "cti-adapter: tls.certificate_file is set in " << config.source_of("tls.certificate_file")
                  << ": that certificate is IT's to renew; `tls renew` only replaces the adapter's own\n";
        return exit_code::command_failed;
    }
    tls::renew_own_identity(tls::own_identity_dir());
    std::cerr << "made a new key and certificate; restart the adapter to use it, and trust the new "
                 "certificate in the browsers (docs/TLS.md)\n";
    auto renewed = config;
    renewed.tls.enabled = true;  // show the new certificate even while wss:// is off
    return show_tls(renewed, json);
#else
    (void)config;
    (void)json;
    std::cerr << "cti-adapter: this build has no TLS support\n";
    return exit_code::command_failed;
#endif
}

}  // namespace cti
