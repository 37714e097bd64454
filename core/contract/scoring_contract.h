#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

#include "engine.h"
#include "image.h"

namespace medvae::contract {

// The Azure ML MedVAE endpoint contract, both sides of it (the client and medvae-serve):
//   request  {"input_data": {"columns": ["image_path", "decode"], "data": [[<image>, <bool>]]}}
//   response {"predictions": [{"latent": <nested lists>, "decoded": <nested lists>}]}
// <image> is a base64 string of an image file or an http(s) URL.
class ScoringContract {
  public:
    // Lossless PNG of the image's pixels (alpha dropped; gray or RGB): 8-bit when every value is
    // an integer in 0..255 and the source has <= 8 bits, else 16-bit. Integer values that fit
    // 0..65535 (after a shift by the minimum when negative) are kept exactly; other values are
    // mapped linearly onto 0..65535. Both are affine per image, which the model's per-channel
    // min-max normalisation cancels. Only pixels leave: no metadata, no DICOM header.
    static QByteArray encodePng(const Image& image);

    static QByteArray requestBody(const QString& image, bool decode);

    // The server's reading of a request. Throws medvae::Error (the message suits a 400 answer),
    // also for a body of more than 4096 JSON values (checked before the JSON is parsed, so memory
    // stays proportional to the body).
    struct ScoreInput {
        QString image;
        bool decode = false;
    };
    static ScoreInput parseRequest(const QByteArray& body);

    // The server's answer: latent [C,h,w] as floats; decoded [C,H,W] as integers 0..255
    // ((x + 1) / 2 * 255, rounded and clamped), as the card's example shows.
    static QByteArray responseBody(const EncodeResult& result, bool decode);

    // The client's reading of a response, as tolerant as the card's own client: with or without
    // "predictions", a list (first element) or one object, a JSON string holding the JSON,
    // latent [h,w] / [C,h,w] / [1,C,h,w], decoded [H,W] / [C,H,W] / [1,C,H,W].
    // Decoded scale rule: when every value is >= 0 and some value is > 1.5 the values are read as
    // the 0..255 scale and mapped to model space by x / 255 * 2 - 1 (values over 255 are an
    // error); otherwise they are taken as model space already. Returns latent [C,h,w] and
    // decoded [C,H,W] float32 (undefined when absent); z stays undefined.
    // Malformed or truncated JSON, non-numbers, NaN/Infinity, ragged or wrongly shaped arrays,
    // and a decoded image whose size is not an integer multiple of the latent's throw
    // medvae::Error. `expectDecoded`: a missing "decoded" is an error.
    static EncodeResult parseResponse(const QByteArray& body, bool expectDecoded);
};

}  // namespace medvae::contract
