#!/usr/bin/python3
"""A front for s3rver that checks what s3rver does not: every request's SigV4 signature.

Cellar's tests store dumps in s3rver, a real S3-compatible server that keeps objects on disk, but
it accepts any V4 signature. This front listens on loopback, recomputes each request's signature
with botocore (Debian's python3-botocore: an implementation independent of Cellar's own signer)
and answers as S3 does when it differs:

- no Authorization header             403 AccessDenied
- an access key it does not know      403 InvalidAccessKeyId
- a signature that does not match     403 SignatureDoesNotMatch (with S3's StringToSign and
                                           CanonicalRequest, to debug by)
- a body whose SHA-256 is not the one x-amz-content-sha256 signed
                                       400 XAmzContentSHA256Mismatch

Everything else goes to s3rver, the body streamed back. s3rver 3.7.1 also lacks three parts of
S3's multipart API that Cellar relies on, so the front keeps the books on multipart uploads
itself (it sees every request) and answers those as S3 does:

- ListMultipartUploads (GET /bucket?uploads): the uploads begun and neither completed nor aborted;
- AbortMultipartUpload (DELETE /bucket/key?uploadId=X): forgets the upload and removes s3rver's
  parts from its data folder; NoSuchUpload for an unknown ID (also for UploadPart);
- CompleteMultipartUpload refuses a part other than the last smaller than 5 MiB (EntityTooSmall),
  as S3 does, so a client that splits wrongly fails here too.

Only path-style addressing is served (the bucket is the path's first segment).

Usage: s3_verify_proxy.py --upstream HOST:PORT --data-dir DIR [--port N]
                          [--tls-cert PEM --tls-key PEM]   (serve HTTPS instead of HTTP)
Credentials come from the environment: S3_VERIFY_ACCESS_KEY_ID, S3_VERIFY_SECRET_ACCESS_KEY.
Prints "ready <port>" on stdout once it listens.
"""

import argparse
import datetime
import hashlib
import http.client
import http.server
import os
import re
import shutil
import ssl
import sys
import threading
import urllib.parse
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

MIN_PART_SIZE = 5 * 1024 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}
AUTH_PATTERN = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
    r"SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)")


