#include "interrupt_watch.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "error.h"

namespace medvae::cli {
namespace {

std::atomic<int> gWakeFd{-1};

void onSignal(int) {
    const int fd = gWakeFd.load();
    const char byte = 's';
    // A full pipe already holds a wake-up: nothing more to do, and nothing else is safe here.
    if (fd >= 0 && ::write(fd, &byte, 1) < 0) return;
}

}  // namespace

InterruptWatch::InterruptWatch(std::function<void()> onInterrupt)
    : onInterrupt_(std::move(onInterrupt)) {
    if (::pipe2(pipe_, O_CLOEXEC) != 0) throw Error("cannot create a pipe to watch for Ctrl+C");
    gWakeFd = pipe_[1];
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &previousInt_);
    ::sigaction(SIGTERM, &action, &previousTerm_);
    waiter_ = std::thread([this] {
        char byte = 0;
        for (;;) {
            const ssize_t n = ::read(pipe_[0], &byte, 1);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // the destructor closed the pipe
            if (!interrupted_.exchange(true)) onInterrupt_();
        }
    });
}

InterruptWatch::~InterruptWatch() {
    ::sigaction(SIGINT, &previousInt_, nullptr);
    ::sigaction(SIGTERM, &previousTerm_, nullptr);
    gWakeFd = -1;
    ::close(pipe_[1]);  // the waiter reads the end of the pipe and returns
    waiter_.join();
    ::close(pipe_[0]);
}

}  // namespace medvae::cli
