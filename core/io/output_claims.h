#pragma once

#include <map>
#include <string>

namespace medvae {

// The output stems of one run (a medvae-cli encode or decode, a batch), each claimed by the
// first input named after it: a second input whose results would overwrite the first's is
// refused with the same words everywhere.
class OutputClaims {
  public:
    // Empty when `source` now owns `stem`; otherwise the reason it cannot, naming the input
    // that claimed the stem first.
    std::string claim(const std::string& stem, const std::string& source);
    // Empty unless another input than `source` claimed `stem`; then the reason, as claim()
    // gives it. For names known only later (the frames of a multi-frame input, once read),
    // checked against every input's claim.
    std::string claimedByAnother(const std::string& stem, const std::string& source) const;

  private:
    std::map<std::string, std::string> claimed_;  // stem -> the input that claimed it
};

}  // namespace medvae
