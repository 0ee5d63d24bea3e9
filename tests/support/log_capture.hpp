// Every line the adapter logs while a LogCapture lives (in-process adapters), for checks on
// what a log line holds.
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "support/waitable_log_sink.hpp"

namespace cti::test {

class LogCapture {
public:
    LogCapture() : sink_(std::make_shared<WaitableLogSink>(1000)) {
        spdlog::default_logger()->sinks().push_back(sink_);
    }
    ~LogCapture() {
        auto& sinks = spdlog::default_logger()->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<std::string> lines_with(const std::string& text) const { return sink_->lines_with(text); }
    // Waits until a line holding `text` is logged; false on timeout.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
        return sink_->wait_for(text, timeout);
    }

private:
    std::shared_ptr<WaitableLogSink> sink_;
};

}  // namespace cti::test
