#pragma once

#include <QByteArray>
#include <QString>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace medvae::ui {

// The report's plots, drawn with Qt Charts into PNG bytes (no window: a QChart in its own
// graphics scene painted onto a QImage). Needs a QApplication on the calling thread; under the
// offscreen platform no display is needed. Non-finite values are left out of every plot.
class ReportCharts {
  public:
    static constexpr int kWidth = 800, kHeight = 480;  // pixels of every plot

    // Counts of `values` in `bins` equal bins between their minimum and maximum.
    static QByteArray histogram(const QString& title, const QString& axis,
                                const std::vector<double>& values, int bins = 30);
    // One box (whiskers, quartiles, median; see report::Distribution) per group, groups with
    // the most items first, at most kMaxBoxes.
    static QByteArray boxPlots(const QString& title, const QString& axis,
                               const std::map<std::string, std::vector<double>>& groups);
    // Model A's value against model B's for each item, with the line y = x.
    static QByteArray scatter(const QString& title, const QString& axisA, const QString& axisB,
                              const std::vector<std::pair<double, double>>& points);

    static constexpr std::size_t kMaxBoxes = 12;
};

}  // namespace medvae::ui
