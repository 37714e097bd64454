"""The batch fidelity report rendered by a real headless browser (chromium): the page's DOM
has every section and the embedded plots, and the screenshot is a real, non-blank page.
Exits 77 (CTest: skipped) when chromium is not installed, saying why.

Usage: test_report_browser.py MEDVAE_CLI [SCREENSHOT.png to keep]
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_reading import ReportPage, run_report, write_synthetic_batch  # noqa: E402


def chromium(*args):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    return subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           *args], capture_output=True, text=True, timeout=180)


def main():
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("SKIP: chromium is not installed (apt-get install chromium), so the report cannot "
              "be rendered in a browser here")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        write_synthetic_batch(out, 200, shards=2, compared=True)
        r = run_report(sys.argv[1], out)
        if r.returncode != 0:
            print(r.stderr)
            return 1
        url = (out / "report.html").as_uri()
        dom = chromium(f"--user-data-dir={tmp}/profile", "--dump-dom", url)
        page = ReportPage(dom.stdout)
        expected = ["summary", "modalities", "distributions", "worst", "compare", "failures"]
        if page.sections != expected:
            print(f"sections in the browser's DOM: {page.sections}, expected {expected}\n{dom.stderr[-2000:]}")
            return 1
        plots = [alt for alt, _ in page.images]
        if len(plots) != 8:
            print(f"images in the browser's DOM: {plots}")
            return 1
        shot = Path(tmp) / "shot.png"
        s = chromium(f"--user-data-dir={tmp}/profile", f"--screenshot={shot}", "--window-size=1280,4000", url)
        if not shot.exists():
            print(f"chromium wrote no screenshot: {s.stderr[-2000:]}")
            return 1
        image = Image.open(shot).convert("RGB")
        colours = image.getcolors(1 << 20)
        if image.size != (1280, 4000) or colours is None or len(colours) < 50:
            print(f"screenshot {image.size} with {len(colours or [])} colours: not a rendered report")
            return 1
        # The plots are drawn where the page says: blue histogram bars in the distributions.
        if not any(c[1] == (70, 120, 180) for c in colours):
            print("no plot colour in the screenshot")
            return 1
        if len(sys.argv) > 2:
            shutil.copy(shot, sys.argv[2])
    print("report rendered by chromium: every section, 8 plots, a 1280x4000 screenshot")
    return 0


if __name__ == "__main__":
    sys.exit(main())
