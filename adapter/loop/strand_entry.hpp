// How work enters a strand of the adapter's loop without a hop and without re-entering itself.
//
// On a loop run by one thread a strand that is not running is free: net::dispatch runs the work
// at once, on the caller's stack (the strand's queue is empty whenever it is free, so nothing
// is overtaken). When this thread is already inside the strand, dispatch would run the work in
// the middle of the strand's own code; enter() queues it behind that code instead.
#pragma once

#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace cti::drivers {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

template <typename Work>
void enter(const Strand& strand, Work&& work) {
    if (strand.running_in_this_thread())
        boost::asio::post(strand, std::forward<Work>(work));
    else
        boost::asio::dispatch(strand, std::forward<Work>(work));
}

}  // namespace cti::drivers
