#include "radiograph_simulation.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "ct_simulation.h"  // uniform(), normal()

namespace medvae {
namespace {

using Ellipsoid = RadiographSimulation::Ellipsoid;

const double kSoft = 0.02, kBone = 0.028;  // 1/mm, soft tissue and compact bone above it

cv::Matx33d rotation(double ax, double ay, double az) {  // radians about x, then y, then z
    const double cx = std::cos(ax), sx = std::sin(ax), cy = std::cos(ay), sy = std::sin(ay),
                 cz = std::cos(az), sz = std::sin(az);
    const cv::Matx33d rx(1, 0, 0, 0, cx, -sx, 0, sx, cx), ry(cy, 0, sy, 0, 1, 0, -sy, 0, cy),
        rz(cz, -sz, 0, sz, cz, 0, 0, 0, 1);
    return rz * ry * rx;
}

// The rotation whose first axis points along `d`.
cv::Matx33d along(cv::Vec3d d) {
    d = cv::normalize(d);
    cv::Vec3d helper = std::abs(d[1]) < 0.9 ? cv::Vec3d(0, 1, 0) : cv::Vec3d(1, 0, 0);
    const cv::Vec3d b = cv::normalize(helper.cross(d)), c = d.cross(b);
    return cv::Matx33d(d[0], b[0], c[0], d[1], b[1], c[1], d[2], b[2], c[2]);
}

void add(std::vector<Ellipsoid>& parts, cv::Vec3d c, cv::Vec3d r, double mu,
         const cv::Matx33d& axes = cv::Matx33d::eye()) {
    parts.push_back({c, r, axes, mu});
}

// A bone with a cortex: the outer ellipsoid adds bone, the inner removes part of it again.
void bone(std::vector<Ellipsoid>& parts, cv::Vec3d c, cv::Vec3d r, const cv::Matx33d& axes,
          double wall) {
    add(parts, c, r, kBone, axes);
    add(parts, c, cv::Vec3d(r[0] * (1 - wall), r[1] * (1 - wall), r[2] * (1 - wall)), -0.6 * kBone,
        axes);
}

// A tubular bone following a polyline: short ellipsoids along each segment.
void chain(std::vector<Ellipsoid>& parts, const std::vector<cv::Vec3d>& path, double radius,
           double wall) {
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        const cv::Vec3d d = path[i + 1] - path[i];
        const double half = cv::norm(d) / 2;
        bone(parts, (path[i] + path[i + 1]) * 0.5, {half * 1.15, radius, radius * 0.8}, along(d),
             wall);
    }
}

void spine(std::vector<Ellipsoid>& parts, double y0, double y1, double z, double size,
           std::mt19937_64& rng) {
    const double bend = uniform(rng, -15, 15);
    for (double y = y0; y < y1; y += size * 1.25) {
        const double x = bend * std::sin(M_PI * (y - y0) / (y1 - y0));
        bone(parts, {x, y, z}, {size * 1.6, size * 0.5, size * 1.3}, cv::Matx33d::eye(), 0.25);
        add(parts, {x, y, z + size * 1.6}, {size * 0.4, size * 0.45, size * 0.9}, kBone * 0.7);
    }
}

RadiographSimulation::Body chest(std::mt19937_64& rng, double s) {
    RadiographSimulation::Body b{"chest", {}, 430 * s, 430 * s};
    auto& p = b.parts;
    add(p, {0, 20 * s, 0}, {165 * s, 250 * s, 110 * s}, kSoft);  // torso
    for (int side : {-1, 1}) {
        const double sx = side;
        add(p, {sx * 195 * s, -150 * s, 0}, {42 * s, 140 * s, 42 * s}, kSoft);  // upper arm
        bone(p, {sx * 195 * s, -130 * s, 0}, {13 * s, 120 * s, 13 * s}, cv::Matx33d::eye(), 0.3);
        add(p, {sx * 82 * s, -40 * s, 0}, {uniform(rng, 58, 72) * s, 135 * s, 75 * s},
            -0.8 * kSoft);  // lung
        add(p, {sx * 120 * s, -120 * s, 85 * s}, {55 * s, 85 * s, 8 * s}, 0.6 * kBone,
            rotation(0, 0, sx * 0.3));  // scapula
        chain(p,
              {{sx * 12 * s, -225 * s, -70 * s},
               {sx * 80 * s, -245 * s, -50 * s},
               {sx * 165 * s, -240 * s, -10 * s}},
              7 * s, 0.35);             // clavicle
        for (int k = 0; k < 10; ++k) {  // ribs: from the spine round to the front, sloping
            std::vector<cv::Vec3d> rib;
            const double y = (-215 + 34 * k) * s;
            for (int t = 0; t <= 12; ++t) {
                const double phi = M_PI * (0.5 - 0.08 * t);
                rib.push_back({sx * (18 + 130 * std::cos(phi) + 10 * t) * s * (0.9 + 0.02 * k),
                               y + 6.5 * t * s, (95 * std::sin(phi)) * s});
            }
            chain(p, rib, 5 * s, 0.4);
        }
        if (uniform(rng, 0, 1) < 0.3)
            add(p, {sx * 80 * s, uniform(rng, -120, 40) * s, 0},
                cv::Vec3d::all(uniform(rng, 5, 15) * s),
                0.8 * kSoft);  // a nodule
    }
    add(p, {uniform(rng, 15, 35) * s, 55 * s, -20 * s}, {uniform(rng, 55, 75) * s, 62 * s, 55 * s},
        0.8 * kSoft);                                                          // heart
    add(p, {8 * s, -40 * s, 10 * s}, {22 * s, 120 * s, 22 * s}, 0.8 * kSoft);  // mediastinum
    spine(p, -270 * s, 260 * s, 40 * s, 15 * s, rng);
    if (uniform(rng, 0, 1) < 0.5)  // breasts
        for (int side : {-1, 1})
            add(p, {side * 90.0 * s, 110 * s, -120 * s}, {70 * s, 60 * s, 45 * s}, kSoft);
    return b;
}

RadiographSimulation::Body skull(std::mt19937_64& rng, double s) {
    RadiographSimulation::Body b{"skull", {}, 260 * s, 300 * s};
    auto& p = b.parts;
    const cv::Vec3d r(72 * s, 92 * s, 95 * s);
    add(p, {0, -20 * s, 0}, r + cv::Vec3d::all(5 * s), kSoft);  // scalp
    const double wall = uniform(rng, 6, 9) * s;
    add(p, {0, -20 * s, 0}, r, kBone);                                     // skull
    add(p, {0, -20 * s, 0}, r - cv::Vec3d::all(wall), -kBone);             // inside it
    add(p, {0, 10 * s, -70 * s}, {25 * s, 18 * s, 12 * s}, -0.9 * kSoft);  // sinuses
    for (int side : {-1, 1})
        add(p, {side * 35.0 * s, -5 * s, -75 * s}, {16 * s, 14 * s, 14 * s},
            -0.5 * kSoft);                                          // orbits
    add(p, {0, 70 * s, -30 * s}, {55 * s, 30 * s, 60 * s}, kSoft);  // face
    std::vector<cv::Vec3d> mandible;
    for (int t = 0; t <= 10; ++t) {
        const double phi = M_PI * t / 10;
        mandible.push_back({50 * s * std::cos(phi), 95 * s - 15 * s * std::sin(phi),
                            -20 * s - 60 * s * std::sin(phi)});
    }
    chain(p, mandible, 9 * s, 0.3);
    for (int t = 0; t < 14; ++t) {  // teeth
        const double phi = M_PI * (0.1 + 0.8 * t / 13);
        add(p, {42 * s * std::cos(phi), 75 * s, -25 * s - 48 * s * std::sin(phi)},
            {4 * s, 9 * s, 4 * s}, 2.5 * kBone);
    }
    spine(p, 100 * s, 180 * s, 20 * s, 11 * s, rng);
    add(p, {0, 140 * s, 10 * s}, {45 * s, 60 * s, 45 * s}, kSoft);  // neck
    return b;
}

RadiographSimulation::Body pelvis(std::mt19937_64& rng, double s) {
    RadiographSimulation::Body b{"pelvis", {}, 400 * s, 360 * s};
    auto& p = b.parts;
    add(p, {0, 0, 0}, {170 * s, 230 * s, 115 * s}, kSoft);
    for (int side : {-1, 1}) {
        const double sx = side;
        bone(p, {sx * 85 * s, -40 * s, 20 * s}, {70 * s, 55 * s, 12 * s}, rotation(0, sx * 0.5, 0),
             0.3);  // ilium
        bone(p, {sx * 95 * s, 70 * s, 0}, cv::Vec3d::all(24 * s), cv::Matx33d::eye(),
             0.25);  // head
        chain(p, {{sx * 95 * s, 70 * s, 0}, {sx * 120 * s, 100 * s, 0}, {sx * 130 * s, 190 * s, 0}},
              15 * s, 0.35);  // femur
        chain(
            p,
            {{sx * 40 * s, 110 * s, -10 * s}, {sx * 70 * s, 125 * s, 0}, {sx * 85 * s, 100 * s, 0}},
            9 * s, 0.35);  // pubis
    }
    spine(p, -200 * s, -60 * s, 40 * s, 18 * s, rng);
    bone(p, {0, -20 * s, 50 * s}, {40 * s, 50 * s, 15 * s}, cv::Matx33d::eye(), 0.3);  // sacrum
    const int gas = int(uniform(rng, 3, 12));
    for (int i = 0; i < gas; ++i)
        add(p, {uniform(rng, -120, 120) * s, uniform(rng, -200, 0) * s, uniform(rng, -60, 40) * s},
            {uniform(rng, 10, 35) * s, uniform(rng, 10, 25) * s, uniform(rng, 10, 25) * s},
            -0.9 * kSoft);
    return b;
}

RadiographSimulation::Body limb(std::mt19937_64& rng, double s) {
    RadiographSimulation::Body b{"limb", {}, 220 * s, 420 * s};
    auto& p = b.parts;
    const bool knee = uniform(rng, 0, 1) < 0.5;
    const double r = (knee ? 55 : 35) * s;
    add(p, {0, 0, 0}, {r, 260 * s, r * 0.85}, kSoft);
    if (knee) {
        chain(p, {{0, -260 * s, 0}, {-5 * s, -30 * s, 0}}, 16 * s, 0.3);  // femur
        for (int side : {-1, 1})
            bone(p, {side * 20.0 * s, -22 * s, 0}, {20 * s, 24 * s, 25 * s}, cv::Matx33d::eye(),
                 0.2);
        bone(p, {0, 12 * s, 0}, {38 * s, 12 * s, 30 * s}, cv::Matx33d::eye(), 0.2);  // plateau
        chain(p, {{0, 20 * s, 0}, {3 * s, 260 * s, 0}}, 14 * s, 0.3);                // tibia
        chain(p, {{30 * s, 30 * s, 5 * s}, {28 * s, 260 * s, 5 * s}}, 6 * s, 0.35);  // fibula
        add(p, {0, -30 * s, -45 * s}, {18 * s, 22 * s, 8 * s}, kBone);               // patella
    } else {
        chain(p, {{-10 * s, -250 * s, 0}, {-8 * s, 250 * s, 0}}, 8 * s, 0.35);  // radius
        chain(p, {{12 * s, -250 * s, 0}, {10 * s, 250 * s, 0}}, 7 * s, 0.35);   // ulna
    }
    (void)rng;
    return b;
}

}  // namespace

