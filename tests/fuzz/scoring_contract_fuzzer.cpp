// libFuzzer target: the scoring contract's JSON readers, both sides of the endpoint: the server's
// request parser and the client's response parser. The first input byte selects the reader
// (0: request, 1: response, 2: response with "decoded" expected). Every refusal must be a
// medvae::Error; an accepted response must have consistent, finite tensors.
#include <ATen/ATen.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "error.h"
#include "scoring_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const QByteArray body(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    using medvae::contract::ScoringContract;
    try {
        switch (data[0] % 3) {
            case 0: {
                const ScoringContract::ScoreInput in = ScoringContract::parseRequest(body);
                if (in.image.isEmpty()) std::abort();
                break;
            }
            default: {
                const bool expectDecoded = data[0] % 3 == 2;
                const medvae::EncodeResult r = ScoringContract::parseResponse(body, expectDecoded);
                if (!r.latent.defined() || r.latent.dim() != 3 || r.latent.numel() == 0)
                    std::abort();
                if (!at::isfinite(r.latent).all().item<bool>()) std::abort();
                if (expectDecoded && !r.decoded.defined()) std::abort();
                if (r.decoded.defined()) {
                    if (r.decoded.dim() != 3 || (r.decoded.size(0) != 1 && r.decoded.size(0) != 3))
                        std::abort();
                    if (r.decoded.size(1) % r.latent.size(1) != 0) std::abort();
                    if (!at::isfinite(r.decoded).all().item<bool>()) std::abort();
                }
                break;
            }
        }
    } catch (const medvae::Error&) {
    }
    return 0;
}
