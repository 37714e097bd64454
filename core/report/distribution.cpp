#include "distribution.h"

#include <algorithm>
#include <cmath>

namespace medvae::report {

Distribution::Distribution(std::vector<double> values) {
    values.erase(
        std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
        values.end());
    std::sort(values.begin(), values.end());
    sorted_ = std::move(values);
    // long double: a sum of values near DBL_MAX (a hostile manifest) stays finite.
    long double sum = 0;
    for (double v : sorted_)
        sum += v;
    if (!sorted_.empty()) mean_ = double(sum / (long double)sorted_.size());
}

double Distribution::quantile(double q) const {
    if (sorted_.empty()) return 0;
    const double position = std::clamp(q, 0.0, 1.0) * double(sorted_.size() - 1);
    const std::size_t k = std::size_t(std::floor(position));
    const double f = position - double(k);
    if (k + 1 >= sorted_.size()) return sorted_.back();
    // long double: the gap between values near -DBL_MAX and DBL_MAX stays finite.
    const long double a = sorted_[k], b = sorted_[k + 1];
    return double(a + (b - a) * f);
}

double Distribution::lowerWhisker() const {
    if (empty()) return 0;
    const long double q1 = lowerQuartile(), reach = 1.5L * ((long double)upperQuartile() - q1);
    const auto it = std::find_if(sorted_.begin(), sorted_.end(),
                                 [&](double v) { return (long double)v >= q1 - reach; });
    return it == sorted_.end() ? min() : *it;
}

double Distribution::upperWhisker() const {
    if (empty()) return 0;
    const long double q3 = upperQuartile(), reach = 1.5L * (q3 - (long double)lowerQuartile());
    const auto it = std::find_if(sorted_.rbegin(), sorted_.rend(),
                                 [&](double v) { return (long double)v <= q3 + reach; });
    return it == sorted_.rend() ? max() : *it;
}

}  // namespace medvae::report
