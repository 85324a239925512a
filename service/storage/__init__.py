"""Content-addressed file store: local disk by default, S3-compatible object storage as a setting.

A file is stored under its sha256; storing the same bytes twice keeps one copy.

    store = get_store()
    digest = store.put_file(tmp_path)        # copies/uploads, returns the sha256
    digest = store.adopt(spooled, sha256)    # takes over a file spooled in store.spool_dir() (rename, no copy)
    with store.local_path(digest) as path:   # a readable local path (downloads from S3 when needed)
        ...
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from service.errors import NotFound

__all__ = ["LocalStore", "S3Store", "Store", "get_store", "sha256_file"]

_CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class Store(Protocol):
    def put_file(self, path: Path, sha256: str | None = None) -> str: ...

    def adopt(self, path: Path, sha256: str) -> str: ...

    def spool_dir(self) -> Path: ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def local_path(self, sha256: str) -> contextlib.AbstractContextManager[Path]: ...


class LocalStore:
    """Files at ROOT/ab/cd/<sha256>; written to a temp file, fsynced, then renamed (atomic)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise NotFound("no such file")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_file(self, path: Path, sha256: str | None = None) -> str:
        digest = sha256 or sha256_file(path)
        target = self._path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
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
    """An S3-compatible bucket (AWS, MinIO, Ceph); keys are `sha256/<hex>`."""

    def __init__(self, bucket: str, endpoint_url: str | None = None) -> None:
        import boto3

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint_url)

    def _key(self, sha256: str) -> str:
        return f"sha256/{sha256}"

    def put_file(self, path: Path, sha256: str | None = None) -> str:
        digest = sha256 or sha256_file(path)
        if not self.exists(digest):
            self.client.upload_file(str(path), self.bucket, self._key(digest))
        return digest

    def spool_dir(self) -> Path:
        return Path(tempfile.gettempdir())

    def adopt(self, path: Path, sha256: str) -> str:
        try:
            return self.put_file(Path(path), sha256)
        finally:
            Path(path).unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError:
            return False
        return True

    def open(self, sha256: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as exc:
            raise NotFound("the file is missing from the store") from exc
        return obj["Body"]  # type: ignore[no-any-return]

    @contextlib.contextmanager
    def local_path(self, sha256: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="attest-s3-") as tmp:
            path = Path(tmp) / sha256
            with self.open(sha256) as src, path.open("wb") as out:
                shutil.copyfileobj(src, out, _CHUNK)
            yield path


@functools.lru_cache(maxsize=4)
def _store(backend: str, root: str, bucket: str | None, endpoint: str | None) -> Store:
    if backend == "s3":
        if not bucket:
            raise ValueError("ATTEST_S3_BUCKET must be set when ATTEST_STORAGE_BACKEND=s3")
        return S3Store(bucket, endpoint)
    return LocalStore(Path(root))


def get_store() -> Store:
    from service.settings import get_settings

    s = get_settings()
    return _store(s.storage_backend, str(s.store_dir), s.s3_bucket, s.s3_endpoint_url)