RadiographSimulation::Body RadiographSimulation::randomBody(std::mt19937_64& rng) {
    const double s = uniform(rng, 0.85, 1.15), k = uniform(rng, 0, 1);
    Body b = k < 0.45   ? chest(rng, s)
             : k < 0.65 ? skull(rng, s)
             : k < 0.85 ? pelvis(rng, s)
                        : limb(rng, s);
    // Small random turns of the whole body.
    const cv::Matx33d turn = rotation(uniform(rng, -0.08, 0.08), 0, uniform(rng, -0.08, 0.08));
    for (auto& e : b.parts) {
        e.centre = turn * e.centre;
        e.axes = turn * e.axes;
    }
    return b;
}

cv::Mat RadiographSimulation::project(const Body& body, double degrees, int width, int height) {
    const cv::Matx33d turn = rotation(0, degrees * M_PI / 180, 0);
    const double mmX = body.widthMm / width, mmY = body.heightMm / height;
    cv::Mat sum(height, width, CV_32F, cv::Scalar(0));
    for (const Ellipsoid& e : body.parts) {
        const cv::Matx33d axes = turn * e.axes;
        const cv::Vec3d c = turn * e.centre;
        // Extent on the detector, and the ray direction (0, 0, 1) in the ellipsoid's frame.
        double reachX = 0, reachY = 0;
        for (int j = 0; j < 3; ++j) {
            reachX += std::pow(axes(0, j) * e.radii[j], 2);
            reachY += std::pow(axes(1, j) * e.radii[j], 2);
        }
        reachX = std::sqrt(reachX);
        reachY = std::sqrt(reachY);
        const cv::Vec3d dir(axes(2, 0) / e.radii[0], axes(2, 1) / e.radii[1],
                            axes(2, 2) / e.radii[2]);
        const double a = dir.dot(dir);
        const int x0 = std::max(0, int((c[0] - reachX) / mmX + width / 2.0)),
                  x1 = std::min(width - 1, int((c[0] + reachX) / mmX + width / 2.0) + 1),
                  y0 = std::max(0, int((c[1] - reachY) / mmY + height / 2.0)),
                  y1 = std::min(height - 1, int((c[1] + reachY) / mmY + height / 2.0) + 1);
        for (int y = y0; y <= y1; ++y) {
            float* row = sum.ptr<float>(y);
            const double py = (y + 0.5 - height / 2.0) * mmY - c[1];
            for (int x = x0; x <= x1; ++x) {
                const double px = (x + 0.5 - width / 2.0) * mmX - c[0], pz = -c[2];
                cv::Vec3d q;
                for (int j = 0; j < 3; ++j)
                    q[j] = (axes(0, j) * px + axes(1, j) * py + axes(2, j) * pz) / e.radii[j];
                const double bq = 2 * q.dot(dir), cq = q.dot(q) - 1;
                const double disc = bq * bq - 4 * a * cq;
                if (disc > 0) row[x] += float(e.mu * std::sqrt(disc) / a);
            }
        }
    }
    return cv::max(sum, 0.0);
}

