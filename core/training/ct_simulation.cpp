#include "ct_simulation.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace medvae {

double normal(std::mt19937_64& rng) {
    const double u = std::max(uniform(rng, 0, 1), 1e-300), v = uniform(rng, 0, 1);
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
}

double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * double(rng() >> 11) * (1.0 / 9007199254740992.0);
}

namespace {

using Ellipse = CtSimulation::Ellipse;

bool chance(std::mt19937_64& rng, double p) {
    return uniform(rng, 0, 1) < p;
}

// The body outline with a fat layer and muscle inside it; returns the inner half-axes.
std::pair<double, double> body(std::vector<Ellipse>& e, double cx, double cy, double a, double b,
                               double tilt, std::mt19937_64& rng) {
    const double fat = uniform(rng, 0.02, 0.08);
    e.push_back({cx, cy, a, b, tilt, uniform(rng, 20, 40)});                   // skin
    e.push_back({cx, cy, a - 0.01, b - 0.01, tilt, uniform(rng, -120, -80)});  // fat
    e.push_back({cx, cy, a - fat, b - fat, tilt, uniform(rng, 35, 55)});       // muscle
    return {a - fat, b - fat};
}

// A bone in cross-section: cortex and marrow.
void bone(std::vector<Ellipse>& e, double cx, double cy, double a, double b, double deg,
          std::mt19937_64& rng) {
    e.push_back({cx, cy, a, b, deg, uniform(rng, 700, 1500)});
    const double wall = uniform(rng, 0.15, 0.35);
    e.push_back({cx, cy, a * (1 - wall), b * (1 - wall), deg, uniform(rng, -60, 250)});
}

// Small round structures (vessels, nodules, gas) scattered inside an ellipse.
void scatter(std::vector<Ellipse>& e, int count, double cx, double cy, double a, double b,
             double rmin, double rmax, double hulo, double huhi, std::mt19937_64& rng) {
    for (int i = 0; i < count; ++i) {
        const double t = uniform(rng, 0, 2 * M_PI), r = std::sqrt(uniform(rng, 0, 0.8));
        const double rad = uniform(rng, rmin, rmax);
        e.push_back({cx + a * r * std::cos(t), cy + b * r * std::sin(t), rad,
                     rad * uniform(rng, 0.6, 1.0), uniform(rng, 0, 180), uniform(rng, hulo, huhi)});
    }
}

void spine(std::vector<Ellipse>& e, double cx, double cy, double s, std::mt19937_64& rng) {
    const double r = uniform(rng, 0.08, 0.11) * s;
    e.push_back({cx, cy + 1.6 * r, 0.45 * r, 1.0 * r, 0, uniform(rng, 500, 900)});  // arch
    bone(e, cx, cy, r, r * 0.9, 0, rng);
    e.push_back({cx, cy + 1.45 * r, 0.4 * r, 0.35 * r, 0, uniform(rng, 10, 30)});  // canal
}

void chest(std::vector<Ellipse>& e, double cx, double cy, double s, std::mt19937_64& rng) {
    const auto [a, b] =
        body(e, cx, cy, 0.95 * s, uniform(rng, 0.6, 0.72) * s, uniform(rng, -4, 4), rng);
    // Ribs along the inside of the wall.
    const int ribs = int(uniform(rng, 8, 15));
    for (int i = 0; i < ribs; ++i) {
        const double t = M_PI * (0.15 + 1.7 * (i + uniform(rng, -0.3, 0.3)) / ribs);
        const double rr = uniform(rng, 0.018, 0.03) * s;
        bone(e, cx + (a - rr * 1.5) * std::cos(t), cy + (b - rr * 1.5) * std::sin(t), rr * 1.6, rr,
             t * 180 / M_PI + 90, rng);
    }
    for (int side : {-1, 1}) {
        const double lx = cx + side * uniform(rng, 0.36, 0.46) * s, ly = cy - 0.02 * s;
        const double la = uniform(rng, 0.24, 0.34) * s, lb = uniform(rng, 0.38, 0.5) * b / s * s;
        e.push_back({lx, ly, la, lb, side * uniform(rng, 0, 12), uniform(rng, -900, -780)});
        scatter(e, int(uniform(rng, 8, 25)), lx, ly, la, lb, 0.004 * s, 0.018 * s, -100, 60, rng);
        if (chance(rng, 0.3))
            scatter(e, 1, lx, ly, la, lb, 0.02 * s, 0.05 * s, 20, 60, rng);  // a nodule
    }
    e.push_back({cx + uniform(rng, 0.0, 0.12) * s, cy - uniform(rng, 0.05, 0.2) * s,
                 uniform(rng, 0.22, 0.3) * s, uniform(rng, 0.17, 0.24) * s, uniform(rng, 10, 45),
                 uniform(rng, 35, 55)});  // heart
    const double contrast = chance(rng, 0.4) ? uniform(rng, 150, 350) : uniform(rng, 35, 50);
    e.push_back({cx + 0.06 * s, cy + 0.2 * s, 0.06 * s, 0.06 * s, 0, contrast});  // aorta
    e.push_back(
        {cx, cy - b + 0.04 * s, 0.07 * s, 0.025 * s, 0, uniform(rng, 300, 700)});  // sternum
    spine(e, cx, cy + b - 0.28 * s, s, rng);
}

void abdomen(std::vector<Ellipse>& e, double cx, double cy, double s, std::mt19937_64& rng) {
    const auto [a, b] =
        body(e, cx, cy, uniform(rng, 0.8, 0.95) * s, uniform(rng, 0.6, 0.75) * s, 0, rng);
    const double enhance = chance(rng, 0.5) ? uniform(rng, 40, 90) : 0;
    e.push_back({cx - 0.35 * s, cy - 0.05 * s, uniform(rng, 0.3, 0.42) * s, 0.38 * s,
                 uniform(rng, -20, 20), 55 + enhance});  // liver
    scatter(e, int(uniform(rng, 3, 9)), cx - 0.35 * s, cy, 0.25 * s, 0.3 * s, 0.01 * s, 0.03 * s,
            40 + 2 * enhance, 60 + 2.5 * enhance, rng);
    if (chance(rng, 0.3))
        scatter(e, 1, cx - 0.35 * s, cy, 0.2 * s, 0.2 * s, 0.03 * s, 0.07 * s, 0, 25,
                rng);  // lesion
    for (int side : {-1, 1}) {
        const double kx = cx + side * 0.3 * s, ky = cy + 0.28 * s;
        e.push_back({kx, ky, 0.08 * s, 0.12 * s, side * 25.0, 30 + 2 * enhance});
        e.push_back({kx, ky, 0.03 * s, 0.06 * s, side * 25.0, uniform(rng, 5, 20)});
    }
    e.push_back(
        {cx + 0.3 * s, cy - 0.2 * s, 0.2 * s, 0.15 * s, 30, uniform(rng, 0, 20)});  // stomach
    scatter(e, int(uniform(rng, 4, 14)), cx + 0.1 * s, cy, 0.5 * a, 0.5 * b, 0.02 * s, 0.07 * s,
            -950, -400, rng);  // gas
    e.push_back({cx + 0.05 * s, cy + 0.22 * s, 0.045 * s, 0.045 * s, 0, 40 + 3 * enhance});
    spine(e, cx, cy + b - 0.3 * s, s, rng);
}

void head(std::vector<Ellipse>& e, double cx, double cy, double s, std::mt19937_64& rng) {
    const double a = uniform(rng, 0.68, 0.78) * s, b = uniform(rng, 0.85, 0.95) * s;
    const double tilt = uniform(rng, -8, 8), skull = uniform(rng, 0.04, 0.07) * s;
    e.push_back({cx, cy, a + 0.03 * s, b + 0.03 * s, tilt, uniform(rng, 20, 45)});  // scalp
    e.push_back({cx, cy, a, b, tilt, uniform(rng, 1200, 1900)});                    // skull
    e.push_back({cx, cy, a - skull, b - skull, tilt, uniform(rng, 30, 40)});        // grey matter
    e.push_back({cx, cy + 0.03 * s, (a - skull) * 0.75, (b - skull) * 0.72, tilt,
                 uniform(rng, 22, 29)});  // white matter
    for (int side : {-1, 1})
        e.push_back({cx + side * 0.08 * s, cy - 0.05 * s, 0.05 * s, uniform(rng, 0.15, 0.3) * s,
                     side * uniform(rng, 5, 20), uniform(rng, 0, 10)});  // ventricles
    if (chance(rng, 0.4))
        scatter(e, 1, cx, cy, 0.5 * a, 0.5 * b, 0.03 * s, 0.08 * s, 50, 90, rng);  // bleed
    if (chance(rng, 0.4))
        e.push_back({cx, cy - b + 0.12 * s, 0.12 * s, 0.06 * s, 0, -900});  // sinus
}

void limb(std::vector<Ellipse>& e, double cx, double cy, double s, std::mt19937_64& rng) {
    const int limbs = chance(rng, 0.5) ? 2 : 1;
    for (int i = 0; i < limbs; ++i) {
        const double x = limbs == 1 ? cx : cx + (i ? 0.45 : -0.45) * s;
        const double r = uniform(rng, 0.3, 0.45) * s / limbs * 1.4;
        body(e, x, cy, r, r * uniform(rng, 0.8, 1.0), uniform(rng, 0, 180), rng);
        const int bones = chance(rng, 0.5) ? 2 : 1;
        for (int k = 0; k < bones; ++k)
            bone(e, x + (bones == 2 ? (k ? 0.25 : -0.25) * r : 0), cy + uniform(rng, -0.1, 0.1) * r,
                 uniform(rng, 0.15, 0.28) * r, uniform(rng, 0.15, 0.25) * r, uniform(rng, 0, 180),
                 rng);
    }
}

// Rasterised phantom, n x n, in Hounsfield units, with a smooth soft-tissue texture.
cv::Mat rasterise(const std::vector<Ellipse>& phantom, int n, std::mt19937_64& rng) {
    cv::Mat hu(n, n, CV_32F, cv::Scalar(-1000));
    for (const Ellipse& e : phantom) {
        const double c = std::cos(e.degrees * M_PI / 180), s = std::sin(e.degrees * M_PI / 180);
        const double reach = std::max(e.a, e.b);
        const int x0 = std::max(0, int((e.cx - reach + 1) * n / 2) - 1),
                  x1 = std::min(n - 1, int((e.cx + reach + 1) * n / 2) + 1),
                  y0 = std::max(0, int((e.cy - reach + 1) * n / 2) - 1),
                  y1 = std::min(n - 1, int((e.cy + reach + 1) * n / 2) + 1);
        for (int y = y0; y <= y1; ++y) {
            float* row = hu.ptr<float>(y);
            const double v = 2.0 * (y + 0.5) / n - 1 - e.cy;
            for (int x = x0; x <= x1; ++x) {
                const double u = 2.0 * (x + 0.5) / n - 1 - e.cx;
                const double p = (u * c + v * s) / e.a, q = (-u * s + v * c) / e.b;
                if (p * p + q * q <= 1) row[x] = float(e.hu);
            }
        }
    }
    cv::Mat noise(n / 16, n / 16, CV_32F);
    for (int i = 0; i < int(noise.total()); ++i)
        noise.at<float>(i) = float(normal(rng));
    cv::Mat texture;
    cv::resize(noise, texture, hu.size(), 0, 0, cv::INTER_CUBIC);
    const float amplitude = float(uniform(rng, 4, 12));
    for (int i = 0; i < int(hu.total()); ++i) {
        float& h = hu.at<float>(i);
        if (h > -200 && h < 200) h += amplitude * texture.at<float>(i);
    }
    return hu;
}

// Ram-Lak filter (spatial definition, so the DC term is right), Hann-windowed when smooth.
cv::Mat rampFilter(int length, bool sharp) {
    cv::Mat h(1, length, CV_32F, cv::Scalar(0));
    h.at<float>(0) = 0.25f;
    for (int k = 1; k < length / 2; ++k)
        if (k % 2) h.at<float>(k) = h.at<float>(length - k) = float(-1.0 / (M_PI * M_PI * k * k));
    cv::Mat spectrum;
    cv::dft(h, spectrum, cv::DFT_COMPLEX_OUTPUT);
    for (int k = 0; k < length; ++k) {
        const double f = double(std::min(k, length - k)) / length;  // cycles per sample, <= 0.5
        const double window = sharp ? 1.0 : 0.5 + 0.5 * std::cos(2 * M_PI * f);
        auto& v = spectrum.at<cv::Vec2f>(k);
        v = cv::Vec2f(float(std::abs(v[0]) * window), 0.0f);
    }
    return spectrum;
}

}  // namespace

