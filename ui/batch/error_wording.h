#pragma once

#include <QString>

namespace medvae::ui {

// The errors a user meets most, in the UI's language. Core errors carry one English message
// (what failed, on which input, what to do), which logs and manifests keep as it is; the UI
// shows them through wording(): a known message is translated with its details (paths, sizes,
// the library's own text) kept, any other stays English. In the batch library, the lowest one
// that every panel showing errors links.
class ErrorWording {
  public:
    static QString wording(const QString& englishMessage);
};

}  // namespace medvae::ui
