"""Content-addressed file store: local disk by default, S3-compatible object storage as a setting.

A file is stored under its sha256; storing the same bytes twice keeps one copy. A name that is not a
SHA-256 is NotFound. The S3 store checks the SHA-256 of what it reads (CorruptedFile); the local store
trusts its disk (fsync + atomic rename on write).

    store = get_store()
    digest = store.put_file(tmp_path)        # copies/uploads, returns the sha256
    digest = store.adopt(spooled, sha256)    # takes over a file spooled in store.spool_dir() (rename, no copy)
    with store.local_path(digest) as path:   # a readable local path (downloads from S3 when needed)
        ...
"""

from __future__ import annotations

import base64
import contextlib
import errno
import functools
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from service.errors import AttestError, NotFound

__all__ = ["SPOOL_PREFIX", "CorruptedFile", "LocalStore", "S3Store", "Store", "get_store", "sha256_file"]

SPOOL_PREFIX = ".up-"
"""A file being written in the local store's spool folder (an upload streaming in, a copy on its way into
place); one a killed process left is removed by ``service.uploads.service.sweep_stale_spool``."""

_CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class CorruptedFile(AttestError):
    """A stored file whose bytes no longer match the SHA-256 it is stored under. Not retried: the same
    bytes would be read again."""

    status_code = 500
    code = "file_corrupted"


class Store(Protocol):
    def put_file(self, path: Path, sha256: str | None = None) -> str: ...

    def adopt(self, path: Path, sha256: str) -> str: ...

    def spool_dir(self) -> Path: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def local_path(self, sha256: str) -> contextlib.AbstractContextManager[Path]: ...


class LocalStore:
    """Files at ROOT/ab/cd/<sha256>; written to a temp file, fsynced, then renamed (atomic)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        _check_digest(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_file(self, path: Path, sha256: str | None = None) -> str:
        digest = sha256 or sha256_file(path)
        target = self._path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        # written in the spool folder (same file system), so that a process killed half-way leaves its
        # partial copy where the sweep finds it, never beside the stored files
        fd, tmp = tempfile.mkstemp(dir=self.spool_dir(), prefix=SPOOL_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out, Path(path).open("rb") as src:
                shutil.copyfileobj(src, out, _CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return digest

    def spool_dir(self) -> Path:
        """Where uploads are written while they stream in: on the store's file system, so that
        :meth:`adopt` is a rename."""
        spool = self.root / ".incoming"
        spool.mkdir(exist_ok=True)
        return spool

    def adopt(self, path: Path, sha256: str) -> str:
        """Take over a complete file whose SHA-256 the caller computed while receiving it: one fsync of
        the file, then an atomic rename into place (a copy when `path` is on another file system). The
        file at `path` is gone afterwards."""
        target = self._path(sha256)
        path = Path(path)
        if target.exists():
            path.unlink(missing_ok=True)
            return sha256
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.replace(path, target)
        except FileNotFoundError:  # the two-level folder does not exist yet
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            self.put_file(path, sha256)
            path.unlink(missing_ok=True)
        return sha256

    def exists(self, sha256: str) -> bool:
        try:
            return self._path(sha256).exists()
        except NotFound:
            return False

    def delete(self, sha256: str) -> bool:
        """Remove a stored file (only for bytes nothing refers to: a prepared signing left over); False
        when it was not there."""
        try:
            self._path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self._path(sha256).open("rb")
        except FileNotFoundError as exc:
            raise NotFound("the file is missing from the store") from exc

    @contextlib.contextmanager
    def local_path(self, sha256: str) -> Iterator[Path]:
        path = self._path(sha256)
        if not path.exists():
            raise NotFound("the file is missing from the store")
        yield path


class S3Store:
    """An S3-compatible bucket (AWS, MinIO, Ceph); keys are `sha256/<hex>`, the same bytes are stored once.

    Credentials and region come from boto3's usual sources (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
    ``AWS_DEFAULT_REGION``, a profile, an instance role). Uploads are spooled on local disk
    (`spool_root`/.incoming) and sent with their SHA-256 (``ChecksumSHA256``: S3 refuses bytes that do not
    match it); every read is checked against the SHA-256 of its key, so an object altered in the bucket
    raises :class:`CorruptedFile` instead of being verified or served as if it were the upload."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, *, spool_root: Path | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.spool_root = Path(spool_root) if spool_root is not None else Path(tempfile.gettempdir()) / "attest-s3"
        # a session per store: boto3's default session is not safe to create clients from in several threads
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url,
            config=Config(connect_timeout=5, read_timeout=60, retries={"mode": "standard", "max_attempts": 5}),
        )

    def _key(self, sha256: str) -> str:
        _check_digest(sha256)
        return f"sha256/{sha256}"

    def put_file(self, path: Path, sha256: str | None = None) -> str:
        digest = sha256 or sha256_file(path)
        if self.exists(digest):
            return digest
        size = os.path.getsize(path)
        if size > _MAX_SINGLE_PUT:  # S3's limit for one PUT: a multipart upload (boto3 checksums the parts)
            self.client.upload_file(str(path), self.bucket, self._key(digest))
            return digest
        with Path(path).open("rb") as body:
            self.client.put_object(Bucket=self.bucket, Key=self._key(digest), Body=body, ContentLength=size,
                                   ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode("ascii"))
        return digest

    def spool_dir(self) -> Path:
        """A local folder for uploads while they stream in (they are sent to the bucket when adopted)."""
        spool = self.spool_root / ".incoming"
        spool.mkdir(parents=True, exist_ok=True)
        return spool

    def adopt(self, path: Path, sha256: str) -> str:
        try:
            return self.put_file(Path(path), sha256)
        finally:
            Path(path).unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        try:
            key = self._key(sha256)
        except NotFound:
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            if _is_missing(exc):
                return False
            raise  # 403, 500, no connection: not an answer to "is it there?"
        return True

    def delete(self, sha256: str) -> bool:
        """Remove a stored object (see :meth:`LocalStore.delete`); False when it was not there."""
        if not self.exists(sha256):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))
        return True

    def _get(self, sha256: str) -> Any:
        key = self._key(sha256)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except Exception as exc:
            if _is_missing(exc):
                raise NotFound("the file is missing from the store") from exc
            raise

    def open(self, sha256: str) -> BinaryIO:
        """The object as a stream; reading it to the end checks its SHA-256 (:class:`CorruptedFile`)."""
        return _VerifyingReader(self._get(sha256), sha256)  # type: ignore[return-value]

    @contextlib.contextmanager
    def local_path(self, sha256: str) -> Iterator[Path]:
        """The object downloaded to a private temporary file, its SHA-256 checked on the way."""
        with tempfile.TemporaryDirectory(prefix="attest-s3-") as tmp:
            path = Path(tmp) / sha256
            with self.open(sha256) as src, path.open("wb") as out:
                shutil.copyfileobj(src, out, _CHUNK)
            yield path


