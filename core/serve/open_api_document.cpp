#include "open_api_document.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include "error.h"

namespace medvae::serve {

// The document is openapi.json, embedded as a Qt resource (see CMakeLists.txt): edited as JSON,
// served as QJsonDocument writes it.
QByteArray OpenApiDocument::json() {
    static const QByteArray document = [] {
        QFile file(QStringLiteral(":/medvae/serve/openapi.json"));
        if (!file.open(QIODevice::ReadOnly))
            throw Error("the OpenAPI document is missing from the program (a build problem)");
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(file.readAll(), &error);
        if (parsed.isNull())
            throw Error("the embedded OpenAPI document is not valid JSON: " +
                        error.errorString().toStdString());
        return parsed.toJson(QJsonDocument::Indented);
    }();
    return document;
}

}  // namespace medvae::serve
