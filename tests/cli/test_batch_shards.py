"""medvae-cli batch --shard as a job array runs it, without a scheduler: the per-shard lock (a
second run of a shard stops naming the first; the lock of a killed run is taken over) and
`medvae-cli manifest merge` on real outputs (complete, one item missing, one duplicated, and the
frames of multi-frame DICOM files, each a record of its own sharing its file's index).

Usage: test_batch_shards.py MEDVAE_CLI
"""
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_fixture import (ITEMS, RUN_SECONDS, SHARDS, URL_POSITION, cli_command,  # noqa: E402
                           latents, make_inputs, manifest_records, run_cli)

CLI = None


def wait_for(condition, what, seconds=RUN_SECONDS):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)  # polling a condition


class ShardLockTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        self.listing, self.server = make_inputs(self.root)
        self.holder = None

    def tearDown(self):
        if self.holder:
            if self.holder.poll() is None:
                self.holder.kill()
            self.holder.communicate()
        self.server.close()
        self.tmp.cleanup()

    def start_holder(self, out):
        """A run of shard 1 caught at the gated URL, every item before it recorded: it can do
        nothing more until the gate opens."""
        self.server.requested.clear()
        self.holder = subprocess.Popen(cli_command(CLI, self.listing, out, shard=1),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        manifest = out / f"manifest-shard-1-of-{SHARDS}.jsonl"
        before_url = len(range(1, URL_POSITION, SHARDS))
        wait_for(lambda: self.server.requested.is_set() and
                 len(manifest_records(manifest)) == before_url, "shard 1 to reach the gated URL")

    def test_second_run_of_a_shard_stops_naming_the_holder(self):
        out = self.root / "out"
        self.start_holder(out)
        before = {f: f.stat().st_mtime_ns for f in out.rglob("*_latent.npy")}
        second = run_cli(cli_command(CLI, self.listing, out, shard=1))
        self.assertEqual(second.returncode, 1, second.stdout + second.stderr)
        self.assertIn(f"already being run by process {self.holder.pid} on host "
                      f"{socket.gethostname()}", second.stderr)
        self.assertIn(f"manifest-shard-1-of-{SHARDS}.lock", second.stderr)
        # The second run wrote nothing: the holder's outputs are untouched.
        self.assertEqual(before, {f: f.stat().st_mtime_ns for f in out.rglob("*_latent.npy")})
        self.server.gate.set()
        stdout, stderr = self.holder.communicate(timeout=RUN_SECONDS)
        self.assertEqual(self.holder.returncode, 0, stdout + stderr)
        shard1 = [r["index"] for r in manifest_records(out / f"manifest-shard-1-of-{SHARDS}.jsonl")]
        self.assertEqual(sorted(shard1), list(range(1, ITEMS, SHARDS)))
        self.assertFalse((out / f"manifest-shard-1-of-{SHARDS}.lock").exists())

    def test_lock_of_a_killed_run_is_taken_over(self):
        out = self.root / "out"
        self.start_holder(out)
        dead = self.holder.pid
        self.holder.send_signal(signal.SIGKILL)
        self.holder.communicate()
        lock = out / f"manifest-shard-1-of-{SHARDS}.lock"
        self.assertIn(f"pid={dead}\n", lock.read_text())  # left behind by the killed run
        self.server.gate.set()
        again = run_cli(cli_command(CLI, self.listing, out, shard=1))
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn(f"taking over the stale lock {lock} left by process {dead} on host "
                      f"{socket.gethostname()}", again.stderr)
        self.assertIn("which has ended without releasing it", again.stderr)
        self.assertFalse(lock.exists())


class ManifestMergeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        listing, server = make_inputs(root)
        server.gate.set()
        cls.complete = root / "complete"
        for shard in range(SHARDS):
            r = run_cli(cli_command(CLI, listing, cls.complete, shard=shard))
            assert r.returncode == 0, r.stdout + r.stderr
        server.close()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def copy(self, name):
        target = Path(self.tmp.name) / name
        shutil.copytree(self.complete, target)
        return target

    def merge(self, folder, *extra):
        return subprocess.run([CLI, "manifest", "merge", "-i", str(folder), *extra],
                              capture_output=True, text=True, timeout=RUN_SECONDS)

    def test_complete(self):
        merged = Path(self.tmp.name) / "merged.jsonl"
        r = self.merge(self.complete, "-o", str(merged))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"items: {ITEMS} recorded of {ITEMS} in the batch; {ITEMS} complete, "
                      "0 failed, 0 missing, 0 duplicated", r.stdout)
        # The merged table: every shard's records, one per item, by index.
        expected = {}
        for shard in range(SHARDS):
            name = f"manifest-shard-{shard}-of-{SHARDS}.jsonl"
            for rec in manifest_records(self.complete / name):
                expected[rec["index"]] = dict(rec, manifest=name)
        rows = manifest_records(merged)
        self.assertEqual([row["index"] for row in rows], list(range(ITEMS)))
        self.assertEqual(rows, [expected[i] for i in range(ITEMS)])
        self.assertEqual(rows[URL_POSITION]["input"].split("/")[-1], "gated.png")

    def test_one_missing(self):
        folder = self.copy("missing")
        manifest = folder / f"manifest-shard-2-of-{SHARDS}.jsonl"
        records = manifest.read_text().splitlines(keepends=True)
        gone = json.loads(records[3])["index"]
        manifest.write_text("".join(records[:3] + records[4:]))
        r = self.merge(folder)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{ITEMS - 1} complete, 0 failed, 1 missing, 0 duplicated", r.stdout)
        self.assertIn(f"missing items (by index): {gone}\n", r.stdout)

    def test_a_shard_manifest_absent(self):
        folder = self.copy("absent")
        for suffix in (".jsonl", ".csv"):
            (folder / f"manifest-shard-2-of-{SHARDS}{suffix}").unlink()
        r = self.merge(folder)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        shard2 = list(range(2, ITEMS, SHARDS))
        self.assertIn(f"{ITEMS - len(shard2)} complete, 0 failed, {len(shard2)} missing", r.stdout)
        self.assertIn("missing items (by index): " + ", ".join(map(str, shard2)) + "\n", r.stdout)
        self.assertIn(f"note: no manifest of shard 2 of {SHARDS} (manifest-shard-2-of-{SHARDS}.jsonl)",
                      r.stdout)

    def test_one_duplicated(self):
        folder = self.copy("duplicated")
        source = folder / f"manifest-shard-0-of-{SHARDS}.jsonl"
        record = source.read_text().splitlines(keepends=True)[2]
        index = json.loads(record)["index"]
        with open(folder / f"manifest-shard-3-of-{SHARDS}.jsonl", "a") as f:
            f.write(record)  # shard 3's manifest also claims an item of shard 0
        r = self.merge(folder)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{ITEMS} complete, 0 failed, 0 missing, 1 duplicated", r.stdout)
        self.assertIn(f"duplicated: item {index} ({json.loads(record)['input']}) in "
                      f"manifest-shard-0-of-{SHARDS}.jsonl, manifest-shard-3-of-{SHARDS}.jsonl",
                      r.stdout)

    def test_merged_table_never_named_as_a_manifest(self):
        target = self.complete / "manifest-merged.jsonl"
        r = self.merge(self.complete, "-o", str(target))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("would be read as one more manifest", r.stderr)
        self.assertFalse(target.exists())

    def test_not_a_batch_folder(self):
        r = self.merge(Path(self.tmp.name))
        self.assertEqual(r.returncode, 1)
        self.assertIn("no manifest (manifest*.jsonl)", r.stderr)


