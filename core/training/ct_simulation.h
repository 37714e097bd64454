#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace medvae {

// CT-like training and evaluation images, simulated from 2D phantoms: a phantom of ellipses in
// Hounsfield units is rasterised, projected at many angles (parallel beam), given quantum noise
// (Poisson statistics of the photon counts, by their normal approximation) and reconstructed by
// filtered back-projection with a smooth or a sharp kernel. The result carries what real CT
// slices carry: noise grain, streaks from few views and dense bone, the circular field of view
// padded with a scanner's padding value, 12-bit integer storage.
class CtSimulation {
  public:
    // One elliptical region; coordinates and axes in units of the field-of-view radius (the
    // field of view is [-1, 1]^2, y pointing down), the angle in degrees. Regions are painted in
    // order: a later one replaces what an earlier one set where it lies.
    struct Ellipse {
        double cx, cy, a, b, degrees, hu;
    };

    struct Scan {
        int size = 256;            // reconstructed pixels per side
        int views = 360;           // projections over 180 degrees
        double photons = 2e5;      // incident photons per detector element and view
        bool sharpKernel = false;  // ramp filter without the Hann window: sharper and noisier
        double padding = -1024;    // value outside the circular field of view
    };

    // A random section through a body: a chest (lungs, heart, vessels, spine, ribs), an
    // abdomen (liver, kidneys, bowel gas, contrast-filled vessels), a head (skull, brain,
    // ventricles) or a limb (bones with marrow), with a smooth soft-tissue texture.
    static std::vector<Ellipse> randomPhantom(std::mt19937_64& rng);

    // The modified Shepp-Logan head phantom (Toft's contrast), scaled to Hounsfield units.
    static std::vector<Ellipse> sheppLogan();

    // The reconstructed slice in Hounsfield units, rounded to integers and clamped to the
    // 12-bit range a scanner stores ([-1024, 3071] inside the field of view), CV_32F.
    static cv::Mat reconstruct(const std::vector<Ellipse>& phantom, const Scan& scan,
                               std::mt19937_64& rng);

    // A random acquisition: view count, dose, kernel and padding value as scanners differ.
    static Scan randomScan(std::mt19937_64& rng, int size);
};

// Uniform doubles in [lo, hi) from a 64-bit engine, identical on every platform.
double uniform(std::mt19937_64& rng, double lo, double hi);
// Standard normal deviates (Box-Muller), platform-independent unlike std::normal_distribution.
double normal(std::mt19937_64& rng);

}  // namespace medvae
