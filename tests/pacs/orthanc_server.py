#!/usr/bin/python3
"""A private Orthanc archive for tests: Debian's Orthanc 1.10 with its DICOMweb plugin, run as a child
of the test on free loopback ports, with its storage, index and config in one temporary folder that
is removed afterwards. Used as a library (OrthancServer) or as a wrapper around a test program:

    orthanc_server.py [--load FILE_OR_DIR ...] [--user NAME:PASSWORD] [--https] -- PROGRAM [ARGS ...]

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
    MEDVAE_ORTHANC_CA_CERT    (only with --https) the PEM certificate of the throwaway authority
                              that signed the archive's certificate (for 127.0.0.1 and localhost);
                              the URLs above then start with https://

With --https the archive is reached over TLS only, with a certificate authority and a server
certificate made for the run by the openssl command line in the temporary folder. Debian 12's
Orthanc 1.10.1 crashes (SIGSEGV, in its civetweb) on the first TLS handshake when SslEnabled is
set, so the TLS is served by a front on its own loopback port (TlsFront, Python's ssl module)
that passes the bytes on to the archive's plain HTTP port, which nothing else is told about.

When Orthanc or its DICOMweb plugin is missing, or the archive does not start, the wrapper prints
why and exits with 77, which the tests register as SKIP_RETURN_CODE.
"""
import argparse
import base64
import json
import os
import select
import socket
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
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


class TlsFront:
    """Serves TLS on a free loopback port and passes each connection's bytes on, both ways, to
    a plain TCP port on 127.0.0.1; a handshake the client refuses just ends that connection."""

    IDLE_SECONDS = 120

    def __init__(self, certificate, key, backend_port):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certificate, key)
        self.backend_port = backend_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.listener.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        try:
            with self.context.wrap_socket(client, server_side=True) as tls, \
                    socket.create_connection(("127.0.0.1", self.backend_port)) as plain:
                self._pump(tls, plain)
        except (OSError, ssl.SSLError):
            pass  # the client refused the certificate, or went away
        finally:
            client.close()

    def _pump(self, tls, plain):
        while True:
            ready = [tls] if tls.pending() else select.select([tls, plain], [], [],
                                                             self.IDLE_SECONDS)[0]
            if not ready:
                return
            for source in ready:
                data = source.recv(65536)
                if not data:
                    return
                (plain if source is tls else tls).sendall(data)


class OrthancServer:
    def __init__(self, root, user=None, https_names=None):
        self.root = Path(root)
        self.user = user  # (name, password) or None
        # Host names and addresses the HTTPS certificate is for (None: plain HTTP), e.g.
        # ["127.0.0.1", "localhost"]; another name makes a certificate for the wrong host.
        self.https_names = https_names
        self.ca_cert = None  # the authority's PEM certificate, with https_names
        self.process = None
        self.front = None  # TlsFront, with https_names
        self.log = self.root / "orthanc.log"

    def _make_certificates(self):
        """A throwaway authority and a server certificate it signs for https_names (tls/server.pem
        and tls/server.key); returns the certificate and key in one PEM file."""
        if shutil.which("openssl") is None:
            raise Unavailable("the openssl command is missing (install Debian's openssl)")
        tls = self.root / "tls"
        tls.mkdir()

        def openssl(*args):
            subprocess.run(["openssl", *args], cwd=tls, check=True, capture_output=True,
                           timeout=60)

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout",
                "ca.key", "-out", "ca.pem", "-subj", "/CN=MedVAE test authority",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
                "server.csr", "-subj", f"/CN={self.https_names[0]}")
        alt = ",".join(("IP:" if n.replace(".", "").isdigit() else "DNS:") + n
                       for n in self.https_names)
        (tls / "server.ext").write_text(f"subjectAltName={alt}\nextendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", "server.pem", "-extfile", "server.ext")
        served = tls / "orthanc.pem"
        served.write_bytes((tls / "server.pem").read_bytes() + (tls / "server.key").read_bytes())
        self.ca_cert = tls / "ca.pem"
        return served

    # --- lifetime -------------------------------------------------------------------------
    def start(self):
        for path in (ORTHANC, DICOMWEB_PLUGIN):
            if not Path(path).exists():
                raise Unavailable(f"{path} is missing (install Debian's orthanc and orthanc-dicomweb)")
        self.http_port, self.dicom_port, self.store_port = free_port(), free_port(), free_port()
        self.served_certificate = self._make_certificates() if self.https_names else None
        config = self.root / "orthanc.json"
        config.write_text(json.dumps(self._config(), indent=2))
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([ORTHANC, f"--logdir={self.root}", str(config)],
                                            stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        if self.served_certificate:
            tls = self.root / "tls"
            self.front = TlsFront(tls / "server.pem", tls / "server.key", self.http_port)
        wait_until(self._answers, START_SECONDS, "Orthanc", self.process, self.log)

    def stop(self):
        if self.front is not None:
            self.front.close()
            self.front = None
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
        if self.front is not None:
            return f"https://127.0.0.1:{self.front.port}"
        return f"http://127.0.0.1:{self.http_port}"

    def request(self, method, path, body=None, content_type=None):
        req = urllib.request.Request(self.url + path, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        if self.user:
            token = base64.b64encode(f"{self.user[0]}:{self.user[1]}".encode()).decode()
            req.add_header("Authorization", "Basic " + token)
        context = None
        if self.ca_cert:
            context = ssl.create_default_context(cafile=str(self.ca_cert))
            # A certificate made for another host on purpose: the harness still reaches its own
            # archive (the authority checked, the name not).
            context.check_hostname = "127.0.0.1" in self.https_names
        with urllib.request.urlopen(req, timeout=30, context=context) as r:
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
        if self.ca_cert:
            env["MEDVAE_ORTHANC_CA_CERT"] = str(self.ca_cert)
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
    parser.add_argument("--https", action="store_true",
                        help="serve HTTPS with a throwaway CA's certificate for 127.0.0.1")
    parser.add_argument("program", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        parser.error("no program to run after --")
    user = tuple(args.user.split(":", 1)) if args.user else None
    root = Path(tempfile.mkdtemp(prefix="medvae-orthanc-"))
    server = OrthancServer(root, user, ["127.0.0.1", "localhost"] if args.https else None)
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
