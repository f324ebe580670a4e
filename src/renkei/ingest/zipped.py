"""Which document a zip holds, by its parts: a Word document, an Excel workbook or an OpenDocument sheet.

Office Open XML and OpenDocument files are zips; what is inside tells them apart, not the file's name. A zip
that holds none of them is refused as what it is (an archive, not a table), and a zip too damaged to list is
refused as the kind its name says, or as a damaged zip.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from renkei.ingest.errors import TableReadError

# What reading a damaged or hostile zip's member may raise: a broken directory, a corrupt deflate stream
# (zlib.error), a truncated one (EOFError), an unknown compression method (NotImplementedError), an encrypted
# member (RuntimeError), a missing part (KeyError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    ValueError,
    OSError,
)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_BY_EXTENSION = {"xlsx": "xlsx", "xlsm": "xlsx", "docx": "docx", "ods": "ods"}


def zip_kind(data: bytes, extension: str = "") -> str:
    """``datapackage``, ``docx``, ``xlsx`` or ``ods`` by the zip's parts; any other zip is a read error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            # Read only a mimetype of a plausible size: the archive's limits are checked by its reader after.
            small = "mimetype" in names and archive.getinfo("mimetype").file_size <= 200
            mimetype = archive.read("mimetype").strip() if small else b""
    except Exception as error:  # zipfile raises many kinds on a damaged directory or member
        kind = _BY_EXTENSION.get(extension, "zip")
        raise TableReadError(f"{kind}-unreadable", reason=f"{type(error).__name__}: {error}") from None
    if "datapackage.json" in names:  # a Frictionless data package, as renkei writes them
        return "datapackage"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if mimetype == ODS_MIMETYPE:
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        raise TableReadError("odf-not-spreadsheet", kind=mimetype.decode("ascii", "replace").rsplit(".", 1)[-1])
    raise TableReadError("zip-not-table")
