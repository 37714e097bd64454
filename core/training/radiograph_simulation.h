#pragma once

#include <opencv2/core.hpp>

#include <random>
#include <string>
#include <vector>

namespace medvae {

// Radiograph-like images, simulated: 3D phantoms of ellipsoids (a chest with lungs, heart,
// spine, ribs, clavicles and shoulders; a skull; a pelvis with hips; a knee or forearm with
// cortical bone) are projected by exact line integrals through every ellipsoid, then exposed as
// a detector would be: photon counts with quantum noise, scatter and detector blur, the log
// transform, optional edge enhancement, stored at 8 to 16 bits, in MONOCHROME2 or inverted as
// MONOCHROME1 data reads, sometimes collimated and with a side marker burned in.
class RadiographSimulation {
  public:
    // An ellipsoid adding `mu` (1/mm) to the attenuation of everything inside it; millimetres,
    // x to the patient's left, y head to foot, z back to front; `axes` are its rotated axes.
    struct Ellipsoid {
        cv::Vec3d centre, radii;
        cv::Matx33d axes = cv::Matx33d::eye();
        double mu = 0;
    };

    struct Body {
        std::string kind;  // "chest", "skull", "pelvis", "limb"
        std::vector<Ellipsoid> parts;
        double widthMm = 0, heightMm = 0;  // the detector area to image
    };

    static Body randomBody(std::mt19937_64& rng);

    // Line integrals of attenuation through the body turned by `degrees` about the head-foot
    // axis (0: frontal, 90: lateral), on a width x height grid covering the body's area.
    static cv::Mat project(const Body& body, double degrees, int width, int height);

    // The image a detector stores for these line integrals on pixels of `pixelMm` a side, as
    // integer values in a float matrix (0 .. 2^bits - 1), with random exposure, processing and
    // storage. Quantum noise follows the quanta a pixel of that size detects at a clinical dose,
    // so an image simulated at a coarse pixel is as quiet as a radiograph scaled down to it.
    static cv::Mat expose(const cv::Mat& lineIntegrals, double pixelMm, std::mt19937_64& rng);
};

}  // namespace medvae