std::vector<Ellipse> CtSimulation::randomPhantom(std::mt19937_64& rng) {
    std::vector<Ellipse> e;
    const double s = uniform(rng, 0.65, 0.95);
    const double cx = uniform(rng, -0.06, 0.06), cy = uniform(rng, -0.06, 0.1);
    const double kind = uniform(rng, 0, 1);
    if (kind < 0.35)
        chest(e, cx, cy, s, rng);
    else if (kind < 0.6)
        abdomen(e, cx, cy, s, rng);
    else if (kind < 0.85)
        head(e, cx, cy, s * 0.9, rng);
    else
        limb(e, cx, cy, s, rng);
    if (chance(rng, 0.5))  // the patient table
        e.push_back(
            {cx, std::min(0.92, cy + 0.72 * s + 0.06), 0.85, 0.02, 0, uniform(rng, 100, 400)});
    return e;
}

std::vector<Ellipse> CtSimulation::sheppLogan() {
    // Toft's modified Shepp-Logan geometry (y flipped: the published phantom's y points up),
    // painted with the values of a head: skull, brain, CSF-filled ventricles, small lesions.
    const double m[10][5] = {{0, 0, 0.69, 0.92, 0},       {0, 0.0184, 0.6624, 0.874, 0},
                             {0.22, 0, 0.11, 0.31, -18},  {-0.22, 0, 0.16, 0.41, 18},
                             {0, -0.35, 0.21, 0.25, 0},   {0, -0.1, 0.046, 0.046, 0},
                             {0, 0.1, 0.046, 0.046, 0},   {-0.08, 0.605, 0.046, 0.023, 0},
                             {0, 0.605, 0.023, 0.023, 0}, {0.06, 0.605, 0.023, 0.046, 0}};
    const double hu[10] = {1000, 40, 5, 5, 60, 60, 60, 70, 70, 70};
    std::vector<Ellipse> e;
    for (int i = 0; i < 10; ++i)
        e.push_back({m[i][0], -m[i][1], m[i][2], m[i][3], -m[i][4], hu[i]});
    return e;
}

