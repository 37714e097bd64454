#include "demo_dataset.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "error.h"
#include "nifti_file.h"

namespace medvae {
namespace {

// Slice or projection as a float matrix, rows top to bottom.
using Plane = cv::Mat;  // CV_32F

Plane axialSlice(const NiftiVolume& v, std::int64_t z) {
    Plane p(int(v.dims[1]), int(v.dims[0]), CV_32F);  // rows: y (posterior -> anterior), cols: x
    for (std::int64_t y = 0; y < v.dims[1]; ++y)
        for (std::int64_t x = 0; x < v.dims[0]; ++x)
            p.at<float>(int(v.dims[1] - 1 - y), int(x)) = v.at(x, y, z);
    return p;
}

Plane coronalSlice(const NiftiVolume& v, std::int64_t y) {
    Plane p(int(v.dims[2]), int(v.dims[0]), CV_32F);  // rows: z, superior at the top
    for (std::int64_t z = 0; z < v.dims[2]; ++z)
        for (std::int64_t x = 0; x < v.dims[0]; ++x)
            p.at<float>(int(v.dims[2] - 1 - z), int(x)) = v.at(x, y, z);
    return p;
}

Plane sagittalSlice(const NiftiVolume& v, std::int64_t x) {
    Plane p(int(v.dims[2]), int(v.dims[1]), CV_32F);
    for (std::int64_t z = 0; z < v.dims[2]; ++z)
        for (std::int64_t y = 0; y < v.dims[1]; ++y)
            p.at<float>(int(v.dims[2] - 1 - z), int(y)) = v.at(x, y, z);
    return p;
}

// Parallel projection through the volume, rotated by `degrees` about the head-foot axis:
// each axial slice is rotated and summed along its rows, giving one row of the projection.
Plane lateralProjection(const NiftiVolume& v, double degrees) {
    const int w = int(v.dims[0]), h = int(v.dims[1]);
    const int side = int(std::ceil(std::sqrt(double(w) * w + double(h) * h)));
    Plane out(int(v.dims[2]), side, CV_32F, cv::Scalar(0));
    for (std::int64_t z = 0; z < v.dims[2]; ++z) {
        Plane slice = axialSlice(v, z);
        Plane padded(side, side, CV_32F, cv::Scalar(0));
        slice.copyTo(padded(cv::Rect((side - w) / 2, (side - h) / 2, w, h)));
        const cv::Mat rot =
            cv::getRotationMatrix2D(cv::Point2f(side / 2.0f, side / 2.0f), degrees, 1.0);
        Plane rotated;
        cv::warpAffine(padded, rotated, rot, padded.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                       0);
        Plane sum;
        cv::reduce(rotated, sum, 0, cv::REDUCE_SUM, CV_32F);
        sum.copyTo(out.row(int(v.dims[2] - 1 - z)));
    }
    return out;
}

Plane axialProjection(const NiftiVolume& v) {
    Plane out(int(v.dims[1]), int(v.dims[0]), CV_32F, cv::Scalar(0));
    for (std::int64_t z = 0; z < v.dims[2]; ++z)
        out += axialSlice(v, z);
    return out;
}

// Radiograph-like contrast: log-compressed line integrals.
Plane logScale(const Plane& sums) {
    double lo, hi;
    cv::minMaxLoc(sums, &lo, &hi);
    Plane out(sums.size(), CV_32F);
    const double k = 20.0;
    for (int y = 0; y < sums.rows; ++y)
        for (int x = 0; x < sums.cols; ++x)
            out.at<float>(y, x) =
                float(std::log1p(k * std::max(0.0f, sums.at<float>(y, x)) / std::max(hi, 1e-12)) /
                      std::log1p(k));
    return out;
}

double foreground(const Plane& p) {
    double lo, hi;
    cv::minMaxLoc(p, &lo, &hi);
    if (hi <= lo) return 0;
    return double(cv::countNonZero(p > lo + 0.05 * (hi - lo))) / double(p.total());
}

// Percentile normalisation to [0, 1], aspect-preserving fit into size x size, zero padding.
std::vector<float> finish(const Plane& plane, int size) {
    std::vector<float> values(plane.begin<float>(), plane.end<float>());
    std::sort(values.begin(), values.end());
    const float lo = values[std::size_t(0.001 * double(values.size() - 1))];
    const float hi = values[std::size_t(0.999 * double(values.size() - 1))];
    Plane norm;
    plane.convertTo(norm, CV_32F, hi > lo ? 1.0 / (hi - lo) : 0.0, hi > lo ? -lo / (hi - lo) : 0.0);
    norm = cv::max(norm, 0.0);
    norm = cv::min(norm, 1.0);
    const double scale = double(size) / std::max(plane.rows, plane.cols);
    const int w = std::max(1, int(std::lround(plane.cols * scale))),
              h = std::max(1, int(std::lround(plane.rows * scale)));
    Plane resized;
    cv::resize(norm, resized, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    Plane out(size, size, CV_32F, cv::Scalar(0));
    resized.copyTo(out(cv::Rect((size - w) / 2, (size - h) / 2, w, h)));
    out = cv::max(out, 0.0);
    out = cv::min(out, 1.0);
    return std::vector<float>(out.begin<float>(), out.end<float>());
}

std::string number(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", i);
    return buf;
}

}  // namespace

std::vector<DemoDataset::Source> DemoDataset::defaultSources(const std::string& templateDir) {
    std::vector<Source> sources;
    for (const char* file : {"ch2better.nii.gz", "ch2.nii.gz", "ch2bet.nii.gz"})
        sources.push_back({templateDir + "/" + file, false});
    sources.push_back({templateDir + "/inia19-t1-brain.nii.gz", true});
    for (const auto& s : sources)
        if (!std::filesystem::exists(s.file))
            throw Error(
                "'" + s.file +
                "' is missing; install Debian's mricron-data package (packaging/install-deps.sh)");
    return sources;
}

std::vector<DatasetImage> DemoDataset::build(const std::vector<Source>& sources, int size) {
    std::vector<DatasetImage> images;
    for (const Source& source : sources) {
        const NiftiVolume v = NiftiFile::read(source.file);
        std::string name = std::filesystem::path(source.file).filename().string();
        name = name.substr(0, name.find(".nii"));
        auto add = [&](const std::string& kind, int index, const Plane& plane, bool heldOut) {
            if (foreground(plane) < 0.12) return;  // mostly empty: outside the head
            images.push_back({name + "/" + kind + "/" + number(index), source.file,
                              heldOut || source.heldOutVolume, finish(plane, size)});
        };
        // Held-out volumes are sampled sparsely: they are for evaluation only.
        const int step = source.heldOutVolume ? 12 : 2;
        for (std::int64_t z = 0; z < v.dims[2]; z += step)
            add("axial", int(z), axialSlice(v, z), false);
        for (std::int64_t y = 0; y < v.dims[1]; y += step)
            add("coronal", int(y), coronalSlice(v, y), false);
        for (std::int64_t x = 0; x < v.dims[0]; x += source.heldOutVolume ? 12 : 8)
            add("sagittal", int(x), sagittalSlice(v, x), true);
        for (int degrees = 0; degrees < 180; degrees += source.heldOutVolume ? 45 : 10)
            add("projection", degrees, logScale(lateralProjection(v, degrees)), false);
        add("projection-axial", 0, logScale(axialProjection(v)), true);
    }
    return images;
}

}  // namespace medvae
