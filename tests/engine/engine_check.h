#pragma once

// A small test runner for the engine's tests, which build with LibTorch alone (no Qt): named test
// functions, checks that print what failed with its values, file and line, rows of data-driven
// tests that fail independently, and skips. The executable's exit code is 0 when everything ran
// and passed, 1 on any failure, 77 when every test was skipped (CTest's SKIP_RETURN_CODE), so a
// machine without what a test needs reports SKIPPED, never "passed".
//
//   ENGINE_TEST(name) { VERIFY(a < b); COMPARE(x, y); VERIFY_MSG(ok, "why"); }
//   usage: tst_x [name-filter]
//
// Not CHECK/CHECK_EQ: Debian's LibTorch pulls in glog, which defines those.

#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace medvae::test {

struct TestFailed {};
struct TestSkipped {
    std::string reason;
};

using TestFunction = void (*)();
struct TestRegistrar {
    TestRegistrar(const char* name, TestFunction function);
};

// Prints the failure and aborts the current test (or row).
[[noreturn]] void fail(const char* file, int line, const std::string& message);
// Skips the current test (or row) with a reason.
[[noreturn]] void skip(const std::string& reason);
// Runs one row of a data-driven test: a failure or skip ends that row only.
void row(const std::string& name, const std::function<void()>& body);

template <typename T>
std::string describe(const T& v) {
    std::ostringstream s;
    if constexpr (std::is_same_v<T, std::string>) {
        s << '"' << v << '"';
    } else if constexpr (std::is_enum_v<T>) {
        s << static_cast<long long>(v);
    } else if constexpr (std::is_arithmetic_v<T>) {
        s.precision(10);
        s << v;
    } else if constexpr (std::is_convertible_v<T, const char*>) {
        s << '"' << v << '"';
    } else {
        s << '[';
        bool first = true;
        for (const auto& item : v) {
            s << (first ? "" : ", ") << describe(item);
            first = false;
        }
        s << ']';
    }
    return s.str();
}

}  // namespace medvae::test

#define ENGINE_TEST(name)                                                      \
    static void name();                                                        \
    static const ::medvae::test::TestRegistrar name##_registrar(#name, &name); \
    static void name()

#define VERIFY(cond)                                                                \
    do {                                                                            \
        if (!(cond)) ::medvae::test::fail(__FILE__, __LINE__, "VERIFY(" #cond ")"); \
    } while (0)

#define VERIFY_MSG(cond, message)                                                            \
    do {                                                                                     \
        if (!(cond))                                                                         \
            ::medvae::test::fail(__FILE__, __LINE__,                                         \
                                 std::string("VERIFY(" #cond "): ") + std::string(message)); \
    } while (0)

#define COMPARE(actual, expected)                                                         \
    do {                                                                                  \
        const auto& check_actual_ = (actual);                                             \
        const auto& check_expected_ = (expected);                                         \
        if (!(check_actual_ == check_expected_))                                          \
            ::medvae::test::fail(__FILE__, __LINE__,                                      \
                                 "COMPARE(" #actual ", " #expected "): " +                \
                                     ::medvae::test::describe(check_actual_) +            \
                                     " != " + ::medvae::test::describe(check_expected_)); \
    } while (0)

// `expr` must throw `Type` (not another exception, not nothing).
#define VERIFY_THROWS(Type, expr)                                                           \
    do {                                                                                    \
        std::string check_outcome_ = "nothing was thrown";                                  \
        try {                                                                               \
            (void)(expr);                                                                   \
        } catch (const Type&) {                                                             \
            check_outcome_.clear();                                                         \
        } catch (const std::exception& e) {                                                 \
            check_outcome_ = std::string("another exception: ") + e.what();                 \
        }                                                                                   \
        if (!check_outcome_.empty())                                                        \
            ::medvae::test::fail(__FILE__, __LINE__,                                        \
                                 "VERIFY_THROWS(" #Type ", " #expr "): " + check_outcome_); \
    } while (0)
