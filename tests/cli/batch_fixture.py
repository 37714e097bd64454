"""What the cluster batch tests share: a folder of small images, a list file naming them with one
image served over loopback HTTP in the middle (a gate holds its download until the test opens it,
so a run can be caught deterministically half-way), medvae-cli runs, and independent readers of
the manifests and outputs.
"""
import http.server
import json
import subprocess
import threading
from pathlib import Path

import numpy as np
from PIL import Image

ITEMS = 41           # 40 files and one URL
URL_POSITION = 21    # item 21: shard 1 of 4 (items 1, 5, ..., 17 come before it)
SHARDS = 4
RUN_SECONDS = 120


class GatedImageServer:
    """Serves one PNG at /gated.png; while the gate is closed a request waits for it to open.
    `requested` is set when a request has arrived."""

    def __init__(self, png_bytes):
        self.gate = threading.Event()
        self.requested = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requested.set()
                if not server.gate.wait(timeout=RUN_SECONDS):
                    self.send_error(503)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png_bytes)))
                self.end_headers()
                try:
                    self.wfile.write(png_bytes)
                except OSError:
                    pass  # the client was killed while waiting

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/gated.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def make_inputs(root, server_factory=GatedImageServer):
    """40 random 32x32 PNGs in root/images, and root/inputs.list naming them with the gated URL
    as item URL_POSITION. Returns (list path, server)."""
    rng = np.random.default_rng(21)
    images = Path(root) / "images"
    images.mkdir()
    lines = []
    for i in range(ITEMS - 1):
        name = images / f"scan{i:02d}.png"
        Image.fromarray(rng.integers(0, 256, (32, 32), dtype=np.uint8)).save(name)
        lines.append(f"images/{name.name}")
    gated = images / "gated-source.png"
    Image.fromarray(rng.integers(0, 256, (32, 32), dtype=np.uint8)).save(gated)
    server = server_factory(gated.read_bytes())
    gated.unlink()  # only the URL serves it
    lines.insert(URL_POSITION, server.url)
    listing = Path(root) / "inputs.list"
    listing.write_text("\n".join(lines) + "\n")
    return listing, server


def cli_command(cli, listing, out, shard=None, extra=()):
    command = [cli, "batch", "-i", str(listing), "-o", str(out), "--resume", "--progress",
               "lines", "--threads", "1", "--workers", "1"]
    if shard is not None:
        command += ["--shard", f"{shard}/{SHARDS}"]
    return command + list(extra)


def run_cli(command):
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS)


def manifest_records(path):
    """The records of one manifest .jsonl (complete lines only)."""
    p = Path(path)
    if not p.exists():
        return []
    return [json.loads(line) for line in p.read_text().splitlines() if line.strip()]


def latents(out):
    """Every *_latent.npy below `out`: relative name -> (bytes, array)."""
    result = {}
    for f in sorted(Path(out).rglob("*_latent.npy")):
        result[str(f.relative_to(out))] = (f.read_bytes(), np.load(f))
    return result
