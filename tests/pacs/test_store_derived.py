"""medvae-cli batch --store-derived against a private Orthanc (run under orthanc_server.py with one
CT series loaded): for each item the reconstruction and the error heatmap are stored back as new
Secondary Capture objects, over DICOMweb (STOW-RS) and over DIMSE (C-STORE). Checked with tools
that are not the project's: Orthanc's REST API and DICOMweb (QIDO-RS), DCMTK's findscu (C-FIND),
pydicom and PIL. The derived objects are found again, reference their source, file into the
source's study, carry the pixels of the batch's own PNGs (the heatmap exactly, the reconstruction
within the PNG's quantisation); the originals' bytes are unchanged; --resume stores nothing again;
no patient identifier is printed or recorded; the flag is refused where it has nowhere to store.
An archive that refuses the store (faulty_dicomweb_server.py's read-only archive) fails the item
with the archive's reason while its files stay written and recorded, and --resume tries again.

Usage: test_store_derived.py MEDVAE_CLI SERIES_FOLDER
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pydicom
from PIL import Image

CLI = None
SERIES_FOLDER = None
RUN_SECONDS = 240
FORMATS = ["--formats", "npy,png,error"]  # 8-bit PNGs (PIL reads colour PNGs as 8 bits)


def run(*args):
    return subprocess.run([CLI, "batch", *args, "--progress", "lines", "--threads", "1"],
                          capture_output=True, text=True, timeout=RUN_SECONDS)


def records(out):
    lines = (Path(out) / "manifest.jsonl").read_text().splitlines()
    return sorted((json.loads(line) for line in lines if line.strip()), key=lambda r: r["index"])


def http_json(url, data=None):
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as r:
        body = r.read()
    return json.loads(body) if body else []


def orthanc_files():
    """Orthanc's instance ID -> SHA-256 of the file it stores."""
    base = os.environ["MEDVAE_ORTHANC_URL"]
    out = {}
    for iid in http_json(base + "/instances"):
        with urllib.request.urlopen(f"{base}/instances/{iid}/file", timeout=30) as r:
            out[iid] = hashlib.sha256(r.read()).hexdigest()
    return out


def orthanc_dataset(sop):
    base = os.environ["MEDVAE_ORTHANC_URL"]
    query = json.dumps({"Level": "Instance", "Query": {"SOPInstanceUID": sop}}).encode()
    ids = http_json(base + "/tools/find", query)
    assert len(ids) == 1, f"{sop}: {ids}"
    with urllib.request.urlopen(f"{base}/instances/{ids[0]}/file", timeout=30) as r:
        return pydicom.dcmread(pydicom.filebase.DicomBytesIO(r.read()))


def c_find_instances(study, series, workdir):
    """SOP Instance UIDs of a series by C-FIND (DCMTK's findscu, its answers read by pydicom)."""
    workdir.mkdir()
    subprocess.run(["findscu", "-S", "-X", "-aet", os.environ["MEDVAE_ORTHANC_CALLER_AET"],
                    "-aec", os.environ["MEDVAE_ORTHANC_AET"], "127.0.0.1",
                    os.environ["MEDVAE_ORTHANC_DICOM_PORT"], "-k", "QueryRetrieveLevel=IMAGE",
                    "-k", f"StudyInstanceUID={study}", "-k", f"SeriesInstanceUID={series}",
                    "-k", "SOPInstanceUID"], cwd=workdir, check=True, capture_output=True,
                   timeout=60)
    return sorted(str(pydicom.dcmread(f).SOPInstanceUID) for f in workdir.glob("rsp*.dcm"))