def write_multi_frame(path, frames):
    """pydicom's MR_small.dcm with `frames` frames, frame k rolled by 7k columns."""
    import pydicom
    from pydicom.data import get_testdata_file
    ds = pydicom.dcmread(get_testdata_file("MR_small.dcm"))
    base = ds.pixel_array
    ds.PixelData = np.stack([np.roll(base, 7 * k, axis=1) for k in range(frames)]) \
        .astype(base.dtype).tobytes()
    ds.NumberOfFrames = frames
    ds.save_as(str(path))


class ManifestMergeFramesTest(unittest.TestCase):
    """Two shards over multi-frame files and PNGs, merged: every frame's record once, as the
    shard manifests hold it, ordered by index then frame."""
    FRAMES = {"a.dcm": 3, "c.dcm": 2}

    def test_every_frame_kept(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            images = root / "images"
            images.mkdir()
            for name, frames in self.FRAMES.items():
                write_multi_frame(images / name, frames)
            rng = np.random.default_rng(20)
            for name in ("b.png", "d.png", "e.png"):
                Image.fromarray(rng.integers(0, 256, (32, 32), dtype=np.uint8)).save(images / name)
            out = root / "out"
            expected = {}
            for shard in range(2):
                r = run_cli([CLI, "batch", "-i", str(images), "-o", str(out), "--threads", "1",
                             "--workers", "1", "--shard", f"{shard}/2"])
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                name = f"manifest-shard-{shard}-of-2.jsonl"
                for rec in manifest_records(out / name):
                    key = (rec["index"], rec.get("frame", -1))
                    self.assertNotIn(key, expected)
                    expected[key] = dict(rec, manifest=name)
            # The shards hold 3 + 2 frame records and 3 PNG records.
            frames = sorted(k for k in expected if k[1] >= 0)
            self.assertEqual(len(frames), 5)
            self.assertEqual(len(expected), 8)
            merged = root / "merged.jsonl"
            r = subprocess.run([CLI, "manifest", "merge", "-i", str(out), "-o", str(merged)],
                               capture_output=True, text=True, timeout=RUN_SECONDS)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("items: 5 recorded of 5 in the batch; 5 complete, 0 failed, 0 missing, "
                          "0 duplicated", r.stdout)
            self.assertIn("frames of multi-frame inputs: 5 recorded (a record each), 0 missing",
                          r.stdout)
            self.assertIn("merged: " + str(merged) + " (8 records)", r.stdout)
            rows = manifest_records(merged)
            self.assertEqual([(row["index"], row.get("frame", -1)) for row in rows],
                             sorted(expected))
            self.assertEqual(rows, [expected[k] for k in sorted(expected)])
            # A frame no manifest records is named.
            shard = out / "manifest-shard-0-of-2.jsonl"
            lines = shard.read_text().splitlines(keepends=True)
            gone = next(i for i, line in enumerate(lines) if json.loads(line).get("frame") == 1)
            dropped = json.loads(lines[gone])
            shard.write_text("".join(lines[:gone] + lines[gone + 1:]))
            r = subprocess.run([CLI, "manifest", "merge", "-i", str(out)],
                               capture_output=True, text=True, timeout=RUN_SECONDS)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn(f"note: item {dropped['index']} ({dropped['input']}): 1 of its "
                          f"{dropped['frame_count']} frames not recorded", r.stdout)


if __name__ == "__main__":
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
