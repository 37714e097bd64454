#pragma once

#include <c10/util/Exception.h>

#include <new>
#include <stdexcept>
#include <string>

#include "error.h"

namespace medvae {

// Runs `f`, turning LibTorch's exceptions into the project's error with `what` as context (the
// project's own errors pass unchanged): "<what>: <LibTorch's message without its backtrace>".
template <typename F>
auto guarded(const std::string& what, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        throw Error(what + ": " + e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(what + ": out of memory");
    } catch (const std::exception& e) {
        throw Error(what + ": " + e.what());
    }
}

}  // namespace medvae
