#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "nifti_file.h"

namespace medvae {

// 2D planes of a NIfTI volume as float matrices (CV_32F), rows top to bottom, superior or
// anterior at the top as a viewer shows them.
cv::Mat axialSlice(const NiftiVolume& v, std::int64_t z);
cv::Mat coronalSlice(const NiftiVolume& v, std::int64_t y);
cv::Mat sagittalSlice(const NiftiVolume& v, std::int64_t x);

// Parallel projection through the volume, rotated by `degrees` about the head-foot axis: each
// axial slice is rotated and summed along its rows, giving one row of the projection.
cv::Mat lateralProjection(const NiftiVolume& v, double degrees);
// The sum along the head-foot axis.
cv::Mat axialProjection(const NiftiVolume& v);

// Radiograph-like contrast: log-compressed sums (the shipped samples' look).
cv::Mat logScale(const cv::Mat& sums);

// The fraction of pixels above 5 % of the plane's range.
double foreground(const cv::Mat& p);

// Percentile normalisation (0.1-99.9 %) to [0, 1], aspect-preserving fit into size x size,
// zero padding: the shipped samples' format.
std::vector<float> fitInto(const cv::Mat& plane, int size);

// (x - min) / (max - min) as upstream's load_2d normalises; a constant plane becomes 0.
cv::Mat minMax(const cv::Mat& plane);

}  // namespace medvae
