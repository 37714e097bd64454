"""What a test of the batch fidelity report needs besides medvae-cli: the manifests' numbers
computed independently (json and statistics), the report page read back (html.parser), and its
embedded images decoded (PIL).
"""
import base64
import io
import json
import math
import statistics
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image


def metric(value):
    """A metric as the manifest writes it: a number, or "inf" / "nan"."""
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return math.nan
    return math.nan


def latest_records(folder):
    """The latest record of each item over every manifest*.jsonl (as `manifest merge` keeps)."""
    latest = {}
    for path in sorted(Path(folder).glob("manifest*.jsonl")):
        for line in path.read_bytes().split(b"\n")[:-1]:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or not isinstance(record.get("index"), int) \
                    or record["index"] < 0:
                continue
            frame = record.get("frame")
            key = (record["index"], frame if isinstance(frame, int) else -1)
            known = latest.get(key)
            if known is None or str(known.get("finished_at", "")) <= str(record.get("finished_at", "")):
                latest[key] = record
    return [latest[k] for k in sorted(latest)]


def expected_numbers(folder, worst=12):
    records = latest_records(folder)
    by_modality = {}
    worst_ranked = []
    for r in records:
        m = r.get("metrics")
        if not isinstance(m, dict):
            continue
        psnr = metric(m.get("psnr_db"))
        by_modality.setdefault(r.get("modality") or "other", []).append(psnr)
        if not math.isnan(psnr):
            worst_ranked.append((psnr, r["index"]))
    worst_ranked.sort()
    modalities = {}
    for name, values in by_modality.items():
        finite = [v for v in values if math.isfinite(v)]
        modalities[name] = {"items": len(values),
                            "mean": statistics.fmean(finite) if finite else None,
                            "median": statistics.median(finite) if finite else None}
    starts, finishes = [], []
    for r in records:
        t = r.get("timings", {})
        finished = datetime.fromisoformat(r["finished_at"].replace("Z", "+00:00")).timestamp()
        finishes.append(finished)
        starts.append(finished - sum(max(0.0, float(t.get(k, 0))) for k in ("load_s", "infer_s", "write_s")))
    throughput = len(records) / (max(finishes) - min(starts)) if records else 0
    return {"count": len(records),
            "failures": sum(1 for r in records if r.get("status") == "failed"),
            "failed_indices": [r["index"] for r in records if r.get("status") == "failed"],
            "modalities": modalities,
            "worst": [index for _, index in worst_ranked[:worst]],
            "throughput": throughput}


class ReportPage(HTMLParser):
    """The parts of the report a test checks: section ids, tables' rows by class, spans by id,
    every img (alt, src) and every element and attribute name."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.sections, self.rows, self.spans, self.images, self.tags = [], {}, {}, [], []
        self.attributes = set()
        self._row = None
        self._cell = None
        self._span = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        elif tag == "tr":
            self._row = (a.get("class"), [])
        elif tag == "td" and self._row is not None:
            self._cell = ""
        elif tag == "span" and "id" in a:
            self._span = (a["id"], "")
        elif tag == "img":
            self.images.append((a.get("alt"), a.get("src", "")))
            if self._row is not None and self._cell is not None:
                self._cell += f"[img:{a.get('alt')}]"

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row[1].append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.setdefault(self._row[0], []).append(self._row[1])
            self._row = None
        elif tag == "span" and self._span:
            self.spans[self._span[0]] = self._span[1]
            self._span = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._span:
            self._span = (self._span[0], self._span[1] + data)


def decoded_images(page):
    """Every embedded image decoded with PIL: [(alt, PIL image)]. Raises on anything else."""
    images = []
    for alt, src in page.images:
        prefix = "data:image/png;base64,"
        if not src.startswith(prefix):
            raise AssertionError(f"image {alt!r} is not an embedded PNG: {src[:80]!r}")
        image = Image.open(io.BytesIO(base64.b64decode(src[len(prefix):], validate=True)))
        image.load()
        images.append((alt, image))
    return images


def run_report(cli, folder, *options, timeout=300):
    return subprocess.run([cli, "report", "-i", str(folder), *options], capture_output=True,
                          text=True, timeout=timeout)


MODEL_A = {"name": "medvae-demo-8x4", "sha256": "ab" * 32, "backend": "local", "location": "",
           "device": "cpu", "precision": "float32", "demo_model": True, "key": "ab" * 32}
MODEL_B = {"name": "medvae_4_1_2d", "sha256": "cd" * 32, "backend": "local", "location": "",
           "device": "cpu", "precision": "float32", "demo_model": False, "key": "cd" * 32}


def record(index, items, modality, psnr=None, status="ok", error="", compare=None, outputs=None,
           input_name=None, second=0.0):
    """One manifest record in the shape medvae-cli batch writes (plus "compare" when given)."""
    stem = f"scan_{index:05d}"
    r = {"index": index, "input": input_name or f"/data/study/{stem}.png", "output_stem": stem,
         "status": status, "error": error,
         "outputs": outputs if outputs is not None else ([f"{stem}_latent.npy"] if status == "ok" else []),
         "output_bytes": [], "output_sha256": [], "modality": modality,
         "timings": {"load_s": 0.01, "infer_s": 0.2, "write_s": 0.005},
         "model": MODEL_A, "settings": "formats=npy;decode=1", "batch_items": items,
         "app_version": "0.9.0",
         "finished_at": datetime.utcfromtimestamp(1_790_000_000 + second).isoformat(timespec="milliseconds") + "Z"}
    if psnr is not None:
        r["metrics"] = {"psnr_db": psnr, "ssim": 0.5 + (index % 10) / 25, "mae": 0.01 * (index % 7),
                        "max_error": 0.5, "cropped": False}
    if compare is not None:
        r["compare"] = {"model": MODEL_B, "metrics": {"psnr_db": compare, "ssim": 0.45 + (index % 9) / 20,
                                                      "mae": 0.02,
                                                      "max_error": 0.4, "cropped": False},
                        "outputs": [f"{stem}_b_latent.npy"]}
    return r


def write_synthetic_batch(folder, items, shards=2, compared=True, seed=7):
    """`items` records over `shards` shard manifests: modalities CT, MR, DX and other, a failure
    every 13 items, one identical reconstruction (PSNR inf) and one NaN; model B's PSNR near
    A's when compared."""
    import random
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    means = {"CT": 31.0, "MR": 27.5, "DX": 35.0, "": 29.0}
    files = [open(folder / f"manifest-shard-{s}-of-{shards}.jsonl", "w") for s in range(shards)]
    for i in range(items):
        modality = list(means)[i % 4]
        if i % 13 == 5:
            r = record(i, items, modality, status="failed",
                       error=f"cannot decode '/data/study/scan_{i:05d}.png': truncated file "
                             f"(as 'ward 3/scan_{i + 1:05d}.dcm' was)",
                       second=i * 0.25)
        else:
            psnr = round(rng.gauss(means[modality], 3.0), 4)
            if i == 3:
                psnr = "inf"
            if i == 8:
                psnr = "nan"
            compare = round(psnr + rng.gauss(1.0, 1.5), 4) if compared and isinstance(psnr, float) else None
            r = record(i, items, modality, psnr=psnr, compare=compare, second=i * 0.25)
        files[i % shards].write(json.dumps(r) + "\n")
    for f in files:
        f.close()
