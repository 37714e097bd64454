"""medvae-cli batch reading a DICOMweb archive (run under orthanc_server.py, the series' files
loaded): the latents of `--dicomweb URL --series UID` are byte-identical to those of the same files
read from disk (and so are those of --dimse AET@HOST:PORT), named study/series/instance in
InstanceNumber order, with no patient identifier in
the output names or the manifest; --resume redoes nothing; --query finds the same instances;
--max-instances and a closed port stop the batch in words; Ctrl+C while an instance is being
retrieved (from a loopback archive that stalls) ends the batch with status 130 and only complete
outputs.

Usage: test_batch_dicomweb.py MEDVAE_CLI SERIES_FOLDER
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import pydicom

CLI = None
SERIES_FOLDER = None
RUN_SECONDS = 240


def run(*args, env=None):
    return subprocess.run([CLI, "batch", *args, "--progress", "lines", "--threads", "1"],
                          capture_output=True, text=True, timeout=RUN_SECONDS, env=env)


def records(out):
    """The manifest's records in item order (they are written as items finish)."""
    recs = [json.loads(line) for line in (Path(out) / "manifest.jsonl").read_text().splitlines()
            if line.strip()]
    return sorted(recs, key=lambda r: r["index"])


class BatchFromDicomweb(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = os.environ["MEDVAE_ORTHANC_DICOMWEB"]
        cls.files = {}
        for f in sorted(Path(SERIES_FOLDER).iterdir()):
            cls.files[f] = pydicom.dcmread(f, stop_before_pixels=True)
        first = next(iter(cls.files.values()))
        cls.study, cls.series = str(first.StudyInstanceUID), str(first.SeriesInstanceUID)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name)
        cls.from_archive = cls.root / "archive"
        cls.first_run = run("--dicomweb", cls.url, "--series", cls.series, "-o",
                            str(cls.from_archive))
        cls.from_disk = cls.root / "disk"
        cls.disk_run = run("-i", str(SERIES_FOLDER), "-o", str(cls.from_disk))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def expected_names(self):
        """study/series/instance -> the file it comes from, in InstanceNumber order."""
        ordered = sorted(self.files.items(), key=lambda kv: (int(kv[1].InstanceNumber),
                                                             str(kv[1].SOPInstanceUID)))
        return {f"{self.study}/{self.series}/{d.SOPInstanceUID}": path for path, d in ordered}

    def test_latents_equal_those_of_the_files_on_disk(self):
        self.assertEqual(self.first_run.returncode, 0, self.first_run.stderr)
        self.assertEqual(self.disk_run.returncode, 0, self.disk_run.stderr)
        for stem, path in self.expected_names().items():
            archived = (self.from_archive / f"{stem}_latent.npy").read_bytes()
            on_disk = (self.from_disk / f"{path.name}_latent.npy").read_bytes()
            self.assertEqual(archived, on_disk, stem)

    def test_outputs_named_by_uids_in_order(self):
        expected = self.expected_names()
        written = sorted(str(p.relative_to(self.from_archive)) for p in
                         self.from_archive.rglob("*") if p.is_file() and
                         not p.name.startswith("manifest"))
        self.assertEqual(written, sorted(f"{stem}_latent.npy" for stem in expected))
        recs = records(self.from_archive)
        self.assertEqual([r["output_stem"] for r in recs], list(expected))
        self.assertEqual({r["status"] for r in recs}, {"ok"})
        self.assertTrue(all(r["input"].startswith(self.url + "/studies/") for r in recs))

    def test_no_patient_identifier_in_outputs(self):
        identifiers = set()
        for d in self.files.values():
            for name in ("PatientName", "PatientID", "PatientBirthDate", "AccessionNumber",
                         "StudyDescription", "SeriesDescription"):
                value = str(d.get(name, "") or "").strip()
                if len(value) >= 3:
                    identifiers.add(value)
                    identifiers.update(p for p in value.split("^") if len(p) >= 3)
        self.assertTrue(identifiers)
        texts = [str(p.relative_to(self.root)) for p in self.from_archive.rglob("*")]
        texts += [p.read_text(errors="replace") for p in self.from_archive.glob("manifest*")]
        texts += [self.first_run.stdout, self.first_run.stderr]
        for identifier in identifiers:
            for text in texts:
                self.assertNotIn(identifier, text)

    def test_resume_redoes_nothing(self):
        before = {p: p.read_bytes() for p in self.from_archive.rglob("*_latent.npy")}
        again = run("--dicomweb", self.url, "--series", self.series, "-o",
                    str(self.from_archive), "--resume")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn(f"batch: 0 done, {len(self.files)} skipped", again.stdout)
        self.assertEqual({p: p.read_bytes() for p in self.from_archive.rglob("*_latent.npy")},
                         before)

    def test_query_and_study_find_the_same_instances(self):
        patient = str(next(iter(self.files.values())).PatientID)
        for selection in (["--query", f"PatientID={patient}&StudyDate=19990101-"],
                          ["--study", self.study]):
            out = self.root / ("query" if selection[0] == "--query" else "study")
            result = run("--dicomweb", self.url, *selection, "-o", str(out))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual([r["output_stem"] for r in records(out)], list(self.expected_names()))

    def test_dimse_archive_gives_the_same_latents(self):
        """--dimse AET@HOST:PORT (C-FIND, C-GET) reads the same instances, named the same way,
        with latents byte-identical to the files on disk."""
        address = (f"{os.environ['MEDVAE_ORTHANC_AET']}@127.0.0.1:"
                   f"{os.environ['MEDVAE_ORTHANC_DICOM_PORT']}")
        out = self.root / "dimse"
        result = run("--dimse", address, "--calling-aet", os.environ["MEDVAE_ORTHANC_CALLER_AET"],
                     "--study", self.study, "-o", str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([r["output_stem"] for r in records(out)], list(self.expected_names()))
        for stem, path in self.expected_names().items():
            self.assertEqual((out / f"{stem}_latent.npy").read_bytes(),
                             (self.from_disk / f"{path.name}_latent.npy").read_bytes(), stem)
        # An AE title the archive does not know is refused in words.
        result = run("--dimse", address, "--calling-aet", "STRANGER", "--study", self.study,
                     "-o", str(self.root / "stranger"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("STRANGER", result.stderr)

    def test_saved_profile(self):
        """--pacs NAME reads the profile the app saved (its settings file, here in a private
        XDG_CONFIG_HOME)."""
        config = self.root / "config"
        (config / "MedVAE Studio").mkdir(parents=True)
        (config / "MedVAE Studio" / "medvae-studio.conf").write_text(
            "[pacs]\n"
            "profiles\\Local%20Orthanc\\kind=dicomweb\n"
            f"profiles\\Local%20Orthanc\\address={self.url}\n"
            "profiles\\Local%20Orthanc\\auth=none\n")
        env = dict(os.environ, XDG_CONFIG_HOME=str(config))
        out = self.root / "profile"
        result = run("--pacs", "Local Orthanc", "--series", self.series, "-o", str(out), env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([r["output_stem"] for r in records(out)], list(self.expected_names()))
        result = run("--pacs", "Elsewhere", "--series", self.series, "-o", str(out), env=env)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no archive profile 'Elsewhere' is saved (saved: Local Orthanc)",
                      result.stderr)
        result = run("--dimse", "ORTHANC@127.0.0.1", "--series", self.series, "-o", str(out))
        self.assertEqual(result.returncode, 2)
        self.assertIn("AET@HOST:PORT", result.stderr)

    def test_limits_and_failures_in_words(self):
        result = run("--dicomweb", self.url, "--series", self.series, "--max-instances", "2",
                     "-o", str(self.root / "capped"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("more than 2 instances", result.stderr)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        result = run("--dicomweb", f"http://127.0.0.1:{port}/dicom-web", "--series", self.series,
                     "-o", str(self.root / "closed"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("connection refused", result.stderr)
        result = run("--series", self.series, "-o", str(self.root / "usage"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("no inputs given (-i INPUT, or an archive", result.stderr)
        result = run("-i", str(SERIES_FOLDER), "--series", self.series, "-o",
                     str(self.root / "usage"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("need an archive", result.stderr)
        result = run("--dicomweb", self.url, "-o", str(self.root / "usage"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("needs --study, --series or --query", result.stderr)

    def test_interrupt_leaves_only_complete_outputs(self):
        server = subprocess.Popen([sys.executable, str(Path(__file__).parent /
                                                       "faulty_dicomweb_server.py"),
                                   str(next(iter(self.files)))],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline())
            out = self.root / "interrupted"
            batch = subprocess.Popen(
                [CLI, "batch", "--dicomweb", f"http://127.0.0.1:{port}/gated-archive",
                 "--series", "1.2.3.4", "-o", str(out), "--progress", "lines", "--threads", "1",
                 "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertEqual(server.stdout.readline().strip(), "stalling")
            manifest = out / "manifest.jsonl"
            deadline = time.monotonic() + RUN_SECONDS
            while not (manifest.exists() and manifest.read_text().count("\n") >= 1):
                self.assertLess(time.monotonic(), deadline, "the first item was not recorded")
                self.assertIsNone(batch.poll(), "the batch ended before it was interrupted")
                time.sleep(0.02)  # polling a condition
            batch.send_signal(signal.SIGINT)
            _, stderr = batch.communicate(timeout=60)
            self.assertEqual(batch.returncode, 130, stderr)
            self.assertIn("cancelled", stderr)
            recs = records(out)
            self.assertEqual([(r["output_stem"], r["status"]) for r in recs],
                             [("1.2.3/1.2.3.4/1.2.3.4.5.1", "ok")])
            left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
            self.assertEqual(left, ["1.2.3/1.2.3.4/1.2.3.4.5.1_latent.npy", "manifest.csv",
                                    "manifest.jsonl"])
        finally:
            server.stdin.close()
            server.wait(timeout=60)


if __name__ == "__main__":
    CLI, SERIES_FOLDER = sys.argv[1], Path(sys.argv[2])
    unittest.main(argv=sys.argv[:1])
