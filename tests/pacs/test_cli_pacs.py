"""medvae-cli pacs add|list|remove|echo, against a private Orthanc over https with HTTP Basic
(run under orthanc_server.py --https --user NAME:PW, itself inside a private D-Bus session with
an unlocked gnome-keyring: a real Secret Service). Settings go to a private XDG_CONFIG_HOME per
test. A DICOMweb profile with a user, its CA file and its password (from the environment, kept
in the keychain, never in the settings file nor in `pacs list`) answers `pacs echo` and serves
`batch --pacs NAME`; a DIMSE profile answers C-ECHO; a wrong password, a closed port, an
unknown name, a bad address, a missing password and a keychain out of reach each fail in words
and keep nothing; removing a profile removes its keychain entry.

Usage: test_cli_pacs.py MEDVAE_CLI DICOM_FILE
"""
import os
import socket
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import pydicom

CLI = None
DICOM_FILE = None
RUN_SECONDS = 120


class PacsProfiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        self.config = self.root / "config"
        self.env = dict(os.environ, XDG_CONFIG_HOME=str(self.config))
        for name in ("MEDVAE_DICOMWEB_PASSWORD", "MEDVAE_DICOMWEB_TOKEN"):
            self.env.pop(name, None)
        self.url = os.environ["MEDVAE_ORTHANC_DICOMWEB"]
        self.user = os.environ["MEDVAE_ORTHANC_USER"]
        self.password = os.environ["MEDVAE_ORTHANC_PASSWORD"]
        self.ca = os.environ["MEDVAE_ORTHANC_CA_CERT"]
        self.dimse = (f"{os.environ['MEDVAE_ORTHANC_AET']}@127.0.0.1:"
                      f"{os.environ['MEDVAE_ORTHANC_DICOM_PORT']}")

    def tearDown(self):
        self.tmp.cleanup()

    def cli(self, *args, password=None):
        env = dict(self.env)
        if password is not None:
            env["MEDVAE_DICOMWEB_PASSWORD"] = password
        return subprocess.run([CLI, *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=RUN_SECONDS)

    def settings_text(self):
        path = self.config / "MedVAE Studio" / "medvae-studio.conf"
        return path.read_text() if path.exists() else ""

    def add_web(self, name="Hospital PACS", password=None):
        return self.cli("pacs", "add", name, "--dicomweb", self.url, "--user", self.user,
                        "--ca-cert", self.ca, password=password or self.password)

    def test_dicomweb_profile_saved_listed_echoed_and_used_by_batch(self):
        added = self.add_web()
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertIn("saved archive profile 'Hospital PACS'", added.stdout)
        text = self.settings_text()
        self.assertIn(self.url, text)
        self.assertIn(self.ca, text)
        self.assertNotIn(self.password, text)  # the secret lives in the keychain only
        listed = self.cli("pacs", "list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual(listed.stdout.strip(),
                         f"Hospital PACS\tdicomweb\t{self.url}\tauth basic (user {self.user})"
                         f"\tCA file {self.ca}")
        self.assertNotIn(self.password, listed.stdout + listed.stderr + added.stdout)
        echoed = self.cli("pacs", "echo", "Hospital PACS")
        self.assertEqual(echoed.returncode, 0, echoed.stderr)
        self.assertIn("answered (a QIDO-RS study query)", echoed.stdout)
        series = str(pydicom.dcmread(DICOM_FILE, stop_before_pixels=True).SeriesInstanceUID)
        out = self.root / "out"
        batch = self.cli("batch", "--pacs", "Hospital PACS", "--series", series, "-o", str(out),
                         "--progress", "lines", "--threads", "1")
        self.assertEqual(batch.returncode, 0, batch.stderr)
        self.assertIn("batch: 1 done", batch.stdout)
        self.assertEqual(len(list(out.rglob("*_latent.npy"))), 1)

    def test_dimse_profile_answers_c_echo(self):
        added = self.cli("pacs", "add", "Modality", "--dimse", self.dimse, "--calling-aet",
                         os.environ["MEDVAE_ORTHANC_CALLER_AET"])
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertEqual(self.cli("pacs", "list").stdout.strip(),
                         f"Modality\tdimse\t{self.dimse}\tcalling AET "
                         f"{os.environ['MEDVAE_ORTHANC_CALLER_AET']}")
        echoed = self.cli("pacs", "echo", "Modality")
        self.assertEqual(echoed.returncode, 0, echoed.stderr)
        self.assertIn("answered (C-ECHO)", echoed.stdout)

    def test_remove_forgets_the_profile(self):
        self.assertEqual(self.add_web("Old").returncode, 0)
        removed = self.cli("pacs", "remove", "Old")
        self.assertEqual(removed.returncode, 0, removed.stderr)
        self.assertEqual(self.cli("pacs", "list").stdout.strip(),
                         "no archive profile is saved (medvae-cli pacs add)")
        self.assertNotIn("Old", self.settings_text())
        again = self.cli("pacs", "echo", "Old")
        self.assertEqual(again.returncode, 1)
        self.assertIn("no archive profile 'Old' is saved (none is)", again.stderr)
        # The keychain entry went too: the same profile written back by hand finds no secret.
        conf = self.config / "MedVAE Studio" / "medvae-studio.conf"
        conf.write_text("[pacs]\n"
                        "profiles\\Old\\kind=dicomweb\n"
                        f"profiles\\Old\\address={self.url}\n"
                        "profiles\\Old\\auth=basic\n"
                        f"profiles\\Old\\user={self.user}\n")
        again = self.cli("pacs", "echo", "Old")
        self.assertEqual(again.returncode, 1)
        self.assertIn("the keychain holds no password or token for the archive profile 'Old'",
                      again.stderr)

    def test_no_keychain_keeps_nothing(self):
        self.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/medvae-test-bus"
        added = self.add_web("Unkept")
        self.assertEqual(added.returncode, 1)
        self.assertIn("cannot keep the secret of the archive profile 'Unkept' in the keychain",
                      added.stderr)
        self.assertNotIn(self.password, added.stderr)
        self.assertNotIn("Unkept", self.settings_text())

    def test_failures_in_words(self):
        self.assertEqual(self.add_web("Wrong password", password="not-the-password").returncode, 0)
        echoed = self.cli("pacs", "echo", "Wrong password")
        self.assertEqual(echoed.returncode, 1)
        self.assertIn("refused the credentials", echoed.stderr)
        self.assertNotIn("not-the-password", echoed.stderr)
        with socket.socket() as s:  # a port nothing listens on
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
            added = self.cli("pacs", "add", "Closed", "--dimse", f"PACS@127.0.0.1:{closed}")
            self.assertEqual(added.returncode, 0, added.stderr)
            echoed = self.cli("pacs", "echo", "Closed")
        self.assertEqual(echoed.returncode, 1)
        self.assertIn(f"127.0.0.1:{closed}", echoed.stderr)
        unknown = self.cli("pacs", "remove", "Nowhere")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("no archive profile 'Nowhere' is saved (saved: Closed, Wrong password)",
                      unknown.stderr)
        bad = self.cli("pacs", "add", "Bad", "--dimse", "PACS@127.0.0.1")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("AET@HOST:PORT", bad.stderr)
        missing = self.cli("pacs", "add", "No secret", "--dicomweb", self.url, "--user",
                           self.user)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("MEDVAE_DICOMWEB_PASSWORD", missing.stderr)
        usage = self.cli("pacs", "add", "Both", "--dicomweb", self.url, "--dimse", self.dimse)
        self.assertEqual(usage.returncode, 2)
        self.assertIn("either --dicomweb URL or --dimse", usage.stderr)
        text = self.settings_text()
        for name in ("Bad", "No secret", "Both"):
            self.assertNotIn(name.replace(" ", "%20"), text)


if __name__ == "__main__":
    CLI, DICOM_FILE = sys.argv[1], Path(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
