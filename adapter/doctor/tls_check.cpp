#include "doctor/tls_check.hpp"

#ifdef CTI_WITH_TLS
#include <filesystem>

#include "tls/tls_identity.hpp"
#endif

namespace cti {
namespace {

constexpr std::int64_t warn_days_before_expiry = 30;

#ifdef CTI_WITH_TLS
namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

void describe_facts(const tls::CertificateFacts& facts, CheckResult& check) {
    check.data["subject"] = facts.subject;
    check.data["names"] = facts.names;
    check.data["not_after"] = facts.not_after;
    check.data["days_left"] = facts.days_left();
    check.data["sha256_fingerprint"] = facts.sha256_fingerprint;
    check.data["spki_sha256"] = facts.spki_sha256;
    check.detail += "\nsubject " + facts.subject + "; names " + join(facts.names) + "\nvalid until " +
                    facts.not_after + " (" + std::to_string(facts.days_left()) + " days)\nSHA-256 " +
                    facts.sha256_fingerprint;
}

// What an unusable, expired or soon expiring certificate means, by whose it is.
void judge(const tls::CertificateFacts& facts, bool provided, CheckResult& check) {
    if (facts.expired()) {
        check.status = provided ? CheckStatus::fail : CheckStatus::warn;
        check.detail += "\nexpired";
        check.remedy = provided ? "ask IT for a new certificate: the adapter refuses to start with an expired one"
                                : "restart the adapter (or run `cti-adapter tls renew`): it makes a new "
                                  "certificate, which browsers must then be told to trust (docs/TLS.md)";
    } else if (facts.days_left() < warn_days_before_expiry) {
        check.status = CheckStatus::warn;
        check.detail += "\nexpires within " + std::to_string(warn_days_before_expiry) + " days";
        check.remedy = provided ? "ask IT for a new certificate before it expires"
                                : "run `cti-adapter tls renew`, restart the adapter and trust the new "
                                  "certificate (docs/TLS.md)";
    }
}

void describe_certificate(const TlsSettings& settings, CheckResult& check) {
    const bool provided = !settings.certificate_file.empty();
    const fs::path dir = tls::own_identity_dir();
    const fs::path file = provided ? fs::path(settings.certificate_file) : tls::own_certificate_file(dir);
    const fs::path key = provided ? fs::path(settings.key_file) : tls::own_key_file(dir);
    check.data["source"] = provided ? "provided" : "own";
    check.data["certificate_file"] = file.string();
    check.data["key_file"] = key.string();
    check.detail = "wss:// and https:// on the adapter's port, with " +
                   std::string(provided ? "IT's certificate " : "the adapter's own certificate ") + file.string();
    const auto pem = tls::read_pem_file(file);
    if (!pem) {
        check.status = provided ? CheckStatus::fail : CheckStatus::info;
        check.detail += provided ? " (cannot be read)" : " (not made yet: the adapter makes it at its next start)";
        if (provided) check.remedy = "correct \"tls.certificate_file\": the adapter refuses to start without it";
        return;
    }
    const auto facts = tls::read_certificate_facts(*pem);
    if (!facts) {
        check.status = provided ? CheckStatus::fail : CheckStatus::warn;
        check.detail += "\nunusable: " + facts.error().message;
        check.remedy = provided ? "correct \"tls.certificate_file\": the adapter refuses to start with it"
                                : "restart the adapter: it replaces an unusable own certificate";
        return;
    }
    describe_facts(*facts, check);
    judge(*facts, provided, check);
}
#endif

}  // namespace

CheckResult check_tls(const Config& config) {
    CheckResult check{"tls", "wss:// (TLS)", CheckStatus::info, "", "", {{"enabled", config.tls.enabled}}};
#ifdef CTI_WITH_TLS
    check.data["supported"] = true;
    if (!config.tls.enabled) {
        check.detail = "not enabled: pages connect with ws:// (\"tls\": {\"enabled\": true} adds wss://, docs/TLS.md)";
        return check;
    }
    check.status = CheckStatus::pass;
    describe_certificate(config.tls, check);
#else
    check.data["supported"] = false;
    if (!config.tls.enabled) {
        check.detail = "not enabled (and this build has no TLS support)";
        return check;
    }
    check.status = CheckStatus::warn;
    check.detail = "\"tls\": {\"enabled\": true} is set, but this build of cti-adapter has no TLS support: "
                   "it serves ws:// and http:// only";
    check.remedy = "connect pages with ws:// (cti.js without `secure`), or use a build with TLS";
#endif
    return check;
}

}  // namespace cti
