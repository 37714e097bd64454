"""medvae-cli batch --dicomweb over https, against a private Orthanc behind TLS (run under
orthanc_server.py --https with one file loaded; its certificate is signed by a throwaway
authority, MEDVAE_ORTHANC_CA_CERT). The authority unknown: a clear "not trusted" error naming the
host, at once, with no output; --ca-cert with the authority: the latents of the file as read from
disk; a certificate of the same authority for another host name: refused; a CA file holding no
certificate: refused in words.

Usage: test_dicomweb_tls.py MEDVAE_CLI DICOM_FILE
"""
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parent))
from orthanc_server import OrthancServer  # noqa: E402

CLI = None
DICOM_FILE = None
RUN_SECONDS = 120


def run(*args):
    return subprocess.run([CLI, "batch", *args, "--progress", "lines", "--threads", "1"],
                          capture_output=True, text=True, timeout=RUN_SECONDS)


class DicomwebOverTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = os.environ["MEDVAE_ORTHANC_DICOMWEB"]
        cls.ca = os.environ["MEDVAE_ORTHANC_CA_CERT"]
        cls.series = str(pydicom.dcmread(DICOM_FILE, stop_before_pixels=True).SeriesInstanceUID)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_unknown_authority_is_not_trusted_and_names_the_host(self):
        self.assertTrue(self.url.startswith("https://127.0.0.1:"))
        out = self.root / "untrusted"
        started = time.monotonic()
        result = run("--dicomweb", self.url, "--series", self.series, "-o", str(out))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("not trusted for the host 127.0.0.1", result.stderr)
        self.assertIn("--ca-cert", result.stderr)
        self.assertLess(time.monotonic() - started, 60)  # one attempt, no retrying
        self.assertFalse(out.exists())

    def test_given_authority_gives_the_latents_of_the_file(self):
        out, disk = self.root / "trusted", self.root / "disk"
        result = run("--dicomweb", self.url, "--ca-cert", self.ca, "--series", self.series,
                     "-o", str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("batch: 1 done", result.stdout)
        local = run("-i", str(DICOM_FILE), "-o", str(disk))
        self.assertEqual(local.returncode, 0, local.stderr)
        (archived,) = out.rglob("*_latent.npy")
        self.assertEqual(archived.read_bytes(),
                         (disk / f"{Path(DICOM_FILE).stem}_latent.npy").read_bytes())

    def test_certificate_for_another_host_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            server = OrthancServer(tmp, https_names=["wrong.invalid"])
            try:
                server.start()
                server.upload(DICOM_FILE)
                result = run("--dicomweb", server.url + "/dicom-web", "--ca-cert",
                             str(server.ca_cert), "--series", self.series, "-o",
                             str(Path(tmp) / "out"))
            finally:
                server.stop()
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("host name did not match", result.stderr)
        self.assertIn("not trusted for the host 127.0.0.1", result.stderr)

    def test_ca_file_without_a_certificate_is_refused(self):
        not_pem = self.root / "not-a-certificate.pem"
        not_pem.write_text("hello\n")
        result = run("--dicomweb", self.url, "--ca-cert", str(not_pem), "--series", self.series,
                     "-o", str(self.root / "bad-ca"))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("holds no PEM certificate", result.stderr)
        result = run("--dimse", "ARCHIVE@127.0.0.1:104", "--ca-cert", self.ca, "--series",
                     self.series, "-o", str(self.root / "dimse"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--ca-cert goes with --dicomweb", result.stderr)


if __name__ == "__main__":
    CLI, DICOM_FILE = sys.argv[1], Path(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
