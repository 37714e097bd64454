#pragma once

// Helpers for tests of the scoring contract and of the clients that speak it.

#include <QByteArray>
#include <QString>

#include <functional>
#include <vector>

#include "error.h"

namespace medvae::test {

// The message of the medvae::Error `call` throws; a marker that matches no expected text when it
// throws nothing.
inline QString errorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error was thrown)");
}

// A nested JSON list of `shape` with values f(flat index).
inline QByteArray nested(const std::vector<int>& shape, const std::function<double(int)>& f) {
    QByteArray out;
    int index = 0;
    std::function<void(size_t)> emit = [&](size_t depth) {
        out += '[';
        for (int i = 0; i < shape[depth]; ++i) {
            if (i) out += ',';
            if (depth + 1 == shape.size())
                out += QByteArray::number(f(index++), 'g', 9);
            else
                emit(depth + 1);
        }
        out += ']';
    };
    emit(0);
    return out;
}

}  // namespace medvae::test
