#include "open_api_document.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace medvae::serve {

QByteArray OpenApiDocument::json() {
    const auto nested = [](const QString& description, const QString& itemType) {
        return QJsonObject{
            {QStringLiteral("type"), QStringLiteral("array")},
            {QStringLiteral("description"), description},
            {QStringLiteral("items"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                         {QStringLiteral("items"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                      {QStringLiteral("items"),
                                       QJsonObject{{QStringLiteral("type"), itemType}}}}}}}};
    };
    const QJsonObject error{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("error"),
              QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("object")},
                  {QStringLiteral("properties"),
                   QJsonObject{
                       {QStringLiteral("status"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")}}},
                       {QStringLiteral("code"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                       {QStringLiteral("message"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                       {QStringLiteral("request_id"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}}}}}}};
    const QJsonObject request{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("input_data")}},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("input_data"),
              QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("object")},
                  {QStringLiteral("required"),
                   QJsonArray{QStringLiteral("columns"), QStringLiteral("data")}},
                  {QStringLiteral("properties"),
                   QJsonObject{
                       {QStringLiteral("columns"),
                        QJsonObject{
                            {QStringLiteral("type"), QStringLiteral("array")},
                            {QStringLiteral("items"),
                             QJsonObject{
                                 {QStringLiteral("type"), QStringLiteral("string")},
                                 {QStringLiteral("enum"), QJsonArray{QStringLiteral("image_path"),
                                                                     QStringLiteral("decode")}}}},
                            {QStringLiteral("example"),
                             QJsonArray{QStringLiteral("image_path"), QStringLiteral("decode")}}}},
                       {QStringLiteral("data"),
                        QJsonObject{
                            {QStringLiteral("type"), QStringLiteral("array")},
                            {QStringLiteral("minItems"), 1},
                            {QStringLiteral("maxItems"), 1},
                            {QStringLiteral("description"),
                             QStringLiteral(
                                 "One row: [image_path, decode]. image_path is a base64-encoded "
                                 "image file (PNG, JPEG, TIFF, DICOM, ...) or, when the server "
                                 "runs with --allow-url-fetch, an http(s) URL; decode (boolean, "
                                 "optional) also returns the reconstruction.")},
                            {QStringLiteral("items"),
                             QJsonObject{
                                 {QStringLiteral("type"), QStringLiteral("array")}}}}}}}}}}}};
    const QJsonObject prediction{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("latent")}},
        {QStringLiteral("properties"),
         QJsonObject{
             {QStringLiteral("latent"),
              nested(QStringLiteral("Stage-2 latent [C, h, w], h = floor(H/8), w = floor(W/8) for "
                                    "8x models, float"),
                     QStringLiteral("number"))},
             {QStringLiteral("decoded"),
              nested(QStringLiteral(
                         "Reconstruction [C, H', W'] from the posterior mean, integers 0-255 ((x + "
                         "1) / 2 * 255 of model space [-1, 1]); only when decode is true"),
                     QStringLiteral("integer"))}}}};
    const QJsonObject response{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("predictions"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                  {QStringLiteral("items"), prediction}}}}}};
    const auto errorResponse = [&error](const QString& description) {
        return QJsonObject{{QStringLiteral("description"), description},
                           {QStringLiteral("content"),
                            QJsonObject{{QStringLiteral("application/json"),
                                         QJsonObject{{QStringLiteral("schema"), error}}}}}};
    };
    QJsonObject responses{
        {QStringLiteral("200"),
         QJsonObject{{QStringLiteral("description"),
                      QStringLiteral("The latent, and the reconstruction when asked")},
                     {QStringLiteral("content"),
                      QJsonObject{{QStringLiteral("application/json"),
                                   QJsonObject{{QStringLiteral("schema"), response}}}}}}},
        {QStringLiteral("400"),
         errorResponse(QStringLiteral(
             "Invalid JSON, columns, base64 or image; URL given while URL fetching is off"))},
        {QStringLiteral("401"), errorResponse(QStringLiteral("Missing or invalid Bearer key"))},
        {QStringLiteral("408"), errorResponse(QStringLiteral("Past the per-request timeout"))},
        {QStringLiteral("413"), errorResponse(QStringLiteral("Body over --max-body-bytes"))},
        {QStringLiteral("424"),
         errorResponse(QStringLiteral("The model failed (ms-azureml-model-error-* headers)"))},
        {QStringLiteral("429"), errorResponse(QStringLiteral("Queue full; see Retry-After"))},
        {QStringLiteral("503"),
         errorResponse(QStringLiteral("Shutting down, or too many connections"))}};
    const QJsonObject spec{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"),
         QJsonObject{
             {QStringLiteral("title"), QStringLiteral("medvae-serve")},
             {QStringLiteral("version"), QStringLiteral("1")},
             {QStringLiteral("description"),
              QStringLiteral(
                  "MedVAE scoring, compatible with the Azure ML MedVAE endpoint contract")}}},
        {QStringLiteral("components"),
         QJsonObject{
             {QStringLiteral("securitySchemes"),
              QJsonObject{{QStringLiteral("bearer"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                                       {QStringLiteral("scheme"), QStringLiteral("bearer")}}}}}}},
        {QStringLiteral("paths"),
         QJsonObject{
             {QStringLiteral("/score"),
              QJsonObject{
                  {QStringLiteral("post"),
                   QJsonObject{{QStringLiteral("summary"),
                                QStringLiteral("Encode one image (and decode it when asked)")},
                               {QStringLiteral("security"),
                                QJsonArray{QJsonObject{{QStringLiteral("bearer"), QJsonArray{}}}}},
                               {QStringLiteral("requestBody"),
                                QJsonObject{{QStringLiteral("required"), true},
                                            {QStringLiteral("content"),
                                             QJsonObject{{QStringLiteral("application/json"),
                                                          QJsonObject{{QStringLiteral("schema"),
                                                                       request}}}}}}},
                               {QStringLiteral("responses"), responses}}}}},
             {QStringLiteral("/"),
              QJsonObject{{QStringLiteral("get"),
                           QJsonObject{{QStringLiteral("summary"), QStringLiteral("Liveness")},
                                       {QStringLiteral("responses"),
                                        QJsonObject{{QStringLiteral("200"),
                                                     QJsonObject{{QStringLiteral("description"),
                                                                  QStringLiteral("alive")}}}}}}}}},
             {QStringLiteral("/ready"),
              QJsonObject{
                  {QStringLiteral("get"),
                   QJsonObject{
                       {QStringLiteral("summary"),
                        QStringLiteral("Readiness: model loaded, a free place in the queue, not "
                                       "shutting down")},
                       {QStringLiteral("responses"),
                        QJsonObject{
                            {QStringLiteral("200"),
                             QJsonObject{{QStringLiteral("description"), QStringLiteral("ready")}}},
                            {QStringLiteral("503"),
                             QJsonObject{
                                 {QStringLiteral("description"),
                                  QStringLiteral("busy (queue full) or shutting down")}}}}}}}}}}}};
    return QJsonDocument(spec).toJson(QJsonDocument::Indented);
}

}  // namespace medvae::serve