cv::Mat RadiographSimulation::expose(const cv::Mat& lineIntegrals, double pixelMm,
                                     std::mt19937_64& rng) {
    // Quanta a pixel of this size detects where nothing attenuates: the detector dose of
    // clinical exposures (a few to tens of microgray behind the patient, ~3.4e4 quanta/mm^2 per
    // microgray at 60 keV) times a detective quantum efficiency of about a half, from a
    // low-dose portable to a generous exposure.
    const double perMm2 = std::exp(uniform(rng, std::log(3e4), std::log(6e5)));
    const double photons = perMm2 * pixelMm * pixelMm;
    cv::Mat primary;
    cv::exp(-lineIntegrals, primary);
    primary *= photons;
    cv::GaussianBlur(primary, primary, cv::Size(0, 0), uniform(rng, 0.4, 1.3));
    const double scatter = uniform(rng, 0.02, 0.25) * cv::mean(primary)[0];
    cv::Mat v(primary.size(), CV_32F);
    for (int i = 0; i < int(v.total()); ++i) {
        const double counts = primary.at<float>(i) + scatter;
        v.at<float>(i) =
            float(-std::log(std::max(counts + std::sqrt(counts) * normal(rng), 0.5) / photons));
    }
    if (uniform(rng, 0, 1) < 0.5) {  // edge enhancement, as detector processing applies
        cv::Mat low;
        cv::GaussianBlur(v, low, cv::Size(0, 0), uniform(rng, 3, 12));
        v += uniform(rng, 0.3, 1.5) * (v - low);
    }
    // Window to the stored range; some detectors keep headroom, others clip.
    std::vector<float> sorted(v.begin<float>(), v.end<float>());
    std::sort(sorted.begin(), sorted.end());
    const double lo = sorted[std::size_t(uniform(rng, 0, 0.01) * (sorted.size() - 1))],
                 hi = sorted[std::size_t(uniform(rng, 0.995, 1.0) * (sorted.size() - 1))];
    const int bitChoices[] = {8, 10, 12, 14, 16};
    const int bits = bitChoices[rng() % 5];
    const double top = std::ldexp(1.0, bits) - 1, gamma = uniform(rng, 0.7, 1.4);
    for (int i = 0; i < int(v.total()); ++i) {
        const double t = std::clamp((v.at<float>(i) - lo) / std::max(hi - lo, 1e-9), 0.0, 1.0);
        v.at<float>(i) = float(std::round(std::pow(t, gamma) * top));
    }
    if (uniform(rng, 0, 1) < 0.4) {  // collimation: unexposed edges read as fully attenuated
        const int l = int(uniform(rng, 0, 0.12) * v.cols), r = int(uniform(rng, 0, 0.12) * v.cols),
                  t = int(uniform(rng, 0, 0.12) * v.rows), b = int(uniform(rng, 0, 0.12) * v.rows);
        const float shutter = float(std::round(top * uniform(rng, 0.85, 1.0)));
        for (int y = 0; y < v.rows; ++y)
            for (int x = 0; x < v.cols; ++x)
                if (x < l || x >= v.cols - r || y < t || y >= v.rows - b)
                    v.at<float>(y, x) = shutter;
    }
    if (uniform(rng, 0, 1) < 0.5)  // a side marker
        cv::putText(v, uniform(rng, 0, 1) < 0.5 ? "L" : "R",
                    cv::Point(int(v.cols * uniform(rng, 0.05, 0.85)),
                              int(v.rows * uniform(rng, 0.1, 0.95))),
                    cv::FONT_HERSHEY_SIMPLEX, v.cols / 300.0, cv::Scalar(top), 2);
    if (uniform(rng, 0, 1) < 0.3) v = top - v;  // MONOCHROME1: stored inverted
    return v;
}

}  // namespace medvae