_MAX_SINGLE_PUT = 5 * 1024**3


def _check_digest(sha256: str) -> None:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise NotFound("no such file")


def _is_missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error.get("Code") in ("404", "NoSuchKey", "NotFound") or status == 404


class _VerifyingReader(io.RawIOBase):
    """A read-only stream over an S3 body that raises :class:`CorruptedFile` when the bytes do not have
    the expected SHA-256. The last bytes are held back until the end of the body has been seen and
    checked, so a reader never gets the whole of an altered file (a download breaks off instead)."""

    def __init__(self, body: Any, sha256: str) -> None:
        super().__init__()
        self._body, self._expected, self._hash = body, sha256, hashlib.sha256()
        self._ahead = bytearray()
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        want = len(buffer)
        while not self._eof and len(self._ahead) <= want:  # keep a byte back until the end is checked
            data = self._body.read(max(want, 64 * 1024))
            if data:
                self._hash.update(data)
                self._ahead += data
            else:
                self._eof = True
                if self._hash.hexdigest() != self._expected:
                    self._ahead.clear()
                    raise CorruptedFile(
                        f"the stored file {self._expected[:12]}… does not match its SHA-256 (it was altered "
                        "in the bucket); restore it from a backup",
                        details={"sha256": self._expected, "found": self._hash.hexdigest()},
                    )
        n = min(want, len(self._ahead))
        buffer[:n] = self._ahead[:n]
        del self._ahead[:n]
        return n

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


@functools.lru_cache(maxsize=4)
def _store(backend: str, root: str, bucket: str | None, endpoint: str | None) -> Store:
    if backend == "s3":
        if not bucket:
            raise ValueError("ATTEST_S3_BUCKET must be set when ATTEST_STORAGE_BACKEND=s3")
        return S3Store(bucket, endpoint, spool_root=Path(root))
    return LocalStore(Path(root))


def get_store() -> Store:
    from service.settings import get_settings

    s = get_settings()
    return _store(s.storage_backend, str(s.store_dir), s.s3_bucket, s.s3_endpoint_url)
