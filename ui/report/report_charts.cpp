#include "report_charts.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QBuffer>
#include <QChart>
#include <QFont>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

#include "distribution.h"

namespace medvae::ui {
namespace {

std::vector<double> finite(const std::vector<double>& values) {
    std::vector<double> v;
    std::copy_if(values.begin(), values.end(), std::back_inserter(v),
                 [](double x) { return std::isfinite(x); });
    return v;
}

// [low, high] covering `values`, never empty and never with an infinite width (values near
// DBL_MAX from a hostile manifest are clamped to a range a double can span).
std::pair<double, double> rangeOf(const std::vector<double>& values) {
    if (values.empty()) return {0, 1};
    constexpr double kLimit = std::numeric_limits<double>::max() / 4;
    double low = std::clamp(*std::min_element(values.begin(), values.end()), -kLimit, kLimit);
    double high = std::clamp(*std::max_element(values.begin(), values.end()), -kLimit, kLimit);
    if (high - low <= std::fabs(high) * 1e-12) {
        const double pad = std::max(std::fabs(high) * 0.01, 0.5);
        low -= pad;
        high += pad;
    }
    return {low, high};
}

QChart* newChart(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title.toHtmlEscaped());  // chart text is rich text
    chart->legend()->hide();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    QFont font = chart->titleFont();
    font.setPointSizeF(13);
    font.setBold(true);
    chart->setTitleFont(font);
    return chart;
}

QValueAxis* valueAxis(const QString& title, double low, double high) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title.toHtmlEscaped());
    axis->setRange(low, high);
    axis->setLabelFormat("%.4g");
    QFont font = axis->labelsFont();
    font.setPointSizeF(10);
    axis->setLabelsFont(font);
    font.setPointSizeF(11);
    axis->setTitleFont(font);
    return axis;
}

// The chart, laid out at kWidth x kHeight, painted onto an image and encoded as PNG.
QByteArray render(QChart* chart) {
    QGraphicsScene scene;
    scene.addItem(chart);  // the scene owns the chart from here
    chart->setGeometry(0, 0, ReportCharts::kWidth, ReportCharts::kHeight);
    chart->layout()->activate();
    QImage image(ReportCharts::kWidth, ReportCharts::kHeight, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        scene.render(&painter, image.rect(), chart->geometry());
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

}  // namespace

QByteArray ReportCharts::histogram(const QString& title, const QString& axis,
                                   const std::vector<double>& all, int bins) {
    const std::vector<double> values = finite(all);
    const auto [low, high] = rangeOf(values);
    bins = std::max(1, bins);
    const double width = (high - low) / bins;
    std::vector<int> counts(std::size_t(bins), 0);
    for (double v : values) {
        const double position = (std::clamp(v, low, high) - low) / width;
        ++counts[std::size_t(std::clamp(int(position), 0, bins - 1))];
    }
    // A step outline over each bin, filled down to zero.
    auto* upper = new QLineSeries;
    for (int b = 0; b < bins; ++b) {
        upper->append(low + b * width, counts[std::size_t(b)]);
        upper->append(low + (b + 1) * width, counts[std::size_t(b)]);
    }
    auto* area = new QAreaSeries(upper);
    area->setColor(QColor(70, 120, 180));
    area->setBorderColor(QColor(30, 60, 110));
    QChart* chart = newChart(title);
    chart->addSeries(area);
    auto* x = valueAxis(axis, low, high);
    const int tallest = counts.empty() ? 1 : *std::max_element(counts.begin(), counts.end());
    auto* y = valueAxis("Items", 0, std::max(1, tallest));
    y->setLabelFormat("%d");
    // Whole counts on every tick: one tick per count when few, else Qt's nice numbers.
    if (tallest <= 8)
        y->setTickCount(std::max(1, tallest) + 1);
    else
        y->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    area->attachAxis(x);
    area->attachAxis(y);
    return render(chart);
}

QByteArray ReportCharts::boxPlots(const QString& title, const QString& axis,
                                  const std::map<std::string, std::vector<double>>& groups) {
    std::vector<std::pair<std::string, report::Distribution>> boxes;
    for (const auto& [name, values] : groups)
        boxes.emplace_back(name, report::Distribution(values));
    std::stable_sort(boxes.begin(), boxes.end(), [](const auto& a, const auto& b) {
        return a.second.count() > b.second.count();
    });
    if (boxes.size() > kMaxBoxes) boxes.erase(boxes.begin() + kMaxBoxes, boxes.end());
    auto* series = new QBoxPlotSeries;
    std::vector<double> extremes;
    QStringList categories;
    for (const auto& [name, d] : boxes) {
        if (d.empty()) continue;
        const QString label =
            QString::fromStdString(name).left(24).toHtmlEscaped() + QString(" (%1)").arg(d.count());
        auto* box = new QBoxSet(d.lowerWhisker(), d.lowerQuartile(), d.median(), d.upperQuartile(),
                                d.upperWhisker(), label);
        box->setBrush(QColor(150, 190, 230));
        series->append(box);
        categories << label;
        extremes.push_back(d.lowerWhisker());
        extremes.push_back(d.upperWhisker());
    }
    QChart* chart = newChart(title);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText("Modality (items)");
    QFont font = x->labelsFont();
    font.setPointSizeF(10);
    x->setLabelsFont(font);
    font.setPointSizeF(11);
    x->setTitleFont(font);
    const auto [low, high] = rangeOf(extremes);
    const double pad = (high - low) * 0.05;
    auto* y = valueAxis(axis, low - pad, high + pad);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return render(chart);
}

QByteArray ReportCharts::scatter(const QString& title, const QString& axisA, const QString& axisB,
                                 const std::vector<std::pair<double, double>>& points) {
    auto* dots = new QScatterSeries;
    dots->setMarkerSize(7);
    dots->setColor(QColor(70, 120, 180));
    dots->setBorderColor(Qt::transparent);
    std::vector<double> all;
    for (const auto& [a, b] : points)
        if (std::isfinite(a) && std::isfinite(b)) {
            dots->append(a, b);
            all.push_back(a);
            all.push_back(b);
        }
    const auto [first, last] = rangeOf(all);
    const double pad = (last - first) * 0.03;  // dots on the edge stay whole
    const double low = first - pad, high = last + pad;
    auto* diagonal = new QLineSeries;  // y = x: where A and B agree
    diagonal->append(low, low);
    diagonal->append(high, high);
    diagonal->setPen(QPen(QColor(200, 60, 60), 1.5, Qt::DashLine));
    QChart* chart = newChart(title);
    chart->addSeries(diagonal);
    chart->addSeries(dots);
    auto* x = valueAxis(axisA, low, high);
    auto* y = valueAxis(axisB, low, high);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s :
         {static_cast<QAbstractSeries*>(diagonal), static_cast<QAbstractSeries*>(dots)}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    return render(chart);
}

}  // namespace medvae::ui
