"""Writing results under OUT: atomically, never outside OUT, never through a symlink.

Folders are walked one component at a time with O_NOFOLLOW from a descriptor
of OUT, so a symlinked sub-folder cannot redirect a write. The bytes go to a
fresh temporary name opened with O_CREAT|O_EXCL|O_NOFOLLOW (a planted file or
symlink at that name makes the open fail, and we pick another), are flushed,
and the temporary file is renamed over the result; rename replaces a symlink
at the result name instead of following it. An interrupted write removes its
temporary file; one left by a killed process is swept at the next run.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from extractor.core.errors import ConfigError

_PART = re.compile(r"^\..+\.[0-9a-f]{12}\.part$")
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def prepare_out(out: Path) -> None:
    """Create OUT (a folder) or say clearly why it cannot be used."""
    if out.is_symlink() and not out.is_dir():
        raise ConfigError(f"{out}: is a dangling symlink; give a folder for -o")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a folder; give a folder for -o")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise ConfigError(
            f"{out}: a part of this path is a file, not a folder; give a folder for -o"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create the output folder ({exc.strerror})") from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise ConfigError(f"{out}: the output folder is not writable")


@contextlib.contextmanager
def _folder(out: Path, parts: tuple[str, ...]) -> Iterator[int]:
    """A descriptor of OUT/parts…, creating folders, refusing symlinks on the way."""
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            if part in ("", ".", "..") or "/" in part:
                raise ValueError(f"unsafe path component {part!r}")
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=fd)
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                raise OSError(
                    exc.errno, f"{part} in the output path is not a folder (or is a symlink)"
                ) from exc
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def write_atomic(out: Path, parts: tuple[str, ...], data: bytes) -> Path:
    """Write `data` as OUT/parts… in one step: readers see the old file or the whole new one."""
    *folders, name = parts
    with _folder(out, tuple(folders)) as fd:
        while True:
            tmp = f".{name}.{secrets.token_hex(6)}.part"
            try:
                handle = os.open(tmp, _FILE_FLAGS, 0o666, dir_fd=fd)
                break
            except FileExistsError:
                continue
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            raise
    return out.joinpath(*parts)


def sweep_parts(out: Path) -> int:
    """Remove temporary files a killed run left behind (only our own pattern; symlinks not followed)."""
    removed = 0
    for root, _dirs, files in os.walk(out):
        for name in files:
            path = Path(root) / name
            if _PART.match(name) and (path.is_symlink() or path.is_file()):
                path.unlink()
                removed += 1
    return removed


def read_existing(out: Path, parts: tuple[str, ...]) -> bytes | None:
    """The bytes of a result, or None when it is missing or not a plain file."""
    path = out.joinpath(*parts)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        return stream.read()


__all__ = ["prepare_out", "read_existing", "sweep_parts", "write_atomic"]
