#pragma once

#include <QByteArray>

namespace medvae::serve {

// medvae-serve's OpenAPI 3 description (GET /swagger.json): the request and answer of POST
// /score, the error object and every status the server sends, and the health routes. The
// document itself is core/serve/openapi.json, embedded in the program as a Qt resource.
class OpenApiDocument {
  public:
    // Indented JSON. Throws medvae::Error only when the embedded document is missing or invalid
    // (a broken build).
    static QByteArray json();
};

}  // namespace medvae::serve