CtSimulation::Scan CtSimulation::randomScan(std::mt19937_64& rng, int size) {
    Scan scan;
    scan.size = size;
    scan.views = chance(rng, 0.2) ? 180 : 360;
    scan.photons = std::exp(uniform(rng, std::log(3e4), std::log(1e6)));
    scan.sharpKernel = chance(rng, 0.35);
    const double p = uniform(rng, 0, 1);
    scan.padding = p < 0.7 ? -1024 : p < 0.85 ? -2000 : -3024;
    return scan;
}

cv::Mat CtSimulation::reconstruct(const std::vector<Ellipse>& phantom, const Scan& scan,
                                  std::mt19937_64& rng) {
    const int size = scan.size, n = size * 3 / 2;
    const double fovMm = 400, muWater = 0.019;  // per mm, at a typical effective energy
    cv::Mat mu = rasterise(phantom, n, rng);
    mu.convertTo(mu, CV_32F, muWater / 1000, muWater);
    mu = cv::max(mu, 0.0);

    // Parallel-beam projections, binned to `size` detector elements, with quantum noise.
    cv::Mat sinogram(scan.views, n, CV_32F);
    const cv::Point2f centre(n / 2.0f, n / 2.0f);
    for (int i = 0; i < scan.views; ++i) {
        cv::Mat rotated, sum;
        cv::warpAffine(mu, rotated, cv::getRotationMatrix2D(centre, 180.0 * i / scan.views, 1.0),
                       mu.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
        cv::reduce(rotated, sum, 0, cv::REDUCE_SUM, CV_32F);
        sum.copyTo(sinogram.row(i));
    }
    sinogram *= fovMm / n;
    cv::resize(sinogram, sinogram, cv::Size(size, scan.views), 0, 0, cv::INTER_AREA);
    for (int i = 0; i < int(sinogram.total()); ++i) {
        float& p = sinogram.at<float>(i);
        const double counts = scan.photons * std::exp(-double(p));
        const double measured = counts + std::sqrt(counts + 25) * normal(rng);  // + electronics
        p = float(-std::log(std::max(measured, 0.5) / scan.photons));
    }

    // Filtered back-projection.
    const int length = cv::getOptimalDFTSize(2 * size);
    const cv::Mat filter = rampFilter(length, scan.sharpKernel);
    cv::Mat padded(scan.views, length, CV_32F, cv::Scalar(0)), spectrum, filtered;
    sinogram.copyTo(padded(cv::Rect(0, 0, size, scan.views)));
    cv::dft(padded, spectrum, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
    for (int i = 0; i < scan.views; ++i)
        cv::mulSpectrums(spectrum.row(i), filter, spectrum.row(i), 0);
    cv::dft(spectrum, filtered,
            cv::DFT_ROWS | cv::DFT_INVERSE | cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
    const double detectorMm = fovMm / size;
    cv::Mat image(size, size, CV_32F, cv::Scalar(0));
    const cv::Point2f c(size / 2.0f, size / 2.0f);
    for (int i = 0; i < scan.views; ++i) {
        cv::Mat smear, back;
        cv::repeat(filtered(cv::Rect(0, i, size, 1)), size, 1, smear);
        cv::warpAffine(smear, back, cv::getRotationMatrix2D(c, 180.0 * i / scan.views, 1.0),
                       smear.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
        image += back;
    }
    image *= M_PI / scan.views / detectorMm;

    cv::Mat out(size, size, CV_32F);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const double r = std::hypot(x + 0.5 - size / 2.0, y + 0.5 - size / 2.0);
            const double hu = 1000 * (image.at<float>(y, x) / muWater - 1);
            out.at<float>(y, x) = r > size / 2.0
                                      ? float(scan.padding)
                                      : float(std::clamp(std::round(hu), -1024.0, 3071.0));
        }
    return out;
}

}  // namespace medvae