class Uploads:
    """The multipart uploads begun and not yet completed or aborted, by upload ID."""

    def __init__(self):
        self.lock = threading.Lock()
        self.open = {}  # upload_id -> {"bucket", "key", "initiated", "parts": {number: size}}

    def begin(self, bucket, key, upload_id):
        with self.lock:
            self.open[upload_id] = {
                "bucket": bucket, "key": key, "parts": {},
                "initiated": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.000Z")}

    def get(self, upload_id):
        with self.lock:
            return self.open.get(upload_id)

    def add_part(self, upload_id, number, size):
        with self.lock:
            if upload_id in self.open:
                self.open[upload_id]["parts"][number] = size

    def end(self, upload_id):
        with self.lock:
            return self.open.pop(upload_id, None)

    def listing(self, bucket, prefix):
        with self.lock:
            return sorted((u["key"], upload_id, u["initiated"])
                          for upload_id, u in self.open.items()
                          if u["bucket"] == bucket and u["key"].startswith(prefix))


def error_xml(code, message, **detail):
    extra = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in detail.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{escape(message)}</Message>{extra}</Error>").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cellar-s3-verify"

    # --- plumbing -------------------------------------------------------------------------------

    def log_message(self, fmt, *args):
        sys.stderr.write("s3-verify: " + (fmt % args) + "\n")

    def reply(self, status, body=b"", content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fail(self, status, code, message, **detail):
        self.reply(status, error_xml(code, message, **detail))

    def read_body(self):
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(length)) if length else b""

    def split_target(self):
        parts = urllib.parse.urlsplit(self.path)
        segments = parts.path.lstrip("/").split("/", 1)
        bucket = urllib.parse.unquote(segments[0])
        key = urllib.parse.unquote(segments[1]) if len(segments) > 1 else ""
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        return bucket, key, {k: v[0] for k, v in query.items()}

    # --- the signature --------------------------------------------------------------------------

    def verify(self, body):
        """Returns True when the request is signed by a known key; else has answered."""
        authorization = self.headers.get("Authorization")
        if not authorization:
            self.fail(403, "AccessDenied", "Access Denied")
            return False
        match = AUTH_PATTERN.fullmatch(authorization.strip())
        if not match:
            self.fail(400, "AuthorizationHeaderMalformed",
                      "The authorization header is malformed", Header=authorization[:40])
            return False
        access_key, date, region, service, signed_headers, signature = match.groups()
        if access_key != self.server.access_key:
            self.fail(403, "InvalidAccessKeyId",
                      "The AWS Access Key Id you provided does not exist in our records.",
                      AWSAccessKeyId=access_key)
            return False
        amz_date = self.headers.get("x-amz-date", "")
        if not amz_date.startswith(date):
            self.fail(403, "SignatureDoesNotMatch", "x-amz-date does not match the scope's date")
            return False
        headers = {}
        for name in signed_headers.split(";"):
            values = self.headers.get_all(name)
            if values is None:
                self.fail(403, "SignatureDoesNotMatch", f"signed header {name} is missing")
                return False
            headers[name] = ",".join(values)
        request = AWSRequest(method=self.command, url=f"http://{self.headers['Host']}{self.path}",
                             headers=headers, data=body)
        request.context["timestamp"] = amz_date
        auth = S3SigV4Auth(Credentials(access_key, self.server.secret_key), service, region)
        canonical = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical)
        expected = auth.signature(string_to_sign, request)
        if expected != signature:
            self.fail(403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you "
                      "provided. Check your key and signing method.",
                      AWSAccessKeyId=access_key, StringToSign=string_to_sign,
                      CanonicalRequest=canonical)
            return False
        content_hash = self.headers.get("x-amz-content-sha256")
        if content_hash is None:
            self.fail(400, "InvalidRequest", "Missing required header for this request: "
                      "x-amz-content-sha256")
            return False
        if content_hash != "UNSIGNED-PAYLOAD" and \
                content_hash != hashlib.sha256(body).hexdigest():
            self.fail(400, "XAmzContentSHA256Mismatch",
                      "The provided 'x-amz-content-sha256' header does not match what was "
                      "computed.", ClientComputedContentSHA256=content_hash,
                      S3ComputedContentSHA256=hashlib.sha256(body).hexdigest())
            return False
        return True

    # --- multipart books ------------------------------------------------------------------------

    def list_uploads(self, bucket, query):
        status, _, _ = self.upstream("HEAD", f"/{urllib.parse.quote(bucket)}", {}, b"")
        if status == 404:
            self.fail(404, "NoSuchBucket", "The specified bucket does not exist",
                      BucketName=bucket)
            return
        prefix = query.get("prefix", "")
        uploads = "".join(
            f"<Upload><Key>{escape(key)}</Key><UploadId>{upload_id}</UploadId>"
            f"<Initiated>{initiated}</Initiated><StorageClass>STANDARD</StorageClass></Upload>"
            for key, upload_id, initiated in self.server.uploads.listing(bucket, prefix))
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult '
                'xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                f"<Bucket>{escape(bucket)}</Bucket><KeyMarker></KeyMarker>"
                "<UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker>"
                f"<NextUploadIdMarker></NextUploadIdMarker><Prefix>{escape(prefix)}</Prefix>"
                f"<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>{uploads}"
                "</ListMultipartUploadsResult>").encode()
        self.reply(200, body)

    def abort_upload(self, bucket, key, upload_id):
        upload = self.server.uploads.get(upload_id)
        if upload is None or upload["bucket"] != bucket or upload["key"] != key:
            self.fail(404, "NoSuchUpload", "The specified upload does not exist.",
                      UploadId=upload_id)
            return
        self.server.uploads.end(upload_id)
        for root, folders, _ in os.walk(os.path.join(self.server.data_dir, bucket)):
            if upload_id in folders:
                shutil.rmtree(os.path.join(root, upload_id), ignore_errors=True)
        self.reply(204)

    def check_upload(self, bucket, key, query, body):
        """Refuses what S3 refuses in UploadPart and Complete; True to go on."""
        upload_id = query["uploadId"]
        upload = self.server.uploads.get(upload_id)
        if upload is None or upload["bucket"] != bucket or upload["key"] != key:
            self.fail(404, "NoSuchUpload", "The specified upload does not exist.",
                      UploadId=upload_id)
            return False
        if self.command == "PUT":
            self.server.uploads.add_part(upload_id, int(query.get("partNumber", "0")), len(body))
            return True
        numbers = [int(n) for n in re.findall(rb"<PartNumber>(\d+)</PartNumber>", body)]
        if numbers != sorted(numbers):
            self.fail(400, "InvalidPartOrder", "The list of parts was not in ascending order.")
            return False
        for number in numbers[:-1]:
            size = upload["parts"].get(number)
            if size is None:
                self.fail(400, "InvalidPart", "One or more of the specified parts could not be "
                          "found.", PartNumber=number)
                return False
            if size < MIN_PART_SIZE:
                self.fail(400, "EntityTooSmall", "Your proposed upload is smaller than the "
                          "minimum allowed object size.", PartNumber=number, ProposedSize=size,
                          MinSizeAllowed=MIN_PART_SIZE)
                return False
        return True

    # --- forwarding -----------------------------------------------------------------------------

    def upstream(self, method, path, headers, body):
        connection = http.client.HTTPConnection(*self.server.upstream, timeout=120)
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response, connection

    def forward(self, body):
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in HOP_BY_HOP and k.lower() != "authorization"}
        headers["Content-Length"] = str(len(body))
        status, response, connection = self.upstream(self.command, self.path, headers, body)
        try:
            keep = [(k, v) for k, v in response.getheaders()
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"]
            length = response.getheader("Content-Length")
            record = self.wants_record()
            if record or (length is None and self.command != "HEAD" and status != 204):
                data = response.read()
                if record:
                    data = record(status, data)
                length = str(len(data))
                chunks = [data]
            else:
                chunks = iter(lambda: response.read(1 << 20), b"")
            self.send_response(status)
            for name, value in keep:
                self.send_header(name, value)
            if length is not None:
                self.send_header("Content-Length", length)
            self.end_headers()
            if self.command != "HEAD":
                for chunk in chunks:
                    self.wfile.write(chunk)
        finally:
            connection.close()

    def wants_record(self):
        """For the answers the books need to read: a function of (status, body) -> body."""
        bucket, key, query = self.split_target()
        if self.command == "POST" and "uploads" in query:
            def begun(status, data):
                found = re.search(rb"<UploadId>([^<]+)</UploadId>", data)
                if status == 200 and found:
                    self.server.uploads.begin(bucket, key, found.group(1).decode())
                return data
            return begun
        if self.command == "POST" and "uploadId" in query:
            def completed(status, data):
                if status == 200 and b"<Error>" not in data:
                    self.server.uploads.end(query["uploadId"])
                return data
            return completed
        return None

    def handle_any(self):
        body = self.read_body()
        if not self.verify(body):
            return
        bucket, key, query = self.split_target()
        if self.command == "GET" and not key and "uploads" in query:
            self.list_uploads(bucket, query)
        elif self.command == "DELETE" and key and "uploadId" in query:
            self.abort_upload(bucket, key, query["uploadId"])
        elif key and "uploadId" in query and not self.check_upload(bucket, key, query, body):
            return
        else:
            self.forward(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="s3rver's HOST:PORT")
    parser.add_argument("--data-dir", required=True, help="s3rver's data folder")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    host, port = args.upstream.rsplit(":", 1)
    server.upstream = (host, int(port))
    server.data_dir = args.data_dir
    server.access_key = os.environ["S3_VERIFY_ACCESS_KEY_ID"]
    server.secret_key = os.environ["S3_VERIFY_SECRET_ACCESS_KEY"]
    server.uploads = Uploads()
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
