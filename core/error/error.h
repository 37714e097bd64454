#pragma once

#include <stdexcept>
#include <string>

namespace medvae {

// The one exception type of the project's core. Its message is meant for the user: what failed, on
// which input, and what to do about it. Executables and the UI catch it at their boundary.
class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Thrown when an input is refused for what it would cost (memory, size) rather than for being
// wrong: a smaller input, or a larger limit, would succeed.
class LimitExceeded : public Error {
  public:
    explicit LimitExceeded(const std::string& message) : Error(message) {}
};

// Thrown when a caller's cancel callback asked to stop; not a failure of the input.
class Cancelled : public Error {
  public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace medvae
