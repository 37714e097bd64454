#pragma once

// Test helpers for the keychain: a fake backend that answers only when told, and ways to wait
// for a keychain answer from a test's main thread without blocking the jobs it has to run.

#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "key_store.h"
#include "keychain_backend.h"

namespace medvae::test {

// A keychain in memory that holds every job until the test answers it (answerNext/answerAll), or
// answers by itself from the event loop when `autoAnswer` is set. Records where and when jobs
// were started. Main thread only, like every KeychainBackend.
class FakeKeychain : public remote::KeychainBackend {
  public:
    bool autoAnswer = false;
    std::optional<Outcome::Status> failWith;  // answer every job with this instead
    std::function<void(const Job&)> onStart;  // runs inside start(), after the job is queued
    std::vector<Job> started;
    std::vector<int> startLoopLevels;  // QThread::loopLevel() of the main thread at each start
    bool allOnMainThread = true;
    std::map<QString, QString> entries;  // account -> key

    void start(const Job& job, Done done) override {
        started.push_back(job);
        startLoopLevels.push_back(QThread::currentThread()->loopLevel());
        allOnMainThread = allOnMainThread && QThread::currentThread() == qApp->thread();
        waiting_.emplace_back(job, std::move(done));
        if (autoAnswer) QTimer::singleShot(0, qApp, [this] { answerNext(); });
        if (onStart) onStart(job);
    }
    std::size_t waiting() const { return waiting_.size(); }
    // Does the oldest waiting job and tells KeyStore; false when none waits.
    bool answerNext() {
        if (waiting_.empty()) return false;
        auto [job, done] = std::move(waiting_.front());
        waiting_.pop_front();
        done(perform(job));
        return true;
    }
    void answerAll() {
        while (answerNext()) {
        }
    }

  private:
    Outcome perform(const Job& job) {
        Outcome outcome;
        if (failWith) {
            outcome.status = *failWith;
            outcome.detail = QStringLiteral("fake keychain says no");
            return outcome;
        }
        const auto it = entries.find(job.account);
        switch (job.action) {
            case Action::Store:
                entries[job.account] = job.key;
                break;
            case Action::Remove:
                if (it == entries.end()) outcome.status = Outcome::Status::NoEntry;
                if (it != entries.end()) entries.erase(it);
                break;
            case Action::Read:
                if (it == entries.end())
                    outcome.status = Outcome::Status::NoEntry;
                else
                    outcome.key = it->second;
                break;
        }
        return outcome;
    }

    std::deque<std::pair<Job, Done>> waiting_;
};

// Runs `call` on a worker thread (where the application reads keys), while this main thread keeps
// handling events so that the keychain jobs handed to it can run. Returns what `call` returned,
// or rethrows what it threw.
template <class Call>
auto onWorker(Call call) {
    using Result = decltype(call());
    std::exception_ptr error;
    std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>> value{};
    const std::unique_ptr<QThread> thread(QThread::create([&] {
        try {
            if constexpr (std::is_void_v<Result>)
                call();
            else
                value = call();
        } catch (...) {
            error = std::current_exception();
        }
    }));
    thread->start();
    if (!QTest::qWaitFor([&] { return thread->isFinished(); }, 60000))
        qFatal("a keychain call on a worker thread did not return within 60 s");
    thread->wait();
    if (error) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<Result>) return std::move(*value);
}

// Starts an asynchronous request with `start` and waits (handling events) for its answer.
inline remote::KeyStore::Reply answerOf(
    const std::function<void(const remote::KeyStore::Callback&)>& start) {
    std::optional<remote::KeyStore::Reply> reply;
    start([&reply](const remote::KeyStore::Reply& r) { reply = r; });
    if (!QTest::qWaitFor([&] { return reply.has_value(); }, 60000))
        qFatal("no keychain answer within 60 s");
    return *reply;
}

}  // namespace medvae::test
