#include "volume_planes.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace medvae {

// Slice or projection as a float matrix, rows top to bottom.
cv::Mat axialSlice(const NiftiVolume& v, std::int64_t z) {
    cv::Mat p(int(v.dims[1]), int(v.dims[0]), CV_32F);  // rows: y (posterior -> anterior), cols: x
    for (std::int64_t y = 0; y < v.dims[1]; ++y)
        for (std::int64_t x = 0; x < v.dims[0]; ++x)
            p.at<float>(int(v.dims[1] - 1 - y), int(x)) = v.at(x, y, z);
    return p;
}

cv::Mat coronalSlice(const NiftiVolume& v, std::int64_t y) {
    cv::Mat p(int(v.dims[2]), int(v.dims[0]), CV_32F);  // rows: z, superior at the top
    for (std::int64_t z = 0; z < v.dims[2]; ++z)
        for (std::int64_t x = 0; x < v.dims[0]; ++x)
            p.at<float>(int(v.dims[2] - 1 - z), int(x)) = v.at(x, y, z);
    return p;
}

cv::Mat sagittalSlice(const NiftiVolume& v, std::int64_t x) {
    cv::Mat p(int(v.dims[2]), int(v.dims[1]), CV_32F);
    for (std::int64_t z = 0; z < v.dims[2]; ++z)
        for (std::int64_t y = 0; y < v.dims[1]; ++y)
            p.at<float>(int(v.dims[2] - 1 - z), int(y)) = v.at(x, y, z);
    return p;
}

// Parallel projection through the volume, rotated by `degrees` about the head-foot axis:
// each axial slice is rotated and summed along its rows, giving one row of the projection.
cv::Mat lateralProjection(const NiftiVolume& v, double degrees) {
    const int w = int(v.dims[0]), h = int(v.dims[1]);
    const int side = int(std::ceil(std::sqrt(double(w) * w + double(h) * h)));
    cv::Mat out(int(v.dims[2]), side, CV_32F, cv::Scalar(0));
    for (std::int64_t z = 0; z < v.dims[2]; ++z) {
        cv::Mat slice = axialSlice(v, z);
        cv::Mat padded(side, side, CV_32F, cv::Scalar(0));
        slice.copyTo(padded(cv::Rect((side - w) / 2, (side - h) / 2, w, h)));
        const cv::Mat rot =
            cv::getRotationMatrix2D(cv::Point2f(side / 2.0f, side / 2.0f), degrees, 1.0);
        cv::Mat rotated;
        cv::warpAffine(padded, rotated, rot, padded.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                       0);
        cv::Mat sum;
        cv::reduce(rotated, sum, 0, cv::REDUCE_SUM, CV_32F);
        sum.copyTo(out.row(int(v.dims[2] - 1 - z)));
    }
    return out;
}

cv::Mat axialProjection(const NiftiVolume& v) {
    cv::Mat out(int(v.dims[1]), int(v.dims[0]), CV_32F, cv::Scalar(0));
    for (std::int64_t z = 0; z < v.dims[2]; ++z)
        out += axialSlice(v, z);
    return out;
}

// Radiograph-like contrast: log-compressed line integrals.
cv::Mat logScale(const cv::Mat& sums) {
    double lo, hi;
    cv::minMaxLoc(sums, &lo, &hi);
    cv::Mat out(sums.size(), CV_32F);
    const double k = 20.0;
    for (int y = 0; y < sums.rows; ++y)
        for (int x = 0; x < sums.cols; ++x)
            out.at<float>(y, x) =
                float(std::log1p(k * std::max(0.0f, sums.at<float>(y, x)) / std::max(hi, 1e-12)) /
                      std::log1p(k));
    return out;
}

double foreground(const cv::Mat& p) {
    double lo, hi;
    cv::minMaxLoc(p, &lo, &hi);
    if (hi <= lo) return 0;
    return double(cv::countNonZero(p > lo + 0.05 * (hi - lo))) / double(p.total());
}

// Percentile normalisation to [0, 1], aspect-preserving fit into size x size, zero padding.
std::vector<float> fitInto(const cv::Mat& plane, int size) {
    std::vector<float> values(plane.begin<float>(), plane.end<float>());
    std::sort(values.begin(), values.end());
    const float lo = values[std::size_t(0.001 * double(values.size() - 1))];
    const float hi = values[std::size_t(0.999 * double(values.size() - 1))];
    cv::Mat norm;
    plane.convertTo(norm, CV_32F, hi > lo ? 1.0 / (hi - lo) : 0.0, hi > lo ? -lo / (hi - lo) : 0.0);
    norm = cv::max(norm, 0.0);
    norm = cv::min(norm, 1.0);
    const double scale = double(size) / std::max(plane.rows, plane.cols);
    const int w = std::max(1, int(std::lround(plane.cols * scale))),
              h = std::max(1, int(std::lround(plane.rows * scale)));
    cv::Mat resized;
    cv::resize(norm, resized, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    cv::Mat out(size, size, CV_32F, cv::Scalar(0));
    resized.copyTo(out(cv::Rect((size - w) / 2, (size - h) / 2, w, h)));
    out = cv::max(out, 0.0);
    out = cv::min(out, 1.0);
    return std::vector<float>(out.begin<float>(), out.end<float>());
}

cv::Mat minMax(const cv::Mat& plane) {
    double lo, hi;
    cv::minMaxLoc(plane, &lo, &hi);
    cv::Mat out;
    plane.convertTo(out, CV_32F, hi > lo ? 1.0 / (hi - lo) : 0.0, hi > lo ? -lo / (hi - lo) : 0.0);
    return out;
}

}  // namespace medvae
