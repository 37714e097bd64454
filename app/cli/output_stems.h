#pragma once

#include <QString>

#include <map>
#include <string>

namespace medvae::cli {

// The stems results are named after, one per input of a command: a second input whose results
// would overwrite the first's is refused.
class OutputStems {
  public:
    // Throws medvae::Error naming the input that claimed `stem` first.
    void claim(const std::string& stem, const QString& input);

  private:
    std::map<std::string, QString> claimed_;  // stem -> the input that claimed it
};

}  // namespace medvae::cli
