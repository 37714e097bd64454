#pragma once

#include <QByteArray>

namespace medvae::serve {

// medvae-serve's OpenAPI 3 description (GET /swagger.json): the request and answer of POST
// /score, the error object and every status the server sends, and the health routes.
class OpenApiDocument {
  public:
    static QByteArray json();  // indented JSON
};

}  // namespace medvae::serve
