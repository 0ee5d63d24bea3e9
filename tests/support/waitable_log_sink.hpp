// A log sink that keeps the last lines formatted and wakes whoever waits for a line to appear,
// so a test can wait for what the adapter logs instead of sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>

namespace cti::test {

class WaitableLogSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit WaitableLogSink(std::size_t kept_lines) : kept_lines_(kept_lines) {}

    std::vector<std::string> lines_with(const std::string& text) {
        std::lock_guard lock(lines_mutex_);
        std::vector<std::string> found;
        for (const auto& line : lines_)
            if (line.find(text) != std::string::npos) found.push_back(line);
        return found;
    }

    // Waits until a line holding `text` has been logged; false on timeout.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
        std::unique_lock lock(lines_mutex_);
        return logged_.wait_for(lock, timeout, [&] {
            for (const auto& line : lines_)
                if (line.find(text) != std::string::npos) return true;
            return false;
        });
    }

protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(message, formatted);
        {
            std::lock_guard lock(lines_mutex_);
            lines_.emplace_back(formatted.data(), formatted.size());
            if (lines_.size() > kept_lines_) lines_.pop_front();
        }
        logged_.notify_all();
    }
    void flush_() override {}

private:
    std::size_t kept_lines_;
    std::mutex lines_mutex_;  // base_sink's own mutex covers only sink_it_
    std::condition_variable logged_;
    std::deque<std::string> lines_;
};

}  // namespace cti::test
