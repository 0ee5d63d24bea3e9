#include "doctor/driver_check.hpp"

namespace cti {

void describe_driver(const nlohmann::json& driver, CheckResult& check) {
    const auto name = driver.value("name", "");
    const auto state = driver.value("status", "");
    const auto detail = driver.value("detail", "");
    const bool waiting = state == "connecting";
    check.data = {{"name", name}, {"status", state}, {"detail", detail}, {"confirmed", state == "connected"}};
    check.detail = name + ": " + state + (detail.empty() ? "" : " (" + detail + ")");
    check.status = state == "connected" ? CheckStatus::pass : waiting ? CheckStatus::warn : CheckStatus::fail;
    const auto guide = "see docs/drivers/" + name + ".md";
    if (waiting)
        check.remedy = "the phone system has not confirmed yet what the driver asked for, so calls may not "
                       "pop: run doctor again in a moment; if it stays so, check that the phone system offers "
                       "what the '" + name + "' section needs; " + guide;
    else if (check.status == CheckStatus::fail)
        check.remedy = "the adapter cannot reach its phone system: check the '" + name +
                       "' section of the config (address, account) and that the phone system runs; " + guide;
}

}  // namespace cti