class StoreDerived(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sources = {}
        for f in sorted(Path(SERIES_FOLDER).iterdir()):
            ds = pydicom.dcmread(f)
            cls.sources[str(ds.SOPInstanceUID)] = ds
        first = next(iter(cls.sources.values()))
        cls.study, cls.series = str(first.StudyInstanceUID), str(first.SeriesInstanceUID)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name)
        cls.originals = orthanc_files()
        cls.dimse = (f"{os.environ['MEDVAE_ORTHANC_AET']}@127.0.0.1:"
                     f"{os.environ['MEDVAE_ORTHANC_DICOM_PORT']}")
        cls.web_out, cls.dimse_out = cls.root / "dicomweb", cls.root / "dimse"
        # DIMSE first: it selects the whole study (a DIMSE series query needs its study), which
        # afterwards also holds the objects stored; the DICOMweb run selects the series alone.
        cls.dimse_run = run("--dimse", cls.dimse, "--calling-aet",
                            os.environ["MEDVAE_ORTHANC_CALLER_AET"], "--study", cls.study,
                            "--store-derived", *FORMATS, "-o", str(cls.dimse_out))
        cls.web_run = run("--dicomweb", os.environ["MEDVAE_ORTHANC_DICOMWEB"], "--series",
                          cls.series, "--store-derived", *FORMATS, "-o", str(cls.web_out))
        cls.after_runs = orthanc_files()
        cls.web_resume = run("--dicomweb", os.environ["MEDVAE_ORTHANC_DICOMWEB"], "--series",
                             cls.series, "--store-derived", *FORMATS, "--resume", "-o",
                             str(cls.web_out))
        cls.after_resume = orthanc_files()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_runs_succeed_and_record_two_objects_per_item(self):
        for result, out in ((self.web_run, self.web_out), (self.dimse_run, self.dimse_out)):
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(f"batch: {len(self.sources)} done, 0 skipped (already complete), 0 failed", result.stdout)
            recs = records(out)
            self.assertEqual(len(recs), len(self.sources))
            for r in recs:
                self.assertEqual(r["status"], "ok", r["error"])
                self.assertEqual(len(r["stored"]), 2, r)
                self.assertTrue(all(uid.startswith("2.25.") for uid in r["stored"]), r)

    def test_archive_holds_originals_unchanged_plus_two_new_objects_per_item(self):
        for iid, sha in self.originals.items():
            self.assertEqual(self.after_runs.get(iid), sha, f"original {iid} changed")
        self.assertEqual(len(self.after_runs), len(self.originals) + 4 * len(self.sources))

    def test_resume_stores_nothing_again(self):
        self.assertEqual(self.web_resume.returncode, 0, self.web_resume.stderr)
        self.assertIn(f"0 done, {len(self.sources)} skipped", self.web_resume.stdout)
        self.assertEqual(self.after_resume, self.after_runs)

    def check_derived(self, record, out):
        source_sop = record["output_stem"].split("/")[2]
        source = self.sources[source_sop]
        recon, heat = (orthanc_dataset(uid) for uid in record["stored"])
        for ds in (recon, heat):
            self.assertEqual(ds.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
            self.assertEqual(list(ds.ImageType)[:2], ["DERIVED", "SECONDARY"])
            self.assertEqual(ds.StudyInstanceUID, self.study)  # files with its study
            self.assertEqual(ds.PatientID, source.PatientID)
            self.assertNotEqual(ds.SeriesInstanceUID, self.series)
            self.assertEqual([str(i.ReferencedSOPInstanceUID) for i in ds.SourceImageSequence],
                             [source_sop])
            self.assertIn("medvae", str(ds.SeriesDescription).lower())
        # The heatmap is the batch's _error.png, pixel for pixel.
        png = np.asarray(Image.open(out / (record["output_stem"] + "_error.png")).convert("RGB"))
        self.assertEqual(heat.PhotometricInterpretation, "RGB")
        np.testing.assert_array_equal(heat.pixel_array, png)
        # The reconstruction in the source's units: the PNG holds the decoded values in [-1, 1]
        # rounded to 0..255, the DICOM object the same values mapped back through the source's
        # min/max (Reconstruction) rounded to whole stored values: they agree within half a PNG
        # step over the source's range plus half a unit.
        values = pydicom.pixel_data_handlers.util.apply_modality_lut(source.pixel_array, source)
        lo, hi = float(values.min()), float(values.max())
        # The model's 3 channels; a gray source is compared with (and stored as) their mean.
        channels = np.asarray(Image.open(out / (record["output_stem"] + "_decoded.png")),
                              dtype=np.float64)
        inside = ((channels > 0) & (channels < 255)).all(axis=-1)  # the PNG clips, DICOM not
        decoded = channels.mean(axis=-1)
        expected = lo + decoded / 255.0 * (hi - lo)
        stored = pydicom.pixel_data_handlers.util.apply_modality_lut(recon.pixel_array, recon)
        self.assertEqual(stored.shape, decoded.shape)
        self.assertGreater(inside.mean(), 0.5)
        tolerance = 0.5 + 0.5 * (hi - lo) / 255.0 + 1e-3
        worst = float(np.abs(stored - expected)[inside].max())
        self.assertLessEqual(worst, tolerance)
        return recon, heat

    def test_dicomweb_objects_found_by_qido_with_source_and_pixels(self):
        base = os.environ["MEDVAE_ORTHANC_DICOMWEB"]
        for record in records(self.web_out):
            for uid in record["stored"]:
                rows = http_json(f"{base}/instances?SOPInstanceUID={uid}")
                self.assertEqual(len(rows), 1, uid)
                self.assertEqual(rows[0]["0020000D"]["Value"], [self.study])
            self.check_derived(record, self.web_out)

    def test_dimse_objects_found_by_c_find_with_source_and_pixels(self):
        for n, record in enumerate(records(self.dimse_out)):
            recon, heat = self.check_derived(record, self.dimse_out)
            for i, ds in enumerate((recon, heat)):
                found = c_find_instances(self.study, ds.SeriesInstanceUID,
                                         self.root / f"find-{n}-{i}")
                self.assertIn(str(ds.SOPInstanceUID), found)

    def test_no_patient_identifier_printed_or_recorded(self):
        identifiers = set()
        for ds in self.sources.values():
            for keyword in ("PatientName", "PatientID", "PatientBirthDate", "AccessionNumber",
                            "StudyDescription", "SeriesDescription"):
                value = str(ds.get(keyword, "")).strip()
                if len(value) >= 3:
                    identifiers.add(value)
        self.assertTrue(identifiers)
        texts = [self.web_run.stdout, self.web_run.stderr, self.dimse_run.stdout,
                 self.dimse_run.stderr, self.web_resume.stdout]
        texts += [p.read_text() for out in (self.web_out, self.dimse_out)
                  for p in out.glob("manifest*")]
        for text in texts:
            for identifier in identifiers:
                self.assertNotIn(identifier, text)

    def test_refused_without_an_archive_or_with_files(self):
        result = run("-i", str(SERIES_FOLDER), "--store-derived", "-o", str(self.root / "files"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("--store-derived", result.stderr)
        self.assertIn("--dicomweb, --pacs or --dimse", result.stderr)
        result = run("-i", str(SERIES_FOLDER), "--dicomweb", os.environ["MEDVAE_ORTHANC_DICOMWEB"],
                     "--series", self.series, "--store-derived", "-o", str(self.root / "mixed"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("only archive items", result.stderr)
        self.assertFalse((self.root / "files").exists() or (self.root / "mixed").exists())


class StoreRefused(unittest.TestCase):
    def test_refused_store_fails_the_item_keeps_its_files_and_resume_retries(self):
        dicom = next(iter(sorted(Path(SERIES_FOLDER).iterdir())))
        server = subprocess.Popen([sys.executable, str(Path(__file__).parent /
                                                       "faulty_dicomweb_server.py"), str(dicom)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline())
            url = f"http://127.0.0.1:{port}/read-only-archive"
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "out"
                first = run("--dicomweb", url, "--series", "1.2.3.4", "--store-derived", "-o",
                            str(out))
                self.assertEqual(first.returncode, 1, first.stderr)
                self.assertIn("batch: 0 done, 0 skipped (already complete), 1 failed",
                              first.stdout)
                (record,) = records(out)
                self.assertEqual(record["status"], "failed")
                self.assertIn("storing its derived objects failed", record["error"])
                self.assertIn("409", record["error"])
                self.assertNotIn("stored", record)
                latent = out / record["outputs"][0]
                self.assertTrue(latent.name.endswith("_latent.npy"))
                self.assertEqual(hashlib.sha256(latent.read_bytes()).hexdigest(),
                                 record["output_sha256"][0])
                again = run("--dicomweb", url, "--series", "1.2.3.4", "--store-derived",
                            "--resume", "-o", str(out))
                self.assertEqual(again.returncode, 1, again.stderr)
                self.assertIn("batch: 0 done, 0 skipped (already complete), 1 failed",
                              again.stdout)
                self.assertEqual(len(records(out)), 2)
        finally:
            server.stdin.close()
            server.wait(timeout=30)
            server.stdout.close()


if __name__ == "__main__":
    CLI, SERIES_FOLDER = sys.argv[1], Path(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
