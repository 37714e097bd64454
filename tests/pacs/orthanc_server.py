#!/usr/bin/python3
"""A private Orthanc archive for tests: Debian's Orthanc 1.10 with its DICOMweb plugin, run as a child
of the test on free loopback ports, with its storage, index and config in one temporary folder that
is removed afterwards. Used as a library (OrthancServer) or as a wrapper around a test program:

    orthanc_server.py [--load FILE_OR_DIR ...] [--user NAME:PASSWORD] -- PROGRAM [ARGS ...]

starts the archive, uploads the files (directories recursively, the files that
carry the DICM preamble; files without one are left out), runs PROGRAM with these variables set, stops the archive and exits with
PROGRAM's status:

    MEDVAE_ORTHANC_URL        http://127.0.0.1:PORT            (REST API; credentials below when set)
    MEDVAE_ORTHANC_DICOMWEB   http://127.0.0.1:PORT/dicom-web  (DICOMweb root, no trailing slash)
    MEDVAE_ORTHANC_AET        the archive's AE title
    MEDVAE_ORTHANC_DICOM_PORT the archive's DIMSE port
    MEDVAE_ORTHANC_USER / MEDVAE_ORTHANC_PASSWORD   (only with --user)
    MEDVAE_ORTHANC_CALLER_AET the calling AE title the archive knows (C-FIND/C-GET/C-MOVE allowed)
    MEDVAE_ORTHANC_STORE_PORT a free port on 127.0.0.1 registered as that AE's address, for a C-MOVE
                              destination (storage SCP) the test runs itself
    MEDVAE_ORTHANC_LOADED     the number of instances uploaded

When Orthanc or its DICOMweb plugin is missing, or the archive does not start, the wrapper prints
why and exits with 77, which the tests register as SKIP_RETURN_CODE.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
from local_daemon import Unavailable, die_with_parent, free_port, tail, wait_until  # noqa: E402

SKIP = 77
START_SECONDS = 60
ORTHANC = "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
ARCHIVE_AET = "MEDVAETESTPACS"
CALLER_AET = "MEDVAESTUDIO"


class OrthancServer:
    def __init__(self, root, user=None):
        self.root = Path(root)
        self.user = user  # (name, password) or None
        self.process = None
        self.log = self.root / "orthanc.log"

    # --- lifetime -------------------------------------------------------------------------
    def start(self):
        for path in (ORTHANC, DICOMWEB_PLUGIN):
            if not Path(path).exists():
                raise Unavailable(f"{path} is missing (install Debian's orthanc and orthanc-dicomweb)")
        self.http_port, self.dicom_port, self.store_port = free_port(), free_port(), free_port()
        config = self.root / "orthanc.json"
        config.write_text(json.dumps(self._config(), indent=2))
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([ORTHANC, f"--logdir={self.root}", str(config)],
                                            stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        wait_until(self._answers, START_SECONDS, "Orthanc", self.process, self.log)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def _config(self):
        storage = self.root / "storage"
        storage.mkdir(exist_ok=True)
        config = {
            "Name": "medvae-test-archive",
            "StorageDirectory": str(storage),
            "IndexDirectory": str(storage),
            "Plugins": [DICOMWEB_PLUGIN],
            "HttpServerEnabled": True,
            "HttpPort": self.http_port,
            "RemoteAccessAllowed": False,
            "DicomServerEnabled": True,
            "DicomAet": ARCHIVE_AET,
            "DicomPort": self.dicom_port,
            "DicomCheckCalledAet": True,
            "DicomModalities": {"medvae": [CALLER_AET, "127.0.0.1", self.store_port]},
            "DicomScpTimeout": 30,
            "SaveJobs": False,
            "StorageCompression": False,
            # No "Host": the plugin then builds RetrieveURLs from the request's Host header.
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/", "EnableWado": True,
                         "WadoRoot": "/wado", "Ssl": False,
                         "StudiesMetadata": "Full", "SeriesMetadata": "Full"},
        }
        if self.user:
            config["AuthenticationEnabled"] = True
            config["RegisteredUsers"] = {self.user[0]: self.user[1]}
        else:
            config["AuthenticationEnabled"] = False
        return config

    # --- REST -----------------------------------------------------------------------------
    @property
    def url(self):
        return f"http://127.0.0.1:{self.http_port}"

    def request(self, method, path, body=None, content_type=None):
        req = urllib.request.Request(self.url + path, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        if self.user:
            token = base64.b64encode(f"{self.user[0]}:{self.user[1]}".encode()).decode()
            req.add_header("Authorization", "Basic " + token)
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read()

    def _answers(self):
        try:
            return json.loads(self.request("GET", "/system")).get("DicomAet") == ARCHIVE_AET
        except (OSError, urllib.error.URLError, ValueError):
            return False

    def upload(self, path):
        """Uploads one DICOM file; returns Orthanc's answer (ID, ParentStudy, Status)."""
        return json.loads(self.request("POST", "/instances", Path(path).read_bytes(),
                                       "application/dicom"))

    def instances(self):
        return json.loads(self.request("GET", "/instances"))

    def environment(self):
        env = {
            "MEDVAE_ORTHANC_URL": self.url,
            "MEDVAE_ORTHANC_DICOMWEB": self.url + "/dicom-web",
            "MEDVAE_ORTHANC_AET": ARCHIVE_AET,
            "MEDVAE_ORTHANC_DICOM_PORT": str(self.dicom_port),
            "MEDVAE_ORTHANC_CALLER_AET": CALLER_AET,
            "MEDVAE_ORTHANC_STORE_PORT": str(self.store_port),
        }
        if self.user:
            env["MEDVAE_ORTHANC_USER"], env["MEDVAE_ORTHANC_PASSWORD"] = self.user
        return env


def dicom_files(paths):
    """The DICOM files among paths (directories walked, sorted for a stable order)."""
    found = []
    for p in map(Path, paths):
        candidates = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in candidates:
            try:
                with open(f, "rb") as h:
                    head = h.read(132)
            except OSError:
                continue
            if head[128:132] == b"DICM":
                found.append(f)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="append", default=[], help="DICOM file or directory")
    parser.add_argument("--user", help="NAME:PASSWORD (HTTP Basic required)")
    parser.add_argument("program", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        parser.error("no program to run after --")
    user = tuple(args.user.split(":", 1)) if args.user else None
    root = Path(tempfile.mkdtemp(prefix="medvae-orthanc-"))
    server = OrthancServer(root, user)
    try:
        try:
            server.start()
        except Unavailable as e:
            print(f"SKIP: no archive to test against: {e}", flush=True)
            return SKIP
        loaded = 0
        for f in dicom_files(args.load):
            try:
                server.upload(f)
                loaded += 1
            except urllib.error.HTTPError as e:  # a file Orthanc refuses is not part of the corpus
                print(f"note: Orthanc refused {f.name}: HTTP {e.code}", flush=True)
        env = dict(os.environ, **server.environment(), MEDVAE_ORTHANC_LOADED=str(loaded))
        print(f"archive {ARCHIVE_AET} at {server.url} (DIMSE port {server.dicom_port}), "
              f"{loaded} instances loaded", flush=True)
        status = subprocess.call(program, env=env)
        if status != 0:
            print(f"archive log (last lines): {tail(server.log, 20)}", flush=True)
        return status
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
