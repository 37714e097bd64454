#pragma once

#include <cstddef>
#include <vector>

namespace medvae::report {

// The summary statistics of one metric over a set of items, as the report's tables and box plots
// show them. Only finite values count (PSNR is +inf for identical images, NaN when unmeasured):
// the caller reports how many were left out.
//
// Quantiles interpolate linearly between order statistics (numpy's default): the q-quantile of
// the sorted values v[0..n-1] is v[k] + (v[k+1] - v[k]) * f with k + f = q * (n - 1). Whiskers
// reach the most extreme values within 1.5 interquartile ranges of the quartiles (Tukey).
class Distribution {
  public:
    explicit Distribution(std::vector<double> values);

    std::size_t count() const { return sorted_.size(); }
    bool empty() const { return sorted_.empty(); }
    double mean() const { return mean_; }
    double median() const { return quantile(0.5); }
    double lowerQuartile() const { return quantile(0.25); }
    double upperQuartile() const { return quantile(0.75); }
    double min() const { return empty() ? 0 : sorted_.front(); }
    double max() const { return empty() ? 0 : sorted_.back(); }
    double lowerWhisker() const;
    double upperWhisker() const;
    double quantile(double q) const;  // q in [0, 1]; 0 when empty
    const std::vector<double>& sorted() const { return sorted_; }

  private:
    std::vector<double> sorted_;
    double mean_ = 0;
};

}  // namespace medvae::report
