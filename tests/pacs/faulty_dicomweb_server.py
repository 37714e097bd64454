#!/usr/bin/python3
"""A loopback DICOMweb archive that misbehaves, for the client's bounds. Serves until its stdin
closes; prints its port on the first line of stdout.

    faulty_dicomweb_server.py DICOM_FILE

Requests under /truncated/...: a real WADO-RS answer (multipart/related, two parts holding
DICOM_FILE), no Content-Length, the connection closed in the middle of part 2.
Requests under /stall-headers/...: the request is read, no answer comes.
Requests under /stall-body/...: the headers and half of part 1 come, then nothing.
Requests under /no-content/...: HTTP 204, as an archive answers a query without matches.
Requests under /stow-conflict/...: a STOW-RS reply of HTTP 409 with a FailedSOPSequence.
Requests under /gated-archive/...: an archive of one series (GATED_STUDY, GATED_SERIES) with two
instances: QIDO-RS finds them, the first is retrieved whole (DICOM_FILE), the second stalls after
half of its part; "stalling" is printed on stdout when it does.
Requests under /read-only-archive/...: the same archive with its first instance alone, retrieved
whole; every STOW-RS store is refused as under /stow-conflict/.
"""
import http.server
import json
import sys
import threading

BOUNDARY = "faulty-boundary-1"
STOP = threading.Event()
GATED_STUDY, GATED_SERIES = "1.2.3", "1.2.3.4"
GATED_INSTANCES = ["1.2.3.4.5.1", "1.2.3.4.5.2"]


def uid(value):
    return {"vr": "UI", "Value": [value]}


def multipart(dicom, parts):
    body = b""
    for _ in range(parts):
        body += (f"--{BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n").encode() + dicom + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def start_multipart(self):
        self.send_response(200)
        self.send_header("Content-Type",
                         f'multipart/related; type="application/dicom"; boundary="{BOUNDARY}"')
        self.send_header("Connection", "close")
        self.end_headers()

    def send_json(self, rows):
        body = json.dumps(rows).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/dicom+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def gated_archive(self, path):
        dicom = self.server.dicom
        instances = f"/studies/{GATED_STUDY}/series/{GATED_SERIES}/instances"
        if path.startswith("/series?"):
            self.send_json([{"0020000D": uid(GATED_STUDY), "0020000E": uid(GATED_SERIES)}])
        elif path.startswith(instances + "?"):
            self.send_json([{"00080018": uid(sop), "00200013": {"vr": "IS", "Value": [n + 1]}}
                            for n, sop in enumerate(GATED_INSTANCES)])
        elif path == instances + "/" + GATED_INSTANCES[0]:
            whole = multipart(dicom, 1)
            self.send_response(200)
            self.send_header("Content-Type", f'multipart/related; type="application/dicom"; '
                                             f'boundary={BOUNDARY}')
            self.send_header("Content-Length", str(len(whole)))
            self.end_headers()
            self.wfile.write(whole)
        elif path == instances + "/" + GATED_INSTANCES[1]:
            self.start_multipart()
            self.wfile.write(multipart(dicom, 1)[:len(dicom) // 2])
            self.wfile.flush()
            print("stalling", flush=True)
            STOP.wait(120)
            self.close_connection = True
        else:
            self.send_error(404)

    def read_only_archive(self, path):
        instances = f"/studies/{GATED_STUDY}/series/{GATED_SERIES}/instances"
        if path.startswith(instances + "?"):
            self.send_json([{"00080018": uid(GATED_INSTANCES[0]),
                             "00200013": {"vr": "IS", "Value": [1]}}])
        elif path == instances + "/" + GATED_INSTANCES[1]:
            self.send_error(404)
        else:
            self.gated_archive(path)

    def do_GET(self):
        dicom = self.server.dicom
        if self.path.startswith("/read-only-archive/"):
            self.read_only_archive(self.path[len("/read-only-archive"):])
        elif self.path.startswith("/gated-archive/"):
            self.gated_archive(self.path[len("/gated-archive"):])
        elif self.path.startswith("/no-content/"):
            self.send_response(204)
            self.end_headers()
        elif self.path.startswith("/truncated/"):
            self.start_multipart()
            whole = multipart(dicom, 2)
            first_part_end = whole.index(f"\r\n--{BOUNDARY}".encode()) + 2
            cut = first_part_end + (len(whole) - first_part_end) // 2  # inside part 2
            self.wfile.write(whole[:cut])
            self.wfile.flush()
            self.close_connection = True
        elif self.path.startswith("/stall-headers/"):
            STOP.wait(120)
            self.close_connection = True
        elif self.path.startswith("/stall-body/"):
            self.start_multipart()
            self.wfile.write(multipart(dicom, 1)[:len(dicom) // 2])
            self.wfile.flush()
            STOP.wait(120)
            self.close_connection = True
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path.startswith(("/stow-conflict/", "/read-only-archive/")):
            reply = json.dumps({"00081198": {"vr": "SQ", "Value": [{
                "00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.7"]},
                "00081155": {"vr": "UI", "Value": ["1.2.3.4.5.6.7"]},
                "00081197": {"vr": "US", "Value": [272]}}]}}).encode()
            self.send_response(409)
            self.send_header("Content-Type", "application/dicom+json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        else:
            self.send_error(404)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[1], "rb") as f:
        server.dicom = f.read()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    STOP.set()
    server.shutdown()


if __name__ == "__main__":
    main()
