#include "engine_check.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace medvae::test {
namespace {

struct Registry {
    std::vector<std::pair<std::string, TestFunction>> tests;
    std::string current;
    int passed = 0, failed = 0, skipped = 0;
};

Registry& registry() {
    static Registry r;
    return r;
}

// Runs `body` as one test or row, counting and printing its outcome.
void runOne(const std::string& name, const std::function<void()>& body) {
    Registry& r = registry();
    const std::string outer = r.current;
    r.current = name;
    const int before = r.passed + r.failed + r.skipped;
    try {
        body();
        // A test made of rows has reported each of them: it is not counted again.
        if (r.passed + r.failed + r.skipped == before) {
            std::cout << "PASS   : " << name << std::endl;
            ++r.passed;
        }
    } catch (const TestFailed&) {
        ++r.failed;
    } catch (const TestSkipped& s) {
        std::cout << "SKIP   : " << name << ": " << s.reason << std::endl;
        ++r.skipped;
    } catch (const std::exception& e) {
        std::cout << "FAIL!  : " << name << ": unexpected exception: " << e.what() << std::endl;
        ++r.failed;
    }
    r.current = outer;
}

}  // namespace

TestRegistrar::TestRegistrar(const char* name, TestFunction function) {
    registry().tests.emplace_back(name, function);
}

void fail(const char* file, int line, const std::string& message) {
    std::cout << "FAIL!  : " << registry().current << ": " << message << "\n   Loc: [" << file
              << "(" << line << ")]" << std::endl;
    throw TestFailed{};
}

void skip(const std::string& reason) {
    throw TestSkipped{reason};
}

void row(const std::string& name, const std::function<void()>& body) {
    runOne(registry().current + "(" + name + ")", body);
}

}  // namespace medvae::test

int main(int argc, char** argv) {
    using namespace medvae::test;
    const std::string filter = argc > 1 ? argv[1] : "";
    Registry& r = registry();
    for (const auto& [name, function] : r.tests) {
        if (name.find(filter) == std::string::npos) continue;
        runOne(name, function);
    }
    std::cout << "Totals: " << r.passed << " passed, " << r.failed << " failed, " << r.skipped
              << " skipped" << std::endl;
    if (r.failed) return 1;
    return r.passed == 0 && r.skipped > 0 ? 77 : 0;
}
